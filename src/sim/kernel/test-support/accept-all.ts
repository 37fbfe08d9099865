/**
 * Test-only: a netfilter engine that accepts everything, to test the IP path without the real
 * engine. Never used by shipped code.
 */
import type { NetfilterEngine, NetfilterFactory } from "../packet.js";
import { KernelError } from "../api.js";

/** A factory whose engines accept every packet and count the hooks they saw. */
export function acceptAll(seen: string[] = []): NetfilterFactory {
  return ({ nsLabel }) => {
    const e: NetfilterEngine = {
      runHook(pkt, ctx) {
        seen.push(`${nsLabel} ${ctx.hook}${ctx.bridged ? "(br)" : ""} ${pkt.ip.src}>${pkt.ip.dst}`);
        return { verdict: "accept", pkt };
      },
      tableGet() {
        throw new KernelError("EOPNOTSUPP");
      },
      tableReplace() {
        throw new KernelError("EOPNOTSUPP");
      },
      conntrackList: () => [],
      conntrackFlush() {},
      rulesEvaluated: 0,
      takeTrace: () => [],
    };
    return e;
  };
}
