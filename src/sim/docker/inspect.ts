/**
 * The Engine API's JSON for `docker inspect` and `docker network inspect`, built from the daemon's
 * records with the fields and field order of Docker 20.10 (test/docker/captures/raw-2.txt holds a
 * real one). Paths and ids that only a real host has (overlay2 dirs) are derived from the ids.
 */
import type { Clock } from "../../core/clock.js";
import type { Image } from "./images.js";
import type { Container, Network } from "./state.js";

/** Go's time.RFC3339Nano of a virtual instant (trailing fractional zeros dropped, as Go does). */
export function rfc3339(clock: Clock, ms: number | undefined): string {
  if (ms === undefined) return "0001-01-01T00:00:00Z";
  const iso = new Date(clock.epochMs + ms).toISOString(); // 2026-01-01T00:00:00.123Z
  const [main, frac] = iso.slice(0, -1).split(".");
  const f = (frac ?? "").replace(/0+$/, "");
  return `${main}${f ? "." + f : ""}Z`;
}

function portsMap(c: Container): Record<string, Array<{ HostIp: string; HostPort: string }> | null> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }> | null> = {};
  for (const p of c.image.config.exposedPorts) out[p] = null;
  for (const p of c.ports) {
    const k = `${p.containerPort}/${p.proto}`;
    (out[k] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  }
  return out;
}

function endpointJson(c: Container, n: Network) {
  const ep = c.endpoints.get(n.id);
  const plen = n.pool?.plen ?? 0;
  return {
    IPAMConfig: null, Links: null, Aliases: n.isDefault || n.driver !== "bridge" ? null : [c.id.slice(0, 12)],
    NetworkID: n.id, EndpointID: ep?.id ?? "", Gateway: ep ? n.gateway ?? "" : "", IPAddress: ep?.ip ?? "",
    IPPrefixLen: ep ? plen : 0, IPv6Gateway: "", GlobalIPv6Address: "", GlobalIPv6PrefixLen: 0,
    MacAddress: ep?.mac ?? "", DriverOpts: null,
  };
}

