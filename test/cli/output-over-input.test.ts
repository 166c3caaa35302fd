// `-o` naming the file the command reads: the input was read whole and then replaced by the output
// (exit 0, the trace or capture gone). Refused before anything is written: one line, exit 2, the
// input byte for byte as it was.

import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const repo = process.cwd();
const dir = mkdtempSync(join(tmpdir(), 'dpconform-output-over-input-'));

function copyOf(from: string, name: string): { file: string; bytes: Buffer } {
  const file = join(dir, name);
  copyFileSync(join(repo, from), file);
  return { file, bytes: readFileSync(file) };
}

describe('-o naming the input', () => {
  it('trace to-pcap a.trace -o a.trace (spelt another way): refused, the trace kept', () => {
    const { file, bytes } = copyOf('golden/contiv/host-to-pod.request.trace', 'a.trace');
    const r = dpconform(['trace', 'to-pcap', file, '-o', `${dir}/./a.trace`]);
    expect(r.errLines).toEqual([`dpconform: ${dir}/./a.trace: is also the input (${file}): writing would replace it; give another -o`]);
    expect(r.status).toBe(2);
    expect(readFileSync(file)).toEqual(bytes);
  });

  it('replay --input x.pcap --format pcap -o x.pcap: refused, the capture kept', () => {
    const { file, bytes } = copyOf('golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap', 'x.pcap');
    const r = dpconform(['replay', '--scenario', join(repo, 'fixtures/contiv/scenario.yaml'), '--instance', 'k8s-master', '--interface', 'tap0', '--input', file, '--format', 'pcap', '-o', file]);
    expect(r.errLines).toEqual([`dpconform: ${file}: is also the input (${file}): writing would replace it; give another -o`]);
    expect(r.status).toBe(2);
    expect(readFileSync(file)).toEqual(bytes);
  });

  it('another -o still writes (exit 0)', () => {
    const { file } = copyOf('golden/contiv/host-to-pod.request.trace', 'b.trace');
    const r = dpconform(['trace', 'to-pcap', file, '-o', join(dir, 'b.pcapng')]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'b.pcapng')).length).toBeGreaterThan(0);
  });
});
