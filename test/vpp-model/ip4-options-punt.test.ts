// ip4-input punts a header with options (IHL != 5): 18.01 ip4_input_check_x1/x2 send
// IP4_ERROR_OPTIONS to IP4_INPUT_NEXT_PUNT, registered as `error-punt` (vpp-facts §5.1, "OPTIONS is
// punted"); error-punt records like error-drop, `{node that set the error}: {error string}`
// (vpp-facts §5.4; interface_output.c: both use format_vnet_error_trace). Before, the model dropped
// it (error-drop `ip4-input: ip4 options present`).

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { LinkType } from '../../harness/wire/packet.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { tcpFrame, tcpFrameLength } from '../../bench/tcp-frame.js';

const CHAIN = fileURLToPath(new URL('./scenarios/routed-chain.yaml', import.meta.url));
const TAP1 = { instance: 'r1', interface: 'tap1' };

/**
 * host-a's SYN to host-b (routed by r1, routed-chain.yaml), its IPv4 header given `optionWords`
 * 32-bit words of EOL options (zeros: VPP's checksum test sums the first 20 bytes only, which zero
 * options leave valid, so OPTIONS is the error that stands).
 */
function synWithOptions(optionWords: number, firstByte?: number): Uint8Array {
  const s = {
    dstMac: Uint8Array.of(2, 0, 0, 0, 1, 2), srcMac: Uint8Array.of(2, 0, 0, 0, 0x0a, 0x0a), src: ip4ToU32('10.0.1.2'), dst: ip4ToU32('10.0.2.2'), ipId: 1, ttl: 64, df: true,
    sport: 40000, dport: 80, seq: 1, ack: 0, flags: 0x02, window: 29200, options: new Uint8Array(0), payload: new Uint8Array(0),
  };
  const plain = new Uint8Array(tcpFrameLength(s));
  tcpFrame(plain, s);
  const extra = optionWords * 4;
  const b = new Uint8Array(plain.length + extra);
  b.set(plain.subarray(0, 34), 0);
  b.set(plain.subarray(34), 34 + extra);
  b[14] = firstByte ?? 0x40 | (5 + optionWords);
  setU16(b, 16, 20 + extra + 20);
  setU16(b, 24, 0);
  setU16(b, 24, internetChecksum(b, 14, 20 + extra));
  return b;
}

async function send(frame: Uint8Array) {
  const inst = (await vppModel.instantiate(CHAIN)) as VppInstance;
  const { traces, outputs } = inst.inject({ data: frame, meta: { linkType: LinkType.ETHERNET } }, TAP1);
  const stages = traces[0].stages;
  return {
    stages,
    nodes: stages.map((s) => s.node),
    outputs: outputs.length,
    errors: [...inst.vm('r1').errorCounts].map(([node, byText]) => [node, [...byText]]),
  };
}

describe('ip4-input punts IPv4 options', () => {
  it('IHL 6: ip4-input -> error-punt `ip4-input: ip4 options present`, counted, not forwarded', async () => {
    const r = await send(synWithOptions(1));
    expect(r.nodes).toEqual(['virtio-input', 'ethernet-input', 'ip4-input', 'error-punt']);
    expect(r.stages[3].lines).toEqual(['  ip4-input: ip4 options present']);
    expect(r.errors).toEqual([['ip4-input', [['ip4 options present', 1]]]]);
    expect(r.outputs).toBe(0);
  });

  it('the largest header (IHL 15) is punted the same way', async () => {
    expect((await send(synWithOptions(10))).nodes.at(-1)).toBe('error-punt');
  });

  it('IHL 5 with a wrong version is still dropped, as VERSION', async () => {
    const r = await send(synWithOptions(0, 0x65));
    expect(r.nodes.at(-1)).toBe('error-drop');
    expect(r.stages.at(-1)!.lines).toEqual(['  ip4-input: ip4 version != 4']);
  });

  it("the harness parses the error-punt record back to the model's fields", async () => {
    const punt = (await send(synWithOptions(1))).stages[3];
    const [t] = [...allPackets(parseTrace(`00:00:01:000000: ${punt.node}\n${punt.lines.join('\n')}\n`))];
    expect(t.stages[0].node).toBe('error-punt');
    expect(t.stages[0].fields).toEqual(punt.fields);
    expect(punt.fields).toEqual({ error_node: 'ip4-input', error: 'ip4 options present' });
  });
});
