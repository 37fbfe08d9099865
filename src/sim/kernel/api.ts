/**
 * The kernel API: the only door from userland (ip, iptables, ping, docker's daemon, kubelet...)
 * into the simulated network stack. It is shaped like netlink and the socket syscalls, so a
 * simulated program cannot cheat: it sees only what a real program could ask the kernel for,
 * and a refusal comes back as an errno that the program prints in its own words.
 *
 * Addresses cross this API as dotted strings ("10.0.0.1") and prefixes as "10.0.0.0/24";
 * MACs as "aa:bb:cc:dd:ee:ff". Inside the kernel they may be stored however is fastest.
 */

/** errno names the simulated kernel returns (the subset networking code meets). */
export type ErrnoName =
  | "EEXIST" | "ENOENT" | "ENODEV" | "EINVAL" | "EPERM" | "EBUSY" | "ENETUNREACH" | "EHOSTUNREACH"
  | "EADDRINUSE" | "EADDRNOTAVAIL" | "ECONNREFUSED" | "ETIMEDOUT" | "EOPNOTSUPP" | "ENOBUFS" | "ESRCH"
  | "ENOTEMPTY" | "ELOOP" | "ERANGE" | "EMLINK" | "ENETDOWN";

/** A refusal from the kernel, thrown by API calls; userland catches it and prints the tool's own text. */
export class KernelError extends Error {
  /**
   * `detail`, when given, is the kernel's extended ack text exactly as the real kernel sends it
   * (iproute2 prints it as `Error: <detail>.`), e.g. "Nexthop has invalid gateway"; absent when the
   * real kernel sends a bare errno (the tool then prints strerror: `RTNETLINK answers: File exists`).
   */
  constructor(readonly errno: ErrnoName, readonly detail?: string) {
    super(detail ? `${errno}: ${detail}` : errno);
    this.name = "KernelError";
  }
}

/** "ether": a physical NIC (eth0 of a host on an underlay); it has no IFLA_INFO_KIND, so `ip -d` prints no kind. */
export type LinkKind = "loopback" | "veth" | "bridge" | "vxlan" | "dummy" | "ipvs" | "ether";

export interface VxlanParams {
  vni: number;
  /** UDP destination port; iproute2's default when omitted is 0 → kernel picks 8472 (IANA 4789 only if given). */
  dstport?: number;
  local?: string;
  remote?: string;
  group?: string;
  /** Underlay device name in the same namespace. */
  dev?: string;
  learning?: boolean;
  ttl?: number;
}

export interface LinkAddRequest {
  name: string;
  kind: Exclude<LinkKind, "loopback" | "ether">;
  mtu?: number;
  /** IFLA_TXQLEN (both veth ends); default 1000. Docker's libnetwork creates its veths with 0. */
  txqlen?: number;
  address?: string;
  /** veth only: the peer's name and (optional) namespace to create it in. */
  /** A veth peer's own attributes (VETH_INFO_PEER): given, the request's mtu and txqlen apply to the named end only. */
  peer?: { name: string; netns?: NetnsRef; address?: string; mtu?: number; txqlen?: number };
  vxlan?: VxlanParams;
}

export interface LinkSetRequest {
  up?: boolean;
  /** Bridge to enslave to; `null` releases (nomaster). */
  master?: string | null;
  /** Move the link into another namespace. */
  netns?: NetnsRef;
  name?: string;
  mtu?: number;
  address?: string;
  learning?: boolean;
  /**
   * IFF_* flags to set (true) or clear (false) as dev_change_flags does; absent ones stay.
   * `ip link set DEV arp off` is { NOARP: true }, `trailers off` is { NOTRAILERS: true }.
   */
  flags?: Partial<Record<SettableLinkFlag, boolean>>;
}

/** The IFF_* flags `ip link set` may change (the rest are the kernel's: UP via `up`, LOWER_UP, ...). */
export type SettableLinkFlag = "MULTICAST" | "NOARP" | "ALLMULTI" | "PROMISC" | "DYNAMIC" | "NOTRAILERS";

