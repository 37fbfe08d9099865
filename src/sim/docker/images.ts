/**
 * The local image store of the simulated engine: busybox and nginx (tags 1.16.1 and latest), with
 * the configuration the Docker Hub images carry (CMD, EXPOSE, ENV) and the files a container of
 * each sees. The nginx image's /usr/sbin/nginx is the stand-in program that serves the nginx
 * 1.16.1 welcome page on port 80 (scripts/build-images.sh builds the same two images on a real
 * engine from busybox-static, so both targets run the same file systems).
 */

/** busybox 1.35.0 applets, as `busybox --list` prints them for Debian's busybox-static 1:1.35.0-4. */
const APPLETS = [
  "[ [[ acpid adjtimex ar arch arp arping ascii ash awk base64 basename bc blkdiscard blockdev",
  "brctl bunzip2 busybox bzcat bzip2 cal cat chgrp chmod chown chroot chvt clear cmp cp cpio",
  "crc32 crond crontab cttyhack cut date dc dd deallocvt depmod devmem df diff dirname dmesg",
  "dnsdomainname dos2unix dpkg dpkg-deb du dumpkmap dumpleases echo ed egrep env expand expr",
  "factor fallocate false fatattr fdisk fgrep find findfs fold free freeramdisk fsfreeze fstrim",
  "ftpget ftpput getopt getty grep groups gunzip gzip halt head hexdump hostid hostname httpd",
  "hwclock i2cdetect i2cdump i2cget i2cset i2ctransfer id ifconfig ifdown ifup init insmod ionice",
  "ip ipcalc ipneigh kill killall klogd last less link linux32 linux64 linuxrc ln loadfont",
  "loadkmap logger login logname logread losetup ls lsmod lsscsi lzcat lzma lzop md5sum mdev",
  "microcom mim mkdir mkdosfs mke2fs mkfifo mknod mkpasswd mkswap mktemp modinfo modprobe more",
  "mount mt mv nameif nc netstat nl nologin nproc nsenter nslookup nuke od openvt partprobe",
  "passwd paste patch pidof ping ping6 pivot_root poweroff printf ps pwd rdate readlink realpath",
  "reboot renice reset resume rev rm rmdir rmmod route rpm rpm2cpio run-init run-parts sed seq",
  "setkeycodes setpriv setsid sh sha1sum sha256sum sha3sum sha512sum shred shuf sleep sort",
  "ssl_client start-stop-daemon stat strings stty su sulogin svc svok swapoff swapon switch_root",
  "sync sysctl syslogd tac tail tar taskset tc tee telnet telnetd test tftp time timeout top",
  "touch tr traceroute traceroute6 true truncate ts tty tunctl ubirename udhcpc udhcpd uevent",
  "umount uname uncompress unexpand uniq unix2dos unlink unlzma unshare unxz unzip uptime usleep",
  "uudecode uuencode vconfig vi w watch watchdog wc wget which who whoami xargs xxd xz xzcat yes",
  "zcat",].join(" ").split(" ");

/**
 * nginx 1.16.1's default page: nginx/nginx@release-1.16.1:docs/html/index.html, 612 bytes.
 * images/nginx/index.html holds the same bytes for the real-engine image (a test compares them).
 */
export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export interface ImageConfig {
  cmd: string[];
  entrypoint: string[] | null;
  env: string[];
  exposedPorts: string[];
}

/** An image: its identity, its configuration and its root file system. */
export interface Image {
  id: string;
  repoTags: string[];
  /** Virtual ms at which it was built (before the world's epoch). */
  createdMs: number;
  size: number;
  config: ImageConfig;
  /** Regular files (path → content); frozen, shared by every engine of the process. */
  files: Record<string, string>;
  /** Frozen, shared by every engine of the process. */
  dirs: string[];
  /** Paths with an execute bit (what the OCI runtime may exec); a FrozenSet shared by every engine. */
  executables: Set<string>;
  /** Programs whose PID-1 process ends on SIGTERM (others wait for the SIGKILL after the stop timeout); a FrozenSet. */
  termHandlers: Set<string>;
}

