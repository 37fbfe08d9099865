/**
 * errno names and their strerror(3) texts (glibc wording), shared by programs that print
 * `PROGRAM: PATH: No such file or directory` and by the shell's redirections.
 */

/** glibc strerror texts for the errno names the simulator raises. */
export const STRERROR: Readonly<Record<string, string>> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EIO: "Input/output error",
  EBADF: "Bad file descriptor",
  EACCES: "Permission denied",
  EBUSY: "Device or resource busy",
  EEXIST: "File exists",
  ENODEV: "No such device",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  ENOSPC: "No space left on device",
  EROFS: "Read-only file system",
  ERANGE: "Numerical result out of range",
  ENOTEMPTY: "Directory not empty",
  ELOOP: "Too many levels of symbolic links",
  ENOBUFS: "No buffer space available",
  EOPNOTSUPP: "Operation not supported",
  EADDRINUSE: "Address in use",
  EADDRNOTAVAIL: "Cannot assign requested address",
  ENETUNREACH: "Network is unreachable",
  EHOSTUNREACH: "No route to host",
  ECONNREFUSED: "Connection refused",
  ETIMEDOUT: "Connection timed out",
};

/** strerror(3): the text for an errno name; unknown names print as glibc's `Unknown error`. */
export function strerror(errno: string): string {
  return STRERROR[errno] ?? `Unknown error ${errno}`;
}

/** A file-system refusal (thrown by SimFs implementations on bad paths), carrying its errno. */
export class FsError extends Error {
  constructor(readonly errno: "ENOENT" | "ENOTDIR" | "EISDIR" | "EACCES" | "EINVAL" | "EEXIST" | "ENOTEMPTY" | "EPERM" | "EIO" | "ENODEV", readonly path: string) {
    super(`${path}: ${strerror(errno)}`);
    this.name = "FsError";
  }
}

/** The errno of a thrown FsError or KernelError-like error (anything with an `errno` string), else undefined. */
export function errnoOf(e: unknown): string | undefined {
  if (e && typeof e === "object" && "errno" in e && typeof (e as { errno: unknown }).errno === "string") {
    return (e as { errno: string }).errno;
  }
  return undefined;
}