/** Link as `RTM_GETLINK` reports it. */
export interface LinkInfo {
  ifindex: number;
  name: string;
  kind: LinkKind;
  /** IFF_* flags as iproute2 prints them, e.g. ["BROADCAST","MULTICAST","UP","LOWER_UP"]. */
  flags: string[];
  mtu: number;
  qdisc: string;
  /** "UP" | "DOWN" | "UNKNOWN" | "LOWERLAYERDOWN". */
  operstate: string;
  mac: string;
  brd: string;
  /** Master bridge name, if enslaved. */
  master?: string;
  /** ifindex of the peer (veth) or lower device; equals ifindex when none. */
  iflink: number;
  /** For a veth whose peer is in another namespace: the netnsid this namespace assigned to the peer's. */
  linkNetnsId?: number;
  /** Peer name when in the same namespace (iproute2 prints `name@peer`), else `if<N>`. */
  peerName?: string;
  vxlan?: VxlanParams & { dstport: number; learning: boolean };
  stats: { rxPackets: number; rxBytes: number; rxDropped: number; txPackets: number; txBytes: number; txDropped: number };
  /** Kernel's `group`, `qlen`/txqueuelen. */
  txqlen: number;
  /** IFLA_PROMISCUITY / IFLA_ALLMULTI: how many users asked for each (a bridge port counts 1, `promisc on` 1). */
  promiscuity: number;
  allmulti: number;
}

export interface AddrInfo {
  ifindex: number;
  dev: string;
  /** "10.0.0.1/24" */
  cidr: string;
  broadcast?: string;
  scope: "global" | "link" | "host";
  label?: string;
  /** IFA_F_SECONDARY: another address on the device already covers this prefix (`ip addr` prints `secondary`). */
  secondary?: boolean;
}

/** An IPv6 address the kernel configured itself (`::1` on lo, EUI-64 `fe80::/64` link-locals), for listings. */
export interface Addr6Info {
  ifindex: number;
  dev: string;
  /** "fe80::42:acff:fe11:2/64" */
  cidr: string;
  scope: "global" | "link" | "host";
}

export interface RouteSpec {
  /** "default" or "10.0.0.0/24" or "10.0.0.1" (a /32). */
  dst: string;
  via?: string;
  dev?: string;
  src?: string;
  onlink?: boolean;
  scope?: "global" | "link" | "host";
  proto?: "kernel" | "boot" | "static";
  metric?: number;
  table?: "main" | "local";
  type?: "unicast" | "local" | "broadcast" | "blackhole" | "unreachable";
}

export interface RouteInfo extends Required<Pick<RouteSpec, "dst" | "proto" | "scope" | "table" | "type">> {
  /** RTNH_F_LINKDOWN: the nexthop device has no carrier (iproute2 prints `linkdown`). */
  linkdown?: boolean;
  via?: string;
  dev?: string;
  src?: string;
  onlink?: boolean;
  metric?: number;
}

export type NeighState = "PERMANENT" | "NOARP" | "REACHABLE" | "STALE" | "DELAY" | "PROBE" | "INCOMPLETE" | "FAILED";

export interface NeighInfo {
  dst: string;
  dev: string;
  lladdr?: string;
  state: NeighState;
  router?: boolean;
}

export interface FdbEntry {
  mac: string;
  dev: string;
  /** For a bridge port entry: the bridge (`master br0`). */
  master?: string;
  /** For a VXLAN entry: the remote VTEP address. */
  dst?: string;
  /** For a VXLAN entry: the underlay device to reach `dst` through (`via eth0`). */
  via?: string;
  vlan?: number;
  /** "permanent" | "static" | dynamic (undefined). */
  state?: "permanent" | "static";
  self?: boolean;
  /** Seconds since last used (`-s`). */
  ageSec?: number;
}

/** Where a TCP/UDP/ICMP exchange ended, and why: the disposition of a probe. */
export type Disposition =
  | { kind: "delivered" }
  | { kind: "refused" }
  | { kind: "timeout"; reason: string }
  | { kind: "unreachable"; errno: ErrnoName; reason: string };

/** One step of a packet's journey: the trace that `lab trace`, grading feedback and the docs' figures read. */
export interface TraceEvent {
  /** Virtual ms. */
  at: number;
  packetId: number;
  host: string;
  netns: string;
  step:
    | "send" | "recv" | "veth" | "bridge" | "route" | "neigh" | "netfilter" | "nat" | "conntrack"
    | "vxlan-encap" | "vxlan-decap" | "deliver" | "drop" | "reply";
  /** Human sentence, e.g. `filter FORWARD: -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP matched → DROP`. */
  text: string;
  dev?: string;
  detail?: Record<string, unknown>;
}

