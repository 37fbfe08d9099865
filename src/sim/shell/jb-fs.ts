/**
 * just-bash's IFileSystem over our SimFs, so delegated text utilities (`grep x /etc/hosts`,
 * `ls /sys/class/net`, `tee f`) read and write the same files as our own programs. An adapter
 * is bound to one file system for its life.
 * Errors are thrown as Node-style `CODE: text, op 'path'` messages, the shape just-bash's
 * commands turn into `grep: PATH: No such file or directory`.
 */
import type { IFileSystem, FsStat, FileContent } from "just-bash";
import type { SimFs } from "../userland/types.js";
import { errnoOf } from "../userland/lib/errno.js";
import { resolvePath } from "./vfs.js";

const EPOCH = new Date(Date.UTC(2026, 0, 1));
const NODE_TEXT: Record<string, string> = {
  ENOENT: "no such file or directory",
  EISDIR: "illegal operation on a directory",
  ENOTDIR: "not a directory",
  EACCES: "permission denied",
  EINVAL: "invalid argument",
  EEXIST: "file already exists",
  EPERM: "operation not permitted",
};

function fail(code: string, op: string, path: string): never {
  const e = new Error(`${code}: ${NODE_TEXT[code] ?? code}, ${op} '${path}'`) as Error & { code: string };
  e.code = code;
  throw e;
}

function text(content: FileContent): string {
  return typeof content === "string" ? content : new TextDecoder().decode(content);
}

/** An IFileSystem over one SimFs. */
export class SimFsAdapter implements IFileSystem {
  /**
   * just-bash finds commands by PATH on its file system; our trees have no binaries, so the
   * delegated utilities are shown to it (only to it) as executables in /usr/bin.
   */
  constructor(
    private readonly target: SimFs,
    private readonly binaries: ReadonlySet<string> = new Set(),
  ) {}

  private isBinary(path: string): boolean {
    const m = /^\/usr\/bin\/([^/]+)$/.exec(path);
    return m !== null && this.binaries.has(m[1]!);
  }

  private fs(): SimFs {
    return this.target;
  }

  private guard<T>(op: string, path: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      const errno = errnoOf(e);
      if (errno) fail(errno, op, path);
      throw e;
    }
  }

  async readFile(path: string): Promise<string> {
    const fs = this.fs();
    return this.guard("open", path, () => {
      if (fs.isDir(path)) fail("EISDIR", "read", path);
      const c = fs.readFile(path);
      if (c === undefined) fail("ENOENT", "open", path);
      return c;
    });
  }
  async readFileBuffer(path: string): Promise<Uint8Array> {
    return new TextEncoder().encode(await this.readFile(path));
  }
  async writeFile(path: string, content: FileContent): Promise<void> {
    this.guard("open", path, () => this.fs().writeFile(path, text(content)));
  }
  async appendFile(path: string, content: FileContent): Promise<void> {
    this.guard("open", path, () => this.fs().writeFile(path, text(content), { append: true }));
  }
  async exists(path: string): Promise<boolean> {
    return this.isBinary(path) || this.fs().exists(path);
  }
  async stat(path: string): Promise<FsStat> {
    if (this.isBinary(path)) return { isFile: true, isDirectory: false, isSymbolicLink: false, mode: 0o755, size: 0, mtime: EPOCH };
    const fs = this.fs();
    if (!fs.exists(path)) fail("ENOENT", "stat", path);
    const dir = fs.isDir(path);
    let size = 0;
    if (!dir) {
      try {
        size = new TextEncoder().encode(fs.readFile(path) ?? "").length;
      } catch {
        size = 4096;
      }
    }
    return { isFile: !dir, isDirectory: dir, isSymbolicLink: false, mode: dir ? 0o755 : 0o644, size: dir ? 4096 : size, mtime: EPOCH };
  }
  async lstat(path: string): Promise<FsStat> {
    return this.stat(path);
  }
  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    const fs = this.fs();
    if (fs.exists(path)) {
      if (options?.recursive && fs.isDir(path)) return;
      fail("EEXIST", "mkdir", path);
    }
    const parent = resolvePath(path, "..");
    if (!options?.recursive && !fs.isDir(parent)) fail("ENOENT", "mkdir", path);
    this.guard("mkdir", path, () => fs.mkdir(path));
  }
  async readdir(path: string): Promise<string[]> {
    const fs = this.fs();
    if (fs.exists(path) && !fs.isDir(path)) fail("ENOTDIR", "scandir", path);
    const names = fs.readdir(path);
    if (!names) fail("ENOENT", "scandir", path);
    return names;
  }
  async rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void> {
    const fs = this.fs();
    if (!fs.exists(path)) {
      if (options?.force) return;
      fail("ENOENT", "rm", path);
    }
    if (fs.isDir(path) && !options?.recursive && (fs.readdir(path) ?? []).length > 0) fail("ENOTEMPTY", "rm", path);
    if (!fs.remove(path)) fail("EACCES", "rm", path);
  }
  async cp(src: string, dest: string, options?: { recursive?: boolean }): Promise<void> {
    const fs = this.fs();
    if (!fs.exists(src)) fail("ENOENT", "cp", src);
    if (fs.isDir(src)) {
      if (!options?.recursive) fail("EISDIR", "cp", src);
      fs.mkdir(dest);
      for (const n of fs.readdir(src) ?? []) await this.cp(`${src}/${n}`, `${dest}/${n}`, options);
      return;
    }
    const c = this.guard("open", src, () => fs.readFile(src) ?? "");
    this.guard("open", dest, () => fs.writeFile(dest, c));
  }
  async mv(src: string, dest: string): Promise<void> {
    await this.cp(src, dest, { recursive: true });
    this.fs().remove(src);
  }
  resolvePath(base: string, path: string): string {
    return resolvePath(base, path);
  }
  getAllPaths(): string[] {
    return [];
  }
  async chmod(path: string): Promise<void> {
    if (!this.fs().exists(path)) fail("ENOENT", "chmod", path);
  }
  async symlink(_target: string, linkPath: string): Promise<void> {
    fail("EPERM", "symlink", linkPath);
  }
  async link(_existing: string, newPath: string): Promise<void> {
    fail("EPERM", "link", newPath);
  }
  async readlink(path: string): Promise<string> {
    fail("EINVAL", "readlink", path);
  }
  async realpath(path: string): Promise<string> {
    if (!this.fs().exists(path)) fail("ENOENT", "realpath", path);
    return resolvePath("/", path);
  }
  async utimes(path: string): Promise<void> {
    if (!this.fs().exists(path)) fail("ENOENT", "utimes", path);
  }
}
