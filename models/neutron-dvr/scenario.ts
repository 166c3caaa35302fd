// The DVR scenario: namespaces, devices, L2 segments, policy routing, routes, neighbours and the
// iptables text the Neutron L3 agent installs. One file configures BOTH the model and the lab
// (lab/dvr/plan.ts turns it into ip/iptables commands), so the two cannot drift apart.
//
// Loading is declarative: each key is checked against its declaration, and every error names the
// file, the line and the key path (YAML's LineCounter gives the lines).
// TODO(shared loader): harness/scenario/ (vpp-model engineer) will provide the generic loader; this
// file then keeps only the declarations below and calls it.

import { readFile } from 'node:fs/promises';
import { parseDocument, LineCounter, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import { InputError } from '../../harness/io/input-error.js';
import { parseCidr, type Cidr } from './addr.js';
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

export interface DvrScenario {
  file: string;
  name: string;
  segments: string[];
  namespaces: NamespaceConfig[];
}

export const MAIN_TABLE = 254;
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const IP_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Reads scenario YAML nodes, keeping the key path and line for messages. */
class Reader {
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  fail(node: YamlNode | null | undefined, key: string, reason: string): never {
    const line = node?.range ? this.lines.linePos(node.range[0]).line : undefined;
    throw new InputError(reason, { file: this.file, line, key }, 'scenario.invalid');
  }

  map(node: unknown, key: string, allowed: string[]): Map<string, YamlNode> {
    if (!isMap(node)) this.fail(node as YamlNode, key, 'expected a mapping');
    const out = new Map<string, YamlNode>();
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(k)) this.fail(pair.key as YamlNode, `${key}.${k}`, `unknown key '${k}' (allowed: ${allowed.join(', ')})`);
      out.set(k, pair.value as YamlNode);
    }
    return out;
  }

  seq(node: unknown, key: string): YamlNode[] {
    if (!isSeq(node)) this.fail(node as YamlNode, key, 'expected a list');
    return node.items as YamlNode[];
  }

  required(m: Map<string, YamlNode>, name: string, key: string, parent: YamlNode): YamlNode {
    const v = m.get(name);
    if (v === undefined) this.fail(parent, `${key}.${name}`, `missing key '${name}'`);
    return v;
  }

  str(node: unknown, key: string): string {
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) this.fail(node as YamlNode, key, 'expected a string');
    return String(node.value);
  }

  int(node: unknown, key: string): number {
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value) || node.value < 0) this.fail(node as YamlNode, key, 'expected a non-negative integer');
    return node.value;
  }

  bool(node: unknown, key: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node as YamlNode, key, 'expected true or false');
    return node.value;
  }

  mac(node: unknown, key: string): string {
    const s = this.str(node, key).toLowerCase();
    if (!MAC_RE.test(s)) this.fail(node as YamlNode, key, `'${s}' is not a MAC address`);
    return s;
  }

  ip(node: unknown, key: string): string {
    const s = this.str(node, key);
    const m = IP_RE.exec(s);
    if (!m || m.slice(1).some((o) => Number(o) > 255)) this.fail(node as YamlNode, key, `'${s}' is not an IPv4 address`);
    return s;
  }

  cidr(node: unknown, key: string): Cidr {
    const s = this.str(node, key);
    try {
      return parseCidr(s === 'default' ? '0.0.0.0/0' : s);
    } catch (e) {
      this.fail(node as YamlNode, key, (e as Error).message);
    }
  }
}

export async function loadDvrScenario(file: string): Promise<DvrScenario> {
  const text = await readFile(file, 'utf8');
  return parseDvrScenario(text, file);
}

export function parseDvrScenario(text: string, file: string): DvrScenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new InputError(`not valid YAML: ${e.message.split('\n')[0]}`, { file, line: e.linePos?.[0]?.line }, 'scenario.yaml');
  }
  const r = new Reader(file, lines);
  const root = r.map(doc.contents, '', ['name', 'router', 'external_network', 'segments', 'namespaces']);
  const segments = root.has('segments') ? r.seq(root.get('segments'), 'segments').map((s, i) => r.str(s, `segments[${i}]`)) : [];
  const namespaces = r.seq(r.required(root, 'namespaces', '', doc.contents as YamlNode), 'namespaces').map((n, i) => readNamespace(r, n, `namespaces[${i}]`, segments));
  const scenario: DvrScenario = { file, name: root.has('name') ? r.str(root.get('name'), 'name') : file, segments, namespaces };
  checkReferences(r, scenario, doc.contents as YamlNode);
  return scenario;
}