/** A handle naming a namespace: a named one (`ip netns add NAME`), the initial one, or by id. */
export type NetnsRef = { name: string } | { id: number } | "init";

/**
 * A request-response application handler for TCP listeners (HTTP servers, the DNS-over-TCP case):
 * the response, or its write() calls in order (each non-empty one is a segment of its own).
 */
export type StreamHandler = (request: Uint8Array, peer: { addr: string; port: number }) => Uint8Array | readonly Uint8Array[];
/** A datagram handler (DNS servers): returns the reply payload, or undefined for no reply. */
export type DatagramHandler = (payload: Uint8Array, peer: { addr: string; port: number }) => Uint8Array | undefined;

export interface ListenHandle {
  /** The bound port: the one asked for, or the kernel's ephemeral pick for a bind to port 0. */
  readonly port: number;
  close(): void;
}

export interface PingReply {
  /** Address the reply came from (after reverse NAT). */
  from: string;
  ttl: number;
  /** Virtual round-trip ms. */
  rttMs: number;
}

/** Result of one echo request. */
export type PingResult =
  | { ok: true; reply: PingReply; trace: TraceEvent[] }
  | { ok: false; disposition: Disposition; trace: TraceEvent[]; icmpError?: { from: string; text: string } };

export type StreamResult =
  | { ok: true; response: Uint8Array; local: { addr: string; port: number }; trace: TraceEvent[] }
  | { ok: false; disposition: Disposition; trace: TraceEvent[] };

export type DatagramResult =
  | { ok: true; response: Uint8Array; from: { addr: string; port: number }; trace: TraceEvent[] }
  | { ok: false; disposition: Disposition; trace: TraceEvent[] };

/**
 * A UDP socket connected to one peer (socket + connect), for programs that send several
 * datagrams and wait for their answers together (busybox nslookup's send_queries). An ICMP error
 * for what it sent is kept as the socket's pending error and reported, once, by the next `send`
 * or `recv` (sock_error), as ECONNREFUSED for a port unreachable.
 */
export interface UdpSocket {
  /** The local port (the kernel's ephemeral choice). */
  readonly port: number;
  send(payload: Uint8Array): { ok: true } | { ok: false; errno: ErrnoName };
  /** The next datagram from the peer, a pending error, or undefined when `timeoutMs` of virtual time passed. */
  recv(timeoutMs: number): { data: Uint8Array } | { errno: ErrnoName } | undefined;
  close(): void;
}

/**
 * One network namespace seen through the API. Every call acts as a process inside it.
 * Mutating calls throw KernelError with the errno a real kernel would return.
 */
export interface NetnsApi extends IpvsIpsetApi {
  readonly id: number;
  /** The name given by `ip netns add` or a creator's label (`docker:abc123`, `init`). */
  readonly label: string;

  linkAdd(req: LinkAddRequest): void;
  linkDel(name: string): void;
  linkSet(name: string, req: LinkSetRequest): void;
  linkList(): LinkInfo[];
  linkGet(name: string): LinkInfo;

  addrAdd(dev: string, cidr: string, opts?: { broadcast?: string; label?: string; scope?: AddrInfo["scope"] }): void;
  addrDel(dev: string, cidr: string): void;
  addrFlush(dev: string): void;
  addrList(): AddrInfo[];
  /** IPv6 addresses (`ip addr` prints them after each device's inet lines); only kernel-made ones exist. */
  addr6List(): Addr6Info[];

  routeAdd(spec: RouteSpec, opts?: { replace?: boolean }): void;
  routeDel(spec: Partial<RouteSpec> & { dst: string }): void;
  routeList(table?: "main" | "local" | "all"): RouteInfo[];
  /** `ip route get`: the route, output device and source the kernel would choose. */
  routeGet(dst: string, opts?: { from?: string; iif?: string }): { route: RouteInfo; dev: string; src: string; via?: string; /** A learned path-MTU exception (`cache expires 598sec mtu 1450`). */ cache?: { mtu: number; expiresSec: number } };

