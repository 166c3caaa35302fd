// A trace that does not state every header byte of the frame it rebuilds was replayed with zeros
// there, exit 0: cut inside ip4-rewrite's dump (or after ip4-lookup, or after ip4-input), the SYN
// replayed `tcp header: 0 bytes` where its own ip4-input record says 40 (ip4-input prints the data
// offset, not the reserved bits beside it, nor the urgent pointer: vpp-facts §3.3); the peer's
// dpdk-input record of a VXLAN frame (shown to its UDP header) replayed `tunnel for vni 0 does not
// exist`. Both are refused in one line naming file, packet and the bytes missing, exit 2
// (harness/vpp-trace/entry-headers.ts). And that peer record, a stitch of packet 1 as `trace parse`
// counts them, was injected as a new input too and sent again (TTL 252): it is not replayed now.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-unstated-'));
const SERVICE = 'fixtures/contiv/pod-to-service-same-node/scenario.yaml';
const SERVICE_TRACE = 'golden/contiv/pod-to-service-same-node.request.trace';
const OTHER_NODE = 'fixtures/contiv/pod-to-pod-other-node/scenario.yaml';
const OTHER_NODE_TRACE = 'golden/contiv/pod-to-pod-other-node.request.trace';

function cut(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const whole = readFileSync(SERVICE_TRACE, 'utf8');
const firstLines = (n: number) => whole.split('\n').slice(0, n).join('\n') + '\n';
const replay = (scenario: string, instance: string, input: string, more: string[] = []) => dpconform(['replay', '--scenario', scenario, '--instance', instance, '--input', input, ...more]);

describe('replay of a trace that does not state every header byte', () => {
  it.each([
    ['cut inside ip4-rewrite\'s dump', 'dump.trace', whole.slice(0, 1500)],
    ['ending at ip4-lookup', 'lookup.trace', firstLines(29)],
    ['ending at ip4-input', 'input.trace', firstLines(13)],
  ])('a SYN %s is refused, naming the TCP bytes no record shows', (_what, name, text) => {
    const file = cut(name, text);
    const r = replay(SERVICE, 'k8s-master', file);
    expect(r.errLines.at(-1)).toBe(`dpconform: ${file} (line 1, packet 1): cannot rebuild the frame entering virtio-input: no record shows its TCP data offset and reserved bits, urgent pointer (frame bytes 46, 52-53 of 74)`);
    expect(r.errLines.filter((l) => l.startsWith('dpconform:'))).toHaveLength(1);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('the whole trace, whose ip4-rewrite dump shows those bytes, replays with its 40-byte TCP header', () => {
    const r = replay(SERVICE, 'k8s-master', SERVICE_TRACE);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('flags 0x02 SYN, tcp header: 40 bytes');
    expect(r.stdout).not.toContain('tcp header: 0 bytes');
  });

  it("the peer's record of a VXLAN frame, picked alone, is refused: its VXLAN header and inner frame are unstated", () => {
    const r = replay(OTHER_NODE, 'k8s-worker1', OTHER_NODE_TRACE, ['--packets', '2']);
    expect(r.errLines.at(-1)).toBe(`dpconform: ${OTHER_NODE_TRACE} (line 115, packet 2): cannot rebuild the frame entering dpdk-input: no record shows its VXLAN header (frame bytes 42-49 of 124), nor the 74-byte frame it carries`);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a stitched continuation of a replayed packet is not injected again, and stderr says so', () => {
    const r = replay(OTHER_NODE, 'k8s-master', OTHER_NODE_TRACE);
    expect(r.status).toBe(0);
    expect(r.errLines).toContain(`${OTHER_NODE_TRACE}:115: warning: packet 2 is packet 1 after VXLAN vni 10 (a stitch, as trace parse counts them): not replayed as a new input, packet 1's replay takes it there`);
    // packet 1 alone: the SYN through the master (ttl 64 -> 63 -> VXLAN) and the worker (63 -> 62); packet 2 sent again reached ttl 252
    expect(r.stdout.match(/^Packet \d+$/gm)).toEqual(['Packet 1', 'Packet 1']);
    expect(r.stdout).not.toContain('ttl 252');
    expect(r.stdout).toContain('ttl 62');
  });
});
