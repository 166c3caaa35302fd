// The DVR scenario: namespaces, devices, L2 segments, policy routing, routes, neighbours, the
// iptables text the Neutron L3 agent installs, and the floating IPs. One file configures BOTH the
// model and the lab (lab/dvr/plan.ts turns it into ip/iptables commands), so the two cannot drift.
//
// Loading goes through the shared loader (harness/scenario: YAML with line numbers + a declarative
// schema): shapes and types are checked there; this file declares the schema and then checks what
// refers to what (a route's device, a veth peer, a floating IP's router), with the same locator, so
// every error names file, line and key path.

import { InputError } from '../../harness/io/input-error.js';
import { loadYaml, parseYaml, type LoadedYaml } from '../../harness/scenario/load.js';
import { s } from '../../harness/scenario/schema.js';
import { cidrText, inPrefix, parseCidr, type Cidr } from './addr.js';
import { onLinkChecker } from './gateway-onlink.js';
import { parseIptablesSave, type IptablesTables } from './iptables.js';

export interface DeviceConfig {
  name: string;
  mac: string;
  addresses: Cidr[];
  /** The L2 segment (bridge) this device plugs into, or ... */
  segment?: string;
  /** ... the other end of its veth pair. */
  peer?: { namespace: string; device: string };
  proxyArp: boolean;
  /** The device's MTU (ip link set DEV mtu N): what it transmits at most, the IP header included. */
  mtu: number;
}

export interface RuleConfig { priority: number; from?: Cidr; to?: Cidr; table: number }
export interface RouteConfig { table: number; dst: Cidr; via?: string; dev: string }
export interface NeighbourConfig { ip: string; mac: string; dev: string }

export interface NamespaceConfig {
  name: string;
  /** host: an edge whose sent packets are inputs (VM, external host); router: modelled by stages. */
  role: 'host' | 'router';
  devices: DeviceConfig[];
  rules: RuleConfig[];
  routes: RouteConfig[];
  neighbours: NeighbourConfig[];
  iptables: IptablesTables;
  /** The iptables-save text as written, for the lab. */
  iptablesText: string;
}

/** A floating IP as Neutron assigns it: which router's qrouter namespace carries it, for which fixed IP. */
export interface FloatingIpConfig { router: string; floatingIp: string; fixedIp: string }

export interface DvrScenario {
  file: string;
  name: string;
  segments: string[];
  namespaces: NamespaceConfig[];
  floatingIps: FloatingIpConfig[];
}

export const MAIN_TABLE = 254;
/** A veth's MTU when nobody sets it (ether_setup, net/ethernet/eth.c: ETH_DATA_LEN). */
export const DEFAULT_MTU = 1500;
/**
 * What `ip link set DEV mtu N` accepts on a veth: from ETH_MIN_MTU (68, also IPv4's minimum) to
 * ETH_MAX_MTU (0xffff; veth_setup sets max_mtu to it, net/ethernet/eth.c and drivers/net/veth.c).
 */
const MIN_MTU = 68;
const MAX_MTU = 0xffff;
/** IFNAMSIZ - 1: the kernel refuses longer device names. */
const MAX_DEVICE_NAME = 15;

const prefix = s.oneOf('an IPv4 prefix a.b.c.d/len or default', s.enumOf('default'), s.str('ip4-prefix'));
const hostAddress = s.oneOf('an IPv4 address, optionally with /len', s.str('ip4'), s.str('ip4-prefix'));

/** The scenario file's shape (harness/scenario/schema.ts); references are checked after it. */
export const dvrScenarioSchema = s.obj({
  name: s.str(),
  router: s.str(),
  external_network: s.str(),
  segments: s.array(s.str()),
  floating_ips: s.array(s.obj({ router: s.req(s.str()), floating_ip: s.req(s.str('ip4')), fixed_ip: s.req(s.str('ip4')) })),
  namespaces: s.req(
    s.array(
      s.obj({
        name: s.req(s.str()),
        role: s.req(s.enumOf('host', 'router')),
        devices: s.req(
          s.array(
            s.obj({
              name: s.req(s.str()),
              mac: s.req(s.str('mac')),
              addresses: s.array(hostAddress),
              segment: s.str(),
              peer: s.obj({ namespace: s.req(s.str()), device: s.req(s.str()) }),
              proxy_arp: s.bool(),
              mtu: s.int(MIN_MTU, MAX_MTU),
            }),
          ),
        ),
        rules: s.array(s.obj({ priority: s.req(s.int(0, 0xffffffff)), from: prefix, to: prefix, table: s.req(s.int(1, 0xffffffff)) })),
        routes: s.array(s.obj({ table: s.int(1, 0xffffffff), dst: s.req(prefix), via: s.str('ip4'), dev: s.req(s.str()) })),
        neighbours: s.array(s.obj({ ip: s.req(s.str('ip4')), mac: s.req(s.str('mac')), dev: s.req(s.str()) })),
        iptables: s.str(),
      }),
    ),
  ),
});