  neighAdd(n: { dst: string; dev: string; lladdr?: string; state?: NeighState }, opts?: { replace?: boolean }): void;
  neighDel(dst: string, dev: string): void;
  neighList(): NeighInfo[];

  fdbAdd(e: FdbEntry, opts?: { append?: boolean; replace?: boolean }): void;
  fdbDel(e: Pick<FdbEntry, "mac" | "dev" | "dst">): void;
  fdbList(): FdbEntry[];

  /** Keys as dotted sysctl names: `net.ipv4.ip_forward`, `net.ipv4.conf.all.forwarding`, `net.bridge.bridge-nf-call-iptables`. */
  sysctlGet(key: string): string;
  sysctlSet(key: string, value: string): void;
  sysctlList(prefix: string): Array<[string, string]>;

  /** Netfilter: the whole of one table as iptables-nft sees it (see netfilter/types.ts). */
  nfTableGet(table: NfTableName): NfTable;
  /** Atomically replaces one table (iptables commits a whole table, as iptables-restore does). */
  nfTableReplace(table: NfTableName, next: NfTable): void;
  /** Conntrack entries (`conntrack -L`). */
  conntrackList(): ConntrackEntry[];
  conntrackFlush(): void;

  /** ICMP echo, as ping's raw socket does: one request, waits up to `timeoutMs` of virtual time. */
  ping(dst: string, opts?: { timeoutMs?: number; ttl?: number; size?: number; src?: string; seq?: number; id?: number }): PingResult;
  /** TCP: connect, send `request`, read the reply, close. Refused if nothing listens (RST). */
  tcpRequest(dst: string, port: number, request: Uint8Array, opts?: { timeoutMs?: number; src?: string }): StreamResult;
  /** UDP: send one datagram, wait for one reply. */
  udpRequest(dst: string, port: number, payload: Uint8Array, opts?: { timeoutMs?: number; src?: string }): DatagramResult;
  /** A UDP socket connected to dst:port; connect fails (KernelError ENETUNREACH...) without a route. */
  udpSocket(dst: string, port: number, opts?: { src?: string }): UdpSocket;
  /** Binds and listens; port 0 lets the kernel pick a free port in ip_local_port_range (ListenHandle.port). */
  tcpListen(addr: string, port: number, handler: StreamHandler): ListenHandle;
  /** Binds a datagram socket; port 0 as for tcpListen. */
  udpListen(addr: string, port: number, handler: DatagramHandler): ListenHandle;
  /** Listening sockets (`ss -ltn`-like), for tools and for tests. */
  sockets(): Array<{ proto: "tcp" | "udp"; addr: string; port: number }>;
}

/** A simulated machine: its kernel, its namespaces by name and id. */
export interface HostKernelApi {
  readonly hostname: string;
  /** The initial network namespace. */
  readonly init: NetnsApi;
  /** Creates an anonymous namespace (as `unshare -n` / a container runtime), copying sysctls from init. */
  netnsCreate(label: string): NetnsApi;
  /** `ip netns add NAME`: creates and binds a name under /var/run/netns. EEXIST if taken. */
  netnsAddNamed(name: string): NetnsApi;
  /** `ip netns del NAME`: unbinds; the namespace dies when nothing holds it. */
  netnsDelNamed(name: string): void;
  netnsNamed(): string[];
  netns(ref: NetnsRef): NetnsApi;
  /** Releases an anonymous namespace (container exit); its links die, veth peers with them. */
  netnsRelease(ns: NetnsApi): void;
  /** Packet trace since the last `traceTake()`. */
  traceTake(): TraceEvent[];
  /** Turns the world's packet trace on or off (it may be off: nobody reading it); returns the previous state. */
  tracing(on: boolean): boolean;
  /** RTM_GETNSID: the nsid `viewer` assigned to the named namespace, if any (`ip netns list` prints `(id: N)`). */
  nsidOfNamed(viewer: NetnsApi, name: string): number | undefined;
}

// ---- Netfilter data model (shared by the kernel, which evaluates it, and iptables, which parses and prints it)

export type NfTableName = "filter" | "nat" | "mangle" | "raw";
export type NfHook = "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";

export interface NfAddrMatch { addr: string; plen: number; neg: boolean }
export interface NfIfaceMatch { name: string; neg: boolean }

