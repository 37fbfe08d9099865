/**
 * The standard files of a simulated Debian machine's root file system, as a fresh install
 * writes them (netbase's /etc/hosts layout with the 127.0.1.1 host line).
 */

/** Files of a machine named `hostname`; resolv.conf points at `nameserver` when given. */
export function machineFiles(hostname: string, nameserver?: string): Record<string, string> {
  return {
    "/etc/hostname": `${hostname}\n`,
    "/etc/hosts":
      `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n\n` +
      "# The following lines are desirable for IPv6 capable hosts\n" +
      "::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n",
    "/etc/resolv.conf": nameserver ? `nameserver ${nameserver}\n` : "",
    "/dev/null": "",
  };
}

/** Directories every machine has. */
export const MACHINE_DIRS = ["/root", "/tmp", "/home", "/run", "/var/run", "/usr/bin", "/usr/sbin", "/bin", "/sbin", "/proc", "/sys", "/dev", "/etc"];

/** Environment of a root shell on a machine. */
export function machineEnv(hostname: string): Record<string, string> {
  return {
    HOME: "/root",
    HOSTNAME: hostname,
    LANG: "C.UTF-8",
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    SHELL: "/bin/bash",
    USER: "root",
  };
}
