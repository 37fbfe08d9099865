/**
 * busybox 1.35.0 (Debian busybox-static) shared bits: the banner and the applets' usage texts
 * exactly as `busybox APPLET --help` prints them on the recording machine (they are static
 * strings compiled into the binary), and getopt32-style option errors.
 */

/** First line of every busybox usage message. */
export const BUSYBOX_BANNER = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n";

/** Usage bodies (after the banner), by applet. */
export const BUSYBOX_USAGE: Readonly<Record<string, string>> = {
  ping: "\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n\t-4,-6\t\tForce IP or IPv6 name resolution\n\t-c CNT\t\tSend only CNT pings\n\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n\t-i SECS\t\tInterval\n\t-A\t\tPing as soon as reply is received\n\t-t TTL\t\tSet TTL\n\t-I IFACE/IP\tSource interface or IP address\n\t-W SEC\t\tSeconds to wait for the first response (default 10)\n\t\t\t(after all -c CNT packets are sent)\n\t-w SEC\t\tSeconds until ping exits (default:infinite)\n\t\t\t(can exit earlier with -c CNT)\n\t-q\t\tQuiet, only display output at start/finish\n\t-p HEXBYTE\tPayload pattern\n",
  wget: "\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] URL...\n\nRetrieve files via HTTP or FTP\n\n\t--spider\tOnly check URL existence: $? is 0 if exists\n\t--header STR\tAdd STR (of form 'header: value') to headers\n\t--post-data STR\tSend STR using POST method\n\t--post-file FILE\tSend FILE using POST method\n\t--no-check-certificate\tDon't validate the server's certificate\n\t-c\t\tContinue retrieval of aborted transfer\n\t-q\t\tQuiet\n\t-P DIR\t\tSave to DIR (default .)\n\t-S    \t\tShow server response\n\t-O FILE\t\tSave to FILE ('-' for stdout)\n\t-o LOGFILE\tLog messages to FILE\n\t-U STR\t\tUse STR for User-Agent header\n\t-Y on/off\tUse proxy\n",
  ifconfig: "\nUsage: ifconfig [-a] [IFACE] [ADDRESS]\n\nConfigure a network interface\n\n\t[add ADDRESS[/PREFIXLEN]]\n\t[del ADDRESS[/PREFIXLEN]]\n\t[[-]broadcast [ADDRESS]] [[-]pointopoint [ADDRESS]]\n\t[netmask ADDRESS] [dstaddr ADDRESS]\n\t[outfill NN] [keepalive NN]\n\t[hw ether|infiniband ADDRESS] [metric NN] [mtu NN]\n\t[[-]trailers] [[-]arp] [[-]allmulti]\n\t[multicast] [[-]promisc] [txqueuelen NN] [[-]dynamic]\n\t[mem_start NN] [io_addr NN] [irq NN]\n\t[up|down] ...\n",
  nslookup: "\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n",
  httpd: "\nUsage: httpd [-ifv[v]] [-c CONFFILE] [-p [IP:]PORT] [-u USER[:GRP]] [-r REALM] [-h HOME]\nor httpd -d/-e/-m STRING\n\nListen for incoming HTTP requests\n\n\t-i\t\tInetd mode\n\t-f\t\tRun in foreground\n\t-v[v]\t\tVerbose\n\t-p [IP:]PORT\tBind to IP:PORT (default *:80)\n\t-u USER[:GRP]\tSet uid/gid after binding to port\n\t-r REALM\tAuthentication Realm for Basic Authentication\n\t-h HOME\t\tHome directory (default .)\n\t-c FILE\t\tConfiguration file (default {/etc,HOME}/httpd.conf)\n\t-m STRING\tMD5 crypt STRING\n\t-e STRING\tHTML encode STRING\n\t-d STRING\tURL decode STRING\n",
  ip: "\nUsage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n\nOPTIONS := -f[amily] inet|inet6|link | -o[neline]\n\nip addr add|del IFADDR dev IFACE | show|flush [dev IFACE] [to PREFIX]\nip route list|flush|add|del|change|append|replace|test ROUTE\nip link set IFACE [up|down] [arp on|off] [multicast on|off]\n\t[promisc on|off] [mtu NUM] [name NAME] [qlen NUM] [address MAC]\n\t[master IFACE | nomaster] [netns PID]\nip tunnel add|change|del|show [NAME]\n\t[mode ipip|gre|sit] [remote ADDR] [local ADDR] [ttl TTL]\nip neigh show|flush [to PREFIX] [dev DEV] [nud STATE]\nip rule [list] | add|del SELECTOR ACTION\n",
  nc: "\nUsage: nc [-iN] [-wN] [-l] [-p PORT] [-f FILE|IPADDR PORT] [-e PROG]\n\nOpen a pipe to IP:PORT or FILE\n\n\t-l\tListen mode, for inbound connects\n\t\t(use -ll with -e for persistent server)\n\t-p PORT\tLocal port\n\t-w SEC\tConnect timeout\n\t-i SEC\tDelay interval for lines sent\n\t-f FILE\tUse file (ala /dev/ttyS0) instead of network\n\t-e PROG\tRun PROG after connect\n",
};

/** The full usage text busybox writes to stderr on bad options: banner + usage. */
export function busyboxUsage(applet: string): string {
  return BUSYBOX_BANNER + (BUSYBOX_USAGE[applet] ?? "\n");
}

/** One option's spec for {@link busyboxGetopt}: does it take an argument. */
export type OptSpec = Record<string, "flag" | "arg">;

export type GetoptResult =
  | { ok: true; opts: Map<string, string[]>; operands: string[] }
  | { ok: false; message: string };

/**
 * Parses short options as busybox getopt32 (GNU getopt underneath) does: clustered flags
 * (`-qO -`), attached values (`-c3`), `--` ends options, options may follow operands
 * (GNU permutation). Long options map through `longs` (e.g. `--output-document` → `O`).
 * Errors carry getopt's own text: `invalid option -- 'x'`, `option requires an argument -- 'c'`.
 */
export function busyboxGetopt(applet: string, args: string[], spec: OptSpec, longs: Record<string, string> = {}): GetoptResult {
  const opts = new Map<string, string[]>();
  const operands: string[] = [];
  const add = (k: string, v: string) => opts.set(k, [...(opts.get(k) ?? []), v]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const hits = Object.keys(longs).filter((l) => l.startsWith(name));
      const exact = Object.keys(longs).find((l) => l === name);
      const key = exact ?? (hits.length === 1 ? hits[0] : undefined);
      if (key === undefined) {
        return { ok: false, message: `${applet}: unrecognized option '${a}'\n` };
      }
      const short = longs[key]!;
      if (spec[short] === "arg") {
        let v: string | undefined = eq < 0 ? args[++i] : a.slice(eq + 1);
        if (v === undefined) return { ok: false, message: `${applet}: option '--${key}' requires an argument\n` };
        add(short, v);
      } else add(short, "");
      continue;
    }
    if (!a.startsWith("-") || a === "-") {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const ch = a[j]!;
      const kind = spec[ch];
      if (kind === undefined) return { ok: false, message: `${applet}: invalid option -- '${ch}'\n` };
      if (kind === "flag") {
        add(ch, "");
        continue;
      }
      let v: string | undefined = a.slice(j + 1);
      if (v === "") v = args[++i];
      if (v === undefined) return { ok: false, message: `${applet}: option requires an argument -- '${ch}'\n` };
      add(ch, v);
      break;
    }
  }
  return { ok: true, opts, operands };
}
