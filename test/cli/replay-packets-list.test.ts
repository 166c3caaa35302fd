// `replay --packets`: `1,1` replayed packet 1 twice (both outputs labelled Packet 1), `1-3` was
// refused, and `3,1` replayed 3 before 1 (pcapng times going backwards, a later packet through
// state an earlier one had not made yet). Now ranges are taken (`1,2-3`), a packet listed twice is
// refused in one line, and the picked packets replay in increasing order, the file's.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcap } from '../../harness/io/pcap.js';
import { LinkType } from '../../harness/wire/packet.js';
import { dpconform } from './spawn-cli.js';

const scenario = join(process.cwd(), 'fixtures/contiv/scenario.yaml');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-packets-list-'));
const pcap = join(dir, 'three.pcap');
const frame = (fill: number) => ({ data: new Uint8Array(60).fill(fill), meta: { linkType: LinkType.ETHERNET } });
writeFileSync(pcap, encodePcap([frame(0x11), frame(0x22), frame(0x33)]));
const replay = (packets: string) => dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--interface', 'tap0', '--input', pcap, '--packets', packets]);
/** The `Packet N` labels of the output and the frames' fill bytes, in output order. */
const labels = (stdout: string) => [...stdout.matchAll(/^Packet (\d+)$/gm)].map((m) => Number(m[1]));
const fills = (stdout: string) => [...stdout.matchAll(/0x(\d\d)\1: /g)].map((m) => m[1]);

describe('replay --packets list', () => {
  it('takes ranges, alone and mixed with numbers', () => {
    const r = replay('1,2-3');
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
    expect(labels(r.stdout)).toEqual([1, 2, 3]);
    expect(fills(r.stdout)).toEqual(['11', '22', '33']);
    expect(labels(replay('2-3').stdout)).toEqual([2, 3]);
  });

  it.each([
    ['1,1', "--packets lists packet 1 twice ('1,1'): each packet is replayed once"],
    ['1-3,2', "--packets lists packet 2 twice ('1-3,2'): each packet is replayed once"],
    ['3-1', '--packets range 3-1 runs backwards: write 1-3'],
    ['1-x', "--packets takes 1-based packet numbers and ranges separated by commas (e.g. 1,3-5), not '1-x'"],
    ['0-2', "--packets takes 1-based packet numbers and ranges separated by commas (e.g. 1,3-5), not '0-2'"],
  ])('--packets %s is refused in one line', (list, reason) => {
    const r = replay(list);
    expect(r.errLines).toEqual([`dpconform: ${reason}`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('replays the picked packets in the order of the file, whatever order they are listed in', () => {
    const r = replay('3,1');
    expect(r.status).toBe(0);
    expect(labels(r.stdout)).toEqual([1, 3]);
    expect(fills(r.stdout)).toEqual(['11', '33']);
  });
});
