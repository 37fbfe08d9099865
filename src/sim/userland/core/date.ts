/**
 * date (coreutils) in virtual time: the world's clock plus its epoch, always UTC (the
 * simulated machines run with TZ unset and /etc/localtime = UTC). Default format
 * `%a %b %e %H:%M:%S %Z %Y`; `+FORMAT` with the common conversions; `-u`; `-d @SECONDS`.
 */
import type { ProgramSpec } from "../types.js";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAYS_LONG = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const pad = (n: number, w = 2, c = "0"): string => String(n).padStart(w, c);

/** strftime for the conversions lessons use, in UTC. */
export function strftime(fmt: string, ms: number): string {
  const d = new Date(ms);
  return fmt.replace(/%([%a-zA-Z])/g, (all, c: string) => {
    switch (c) {
      case "%": return "%";
      case "a": return DAYS[d.getUTCDay()]!;
      case "A": return DAYS_LONG[d.getUTCDay()]!;
      case "b": case "h": return MONTHS[d.getUTCMonth()]!;
      case "B": return MONTHS_LONG[d.getUTCMonth()]!;
      case "d": return pad(d.getUTCDate());
      case "e": return pad(d.getUTCDate(), 2, " ");
      case "H": return pad(d.getUTCHours());
      case "I": return pad(((d.getUTCHours() + 11) % 12) + 1);
      case "M": return pad(d.getUTCMinutes());
      case "S": return pad(d.getUTCSeconds());
      case "N": return pad((ms % 1000) * 1_000_000, 9);
      case "m": return pad(d.getUTCMonth() + 1);
      case "y": return pad(d.getUTCFullYear() % 100);
      case "Y": return String(d.getUTCFullYear());
      case "Z": return "UTC";
      case "z": return "+0000";
      case "s": return String(Math.floor(ms / 1000));
      case "p": return d.getUTCHours() < 12 ? "AM" : "PM";
      case "j": return pad(Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
      case "u": return String(d.getUTCDay() || 7);
      case "w": return String(d.getUTCDay());
      case "T": return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
      case "D": return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCFullYear() % 100)}`;
      case "F": return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      case "R": return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
      case "n": return "\n";
      case "t": return "\t";
      default: return all;
    }
  });
}

export const date: ProgramSpec = {
  name: "date",
  summary: "print the (virtual) date and time",
  run: (p) => {
    let ms = p.world.clock.epochMs + Math.floor(p.world.clock.now());
    let fmt = "%a %b %e %H:%M:%S %Z %Y";
    const args = p.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-u" || a === "--utc" || a === "--universal" || a === "-R") {
        if (a === "-R") fmt = "%a, %d %b %Y %H:%M:%S %z";
        continue;
      }
      if (a.startsWith("+")) {
        fmt = a.slice(1);
        continue;
      }
      const d = a === "-d" ? args[++i] : a.startsWith("--date=") ? a.slice(7) : a.startsWith("-d") ? a.slice(2) : undefined;
      if (d !== undefined) {
        const m = /^@(-?\d+)$/.exec(d);
        if (!m) {
          p.err(`date: invalid date \u2018${d}\u2019\n`);
          return 1;
        }
        ms = Number(m[1]) * 1000;
        continue;
      }
      if (a.startsWith("-")) {
        p.err(`date: invalid option -- '${a.slice(1, 2)}'\nTry 'date --help' for more information.\n`);
        return 1;
      }
      p.err(`date: invalid date \u2018${a}\u2019\n`);
      return 1;
    }
    p.out(strftime(fmt, ms) + "\n");
    return 0;
  },
};