/** The YAML as the schema guarantees it. */
interface RawScenario {
  name?: string | number;
  segments?: string[];
  floating_ips?: { router: string; floating_ip: string; fixed_ip: string }[];
  namespaces: {
    name: string | number;
    role: 'host' | 'router';
    devices: { name: string | number; mac: string; addresses?: string[]; segment?: string; peer?: { namespace: string; device: string }; proxy_arp?: boolean; mtu?: number }[];
    rules?: { priority: number; from?: string; to?: string; table: number }[];
    routes?: { table?: number; dst: string; via?: string; dev: string }[];
    neighbours?: { ip: string; mac: string; dev: string }[];
    iptables?: string;
  }[];
}

export async function loadDvrScenario(file: string): Promise<DvrScenario> {
  return fromYaml(loadYaml<RawScenario>(file, dvrScenarioSchema));
}

export function parseDvrScenario(text: string, file: string): DvrScenario {
  return fromYaml(parseYaml<RawScenario>(text, file, dvrScenarioSchema));
}

const cidr = (v: string): Cidr => parseCidr(v === 'default' ? '0.0.0.0/0' : v);

function fromYaml(y: LoadedYaml<RawScenario>): DvrScenario {
  const raw = y.value;
  const segments = (raw.segments ?? []).map(String);
  const namespaces = raw.namespaces.map((n, i) => readNamespace(y, n, `namespaces[${i}]`));
  const floatingIps = (raw.floating_ips ?? []).map((f) => ({ router: String(f.router), floatingIp: f.floating_ip, fixedIp: f.fixed_ip }));
  const scenario: DvrScenario = { file: y.file, name: raw.name !== undefined ? String(raw.name) : y.file, segments, namespaces, floatingIps };
  checkReferences(y, scenario);
  return scenario;
}

function readNamespace(y: LoadedYaml<RawScenario>, n: RawScenario['namespaces'][number], key: string): NamespaceConfig {
  const devices = n.devices.map((d, j): DeviceConfig => ({
    name: String(d.name),
    mac: d.mac.toLowerCase(),
    addresses: (d.addresses ?? []).map(cidr),
    segment: d.segment,
    peer: d.peer && { namespace: String(d.peer.namespace), device: String(d.peer.device) },
    proxyArp: d.proxy_arp ?? false,
    mtu: d.mtu ?? DEFAULT_MTU,
  }));
  let iptables: IptablesTables = new Map();
  if (n.iptables !== undefined) {
    try {
      iptables = parseIptablesSave(n.iptables);
    } catch (e) {
      // A block scalar's text starts on the line after its key; the parser counts lines within it.
      const first = y.lineOf(`${key}.iptables`);
      const rel = (e as { line?: number }).line;
      throw new InputError((e as Error).message, { file: y.file, line: first !== undefined && rel !== undefined ? first + rel : first, key: `${key}.iptables` }, 'scenario.iptables');
    }
  }
  return {
    name: String(n.name),
    role: n.role,
    devices,
    rules: (n.rules ?? []).map((r) => ({ priority: r.priority, from: r.from === undefined ? undefined : cidr(r.from), to: r.to === undefined ? undefined : cidr(r.to), table: r.table })),
    routes: (n.routes ?? []).map((r) => ({ table: r.table ?? MAIN_TABLE, dst: cidr(r.dst), via: r.via, dev: r.dev })),
    neighbours: (n.neighbours ?? []).map((nb) => ({ ip: nb.ip, mac: nb.mac.toLowerCase(), dev: nb.dev })),
    iptables,
    iptablesText: n.iptables ?? '',
  };
}

