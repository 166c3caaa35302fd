// A ping of one of VPP's own addresses. Evidence (17.x/18.01-era copy liangfudeng/vpp @667cdb51):
// - lookup.c ip_lookup_init: ICMP is IP_LOCAL_NEXT_ICMP, ip4-local's next `ip4-icmp-input`.
// - icmp4.c ip4_icmp_input: records the IP header (icmp_input_trace_t, 64 bytes, format_ip4_header),
//   `p0->error = node->errors[ICMP4_ERROR_UNKNOWN_TYPE]` ("unknown type", icmp4.h), next by type:
//   icmp4_init sets every type to ICMP_INPUT_NEXT_ERROR = `error-punt` and registers echo_request.
// - icmp4.c ip4_icmp_echo_request: records the request at entry; RX := local0; type 8 -> 0 with
//   ip_csum_update of the ICMP checksum; addresses swapped; TTL := host_config.ttl (ip4_init: 64) and
//   the IP id := a random u16 from vm->random_buffer (seeded with clib_cpu_time_now (), vlib/main.c),
//   both with ip_csum_update of the header checksum; LOCALLY_ORIGINATED; next `ip4-load-balance`.

import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { setU16, setU32, u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { compareTraces } from '../../harness/diff/compare.js';
import { dissect } from '../../harness/dissect/dissect.js';
import type { PacketTrace, Stage } from '../../harness/stage.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { icmpEcho } from '../../harness/vpp-trace/nodes/icmp-echo.js';
import { readTraceChunks } from '../../harness/vpp-trace/read.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { showTraceText } from '../../models/vpp/replay.js';

const CHAIN = 'test/vpp-model/scenarios/routed-chain.yaml';
const R1_TAP1 = { instance: 'r1', interface: 'tap1' };
const ECHO_ID = 0x002a;
const ECHO_SEQ = 7;

/** Ethernet + IPv4 (DF, id 0x1234, TTL 61) + an ICMP message of `type` with 8 data bytes, checksums right. */
function icmpFrame(type: number, src = '10.0.1.2', dst = '10.0.1.1'): Uint8Array {
  const b = new Uint8Array(14 + 20 + 16);
  b.set([0x02, 0, 0, 0, 0x01, 0x02, 0x02, 0, 0, 0, 0x0a, 0x0a, 0x08, 0x00]);
  b[14] = 0x45;
  setU16(b, 16, 36);
  setU16(b, 18, 0x1234);
  setU16(b, 20, 0x4000);
  b[22] = 61;
  b[23] = 1;
  setU32(b, 26, ip4ToU32(src));
  setU32(b, 30, ip4ToU32(dst));
  setU16(b, 24, internetChecksum(b, 14, 20));
  b[34] = type;
  setU16(b, 38, ECHO_ID);
  setU16(b, 40, ECHO_SEQ);
  b.set([1, 2, 3, 4, 5, 6, 7, 8], 42);
  setU16(b, 36, internetChecksum(b, 34, 16));
  return b;
}

async function ping(data: Uint8Array) {
  const inst = (await vppModel.instantiate(CHAIN)) as VppInstance;
  const r = inst.inject({ data, meta: { linkType: 1 } }, R1_TAP1);
  const stages = r.traces[0].stages;
  return {
    stages,
    nodes: stages.map((s) => s.node),
    stage: (node: string) => stages.find((s) => s.node === node)!,
    outputs: r.outputs.map((p) => ({ at: `${inst.instanceOf(p)}/${p.meta.interfaceName}`, data: p.data, known: p.known })),
    errors: [...inst.vm('r1').errorCounts].map(([node, byText]) => [node, [...byText]]),
  };
}

describe('an ICMP echo request to a VPP address (tap1 10.0.1.1)', () => {
  const request = icmpFrame(8);

  it('takes ip4-local -> ip4-icmp-input -> ip4-icmp-echo-request -> ip4-load-balance -> ip4-rewrite and leaves by tap1', async () => {
    const r = await ping(request);
    expect(r.nodes.slice(2)).toEqual(['ip4-input', 'ip4-lookup', 'ip4-local', 'ip4-icmp-input', 'ip4-icmp-echo-request', 'ip4-load-balance', 'ip4-rewrite', 'tap1-output']);
    expect(r.errors).toEqual([]);
    expect(r.outputs.map((o) => o.at)).toEqual(['r1/tap1']);
  });

  it('both ICMP nodes record the request as received, format_ip4_header at column 2', async () => {
    const r = await ping(request);
    const expected = [
      '  ICMP: 10.0.1.2 -> 10.0.1.1',
      '    tos 0x00, ttl 61, length 36, checksum 0x' + u16(request, 24).toString(16),
      '    fragment id 0x1234, flags DONT_FRAGMENT',
      '  ICMP echo_request checksum 0x' + u16(request, 36).toString(16),
    ];
    expect(r.stage('ip4-icmp-input').lines).toEqual(expected);
    expect(r.stage('ip4-icmp-echo-request').lines).toEqual(expected);
  });

  it('the reply: addresses swapped, ICMP type 0 with the checksum updated, TTL 64 kept by ip4-rewrite, DF kept, header checksum valid', async () => {
    const r = await ping(request);
    const g = r.outputs[0].data;
    expect([...g.subarray(0, 12)]).toEqual([0x02, 0, 0, 0, 0x0a, 0x0a, 0x02, 0, 0, 0, 0x01, 0x02]);
    expect(u32(g, 26)).toBe(ip4ToU32('10.0.1.1'));
    expect(u32(g, 30)).toBe(ip4ToU32('10.0.1.2'));
    expect(g[22]).toBe(64);
    expect(u16(g, 20)).toBe(0x4000);
    expect(internetChecksum(g, 14, 20)).toBe(0);
    expect(g[34]).toBe(0);
    // ip_csum_update of type 8 -> 0: the stored checksum grows by 0x0800, the rest of the message kept.
    expect(u16(g, 36)).toBe(u16(request, 36) + 0x0800);
    expect([...g.subarray(38)]).toEqual([...request.subarray(38)]);
    expect(internetChecksum(g, 34, 16)).toBe(0);
  });

  it('the transmitted reply says which bytes the model does not know: its IP id and header checksum', async () => {
    const r = await ping(request);
    const known = r.outputs[0].known!;
    expect(known).toBeDefined();
    // Ethernet 14 bytes, then the IP header: id at 4-5, checksum at 10-11.
    expect([18, 19, 24, 25].map((i) => known.has(i))).toEqual([false, false, false, false]);
    expect([17, 20, 22, 23, 26, 34, 36].map((i) => known.has(i))).toEqual([true, true, true, true, true, true, true]);
  });

  it('ip4-load-balance prints FIB 0 (RX is local0) and follows the source check\'s load-balance back to the sender', async () => {
    const r = await ping(request);
    expect(r.stage('ip4-load-balance').fields.fib).toBe(0);
    expect(r.stage('ip4-rewrite').fields['adj.next_hop']).toBe('10.0.1.2');
  });

  it('the reply\'s IP id and header checksum are unknown in its records: compared against a real VPP id they are neither matched nor diverged', async () => {
    const r = await ping(request);
    for (const node of ['ip4-load-balance', 'tap1-output']) {
      const s = r.stage(node);
      expect(s.fields['ip4.id'], node).toBeUndefined();
      expect(s.fields['ip4.checksum'], node).toBeUndefined();
      expect(s.packet?.known?.has(s.packet.meta.linkType === 1 ? 18 : 4, 2), node).toBe(false);
    }
    // What real VPP would print for the reply with the id its random buffer gave (0xbeef here).
    const asVpp = (s: Stage): Stage => {
      const at = s.packet!.meta.linkType === 1 ? 14 : 0;
      const real = s.packet!.data.slice();
      setU16(real, at + 4, 0xbeef);
      setU16(real, at + 10, 0);
      setU16(real, at + 10, internetChecksum(real, at, 20));
      return { node: s.node, lines: [], fields: { ...s.fields, 'ip4.id': 0xbeef, 'ip4.checksum': u16(real, at + 10) } };
    };
    const replyStages = ['ip4-load-balance', 'tap1-output'].map(r.stage);
    const model: PacketTrace = { stages: replyStages };
    const golden: PacketTrace = { stages: replyStages.map(asVpp) };
    const d = compareTraces([model], [golden], { dissect });
    expect(d.diffs).toEqual([]);
    expect(d.counters.unknown).toBe(4);
    // ip4-rewrite prints the rewritten header as a hex dump, the random id in it: the model states
    // none (its stage packet says which bytes it knows), so the golden's dump is unknown, not a divergence.
    const rewrite = r.stage('ip4-rewrite');
    expect(rewrite.fields.dump).toBeUndefined();
    const real = rewrite.packet!.data.slice(0, 60);
    setU16(real, 18, 0xbeef);
    const dumped: Stage = { node: 'ip4-rewrite', lines: [], fields: { ...rewrite.fields, dump: Buffer.from(real).toString('hex') } };
    const dr = compareTraces([{ stages: [rewrite] }], [{ stages: [dumped] }], { dissect });
    expect(dr.diffs).toEqual([]);
    expect(dr.counters.unknown).toBe(1);
  });

  it('the request\'s own records are untouched (its id is known)', async () => {
    const r = await ping(request);
    expect(r.stage('ip4-icmp-echo-request').fields['ip4.id']).toBe(0x1234);
    expect(r.stage('ip4-icmp-echo-request').packet).toBeUndefined();
  });
});

describe('other ICMP to a VPP address', () => {
  it('a type nobody registered (13, timestamp) is punted: error-punt `ip4-icmp-input: unknown type`', async () => {
    const r = await ping(icmpFrame(13));
    expect(r.nodes.slice(-3)).toEqual(['ip4-local', 'ip4-icmp-input', 'error-punt']);
    expect(r.stage('error-punt').lines).toEqual(['  ip4-icmp-input: unknown type']);
    expect(r.errors).toEqual([['ip4-icmp-input', [['unknown type', 1]]]]);
  });

  // ping.c (17.x/18.01-era copy liangfudeng/vpp @667cdb51): ping_cli_init registers echo_reply for
  // ip4-icmp-echo-reply; with no `ping` CLI run owning the identifier, next ICMP4_ECHO_REPLY_NEXT_PUNT
  // (`error-punt`), record format_icmp_echo_trace `ICMP echo id %d seq %d%s` with " (unknown)"; the
  // node writes no error, so error-punt prints ip4-icmp-input's.
  it('an echo reply nobody asked for (no ping run has its id) goes to ip4-icmp-echo-reply and is punted under ip4-icmp-input\'s error', async () => {
    const r = await ping(icmpFrame(0));
    expect(r.nodes.slice(-4)).toEqual(['ip4-local', 'ip4-icmp-input', 'ip4-icmp-echo-reply', 'error-punt']);
    expect(r.stage('ip4-icmp-echo-reply').lines).toEqual([`  ICMP echo id ${ECHO_ID} seq ${ECHO_SEQ} (unknown)`]);
    expect(r.stage('ip4-icmp-echo-reply').fields).toEqual({ 'icmp.id': ECHO_ID, 'icmp.seq': ECHO_SEQ, bound: false });
    expect(icmpEcho.parse(['  ICMP echo id 42 seq 7'])).toEqual({ id: 42, seq: 7, bound: true });
    expect(r.stage('error-punt').lines).toEqual(['  ip4-icmp-input: unknown type']);
    expect(r.errors).toEqual([['ip4-icmp-input', [['unknown type', 1]]]]);
    expect(r.outputs).toEqual([]);
  });

  // ping.c ip4_icmp_echo_reply_node_fn reads `h0->icmp_echo.id` / `.seq` of the packed header over
  // the buffer with no length check: for a reply cut short (a tap frame is not padded) they come from
  // whatever an earlier packet left in that buffer's memory. The model knows only the bytes the frame
  // brought: the record states no value for the rest and its packet forgets those bytes.
  it.each([
    [26, ['icmp.id', 'bound']],
    [24, ['bound']],
  ])('an echo reply of %i IP bytes: the id or sequence past the frame is unknown, not 0', async (ipLength, fields) => {
    const full = icmpFrame(0);
    const b = full.slice(0, 14 + ipLength);
    setU16(b, 16, ipLength);
    setU16(b, 24, 0);
    setU16(b, 24, internetChecksum(b, 14, 20));
    const r = await ping(b);
    expect(r.nodes.slice(-3)).toEqual(['ip4-icmp-input', 'ip4-icmp-echo-reply', 'error-punt']);
    const s = r.stage('ip4-icmp-echo-reply');
    expect(Object.keys(s.fields)).toEqual(fields);
    if (ipLength === 26) expect(s.fields['icmp.id']).toBe(ECHO_ID);
    const known = s.packet!.known!;
    expect(s.packet!.data.length).toBe(28);
    expect(known.has(0, ipLength)).toBe(true);
    for (let i = ipLength; i < 28; i++) expect(known.has(i), `byte ${i}`).toBe(false);
    // Against VPP's record (stale values past the frame): the model's unknown fields are not compared.
    const golden: Stage = { node: s.node, lines: [], fields: { 'icmp.id': ipLength === 26 ? ECHO_ID : 0xdead, 'icmp.seq': 0xbeef, bound: false } };
    const d = compareTraces([{ stages: [s] }], [{ stages: [golden] }], { dissect });
    expect(d.diffs).toEqual([]);
    expect(d.counters.unknown).toBe(ipLength === 26 ? 1 : 2);
  });

  it('an echo reply padded to the Ethernet minimum: the id and sequence are in the frame, known', async () => {
    const full = icmpFrame(0);
    const b = new Uint8Array(60);
    b.set(full.subarray(0, 14 + 26));
    setU16(b, 16, 26);
    setU16(b, 24, 0);
    setU16(b, 24, internetChecksum(b, 14, 20));
    b.set([0x12, 0x34], 14 + 26);
    const r = await ping(b);
    const s = r.stage('ip4-icmp-echo-reply');
    expect(s.fields).toEqual({ 'icmp.id': ECHO_ID, 'icmp.seq': 0x1234, bound: false });
    expect(s.packet).toBeUndefined();
  });

  it('an echo request from an unrouted source fails ip4-local\'s source check before ICMP sees it', async () => {
    const r = await ping(icmpFrame(8, '8.8.8.8'));
    expect(r.nodes.slice(-3)).toEqual(['ip4-local', 'ip4-drop', 'error-drop']);
    expect(r.stage('error-drop').lines).toEqual(['  ip4-input: ip4 source lookup miss']);
  });
});

// The trace reader knows these records (a real VPP trace of a ping to VPP parses into typed fields,
// not raw lines): the model's text, read back, gives the fields the model's stages hold.
describe('the ICMP nodes\' records read back by the trace reader', () => {
  it.each([
    ['an echo request', 8, ['ip4-icmp-input', 'ip4-icmp-echo-request']],
    ['an echo reply', 0, ['ip4-icmp-input', 'ip4-icmp-echo-reply']],
  ])('%s: %j parse into the fields the model recorded', async (_what, type, nodes) => {
    const inst = (await vppModel.instantiate(CHAIN)) as VppInstance;
    const r = inst.inject({ data: icmpFrame(type as number), meta: { linkType: 1 } }, R1_TAP1);
    const text = showTraceText({ traces: r.traces.map((trace) => ({ instance: 'r1', trace })), outputs: [] }, ['r1']);
    async function* chunks() {
      yield text;
    }
    const f = await readTraceChunks('model.trace', chunks());
    const [read] = [...allPackets(f)];
    for (const node of nodes as string[]) {
      const parsed = read.stages.find((s) => s.node === node)!;
      const model = r.traces[0].stages.find((s) => s.node === node)!;
      expect(Object.keys(parsed.fields).length).toBeGreaterThan(0);
      for (const [k, v] of Object.entries(model.fields)) expect([node, k, parsed.fields[k]]).toEqual([node, k, v]);
    }
  });
});
