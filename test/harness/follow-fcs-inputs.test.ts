// A capture that keeps each frame's FCS (pcapng if_fcslen 4) declares those octets apart from the
// frame (harness/io/frame-length.ts). The dissector and diff left them out, but replay, run and check
// injected the frames into the models with the FCS attached: VPP's virtio-input printed `len 78` for
// a 74-octet frame and the FCS left as payload, and check compared every captured frame, FCS and
// all, with the model's predictions. Now each gives what the same frames without FCS give.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureAll } from '../../harness/io/capture.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { fromHex } from '../../harness/wire/bytes.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { runReplay } from '../../harness/cli/replay.js';
import { runCheck, type CaptureSpec } from '../../harness/check/check.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';
import { cli } from './cli.js';

const FCS = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
const dir = mkdtempSync(join(tmpdir(), 'dpconform-follow-fcs-'));

/** The same frames as pcapng, with or without a 4-octet FCS declared by the interface (if_fcslen 4). */
function pcapng(packets: Packet[], fcs: boolean, name?: string): Uint8Array {
  const framed = packets.map((p) => ({ data: fcs ? new Uint8Array([...p.data, ...FCS]) : p.data, meta: { linkType: LinkType.ETHERNET, timestampNs: p.meta.timestampNs, ...(fcs ? { fcsLength: 4 } : {}) } }));
  return encodePcapng(framed, { interfaces: [{ linkType: LinkType.ETHERNET, ...(name ? { name } : {}), ...(fcs ? { fcsLength: 4 } : {}) }] });
}

/** fixtures/contiv/host-to-pod/request/input.json: the frame entering virtio-input on tap0 (the golden's `len 74`). */
const hostToPodHex = JSON.parse(readFileSync('fixtures/contiv/host-to-pod/request/input.json', 'utf8')).traces[0].stages[0].packet.hex as string;
const hostToPodFrame: Packet = { data: fromHex(hostToPodHex), meta: { linkType: LinkType.ETHERNET } };

describe('frames of a capture that declares its FCS enter a model without it', () => {
  it('replay: the VPP trace and the transmitted frames are those of the frames without FCS', async () => {
    const replayed = async (fcs: boolean, format: string) => {
      const file = join(dir, `tap0-${fcs ? 'fcs' : 'plain'}.pcapng`);
      writeFileSync(file, pcapng([hostToPodFrame], fcs, 'tap0'));
      // runReplay returns the pcapng bytes; -o (required for pcap) is only checked, not written here.
      return runReplay({ scenario: 'fixtures/contiv/host-to-pod/scenario.yaml', input: file, instance: 'k8s-master', format, ...(format === 'pcap' ? { output: join(dir, 'out.pcapng') } : {}) });
    };
    const text = await replayed(false, 'vpp');
    expect(text).toContain('virtio: hw_if_index 2 next-index 4 vring 0 len 74');
    expect(await replayed(true, 'vpp')).toBe(text);
    expect(await replayed(true, 'pcap')).toEqual(await replayed(false, 'pcap'));
  });

  it('run: a capture input with FCS passes against the VPP golden as the one without', async () => {
    const caseDir = mkdtempSync(join(tmpdir(), 'dpconform-follow-fcs-case-'));
    writeFileSync(join(caseDir, 'case.yaml'), [
      'name: host-to-pod-from-capture',
      'model: vpp',
      `scenario: ${join(process.cwd(), 'fixtures/contiv/host-to-pod/scenario.yaml')}`,
      'inputs:',
      '  - file: input.pcapng',
      '    at: { instance: k8s-master }',
      `golden: { file: ${join(process.cwd(), 'golden/contiv/host-to-pod.request.trace')}, evidence: conformance }`,
      '',
    ].join('\n'));
    for (const fcs of [false, true]) {
      writeFileSync(join(caseDir, 'input.pcapng'), pcapng([hostToPodFrame], fcs, 'tap0'));
      const r = await cli(['run', caseDir]);
      expect(r.stderr, `fcs ${fcs}`).toBe('');
      expect(r.code, `fcs ${fcs}`).toBe(0);
    }
  });

  it('check: the DVR golden captures with FCS match as they do without', async () => {
    const golden = 'golden/neutron-dvr/captures';
    const captures: CaptureSpec[] = [];
    for (const f of readdirSync(golden).filter((n) => n.endsWith('.pcap'))) {
      const base = f.slice(0, -'.pcap'.length);
      const file = join(dir, `${base}.pcapng`);
      writeFileSync(file, pcapng(await readCaptureAll(join(golden, f)), true));
      captures.push({ node: base.slice(0, base.indexOf('.')), iface: base.slice(base.indexOf('.') + 1), file });
    }
    const r = await runCheck({ model: neutronDvrModel, scenario: 'fixtures/neutron-dvr/scenario.yaml', captures });
    expect(r.divergences).toEqual([]);
    expect(r.devices).toHaveLength(9);
    expect(r.matched).toBe(r.predicted);
    expect(r.matched).toBeGreaterThan(250);
  });
});
