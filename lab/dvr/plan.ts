// Turns the DVR scenario into the bash that builds it for real: namespaces, veth pairs, bridges for
// the L2 segments, addresses, routes, policy rules, neighbours, proxy ARP and the L3 agent's
// iptables. The model reads the same scenario, so the lab and the model are configured by one file.
//
//   node dist/lab/dvr/plan.js SCENARIO PREFIX  > plan.sh ; source plan.sh ; lab_build
//
// Every namespace name starts with PREFIX (unique per run), so runs and other users never collide,
// and teardown deletes exactly these names.

import { loadDvrScenario, MAIN_TABLE, type DvrScenario } from '../../models/neutron-dvr/scenario.js';
import { cidrText } from '../../models/neutron-dvr/addr.js';
import { InputError } from '../../harness/io/input-error.js';

/** Lab namespace names: PREFIX-<scenario name>; the bridges live in PREFIX-l2. */
export function labNamespace(prefix: string, scenarioName: string): string {
  return `${prefix}-${scenarioName}`;
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Kernel settings the model assumes, set explicitly because a new namespace copies some of them from
 * the host (net.core.devconf_inherit_init_net=0 copies IPv4 'all'/'default' from init_net).
 */
const NAMESPACE_SYSCTLS = [
  'net.ipv6.conf.all.disable_ipv6=1', // no IPv6 DAD/MLD/RS noise in the captures
  'net.ipv6.conf.default.disable_ipv6=1',
  'net.ipv4.ip_default_ttl=64',
  'net.ipv4.conf.all.rp_filter=0',
  'net.ipv4.conf.default.rp_filter=0',
  'net.ipv4.conf.all.arp_announce=0',
  'net.ipv4.conf.default.arp_announce=0',
  'net.ipv4.conf.all.arp_ignore=0',
  'net.ipv4.conf.default.arp_ignore=0',
  'net.ipv4.conf.all.proxy_arp=0',
  'net.ipv4.conf.default.proxy_arp=0',
  'net.ipv4.conf.all.accept_redirects=0',
  'net.ipv4.conf.all.send_redirects=0', // a router forwarding back out its input device would send a redirect
  'net.ipv4.conf.default.send_redirects=0',
];

/** base_reachable_time_ms for every lab device (see planBuild). */
const NEIGH_REACHABLE_MS = 300_000;

export function planBuild(s: DvrScenario, prefix: string): string {
  const l2 = `${prefix}-l2`;
  const ns = (name: string) => labNamespace(prefix, name);
  const out: string[] = [];
  const all = [l2, ...s.namespaces.map((n) => ns(n.name))];
  out.push(`LAB_NS=(${all.map(q).join(' ')})`);
  out.push(
    `LAB_CAPTURES=(${s.namespaces
      .flatMap((n) => n.devices.map((d) => q(`${ns(n.name)}|${n.name}|${d.name}|${n.role}`)))
      .join(' ')})`,
  );
  out.push(`lab_ns() { case "$1" in ${s.namespaces.map((n) => `${q(n.name)}) echo ${q(ns(n.name))};;`).join(' ')} *) echo "no namespace $1" >&2; return 1;; esac; }`);
  const b: string[] = [];
  const run = (cmd: string) => b.push(`  ${cmd}`);
  for (const name of all) {
    run(`ip netns add ${q(name)}`);
    run(`ip netns exec ${q(name)} sysctl -qw ${NAMESPACE_SYSCTLS.join(' ')}`);
    run(`ip -n ${q(name)} link set lo up`);
  }
  s.segments.forEach((seg, i) => {
    run(`ip -n ${q(l2)} link add br${i} type bridge mcast_snooping 0`);
    run(`ip -n ${q(l2)} link set br${i} up`);
  });
  let port = 0;
  const done = new Set<string>();
  for (const n of s.namespaces) {
    const N = q(ns(n.name));
    if (n.role === 'router') run(`ip netns exec ${N} sysctl -qw net.ipv4.ip_forward=1`);
    for (const d of n.devices) {
      const key = `${n.name}/${d.name}`;
      if (d.segment) {
        const p = `p${port++}`;
        run(`ip -n ${q(l2)} link add ${p} type veth peer name ${q(d.name)} address ${d.mac} netns ${N}`);
        run(`ip -n ${q(l2)} link set ${p} master br${s.segments.indexOf(d.segment)} up`);
        run(`ip netns exec ${q(l2)} ethtool -K ${p} tx off >/dev/null`);
        // The bridge's side of the link carries the device's MTU too: a bridge port below it would
        // refuse (veth: is_skb_forwardable) frames the device may send, one above it nothing.
        run(`ip -n ${q(l2)} link set ${p} mtu ${d.mtu}`);
      } else if (d.peer && !done.has(key)) {
        const peerNs = s.namespaces.find((x) => x.name === d.peer!.namespace)!;
        const peerDev = peerNs.devices.find((x) => x.name === d.peer!.device)!;
        done.add(`${peerNs.name}/${peerDev.name}`);
        run(`ip -n ${N} link add ${q(d.name)} address ${d.mac} type veth peer name ${q(peerDev.name)} address ${peerDev.mac} netns ${q(ns(peerNs.name))}`);
      }
      // The scenario's MTU (the model's ip_forward / ip_fragment read the same number).
      run(`ip -n ${N} link set ${q(d.name)} mtu ${d.mtu}`);
      // Finished checksums on the wire: without this, veth leaves TCP/UDP checksums to "hardware".
      run(`ip netns exec ${N} ethtool -K ${q(d.name)} tx off >/dev/null`);
      // The model keeps resolved neighbours (no NUD timers): 5 minutes of REACHABLE instead of the
      // default 15-45 s random draw, so a run's ~15 s of traffic never sees a STALE entry probed.
      run(`ip netns exec ${N} sysctl -qw net.ipv4.neigh.${d.name}.base_reachable_time_ms=${NEIGH_REACHABLE_MS}`);
      for (const a of d.addresses) run(`ip -n ${N} addr add ${a.ip}/${a.len} dev ${q(d.name)}`);
      if (d.proxyArp) run(`ip netns exec ${N} sysctl -qw net.ipv4.conf.${d.name}.proxy_arp=1`);
    }
  }
  for (const n of s.namespaces) for (const d of n.devices) run(`ip -n ${q(ns(n.name))} link set ${q(d.name)} up`);
  for (const n of s.namespaces) {
    const N = q(ns(n.name));
    for (const r of n.rules) {
      run(`ip -n ${N} rule add${r.from ? ` from ${cidrText(r.from)}` : ''}${r.to ? ` to ${cidrText(r.to)}` : ''} table ${r.table} priority ${r.priority}`);
    }
    for (const r of n.routes) {
      run(`ip -n ${N} route replace ${cidrText(r.dst)}${r.via ? ` via ${r.via}` : ''} dev ${q(r.dev)}${r.table === MAIN_TABLE ? '' : ` table ${r.table}`}`);
    }
    for (const nb of n.neighbours) run(`ip -n ${N} neigh replace ${nb.ip} lladdr ${nb.mac} dev ${q(nb.dev)} nud permanent`);
    if (n.iptablesText) {
      b.push(`  ip netns exec ${N} iptables-restore <<'DPCONFORM_IPTABLES'`);
      b.push(n.iptablesText.trimEnd());
      b.push('DPCONFORM_IPTABLES');
    }
  }
  out.push('lab_build() {', '  set -e', ...b, '  set +e', '}');
  return out.join('\n') + '\n';
}

async function main(argv: string[]): Promise<void> {
  const [scenarioPath, prefix] = argv;
  if (!scenarioPath || !prefix || !/^[a-z][a-z0-9]{2,15}$/.test(prefix)) {
    process.stderr.write('usage: plan.js SCENARIO PREFIX   (PREFIX: 3-16 lowercase letters/digits)\n');
    process.exitCode = 2;
    return;
  }
  try {
    process.stdout.write(planBuild(await loadDvrScenario(scenarioPath), prefix));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`plan: ${e.message}\n`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main(process.argv.slice(2));