function readNamespace(r: Reader, node: YamlNode, key: string, segments: string[]): NamespaceConfig {
  const m = r.map(node, key, ['name', 'role', 'devices', 'rules', 'routes', 'neighbours', 'iptables']);
  const name = r.str(r.required(m, 'name', key, node), `${key}.name`);
  const roleNode = r.required(m, 'role', key, node);
  const role = r.str(roleNode, `${key}.role`);
  if (role !== 'host' && role !== 'router') r.fail(roleNode, `${key}.role`, `role must be host or router, not '${role}'`);
  const devices = r.seq(r.required(m, 'devices', key, node), `${key}.devices`).map((d, i) => {
    const k = `${key}.devices[${i}]`;
    const dm = r.map(d, k, ['name', 'mac', 'addresses', 'segment', 'peer', 'proxy_arp']);
    const dev: DeviceConfig = {
      name: r.str(r.required(dm, 'name', k, d), `${k}.name`),
      mac: r.mac(r.required(dm, 'mac', k, d), `${k}.mac`),
      addresses: dm.has('addresses') ? r.seq(dm.get('addresses'), `${k}.addresses`).map((a, j) => r.cidr(a, `${k}.addresses[${j}]`)) : [],
      proxyArp: dm.has('proxy_arp') ? r.bool(dm.get('proxy_arp'), `${k}.proxy_arp`) : false,
    };
    if (dev.name.length > 15) r.fail(dm.get('name'), `${k}.name`, `device name '${dev.name}' is longer than IFNAMSIZ-1 (15)`);
    if (dm.has('segment')) {
      dev.segment = r.str(dm.get('segment'), `${k}.segment`);
      if (!segments.includes(dev.segment)) r.fail(dm.get('segment'), `${k}.segment`, `unknown segment '${dev.segment}' (segments: ${segments.join(', ')})`);
    }
    if (dm.has('peer')) {
      const pm = r.map(dm.get('peer'), `${k}.peer`, ['namespace', 'device']);
      dev.peer = { namespace: r.str(pm.get('namespace'), `${k}.peer.namespace`), device: r.str(pm.get('device'), `${k}.peer.device`) };
    }
    if (!dev.segment === !dev.peer) r.fail(d, k, 'a device needs exactly one of segment or peer');
    return dev;
  });
  const rules = m.has('rules')
    ? r.seq(m.get('rules'), `${key}.rules`).map((x, i) => {
        const k = `${key}.rules[${i}]`;
        const rm = r.map(x, k, ['priority', 'from', 'to', 'table']);
        return {
          priority: r.int(r.required(rm, 'priority', k, x), `${k}.priority`),
          from: rm.has('from') ? r.cidr(rm.get('from'), `${k}.from`) : undefined,
          to: rm.has('to') ? r.cidr(rm.get('to'), `${k}.to`) : undefined,
          table: r.int(r.required(rm, 'table', k, x), `${k}.table`),
        };
      })
    : [];
  const routes = m.has('routes')
    ? r.seq(m.get('routes'), `${key}.routes`).map((x, i) => {
        const k = `${key}.routes[${i}]`;
        const rm = r.map(x, k, ['table', 'dst', 'via', 'dev']);
        return {
          table: rm.has('table') ? r.int(rm.get('table'), `${k}.table`) : MAIN_TABLE,
          dst: r.cidr(r.required(rm, 'dst', k, x), `${k}.dst`),
          via: rm.has('via') ? r.ip(rm.get('via'), `${k}.via`) : undefined,
          dev: r.str(r.required(rm, 'dev', k, x), `${k}.dev`),
        };
      })
    : [];
  const neighbours = m.has('neighbours')
    ? r.seq(m.get('neighbours'), `${key}.neighbours`).map((x, i) => {
        const k = `${key}.neighbours[${i}]`;
        const nm = r.map(x, k, ['ip', 'mac', 'dev']);
        return { ip: r.ip(r.required(nm, 'ip', k, x), `${k}.ip`), mac: r.mac(r.required(nm, 'mac', k, x), `${k}.mac`), dev: r.str(r.required(nm, 'dev', k, x), `${k}.dev`) };
      })
    : [];
  let iptablesText = '';
  let iptables: IptablesTables = new Map();
  if (m.has('iptables')) {
    const node = m.get('iptables')!;
    iptablesText = r.str(node, `${key}.iptables`);
    try {
      iptables = parseIptablesSave(iptablesText);
    } catch (e) {
      // Block scalars start their text on the line after the key.
      const first = node.range ? r.lines.linePos(node.range[0]).line : undefined;
      const rel = (e as { line?: number }).line;
      throw new InputError((e as Error).message, { file: r.file, line: first !== undefined && rel !== undefined ? first + rel : first, key: `${key}.iptables` }, 'scenario.iptables');
    }
  }
  return { name, role: role as 'host' | 'router', devices, rules, routes, neighbours, iptables, iptablesText };
}

/** Names that refer to other parts of the scenario must exist: route devices, veth peers. */
function checkReferences(r: Reader, s: DvrScenario, root: YamlNode): void {
  const byName = new Map(s.namespaces.map((n) => [n.name, n]));
  s.namespaces.forEach((ns, i) => {
    const devs = new Set(ns.devices.map((d) => d.name));
    ns.routes.forEach((rt, j) => {
      if (!devs.has(rt.dev)) r.fail(root, `namespaces[${i}].routes[${j}].dev`, `no device '${rt.dev}' in namespace ${ns.name}`);
    });
    ns.neighbours.forEach((nb, j) => {
      if (!devs.has(nb.dev)) r.fail(root, `namespaces[${i}].neighbours[${j}].dev`, `no device '${nb.dev}' in namespace ${ns.name}`);
    });
    ns.devices.forEach((d, j) => {
      if (!d.peer) return;
      const other = byName.get(d.peer.namespace)?.devices.find((x) => x.name === d.peer!.device);
      if (!other || other.peer?.namespace !== ns.name || other.peer.device !== d.name) {
        r.fail(root, `namespaces[${i}].devices[${j}].peer`, `peer ${d.peer.namespace}/${d.peer.device} does not exist or does not point back`);
      }
    });
  });
}