/** A match extension (`-m NAME ...`), stored as parsed so the kernel can evaluate it and iptables print it. */
export type NfMatch =
  | { kind: "tcp" | "udp"; sport?: NfPortRange; dport?: NfPortRange; tcpFlags?: { mask: string[]; comp: string[]; neg: boolean }; syn?: { neg: boolean } }
  | { kind: "icmp"; icmpType?: { type: number; code?: number; name: string; neg: boolean } }
  | { kind: "multiport"; sports?: NfPortRange[]; dports?: NfPortRange[]; ports?: NfPortRange[]; neg: boolean }
  | { kind: "addrtype"; srcType?: { types: string[]; neg: boolean }; dstType?: { types: string[]; neg: boolean }; limitIfaceIn?: boolean; limitIfaceOut?: boolean }
  | { kind: "conntrack"; ctstate?: { states: string[]; neg: boolean }; ctorigdst?: NfAddrMatch; ctorigdstport?: NfPortRange & { neg: boolean } }
  | { kind: "state"; states: string[]; neg: boolean }
  | { kind: "statistic"; mode: "random"; /** libxt_statistic stores lround(0x80000000 * p). */ probabilityU32: number; neg: boolean }
  | { kind: "statistic"; mode: "nth"; every: number; packet: number; neg: boolean }
  | { kind: "comment"; comment: string }
  | { kind: "mark"; value: number; mask: number; neg: boolean }
  | { kind: "physdev"; physdevIsBridged?: { neg: boolean }; physdevIn?: NfIfaceMatch; physdevOut?: NfIfaceMatch }
  | { kind: "recent"; raw: string[] }
  /**
   * xt_set (`-m set [!] --match-set NAME src|dst[,src|dst...]`): `flags` pick, per dimension of
   * the set's element, the packet's source or destination (address, then port, then address).
   */
  | { kind: "set"; name: string; flags: Array<"src" | "dst">; neg: boolean; returnNomatch?: boolean; noUpdateCounters?: boolean; noUpdateSubcounters?: boolean };

export interface NfPortRange { from: number; to: number; neg?: boolean }

export type NfTarget =
  | { kind: "ACCEPT" | "DROP" | "RETURN" }
  | { kind: "jump" | "goto"; chain: string }
  | { kind: "REJECT"; rejectWith: string }
  | { kind: "DNAT"; toAddr?: string; toAddrEnd?: string; toPort?: number; toPortEnd?: number; random?: boolean; persistent?: boolean }
  /** SNAT without `toAddr` (`--to-source :53`) keeps the source address and maps only the port. */
  | { kind: "SNAT"; toAddr?: string; toAddrEnd?: string; toPort?: number; toPortEnd?: number; random?: boolean; randomFully?: boolean; persistent?: boolean }
  | { kind: "MASQUERADE"; toPort?: number; toPortEnd?: number; random?: boolean; randomFully?: boolean }
  | { kind: "REDIRECT"; toPort?: number; toPortEnd?: number; random?: boolean }
  | { kind: "MARK"; value: number; mask: number }
  | { kind: "CONNMARK"; raw: string[] }
  | { kind: "LOG"; prefix?: string; level?: string }
  | { kind: "TRACE" }
  | { kind: "NOTRACK" };

export interface NfRule {
  src?: NfAddrMatch;
  dst?: NfAddrMatch;
  inIface?: NfIfaceMatch;
  outIface?: NfIfaceMatch;
  /** Protocol name ("tcp", "udp", "icmp", "all") or number as text. */
  proto?: { name: string; neg: boolean };
  fragment?: { neg: boolean };
  /** Matches in the order they were given; iptables-save prints them in this order. */
  matches: NfMatch[];
  /** Undefined: a rule with no target only counts packets. */
  target?: NfTarget;
  counters: { packets: number; bytes: number };
}

export interface NfChain {
  name: string;
  /** Built-in chains have a policy; user chains do not. */
  policy?: "ACCEPT" | "DROP";
  rules: NfRule[];
  counters: { packets: number; bytes: number };
  /**
   * Built-in chains: the policy counter counts only once iptables-nft gave the base chain
   * counters (`-P`, `-Z`, or a `:CHAIN POLICY [p:b]` line of iptables-restore), as on nf_tables.
   */
  countersOn?: boolean;
}