/** Names that refer to other parts of the scenario must exist; each failure points at its own key. */
function checkReferences(y: LoadedYaml<RawScenario>, s: DvrScenario): void {
  const fail: (reason: string, path: string) => never = (reason, path) => y.fail(reason, path, 'scenario.reference');
  // Each listed segment is a bridge the lab creates (lab/dvr/plan.ts, br${i}): a name listed twice
  // built a second, empty bridge that no device joins - a typo or a merge, accepted silently.
  s.segments.forEach((seg, i) => {
    const first = s.segments.indexOf(seg);
    if (first !== i) fail(`segment '${seg}' is declared twice (also segments[${first}])`, `segments[${i}]`);
  });
  const byName = new Map<string, NamespaceConfig>();
  s.namespaces.forEach((ns, i) => {
    if (byName.has(ns.name)) fail(`namespace '${ns.name}' is declared twice`, `namespaces[${i}].name`);
    byName.set(ns.name, ns);
  });
  s.namespaces.forEach((ns, i) => {
    const devs = new Set<string>();
    ns.devices.forEach((d, j) => {
      const k = `namespaces[${i}].devices[${j}]`;
      if (d.name.length > MAX_DEVICE_NAME) fail(`device name '${d.name}' is longer than IFNAMSIZ-1 (${MAX_DEVICE_NAME})`, `${k}.name`);
      if (devs.has(d.name)) fail(`device '${d.name}' is declared twice in namespace ${ns.name}`, `${k}.name`);
      devs.add(d.name);
      if (!d.segment === !d.peer) fail('a device needs exactly one of segment or peer', k);
      if (d.segment !== undefined && !s.segments.includes(d.segment)) fail(`unknown segment '${d.segment}' (segments: ${s.segments.join(', ') || 'none'})`, `${k}.segment`);
      if (d.peer) {
        const other = byName.get(d.peer.namespace)?.devices.find((x) => x.name === d.peer!.device);
        if (!other || other.peer?.namespace !== ns.name || other.peer.device !== d.name) {
          fail(`peer ${d.peer.namespace}/${d.peer.device} does not exist or does not point back`, `${k}.peer`);
        }
      }
    });
    // The lab builds routes and neighbours with `ip route replace` / `ip neigh replace` (lab/dvr/plan.ts):
    // one route per table and destination, one neighbour per device and address, the last one kept.
    // Two of one were accepted, the model kept another than the lab did, and the case diverged or
    // passed on configuration nobody meant: refused, naming the first.
    const routeAt = new Map<string, string>();
    const gatewayOnLink = onLinkChecker(ns);
    ns.routes.forEach((rt, j) => {
      const k = `namespaces[${i}].routes[${j}]`;
      if (!devs.has(rt.dev)) fail(`no device '${rt.dev}' in namespace ${ns.name}`, `${k}.dev`);
      const id = `${rt.table} ${rt.dst.addr}/${rt.dst.len}`;
      const first = routeAt.get(id);
      if (first !== undefined) fail(`a second route to ${cidrText(rt.dst)} in table ${rt.table} of ${ns.name} (also ${first}): ip route replace keeps one`, `${k}.dst`);
      routeAt.set(id, k);
      // The kernel refuses a gateway it cannot reach on the route's device; the lab's `ip route replace`
      // failed while the model routed through it (gateway-onlink.ts).
      if (rt.via !== undefined && !gatewayOnLink(j, parseCidr(rt.via).addr)) {
        fail(`gateway ${rt.via} is not on-link on ${rt.dev} in ${ns.name} (no address or device route of ${rt.dev} holds it): ip route refuses it, "Nexthop has invalid gateway"`, `${k}.via`);
      }
    });
    const neighbourAt = new Map<string, string>();
    ns.neighbours.forEach((nb, j) => {
      const k = `namespaces[${i}].neighbours[${j}]`;
      if (!devs.has(nb.dev)) fail(`no device '${nb.dev}' in namespace ${ns.name}`, `${k}.dev`);
      const first = neighbourAt.get(`${nb.dev} ${nb.ip}`);
      if (first !== undefined) fail(`a second neighbour ${nb.ip} on ${nb.dev} in ${ns.name} (also ${first}): ip neigh replace keeps one`, `${k}.ip`);
      neighbourAt.set(`${nb.dev} ${nb.ip}`, k);
    });
  });
  s.floatingIps.forEach((f, i) => {
    const k = `floating_ips[${i}]`;
    const qrouter = byName.get(`qrouter-${f.router}`);
    if (!qrouter) fail(`no router '${f.router}': the scenario has no namespace qrouter-${f.router}`, `${k}.router`);
    // The L3 agent puts the floating IP as a /32 on the router's rfp- device and the fixed IP must
    // be on one of the router's subnets (a qr- device), or the DNAT would point nowhere.
    const fip = parseCidr(f.floatingIp).addr;
    if (!qrouter.devices.some((d) => d.addresses.some((a) => a.addr === fip && a.len === 32))) {
      fail(`floating IP ${f.floatingIp} is not a /32 address of any device of qrouter-${f.router}`, `${k}.floating_ip`);
    }
    const fixed = parseCidr(f.fixedIp).addr;
    if (!qrouter.devices.some((d) => d.addresses.some((a) => a.len < 32 && inPrefix(fixed, a)))) {
      fail(`fixed IP ${f.fixedIp} is on none of the subnets of qrouter-${f.router}`, `${k}.fixed_ip`);
    }
  });
}
