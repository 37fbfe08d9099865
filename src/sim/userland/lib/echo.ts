/**
 * `echo` as bash's builtin and coreutils' /bin/echo do it: leading options made only of
 * n, e, E (`-n`, `-ne`); `-e` escapes \a \b \c \e \f \n \r \t \v \\ \0NNN \xHH, where \c
 * stops all further output.
 */

/** The text `echo ARGS` prints. */
export function echoText(args: string[]): string {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (!/^-[neE]+$/.test(a)) break;
    for (const c of a.slice(1)) {
      if (c === "n") newline = false;
      else if (c === "e") escapes = true;
      else escapes = false;
    }
  }
  let out = "";
  const rest = args.slice(i);
  for (let k = 0; k < rest.length; k++) {
    if (k > 0) out += " ";
    if (!escapes) {
      out += rest[k];
      continue;
    }
    const r = unescape(rest[k]!);
    out += r.text;
    if (r.stop) return out;
  }
  return newline ? out + "\n" : out;
}

function unescape(s: string): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    switch (n) {
      case "a": out += "\x07"; break;
      case "b": out += "\b"; break;
      case "c": return { text: out, stop: true };
      case "e": case "E": out += "\x1b"; break;
      case "f": out += "\f"; break;
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "t": out += "\t"; break;
      case "v": out += "\v"; break;
      case "\\": out += "\\"; break;
      case "0": {
        const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0];
        out += String.fromCharCode(parseInt(m || "0", 8));
        i += m.length;
        break;
      }
      case "x": {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
        if (!m) {
          out += "\\x";
          break;
        }
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
        break;
      }
      default:
        out += "\\" + n;
    }
  }
  return { text: out, stop: false };
}