export interface NfTable {
  name: NfTableName;
  /** True while no program has created this table in the namespace (iptables-nft creates it on first write; iptables-save skips it). */
  absent?: boolean;
  /** Built-in chains first in the kernel's hook order, then user chains in creation order. */
  chains: NfChain[];
}

export interface ConntrackTuple { src: string; dst: string; sport?: number; dport?: number; type?: number; code?: number; id?: number }

/** A conntrack entry as `conntrack -L` prints it: the original and the reply tuple. */
export interface ConntrackEntry {
  proto: "tcp" | "udp" | "icmp";
  /** TCP state name (`ESTABLISHED`, `TIME_WAIT`, ...) or undefined. */
  state?: string;
  /** Seconds left before it expires. */
  timeoutSec: number;
  orig: ConntrackTuple;
  reply: ConntrackTuple;
  /** `[ASSURED]` / `[UNREPLIED]`. */
  flags: string[];
  mark: number;
  use: number;
}

// ---- IPVS (net/netfilter/ipvs; the genetlink IPVS family that ipvsadm and kube-proxy speak)

/** The IPVS protocols a virtual service may carry (fwmark services are not simulated). */
export type IpvsProto = "tcp" | "udp";

/** A virtual service's identity: IPVS_SVC_ATTR_PROTOCOL, _ADDR and _PORT. */
export interface IpvsServiceKey {
  proto: IpvsProto;
  /** The VIP, dotted. */
  addr: string;
  port: number;
}

/** A virtual service as IPVS_CMD_NEW_SERVICE / IPVS_CMD_SET_SERVICE carry it. */
export interface IpvsServiceSpec extends IpvsServiceKey {
  /** Scheduler name: "rr", "wrr", "lc", "wlc" (the kernel answers ENOENT for an unknown one). */
  scheduler: string;
  /** IP_VS_SVC_F_PERSISTENT: the persistence timeout in seconds and netmask (dotted, default 255.255.255.255). */
  persistent?: { timeoutSec: number; netmask?: string };
}

/** How a real server is reached: "masq" (NAT, `-m`) and "route" (direct routing, `-g`); "tunnel" (`-i`, IPIP) is refused with EOPNOTSUPP. */
export type IpvsForward = "masq" | "route" | "tunnel";

/** A real server (destination) as IPVS_CMD_NEW_DEST / IPVS_CMD_SET_DEST carry it. */
export interface IpvsDestSpec {
  addr: string;
  port: number;
  /** 0..65535; a weight-0 destination gets no new connections. */
  weight: number;
  fwd: IpvsForward;
  /** Connection thresholds (0 = none). */
  upperThreshold?: number;
  lowerThreshold?: number;
}

/** struct ip_vs_stats_user: totals since creation (or `-Z`), and rates from the kernel's 2-second estimator. */
export interface IpvsStats {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
  cps: number;
  inPps: number;
  outPps: number;
  inBps: number;
  outBps: number;
}

/** A real server as the kernel lists it. */
export interface IpvsDestInfo extends Required<IpvsDestSpec> {
  activeConns: number;
  inactConns: number;
  persistConns: number;
  stats: IpvsStats;
}

/** A virtual service as the kernel lists it (IPVS_CMD_GET_SERVICE), with its real servers in the kernel's list order (newest first; ipvsadm sorts them). */
export interface IpvsServiceInfo extends IpvsServiceSpec {
  stats: IpvsStats;
  dests: IpvsDestInfo[];
}

/** One entry of the IPVS connection table (/proc/net/ip_vs_conn), separate from conntrack. */
export interface IpvsConnInfo {
  proto: IpvsProto;
  client: { addr: string; port: number };
  virtual: { addr: string; port: number };
  dest: { addr: string; port: number };
  /** IPVS TCP state name (ESTABLISHED, SYN_RECV, FIN_WAIT, TIME_WAIT, CLOSE, ...) or "UDP". */
  state: string;
  /** Seconds until the entry expires. */
  expiresSec: number;
  /** A persistence template (IP_VS_CONN_F_TEMPLATE): client port 0, state NONE (TCP) or UDP. */
  template?: boolean;
}

/** IPVS_CMD_GET_INFO: the version and connection-table size `ipvsadm -L` prints in its first line. */
export interface IpvsInfo {
  /** "1.2.1" */
  version: string;
  connTabSize: number;
}

