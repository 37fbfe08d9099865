/**
 * Interface flags (IFF_*) as include/uapi/linux/if.h numbers them, and the order iproute2's
 * print_link_flags() (ip/ipaddress.c) lists them in `<...>`. LinkInfo carries flags by name;
 * tools that print numbers (/sys/class/net/IF/flags, busybox `ip`'s hex tail) use IFF_BITS.
 */

/** IFF_* bit of each flag name. */
export const IFF_BITS: Readonly<Record<string, number>> = {
  UP: 0x1, BROADCAST: 0x2, DEBUG: 0x4, LOOPBACK: 0x8, POINTOPOINT: 0x10, NOTRAILERS: 0x20, RUNNING: 0x40,
  NOARP: 0x80, PROMISC: 0x100, ALLMULTI: 0x200, MASTER: 0x400, SLAVE: 0x800, MULTICAST: 0x1000,
  PORTSEL: 0x2000, AUTOMEDIA: 0x4000, DYNAMIC: 0x8000, LOWER_UP: 0x10000, DORMANT: 0x20000, ECHO: 0x40000,
};

/** print_link_flags()'s order (NO-CARRIER before them, M-DOWN after them). */
export const IFF_PRINT_ORDER: readonly string[] = [
  "LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "ALLMULTI", "PROMISC", "MASTER", "SLAVE",
  "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL", "NOTRAILERS", "UP", "LOWER_UP", "DORMANT", "ECHO",
];
