/**
 * The simulator's file system: one in-memory tree per machine or container root, seen through
 * views that add dynamic mounts (`/sys/class/net`, `/proc/sys/net`) computed from the network
 * namespace of the process that looks (as `ip netns exec` remounts /sys for its namespace).
 *
 *   VfsTree (static files: /etc/hosts, /tmp, /root, ...)
 *      └── VfsView(tree, netns) implements SimFs
 *             ├── /sys/class/net/*   → NetnsApi.linkList()
 *             └── /proc/sys/net/*    → NetnsApi.sysctlGet/Set
 *
 * Errors are thrown as FsError with the errno the real kernel returns; `readFile` returns
 * undefined for a missing path or a directory (the SimFs contract), and throws only when the
 * kernel itself would fail the read (e.g. `carrier` of a down link: EINVAL).
 */
import type { SimFs } from "../userland/types.js";
import type { HostKernelApi, NetnsApi } from "../kernel/api.js";
import { FsError } from "../userland/lib/errno.js";
import { netMounts } from "./vfs-net.js";

interface FileNode { kind: "file"; content: string }
interface DirNode { kind: "dir"; children: Map<string, Node> }
type Node = FileNode | DirNode;

/** A dynamic subtree: paths under it are answered by code (rel = segments below the mount point). */
export interface VfsMount {
  kind(rel: string[]): "dir" | "file" | undefined;
  readdir(rel: string[]): string[] | undefined;
  read(rel: string[]): string;
  write(rel: string[], content: string): void;
  /** Whether an existing file may be opened for writing (false: EACCES, as read-only sysfs attributes). */
  canWrite(rel: string[]): boolean;
}

/** Splits an absolute path into normalized segments (`.` and `..` resolved, `..` stops at `/`). */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return out;
}

/** Joins `path` onto `cwd` (when relative) and normalizes it to an absolute path. */
export function resolvePath(cwd: string, path: string): string {
  const abs = path.startsWith("/") ? path : `${cwd}/${path}`;
  return "/" + splitPath(abs).join("/");
}

/** The static file tree of one machine or container root. */
export class VfsTree {
  readonly root: DirNode = { kind: "dir", children: new Map() };

  /** Seeds files (absolute path → content), creating parent directories. */
  constructor(files: Record<string, string> = {}, dirs: string[] = []) {
    for (const d of dirs) this.mkdirp(splitPath(d));
    for (const [p, c] of Object.entries(files)) {
      const segs = splitPath(p);
      const dir = this.mkdirp(segs.slice(0, -1));
      dir.children.set(segs[segs.length - 1]!, { kind: "file", content: c });
    }
  }