// ---- ipset (net/netfilter/ipset; the nfnetlink ipset protocol that ipset(8) and kube-proxy speak)

/** Set types the simulator implements (`ipset create NAME TYPE`). */
export type IpsetType = "hash:ip" | "hash:ip,port" | "hash:ip,port,ip" | "hash:ip,port,net" | "hash:net" | "bitmap:port";

/** `ipset create` options, as the kernel stores them. */
export interface IpsetCreateSpec {
  name: string;
  type: IpsetType;
  /** "inet" only (inet6 sets are refused with EOPNOTSUPP). */
  family?: "inet";
  hashsize?: number;
  maxelem?: number;
  /** Default timeout of entries in seconds (0 or absent: entries never expire). */
  timeout?: number;
  /** bitmap:port only: the port range (required). */
  range?: { from: number; to: number };
  counters?: boolean;
  comment?: boolean;
}

/**
 * One element, by its parts (IPSET_ATTR_IP, _CIDR, _PROTO, _PORT, _IP2, _CIDR2). Which parts
 * a set wants follows its type: hash:ip → ip; hash:ip,port → ip, proto, port; hash:ip,port,ip
 * → ip, proto, port, ip2; hash:ip,port,net → ip, proto, port, ip2, cidr2; hash:net → ip, cidr;
 * bitmap:port → port.
 */
export interface IpsetEntry {
  ip?: string;
  /** Prefix length of `ip` (hash:net); absent means /32. */
  cidr?: number;
  /** "tcp" | "udp" | "sctp" | "icmp" ... as ipset prints it. */
  proto?: string;
  port?: number;
  ip2?: string;
  cidr2?: number;
  /** Per-entry timeout in seconds (sets created with a timeout). */
  timeout?: number;
  comment?: string;
  /** Listings of a set with counters: packets and bytes `-m set` matched with this member. */
  packets?: number;
  bytes?: number;
}

/** A set as `ipset list` shows it. */
export interface IpsetInfo {
  name: string;
  type: IpsetType;
  /** The type's revision in the kernel (ipset prints `Revision: N`). */
  revision: number;
  family: "inet";
  hashsize?: number;
  maxelem?: number;
  /** Hash types: the kernel's bucket size (12) and random initval. */
  bucketsize?: number;
  initval?: number;
  timeout?: number;
  range?: { from: number; to: number };
  counters?: boolean;
  comment?: boolean;
  /** Bytes the set takes in the kernel (`Size in memory:`). */
  memSize: number;
  /** How many iptables rules (`-m set`, `SET`) reference the set. */
  references: number;
  /** Members in the kernel's listing order, with `timeout` as seconds left when the set has timeouts. */
  members: IpsetEntry[];
}

/**
 * ipset's own error codes (include/uapi/linux/netfilter/ipset/ip_set.h, IPSET_ERR_*), carried as
 * KernelError.detail beside the nearest errno; ipset(8) prints them in its own words.
 */
export type IpsetErrCode =
  | "IPSET_ERR_PROTOCOL" | "IPSET_ERR_FIND_TYPE" | "IPSET_ERR_MAX_SETS" | "IPSET_ERR_BUSY" | "IPSET_ERR_EXIST_SETNAME2"
  | "IPSET_ERR_TYPE_MISMATCH" | "IPSET_ERR_EXIST" | "IPSET_ERR_INVALID_CIDR" | "IPSET_ERR_INVALID_NETMASK"
  | "IPSET_ERR_INVALID_FAMILY" | "IPSET_ERR_TIMEOUT" | "IPSET_ERR_REFERENCED" | "IPSET_ERR_IPADDR_IPV4"
  | "IPSET_ERR_IPADDR_IPV6" | "IPSET_ERR_COUNTER" | "IPSET_ERR_COMMENT" | "IPSET_ERR_INVALID_MARKMASK"
  | "IPSET_ERR_SKBINFO" | "IPSET_ERR_BITMASK_NETMASK_EXCL" | "IPSET_ERR_HASH_FULL" | "IPSET_ERR_BITMAP_RANGE"
  | "IPSET_ERR_BITMAP_RANGE_SIZE" | "IPSET_ERR_MISSING_PROTO" | "IPSET_ERR_HASH_ELEM" | "IPSET_ERR_INVALID_PROTO"
  | "IPSET_ERR_MISSING_PORT";

