// Three ways a streamed capture replay (a checking read, then a replay read) went wrong:
// - an input that can be read only once given by path (/dev/stdin, a FIFO, a shell's <(...)) was
//   opened three times: "dpconform: invalid seek (ESPIPE, read)", naming no file; it is read once now,
//   as `--input -` is;
// - a case's capture input of another link type (raw IP) was replayed as Ethernet, exit 0;
// - a capture that grows between the reads (still being written) had its new frames replayed unchecked.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { POD_TO_SERVICE, repoRoot } from '../../bench/service-endpoints.js';
import { writePcapng } from '../../harness/io/pcapng.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { captureParts } from '../../models/vpp/replay.js';
import { dpconform } from './spawn-cli.js';
import { ethernet, ip4Header } from '../vpp-model/frame-builders.js';

const SCENARIO = join(repoRoot(), POD_TO_SERVICE);
const dir = mkdtempSync(join(tmpdir(), 'dpconform-replay-once-'));
const CAPTURE = join(dir, 'in.pcapng');
const RAW_IP = join(dir, 'raw-ip.pcapng');

/** A UDP datagram from a client pod (10.1.1.3) to the service VIP, as an Ethernet frame. */
function frame(): Uint8Array {
  const ip = ip4Header('10.1.1.3', '10.104.221.85', 17, 8);
  const udp = Uint8Array.of(0x30, 0x39, 0, 80, 0, 8, 0, 0);
  const l3 = new Uint8Array(ip.length + udp.length);
  l3.set(ip);
  l3.set(udp, ip.length);
  return ethernet('02:fe:16:3f:5f:0f', '00:00:00:00:00:02', 0x0800, l3);
}

beforeAll(async () => {
  const f = frame();
  const packets = [0, 1, 2].map((i) => ({ data: f, meta: { linkType: 1, interfaceId: 0, timestampNs: 1_700_000_000_000_000_000n + BigInt(i) } }));
  await writePcapng(CAPTURE, packets, { interfaces: [{ linkType: 1, name: 'tap2' }] });
  await writePcapng(RAW_IP, packets.map((p) => ({ ...p, data: p.data.subarray(14), meta: { ...p.meta, linkType: 101 } })), { interfaces: [{ linkType: 101, name: 'tap2' }] });
});

describe('replay: inputs read once, case link types, a capture that grew', () => {
  it('--input /dev/stdin (a pipe given by path): the same output as --input FILE, and <(...) too', () => {
    const args = (input: string) => [join(repoRoot(), 'dist/harness/cli/main.js'), 'replay', '--scenario', SCENARIO, '--instance', 'k8s-master', '--input', input, '--format', 'json'];
    const fromFile = spawnSync(process.execPath, args(CAPTURE), { encoding: 'utf8' });
    // Through a shell pipe (a FIFO), as a person writes it: `cat in.pcapng | dpconform replay ... --input /dev/stdin`.
    const quoted = args('/dev/stdin').map((a) => `'${a}'`).join(' ');
    const fromPipe = spawnSync('/bin/sh', ['-c', `cat '${CAPTURE}' | '${process.execPath}' ${quoted}`], { encoding: 'utf8' });
    expect(fromFile.status).toBe(0);
    expect(fromPipe.stderr).toBe('');
    expect(fromPipe.status).toBe(0);
    expect(fromPipe.stdout).toBe(fromFile.stdout);
    const substituted = spawnSync('/bin/bash', ['-c', `'${process.execPath}' ${args('XX').map((a) => (a === 'XX' ? `<(cat '${CAPTURE}')` : `'${a}'`)).join(' ')}`], { encoding: 'utf8' });
    expect(substituted.stderr).toBe('');
    expect(substituted.stdout).toBe(fromFile.stdout);
  });

  it('a case whose capture input is raw IP (link type 101): one line naming the file, exit 2', () => {
    const caseDir = mkdtempSync(join(dir, 'case-'));
    writeFileSync(join(caseDir, 'case.yaml'), `name: raw-ip\nmodel: vpp\nscenario: ${SCENARIO}\ninputs:\n  - file: ${RAW_IP}\n    at: { instance: k8s-master, interface: tap2 }\ngolden:\n  file: ${CAPTURE}\n  evidence: conformance\n`);
    const r = dpconform(['replay', '--case', caseDir, '--format', 'json']);
    expect(r.status).toBe(2);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toContain(RAW_IP);
  });

  it('a capture with more frames than its checking read counted: stops with an error, naming the first unchecked frame', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const replayed = async () => {
      for await (const _ of captureParts(inst, { path: CAPTURE, name: CAPTURE, at: { instance: 'k8s-master' }, frames: 2 }, { traces: false }));
    };
    await expect(replayed()).rejects.toThrow(/grew while it was replayed \(2 frames when checked\)/);
  });
});

describe('replay usage lines', () => {
  // It read "dpconform: key output: --format pcap writes binary: give -o FILE": the option is named in the line itself.
  it('--format pcap without -o: one line naming the option, exit 2', () => {
    const r = dpconform(['replay', '--scenario', SCENARIO, '--instance', 'k8s-master', '--input', CAPTURE, '--format', 'pcap']);
    expect(r.errLines).toEqual(['dpconform: --format pcap writes binary: give -o FILE']);
    expect(r.status).toBe(2);
  });
});