  /** Node at segments, or undefined. Throws ENOTDIR when a file sits in the middle of the path. */
  lookup(segs: string[], path: string): Node | undefined {
    let node: Node = this.root;
    for (const s of segs) {
      if (node.kind !== "dir") throw new FsError("ENOTDIR", path);
      const next: Node | undefined = node.children.get(s);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** Creates directories along segs (like mkdir -p) and returns the last one. */
  mkdirp(segs: string[], path = "/" + segs.join("/")): DirNode {
    let node: DirNode = this.root;
    for (const s of segs) {
      let next = node.children.get(s);
      if (!next) {
        next = { kind: "dir", children: new Map() };
        node.children.set(s, next);
      }
      if (next.kind !== "dir") throw new FsError("ENOTDIR", path);
      node = next;
    }
    return node;
  }
}

/** A process's view of a tree: the static files plus the dynamic mounts of its network namespace. */
export class VfsView implements SimFs {
  private readonly mounts: Array<{ at: string[]; mount: VfsMount }>;

  /** `host`: the machine whose root this is (adds /run/netns); omit for a container's root. */
  constructor(readonly tree: VfsTree, readonly netns?: NetnsApi, readonly host?: HostKernelApi) {
    this.mounts = netns ? netMounts(netns, host) : [];
  }

  /** The same tree seen from another network namespace (`ip netns exec` semantics). */
  withNetns(netns: NetnsApi): VfsView {
    return netns === this.netns ? this : new VfsView(this.tree, netns, this.host);
  }

  private mounted(segs: string[]): { mount: VfsMount; rel: string[] } | undefined {
    for (const m of this.mounts) {
      if (m.at.length <= segs.length && m.at.every((s, i) => segs[i] === s)) {
        return { mount: m.mount, rel: segs.slice(m.at.length) };
      }
    }
    return undefined;
  }

  /** "file", "dir" or undefined for a path. */
  kind(path: string): "file" | "dir" | undefined {
    const segs = splitPath(path);
    const m = this.mounted(segs);
    if (m) return m.mount.kind(m.rel);
    // Mount points' parents exist even if nobody created them (/sys, /sys/class, /proc/sys).
    if (this.mounts.some((mm) => mm.at.length > segs.length && segs.every((s, i) => mm.at[i] === s))) return "dir";
    try {
      return this.tree.lookup(segs, path)?.kind;
    } catch {
      return undefined;
    }
  }

  readFile(path: string): string | undefined {
    const segs = splitPath(path);
    const m = this.mounted(segs);
    if (m) return m.mount.kind(m.rel) === "file" ? m.mount.read(m.rel) : undefined;
    const node = this.tree.lookup(segs, path);
    return node?.kind === "file" ? node.content : undefined;
  }

  writeFile(path: string, content: string, opts?: { append?: boolean }): void {
    if (path === "/dev/null") return;
    const segs = splitPath(path);
    const m = this.mounted(segs);
    if (m) {
      const k = m.mount.kind(m.rel);
      if (k === "dir") throw new FsError("EISDIR", path);
      if (k === undefined) throw new FsError(m.rel.length > 1 ? "ENOENT" : "EACCES", path);
      m.mount.write(m.rel, content);
      return;
    }
    if (segs.length === 0) throw new FsError("EISDIR", path);
    const parent = this.tree.lookup(segs.slice(0, -1), path);
    if (!parent) throw new FsError("ENOENT", path);
    if (parent.kind !== "dir") throw new FsError("ENOTDIR", path);
    const name = segs[segs.length - 1]!;
    const node = parent.children.get(name);
    if (node?.kind === "dir") throw new FsError("EISDIR", path);
    if (node && opts?.append) node.content += content;
    else parent.children.set(name, { kind: "file", content });
  }

  /**
   * Opens a file for writing as a redirection does: creates or truncates it (`>`), or creates it
   * if missing (`>>`). Dynamic files are only checked (truncating /proc/sys/... writes nothing).
   */
  open(path: string, append: boolean): void {
    const segs = splitPath(path);
    if (path === "/dev/null") return;
    const m = this.mounted(segs);
    if (m) {
      const k = m.mount.kind(m.rel);
      if (k === "dir") throw new FsError("EISDIR", path);
      if (k === undefined) throw new FsError(m.rel.length > 1 ? "ENOENT" : "EACCES", path);
      if (!m.mount.canWrite(m.rel)) throw new FsError("EACCES", path);
      return;
    }
    if (append && this.kind(path) === "file") return;
    this.writeFile(path, "");
  }

  exists(path: string): boolean {
    return this.kind(path) !== undefined;
  }

  isDir(path: string): boolean {
    return this.kind(path) === "dir";
  }

  readdir(path: string): string[] | undefined {
    const segs = splitPath(path);
    const m = this.mounted(segs);
    if (m) return m.mount.readdir(m.rel);
    const extra = this.mounts
      .filter((mm) => mm.at.length > segs.length && segs.every((s, i) => mm.at[i] === s))
      .map((mm) => mm.at[segs.length]!);
    let node: Node | undefined;
    try {
      node = this.tree.lookup(segs, path);
    } catch {
      return undefined;
    }
    if (node && node.kind !== "dir") return undefined;
    if (!node && extra.length === 0) return undefined;
    const names = new Set<string>(node ? [...node.children.keys()] : []);
    for (const e of extra) names.add(e);
    return [...names].sort();
  }

  mkdir(path: string): void {
    const segs = splitPath(path);
    if (this.mounted(segs)) throw new FsError("EACCES", path);
    this.tree.mkdirp(segs, path);
  }

  remove(path: string): boolean {
    const segs = splitPath(path);
    if (segs.length === 0 || this.mounted(segs)) return false;
    let parent: Node | undefined;
    try {
      parent = this.tree.lookup(segs.slice(0, -1), path);
    } catch {
      return false;
    }
    if (parent?.kind !== "dir") return false;
    return parent.children.delete(segs[segs.length - 1]!);
  }
}
