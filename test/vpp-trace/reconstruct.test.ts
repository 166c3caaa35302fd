// Per-stage packets with known-bytes masks, checksum proofs, and stitching across two VPPs.

import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { reconstructPackets } from '../../harness/vpp-trace/reconstruct.js';
import { stitch } from '../../harness/vpp-trace/stitch.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { fromHex, hex } from '../../harness/wire/bytes.js';
import { formatHexDump } from '../../harness/vpp-trace/format/hexdump.js';
import { LinkType } from '../../harness/wire/packet.js';
import { seedBlocks } from './seed.js';

const blocks = seedBlocks();

describe('packet reconstruction', () => {
  it('every seed stage: no checksum the trace shows is provably wrong', () => {
    for (const b of blocks) {
      const f = parseTrace(b.text);
      expect(reconstructPackets(f), `block ${b.index}`).toEqual([]);
    }
  });

  it('builds Ethernet + IPv4 + TCP from header lines, bytes from the rewrite dump', () => {
    const f = parseTrace(blocks[2].text);
    reconstructPackets(f);
    const [client] = [...allPackets(f)];
    const out = client.stages.find((s) => s.node === 'loop0-output')!.packet!;
    expect(out.meta.linkType).toBe(LinkType.ETHERNET);
    expect(out.data.length).toBe(74); // 14 + IP length 60
    expect(hex(out.data, 0, 34)).toBe('1a2b3c4d5e021a2b3c4d5e0108004500003c309f40003f06f4020a01010c0a01020d');
    expect(out.known!.has(0, 34)).toBe(true);
    expect(out.known!.has(14 + 20 + 12)).toBe(false); // TCP data offset byte: reserved bits unprinted
    expect(out.known!.has(54)).toBe(false); // payload/options never printed
    const rw = client.stages.find((s) => s.node === 'ip4-rewrite')!.packet!;
    expect(rw.known!.ranges()).toEqual([[0, 60]]);
    // The dump and the next stage's header lines agree byte for byte where both are known.
    for (let i = 0; i < 60; i++) if (out.known!.has(i)) expect(rw.data[i], `byte ${i}`).toBe(out.data[i]);
    const ip4input = client.stages.find((s) => s.node === 'ip4-input')!.packet!;
    expect(ip4input.meta.linkType).toBe(LinkType.IPV4);
  });

  it('reports a stored IPv4 checksum the header proves wrong, naming the line', () => {
    const text = blocks[0].text.replace('tos 0x00, ttl 64, length 60, checksum 0xf087', 'tos 0x00, ttl 64, length 60, checksum 0xf088');
    const f = parseTrace(text);
    const w = reconstructPackets(f);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ code: 'checksum', line: text.split('\n').indexOf('01:48:51:256993: ip4-input') + 1 });
    expect(w[0].message).toMatch(/stored ip4 checksum 0xf088 is wrong, the bytes give 0xf087.*altered/);
  });

  it('checks a UDP checksum when every byte of the datagram is known', () => {
    // A 44-byte frame dumped whole by ip4-rewrite: UDP with a correct then a wrong checksum.
    const frame = '0200000000020200000000010800' + '4500001e000000004011' + '66cd' + '0a0000010a000002' + '00350035000a';
    const text = (cs: string) =>
      `00:00:00:000001: ip4-rewrite\n  tx_sw_if_index 1 dpo-idx 2 : ipv4 via 10.0.0.2 eth0: 0200000000020200000000010800 flow hash: 0x00000000\n` +
      formatHexDump(fromHex(frame + cs + '0102'), 2).join('\n') + '\n';
    const ok = parseTrace(text('ea6b'));
    expect(reconstructPackets(ok)).toEqual([]);
    const bad = parseTrace(text('ea6c'));
    expect(reconstructPackets(bad).map((w) => w.message)).toEqual(['ip4-rewrite: stored udp checksum 0xea6c is wrong, the bytes give 0xea6b']);
  });
});

describe('stitching across two VPPs', () => {
  it('links vxlan4-encap on the client node with vxlan4-input on the server node (both directions)', () => {
    for (const b of [2, 3, 10, 11]) {
      const f = parseTrace(blocks[b].text);
      const s = stitch(f);
      expect(s, `block ${b}`).toHaveLength(1);
      expect(s[0].from.packet.stages[s[0].from.stage].node).toBe('vxlan4-encap');
      expect(s[0].to.packet.stages[s[0].to.stage].node).toBe('vxlan4-input');
      expect(s[0].vni).toBe(10);
    }
  });

  it('does not link when the inner packet differs (injected fault: inner TTL)', () => {
    const text = blocks[2].text.replace(/(04:24:37:730782: ip4-input\n.*\n    tos 0x00, ttl )63/, '$162');
    expect(text).not.toBe(blocks[2].text);
    expect(stitch(parseTrace(text))).toEqual([]);
  });
});
