// case.yaml `packets:` on a VPP trace input picks packets by the file's `Packet N` labels, as
// `replay --packets` does (test/cli/replay-packet-labels.test.ts): `run` and `replay --case` read the
// same case.yaml, and a position is not what a person reads in a file with numbering gaps.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputPackets } from '../../harness/suite/sources.js';
import { InputError } from '../../harness/io/input-error.js';

const body = (name: string) => readFileSync(join(process.cwd(), 'golden/contiv', name), 'utf8').split('\n').slice(2).join('\n');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-input-labels-'));
const file = join(dir, 'gaps.trace');
writeFileSync(file, `Packet 1\n\n${body('pod-to-pod-same-node.request.trace')}\nPacket 7\n\n${body('pod-to-pod-same-node.response.trace')}`);

describe('readInputPackets: packets of a trace input by label', () => {
  it('packets: [7] is the trace labelled Packet 7 (the response, 10.1.1.9 -> 10.1.1.12)', async () => {
    const [p, ...rest] = await readInputPackets({ file, kind: 'trace', packets: [7] });
    expect(rest).toEqual([]);
    expect(p.origin).toBe(`${file} packet 7`);
    expect([...p.packet.data.subarray(26, 30)]).toEqual([10, 1, 1, 9]); // IPv4 source
  });

  it('a label the trace lacks is refused, naming the labels it has', async () => {
    // Reported where case.yaml asks (line 5 is case.yaml's, never the trace's), the trace named in the reason.
    const packetsAt = { file: join(dir, 'case.yaml'), line: 5, key: 'inputs[0].packets' };
    const e = await readInputPackets({ file, kind: 'trace', packets: [2], packetsAt }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe(`${packetsAt.file} (line 5, key inputs[0].packets): packet 2 requested but gaps.trace has no Packet 2 (it labels its 2 packet(s) 1, 7)`);
  });

  it('a label two threads both carry is refused with their lines, not one picked silently', async () => {
    const two = join(dir, 'threads.trace');
    const thread = (n: number) => `------------------- Start of thread ${n} vpp_wk_${n} -------------------\nPacket 1\n\n`;
    writeFileSync(two, `${thread(0)}${body('pod-to-pod-same-node.request.trace')}\n${thread(1)}${body('pod-to-pod-same-node.response.trace')}`);
    const e = await readInputPackets({ file: two, kind: 'trace', packets: [1] }).catch((x: unknown) => x);
    expect((e as InputError).message).toBe(`${two}: packet 1 requested but the trace has 2 packets labelled Packet 1 (lines 2, 52: several threads or sections)`);
  });
});