/** `GET /containers/{id}/json`. */
export function containerJson(c: Container, networks: Network[], clock: Clock): Record<string, unknown> {
  const nets = c.networks.map((id) => networks.find((n) => n.id === id)).filter((n): n is Network => !!n);
  const def = nets.find((n) => n.isDefault);
  const defEp = def ? c.endpoints.get(def.id) : undefined;
  const dir = `/var/lib/docker/containers/${c.id}`;
  const layer = c.sandboxId;
  const running = c.state === "running";
  const exposed: Record<string, object> = {};
  for (const p of c.image.config.exposedPorts) exposed[p] = {};
  for (const p of c.req.portBindings) exposed[`${p.containerPort}/${p.proto}`] = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of c.req.portBindings) {
    (bindings[`${p.containerPort}/${p.proto}`] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort });
  }
  return {
    Id: c.id,
    Created: rfc3339(clock, c.createdMs),
    Path: c.path,
    Args: c.args,
    State: {
      Status: c.state, Running: running, Paused: false, Restarting: false, OOMKilled: false, Dead: false,
      Pid: c.pid, ExitCode: c.exitCode, Error: "",
      StartedAt: rfc3339(clock, c.startedMs), FinishedAt: rfc3339(clock, c.finishedMs),
    },
    Image: `sha256:${c.image.id}`,
    ResolvConfPath: `${dir}/resolv.conf`,
    HostnamePath: `${dir}/hostname`,
    HostsPath: `${dir}/hosts`,
    LogPath: `${dir}/${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: "overlay2",
    Platform: "linux",
    MountLabel: "", ProcessLabel: "", AppArmorProfile: "", ExecIDs: null,
    HostConfig: {
      Binds: null, ContainerIDFile: "", LogConfig: { Type: "json-file", Config: {} },
      NetworkMode: c.req.networkMode, PortBindings: bindings,
      RestartPolicy: { Name: "no", MaximumRetryCount: 0 }, AutoRemove: c.req.autoRemove,
      VolumeDriver: "", VolumesFrom: null, CapAdd: null, CapDrop: null, CgroupnsMode: "host",
      Dns: [], DnsOptions: [], DnsSearch: [], ExtraHosts: null, GroupAdd: null, IpcMode: "private", Cgroup: "",
      Links: null, OomScoreAdj: 0, PidMode: "", Privileged: false, PublishAllPorts: c.req.publishAll,
      ReadonlyRootfs: false, SecurityOpt: null, UTSMode: "", UsernsMode: "", ShmSize: 67108864, Runtime: "runc",
      ConsoleSize: [0, 0], Isolation: "",
    },
    GraphDriver: {
      Data: {
        LowerDir: `/var/lib/docker/overlay2/${layer}-init/diff`,
        MergedDir: `/var/lib/docker/overlay2/${layer}/merged`,
        UpperDir: `/var/lib/docker/overlay2/${layer}/diff`,
        WorkDir: `/var/lib/docker/overlay2/${layer}/work`,
      },
      Name: "overlay2",
    },
    Mounts: [],
    Config: {
      Hostname: c.hostname, Domainname: "", User: "",
      AttachStdin: c.req.openStdin && c.req.attachStdout, AttachStdout: c.req.attachStdout, AttachStderr: c.req.attachStdout,
      ...(Object.keys(exposed).length > 0 ? { ExposedPorts: exposed } : {}),
      Tty: c.req.tty, OpenStdin: c.req.openStdin, StdinOnce: c.req.openStdin && c.req.attachStdout,
      Env: c.env, Cmd: c.req.cmd.length > 0 ? c.req.cmd : c.image.config.cmd, Image: c.imageRef,
      Volumes: null, WorkingDir: "", Entrypoint: c.req.entrypoint ?? c.image.config.entrypoint, OnBuild: null, Labels: {},
    },
    NetworkSettings: {
      Bridge: "", SandboxID: running ? c.sandboxId : "", HairpinMode: false, LinkLocalIPv6Address: "", LinkLocalIPv6PrefixLen: 0,
      Ports: running ? portsMap(c) : {},
      SandboxKey: running ? `/var/run/docker/netns/${c.sandboxId.slice(0, 12)}` : "",
      SecondaryIPAddresses: null, SecondaryIPv6Addresses: null,
      EndpointID: defEp?.id ?? "", Gateway: defEp ? def!.gateway : "", GlobalIPv6Address: "", GlobalIPv6PrefixLen: 0,
      IPAddress: defEp?.ip ?? "", IPPrefixLen: defEp ? def!.pool!.plen : 0, IPv6Gateway: "", MacAddress: defEp?.mac ?? "",
      Networks: Object.fromEntries(nets.map((n) => [n.name, endpointJson(c, n)])),
    },
  };
}

/** `GET /networks/{id}`. */
export function networkJson(n: Network, containers: Container[], clock: Clock): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const c of containers) {
    const ep = c.endpoints.get(n.id);
    if (!ep) continue;
    members[c.id] = { Name: c.name, EndpointID: ep.id, MacAddress: ep.mac, IPv4Address: `${ep.ip}/${n.pool!.plen}`, IPv6Address: "" };
  }
  const config = n.subnet ? [n.ipamGateway ? { Subnet: n.subnet, Gateway: n.gateway } : { Subnet: n.subnet }] : [];
  return {
    Name: n.name, Id: n.id, Created: rfc3339(clock, n.createdMs), Scope: "local", Driver: n.driver, EnableIPv6: false,
    IPAM: { Driver: "default", Options: n.isDefault || n.driver !== "bridge" ? null : {}, Config: config },
    Internal: false, Attachable: false, Ingress: false, ConfigFrom: { Network: "" }, ConfigOnly: false,
    Containers: members, Options: n.options, Labels: {},
  };
}

/** `GET /images/{id}/json` (the fields lessons read). */
export function imageJson(i: Image, clock: Clock): Record<string, unknown> {
  const exposed: Record<string, object> = {};
  for (const p of i.config.exposedPorts) exposed[p] = {};
  return {
    Id: `sha256:${i.id}`, RepoTags: i.repoTags, RepoDigests: [], Parent: "", Comment: "Imported from -",
    Created: rfc3339(clock, i.createdMs), Container: "", DockerVersion: "20.10.24+dfsg1", Author: "",
    Config: {
      Hostname: "", Domainname: "", User: "", AttachStdin: false, AttachStdout: false, AttachStderr: false,
      ...(i.config.exposedPorts.length > 0 ? { ExposedPorts: exposed } : {}),
      Tty: false, OpenStdin: false, StdinOnce: false, Env: i.config.env, Cmd: i.config.cmd, Image: "",
      Volumes: null, WorkingDir: "", Entrypoint: i.config.entrypoint, OnBuild: null, Labels: null,
    },
    Architecture: "amd64", Os: "linux", Size: i.size, VirtualSize: i.size,
  };
}
