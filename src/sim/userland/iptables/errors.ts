/**
 * The ways iptables fails, each printed in its own words (xtables_error and the nft backend's
 * messages in iptables 1.8.9):
 *   param   `iptables v1.8.9 (nf_tables): MSG` + `Try `iptables -h' ...`   exit 2
 *   bare    `MSG` + `Try `iptables -h' ...` (Bad argument)                  exit 2
 *   plain   `iptables: MSG.`                                              exit 1
 *   version `iptables v1.8.9 (nf_tables): MSG` without the Try line        exit 1/3/4
 */
export type IptErrorKind = "param" | "bare" | "plain" | "version" | "tryonly";

export class IptError extends Error {
  constructor(readonly kind: IptErrorKind, message: string, readonly exit: number) {
    super(message);
  }
}

/** PARAMETER_PROBLEM: bad command line, exit 2. */
export function paramError(msg: string): IptError {
  return new IptError("param", msg, 2);
}

/** A failure iptables reports as `iptables: MSG`, exit 1. */
export function plainError(msg: string): IptError {
  return new IptError("plain", msg, 1);
}

/** strerror() texts of the errnos the kernel returns to iptables. */
export const STRERROR: Record<string, string> = {
  EINVAL: "Invalid argument", EMLINK: "Too many links", EOPNOTSUPP: "Operation not supported", EBUSY: "Device or resource busy",
  ENOENT: "No such file or directory", EEXIST: "File exists", ELOOP: "Too many levels of symbolic links", EPERM: "Operation not permitted",
  ENOTEMPTY: "Directory not empty", ERANGE: "Numerical result out of range", ENOBUFS: "No buffer space available",
};

/** Renders an error as the named program prints it. */
export function formatError(e: IptError, prog: string, version: string, line?: number): string {
  const tryLine = `Try \`${prog} -h' or '${prog} --help' for more information.\n`;
  const at = line !== undefined ? `Error occurred at line: ${line}\n` : "";
  switch (e.kind) {
    case "param":
      return `${prog} ${version}: ${e.message}\n${at}${tryLine}`;
    case "bare":
      return `${e.message}\n${at}${tryLine}`;
    case "tryonly":
      return `${at}${tryLine}`;
    case "plain":
      return `${prog.replace(/-(restore|save)$/, "")}: ${e.message}\n`;
    case "version":
      return `${prog} ${version}: ${e.message}\n`;
  }
}
