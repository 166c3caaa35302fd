// `replay --format pcap` of a VPP trace input wrote each output frame whole, with zeros where the
// input frame's bytes were never shown by a record: ip4-rewrite dumps 60 bytes of a 74-byte SYN, so
// the forwarded SYN ended in 14 zero bytes of TCP options (a wrong TCP checksum in Wireshark) that
// are no evidence of anything. The frames a trace's packet makes now end before the bytes that come
// from its unshown ones, their whole length as the original length, as `trace to-pcap` cuts a
// trace's frames (harness/vpp-trace/shown-length.ts).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../../harness/cli/replay.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { inputsFromTrace, replay } from '../../models/vpp/replay.js';

const dir = mkdtempSync(join(tmpdir(), 'replay-shown-'));

async function replayedFrames(o: { scenario: string; input: string; instance: string }) {
  const out = join(dir, 'out.pcapng');
  writeFileSync(out, (await runReplay({ ...o, format: 'pcap', output: out })) as Uint8Array);
  return readCaptureAll(out);
}

describe('replay --format pcap of a trace input: bytes no record showed are not written', () => {
  const SERVICE = { scenario: 'fixtures/contiv/pod-to-service-same-node/scenario.yaml', instance: 'k8s-master' };
  const REQUEST = 'golden/contiv/pod-to-service-same-node.request.trace';

  it('the forwarded SYN (60 of its 74 bytes shown): 60 bytes captured of 74, the same 60 as the whole frame', async () => {
    const cut = await replayedFrames({ ...SERVICE, input: REQUEST });
    expect(cut.map((p) => [p.data.length, p.meta.origLength])).toEqual([[60, 74]]);
    // The frame the model transmits, whole: the captured bytes are its first 60.
    const inst = (await vppModel.instantiate(SERVICE.scenario)) as VppInstance;
    const [whole] = replay(inst, inputsFromTrace(REQUEST, inst, { instance: SERVICE.instance })).outputs;
    expect(whole.packet.data.length).toBe(74);
    expect(Buffer.from(cut[0].data).equals(Buffer.from(whole.packet.data.subarray(0, 60)))).toBe(true);
  });

  it('frames the model encapsulates or sends across a link end as many bytes before their end as their input did', async () => {
    const frames = await replayedFrames({ scenario: 'fixtures/contiv/pod-to-pod-other-node/scenario.yaml', instance: 'k8s-master', input: 'golden/contiv/pod-to-pod-other-node.request.trace' });
    expect(frames.map((p) => [p.meta.interfaceName, p.data.length, p.meta.origLength])).toEqual([
      // the SYN (14 of 74 bytes unshown): VXLAN-encapsulated out of the master, 50 bytes in front...
      ['k8s-master/GigabitEthernet0/8/0', 110, 124],
      // ...decapsulated by the worker and delivered to the server pod
      ['k8s-worker1/tap12', 60, 74],
      // The trace's second packet, the VXLAN frame the worker received, is the SYN after the tunnel (a
      // stitch): not injected into the master again (it was, and sent again with 42 of 124 bytes shown).
    ]);
  });
});
