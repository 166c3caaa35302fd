// `replay --packets N` on a VPP trace picked the Nth packet trace by position: with numbering gaps
// (Packet 1, Packet 7) `--packets 7` failed ("requested but the trace holds 2") though the file
// shows a Packet 7, and `--packets 2` replayed what the file calls Packet 7. A trace's packets are
// now picked by their `Packet N` labels; a capture's frames still by frame number.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcap } from '../../harness/io/pcap.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import { entryFrames } from '../../models/vpp/entry-frame.js';
import { LinkType } from '../../harness/wire/packet.js';
import { dpconform } from './spawn-cli.js';

const scenario = join(process.cwd(), 'fixtures/contiv/scenario.yaml');
const body = (name: string) => readFileSync(join(process.cwd(), 'golden/contiv', name), 'utf8').split('\n').slice(2).join('\n');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-packet-labels-'));
const trace = join(dir, 'gaps.trace');
writeFileSync(trace, `Packet 1\n\n${body('pod-to-pod-same-node.request.trace')}\nPacket 7\n\n${body('pod-to-pod-same-node.response.trace')}`);
const replay = (input: string, packets: string) => dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', input, '--packets', packets]);

describe('replay --packets', () => {
  it("picks a trace's packet by its Packet N label", () => {
    const r = replay(trace, '7');
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
    // the response (Packet 7) alone, not the request
    expect(r.stdout).toContain('TCP: 10.1.1.9 -> 10.1.1.12');
    expect(r.stdout).not.toContain('TCP: 10.1.1.12 -> 10.1.1.9');
  });

  it('a label the trace lacks names the labels it has', () => {
    const r = replay(trace, '2');
    expect(r.errLines).toEqual([`dpconform: ${trace}: packet 2 requested but the trace has no Packet 2 (it labels its 2 packet(s) 1, 7)`]);
    expect(r.status).toBe(2);
  });

  it("picks a capture's frames by frame number", () => {
    const pcap = join(dir, 'two.pcap');
    const frame = (fill: number) => ({ data: new Uint8Array(60).fill(fill), meta: { linkType: LinkType.ETHERNET } });
    writeFileSync(pcap, encodePcap([frame(0x11), frame(0x22)]));
    const r = dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--interface', 'tap0', '--input', pcap, '--packets', '2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0x2222: 22:22:22:22:22:22 -> 22:22:22:22:22:22');
    expect(r.stdout).not.toContain('11:11:11');
  });

  // The output named its packets 1, 2, ... whatever was picked: `--packets 7` printed `Packet 1`,
  // though `trace` keeps VPP's numbers. What an input makes is now named after its number, in every format.
  it("names each picked packet's trace by the number it was picked by (text and JSON)", () => {
    const r = replay(trace, '7');
    expect(r.stdout).toMatch(/^-+ Start of thread 0 vpp_main -+\nPacket 7\n\n/);
    expect(r.stdout).not.toContain('Packet 1\n');
    const json = dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', trace, '--packets', '7', '--format', 'json']);
    expect((JSON.parse(json.stdout) as { traces: Array<{ number: number }> }).traces.map((t) => t.number)).toEqual([7]);
  });

  it("names a capture's picked frames by frame number: `Packet N` and the output frames' pcapng comment", async () => {
    // The same-node request, response and request again: each is forwarded, a frame out per frame in.
    const pcap = join(dir, 'three.pcap');
    const frames = ['request', 'response', 'request'].map((k) => entryFrames(readFileSync(join(process.cwd(), `golden/contiv/pod-to-pod-same-node.${k}.trace`), 'utf8'))[0].packet.data);
    writeFileSync(pcap, encodePcap(frames.map((data) => ({ data, meta: { linkType: LinkType.ETHERNET } }))));
    const args = ['replay', '--scenario', join(process.cwd(), 'fixtures/contiv/pod-to-pod-same-node/scenario.yaml'), '--instance', 'k8s-master', '--interface', 'tap11', '--input', pcap];
    expect(dpconform([...args, '--packets', '1,3']).stdout.match(/^Packet \d+$/gm)).toEqual(['Packet 1', 'Packet 3']);
    const out = join(dir, 'picked.pcapng');
    expect(dpconform([...args, '--packets', '1,3', '--format', 'pcap', '-o', out]).status).toBe(0);
    expect((await readCaptureAll(out)).map((p) => p.meta.comment)).toEqual(['input packet 1', 'input packet 3']);
    // Without --packets the frames carry no comment (the output as it was).
    const all = join(dir, 'all.pcapng');
    expect(dpconform([...args, '--format', 'pcap', '-o', all]).status).toBe(0);
    const comments = (await readCaptureAll(all)).map((p) => p.meta.comment);
    expect(comments.length).toBeGreaterThan(0);
    expect(comments.filter((c) => c !== undefined)).toEqual([]);
  });

  it('--help says which numbers --packets takes', () => {
    const r = dpconform(['replay', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain("a VPP trace's `Packet N` labels (positions when it prints none), a capture's frame numbers");
  });
});
