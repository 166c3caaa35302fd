// `dpconform replay` options that were silently ignored: --instance/--interface/--node/--packets with
// --case (case.yaml's at: and packets: were used, the user's choice dropped without a word), and
// --packets with a capture input (every frame was replayed). The first is now refused naming the
// options, exit 2; the second picks frames by number, as case.yaml's `packets:` does for captures.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcap } from '../../harness/io/pcap.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { dpconform } from './spawn-cli.js';

const repo = process.cwd();
const scenario = join(repo, 'fixtures/contiv/scenario.yaml');

/** An Ethernet frame with the given ethertype (nothing past the header: each one is dropped, traced). */
function frame(ethertype: number): Packet {
  const data = new Uint8Array(60);
  data.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, ethertype >> 8, ethertype & 0xff]);
  return { data, meta: { linkType: LinkType.ETHERNET } };
}

const dir = mkdtempSync(join(tmpdir(), 'dpconform-replay-options-'));
const capture = join(dir, 'three.pcap');
writeFileSync(capture, encodePcap([frame(0x1111), frame(0x2222), frame(0x3333)]));
const replayCapture = (more: string[]) => dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--interface', 'tap0', '--input', capture, ...more]);

describe('dpconform replay: options that were ignored', () => {
  it('--case with --node and --packets: one line naming them, exit 2', () => {
    const r = dpconform(['replay', '--case', join(repo, 'fixtures/contiv/host-to-pod/request'), '--node', 'ip4-lookup', '--packets', '1']);
    expect(r.errLines).toEqual(['dpconform: --case takes its scenario, inputs, injection points and packets from case.yaml: drop --node/--packets']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('--case with --scenario: still refused', () => {
    const r = dpconform(['replay', '--case', join(repo, 'fixtures/contiv/host-to-pod/request'), '--scenario', scenario]);
    expect(r.errLines).toEqual(['dpconform: --case takes its scenario, inputs, injection points and packets from case.yaml: drop --scenario']);
    expect(r.status).toBe(2);
  });

  // In the capture's order, as listed or not (replay-packets-list.test.ts): 3 before 1 ran a later
  // frame through state the earlier one had not made yet, and pcapng times went backwards.
  it('--packets 3,1 on a capture replays frames 1 then 3, and only those', () => {
    const all = replayCapture([]);
    expect(all.status).toBe(0);
    expect(all.stdout.match(/^Packet \d+$/gm)).toEqual(['Packet 1', 'Packet 2', 'Packet 3']);
    const r = replayCapture(['--packets', '3,1']);
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
    const blocks = r.stdout.split(/^Packet \d+$/m).slice(1);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain('0x1111');
    expect(blocks[1]).toContain('0x3333');
  });

  it('--packets past the end of a capture: one line naming the file, exit 2', () => {
    const r = replayCapture(['--packets', '4']);
    expect(r.errLines).toEqual([`dpconform: ${capture} (key packets): packet 4 requested but the file holds 3`]);
    expect(r.status).toBe(2);
  });
});
