// Test helper: split a seed golden (verbatim `show trace` text, possibly two nodes' traces in one
// block) into packets of {node, lines}, and rebuild the frame entering the first node from the
// first ip4-rewrite's 60-byte dump (unknown trailing bytes zero). Used only until the vpp-trace
// reconstruction is available to the model tests.
import { readFileSync } from 'node:fs';
import { fromHex } from '../../harness/wire/bytes.js';

export interface GoldenStage { node: string; lines: string[] }

const HEADER = /^\d\d:\d\d:\d\d:\d{6}: (\S+)$/;

export function goldenPackets(path: string): GoldenStage[][] {
  const packets: GoldenStage[][] = [];
  let cur: GoldenStage[] | null = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = HEADER.exec(line);
    if (m) {
      if (!cur || /-input$/.test(m[1]) && ['virtio-input', 'dpdk-input', 'tapcli-rx'].includes(m[1])) packets.push((cur = []));
      cur.push({ node: m[1], lines: [] });
    } else if (cur && line.startsWith('  ')) cur[cur.length - 1].lines.push(line);
  }
  return packets;
}

/** Frame from the dump of the first ip4-rewrite, with the original MACs and TTL/checksum restored. */
export function frameFromFirstRewrite(stages: GoldenStage[], frameLength: number, origEth: string): Uint8Array {
  const rw = stages.find((s) => s.node === 'ip4-rewrite')!;
  const dump = fromHex(rw.lines.slice(1).map((l) => l.trim().replace(/^[0-9a-f]{8}: /, '')).join(''));
  const frame = new Uint8Array(frameLength);
  frame.set(dump.subarray(0, Math.min(dump.length, frameLength)));
  frame.set(fromHex(origEth), 0);
  // undo the rewrite's TTL decrement: TTL + 1 and checksum - 0x0100 (ones' complement)
  frame[22] += 1;
  let c = ((frame[24] << 8) | frame[25]) - 0x100;
  if (c < 0) c += 0xffff;
  frame[24] = c >> 8;
  frame[25] = c & 0xff;
  return frame;
}