/**
 * The IPVS and ipset faces of a namespace (additive to NetnsApi; a NetnsApi of this kernel
 * implements both). Refusals are KernelErrors with the errno the kernel returns:
 *
 *   ipvsServiceAdd  EEXIST (exists), ENOENT (unknown scheduler)   ipvsServiceEdit/Del/Zero ESRCH
 *   ipvsDestAdd     ESRCH (no service), EEXIST, ERANGE (weight, thresholds), EOPNOTSUPP (tunnel)
 *   ipvsDestEdit/Del ESRCH, ENOENT (no such dest)
 *   ipsetCreate     ENOENT + IPSET_ERR_FIND_TYPE (unknown type)
 *   ipsetCreate     EEXIST (name taken; `exist` tolerates an identical set)
 *   ipsetDestroy    ENOENT (no set), EBUSY + IPSET_ERR_BUSY (a rule uses it)
 *   ipsetRename     ENOENT, EEXIST + IPSET_ERR_EXIST_SETNAME2, EBUSY + IPSET_ERR_REFERENCED   ipsetSwap EINVAL + IPSET_ERR_TYPE_MISMATCH
 *   ipsetAdd/Del    ENOENT (no set), EEXIST + IPSET_ERR_EXIST (already added / not added; `exist` tolerates),
 *                   ERANGE + IPSET_ERR_BITMAP_RANGE, ENOBUFS + IPSET_ERR_HASH_FULL
 *   nfTableReplace  ENOENT with detail "Set NAME doesn't exist" for a `-m set` naming a missing set
 *   ipsetTest       ENOENT (no set); false when the element is not in the set
 */
export interface IpvsIpsetApi {
  ipvsInfo(): IpvsInfo;
  ipvsServiceAdd(spec: IpvsServiceSpec): void;
  ipvsServiceEdit(spec: IpvsServiceSpec): void;
  ipvsServiceDel(key: IpvsServiceKey): void;
  /** IPVS_CMD_FLUSH (`ipvsadm -C`): every service, and their real servers. */
  ipvsFlush(): void;
  /** IPVS_CMD_ZERO: zero one service's counters, or every service's when `key` is absent. */
  ipvsZero(key?: IpvsServiceKey): void;
  ipvsServiceList(): IpvsServiceInfo[];
  ipvsServiceGet(key: IpvsServiceKey): IpvsServiceInfo;
  ipvsDestAdd(svc: IpvsServiceKey, dest: IpvsDestSpec): void;
  ipvsDestEdit(svc: IpvsServiceKey, dest: IpvsDestSpec): void;
  ipvsDestDel(svc: IpvsServiceKey, dest: { addr: string; port: number }): void;
  /** The connection table, in the kernel's hash order (ipvsadm -Lnc prints it as read). */
  ipvsConnList(): IpvsConnInfo[];
  /** Timeouts in seconds (`ipvsadm -L --timeout`): tcp (ESTABLISHED), tcpfin (FIN_WAIT), udp. */
  ipvsTimeoutGet(): { tcp: number; tcpFin: number; udp: number };
  /** IPVS_CMD_SET_CONFIG (`ipvsadm --set`): 0 leaves a value unchanged. */
  ipvsTimeoutSet(t: { tcp: number; tcpFin: number; udp: number }): void;
  /** Virtual-service lookups made by the packet path since creation: one hash lookup per packet that reaches IPVS, O(1) whatever the number of services. */
  readonly ipvsLookups: number;

  ipsetCreate(spec: IpsetCreateSpec, opts?: { exist?: boolean }): void;
  /** Destroys one set, or every unreferenced set when `name` is absent. */
  ipsetDestroy(name?: string): void;
  /** Flushes one set's members, or every set's when `name` is absent. */
  ipsetFlush(name?: string): void;
  ipsetRename(from: string, to: string): void;
  ipsetSwap(a: string, b: string): void;
  ipsetAdd(name: string, entry: IpsetEntry, opts?: { exist?: boolean }): void;
  ipsetDel(name: string, entry: IpsetEntry, opts?: { exist?: boolean }): void;
  ipsetTest(name: string, entry: IpsetEntry): boolean;
  /** One set, or all sets in creation order. */
  ipsetList(name?: string): IpsetInfo[];
}