/** A Set that refuses changes once built: image data is built once per process and shared by every world. */
class FrozenSet<T> extends Set<T> {
  private sealed = false;
  constructor(values: Iterable<T>) {
    super(values);
    this.sealed = true;
  }
  override add(v: T): this {
    if (this.sealed) throw new TypeError("image data is shared: this set cannot change");
    return super.add(v);
  }
  override delete(_v: T): boolean {
    throw new TypeError("image data is shared: this set cannot change");
  }
  override clear(): void {
    throw new TypeError("image data is shared: this set cannot change");
  }
}

const PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const BASE_DIRS = ["/bin", "/sbin", "/usr/bin", "/usr/sbin", "/etc", "/tmp", "/root", "/proc", "/sys", "/dev", "/var/www", "/home"];

function baseFiles(): { files: Record<string, string>; executables: string[] } {
  const files: Record<string, string> = {
    "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n",
    "/etc/group": "root:x:0:\nnogroup:x:65534:\n",
  };
  // Every applet is executable as /bin/NAME (a hard link to busybox in the image); only busybox and
  // sh are materialised as files, which keeps a container's file system cheap to create.
  const executables: string[] = [];
  for (const a of APPLETS) if (a !== "") executables.push(`/bin/${a}`);
  files["/bin/busybox"] = "";
  files["/bin/sh"] = "";
  return { files, executables };
}

/** Frozen at run time; typed mutable only because the consumers' types predate sharing. */
const frozen = <T extends object>(v: T): T => Object.freeze(v) as T;

/** The root file systems of the two images, built once per process (they never change). */
const ROOTFS = (() => {
  const bb = baseFiles();
  const ng = baseFiles();
  ng.files["/usr/share/nginx/html/index.html"] = NGINX_WELCOME;
  ng.files["/usr/sbin/nginx"] = "#!/bin/sh\nexec httpd -f -p 80 -h /usr/share/nginx/html\n";
  ng.executables.push("/usr/sbin/nginx");
  return {
    busybox: { files: frozen(bb.files), dirs: frozen([...BASE_DIRS]), executables: new FrozenSet(bb.executables), termHandlers: new FrozenSet<string>([]) },
    nginx: {
      files: frozen(ng.files),
      dirs: frozen([...BASE_DIRS, "/usr/share/nginx/html", "/etc/nginx"]),
      executables: new FrozenSet(ng.executables),
      termHandlers: new FrozenSet(["nginx", "httpd"]),
    },
  };
})();

/** The two images every simulated engine starts with (ids as sha256 hex, from the world's Rng). */
export function defaultImages(hex: (n: number) => string): Image[] {
  const busybox: Image = {
    id: hex(64),
    repoTags: ["busybox:latest"],
    createdMs: -3_000,
    size: 1_980_000,
    config: { cmd: ["sh"], entrypoint: null, env: [PATH_ENV], exposedPorts: [] },
    ...ROOTFS.busybox,
  };
  const nginx: Image = {
    id: hex(64),
    repoTags: ["nginx:1.16.1", "nginx:latest"],
    createdMs: -1_000,
    size: 1_980_000,
    config: { cmd: ["nginx", "-g", "daemon off;"], entrypoint: null, env: [PATH_ENV, "NGINX_VERSION=1.16.1"], exposedPorts: ["80/tcp"] },
    ...ROOTFS.nginx,
  };
  return [nginx, busybox];
}

/** Normalises an image reference the way the CLI does: `nginx` → `nginx:latest`. */
export function normalizeRef(ref: string): string {
  const lastSlash = ref.lastIndexOf("/");
  return ref.slice(lastSlash + 1).includes(":") ? ref : `${ref}:latest`;
}

/** Program names per executables set (the sets are frozen, so an entry never goes stale). */
const programCache = new WeakMap<ReadonlySet<string>, Set<string>>();

/** Program names an image can run (the base names of its executables), for the shell's `available`. */
export function programsOf(image: Image): ReadonlySet<string> {
  const cached = programCache.get(image.executables);
  if (cached) return cached;
  const out = new Set<string>();
  for (const p of image.executables) out.add(p.slice(p.lastIndexOf("/") + 1));
  const programs = new FrozenSet(out);
  programCache.set(image.executables, programs);
  return programs;
}
