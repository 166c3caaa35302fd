// A VPP trace line the reader cannot decode (a field past its C width: `ttl 99999999999999999999`)
// is kept as raw text with a warning. `replay` and `diff` never showed that warning: replay rebuilt a
// 14-byte remnant of the 74-byte SYN, injected it and exited 0 ("IP header truncated"), diff showed
// ip4-input fields as absent. Now both print the reader's warnings (`file:line: warning: ...`, as
// `trace parse` does), and replay refuses a frame it cannot rebuild whole: file, packet, line, exit 2.
// A hw_if_index no interface has names the trace, packet, line, the index and the interfaces there are.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const scenario = join(process.cwd(), 'fixtures/contiv/scenario.yaml');
const golden = join(process.cwd(), 'golden/contiv/pod-to-pod-same-node.request.trace');
const text = readFileSync(golden, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-damaged-trace-'));
function variant(name: string, from: string, to: string): string {
  const file = join(dir, name);
  expect(text).toContain(from);
  writeFileSync(file, text.split(from).join(to));
  return file;
}
const replay = (input: string, more: string[] = []) => dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', input, ...more]);

describe('replay/diff of a trace with a line the reader cannot decode', () => {
  const bad = variant('ttl.trace', 'ttl 64,', 'ttl 99999999999999999999,');
  const warnings = [
    `${bad}:9: warning: ip4-input: not a header decode line: 'TCP: 10.1.1.12 -> 10.1.1.9' (kept as raw text)`,
    `${bad}:24: warning: ip4-lookup: unexpected line: 'TCP: 10.1.1.12 -> 10.1.1.9' (kept as raw text)`,
  ];

  it('replay prints the warnings and refuses the entry frame: file, packet, line; exit 2', () => {
    const r = replay(bad);
    expect(r.errLines).toEqual([
      ...warnings,
      `dpconform: ${bad} (line 9, packet 1): cannot rebuild the frame entering virtio-input: the ip4-input record is not understood (see the warning for this line)`,
    ]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('diff prints the warnings naming the damaged lines', () => {
    const r = dpconform(['diff', golden, bad]);
    expect(r.errLines).toEqual(warnings);
    expect(r.status).toBe(1);
  });

  it('a frame shorter than its device record states is refused', () => {
    // virtio says 80 bytes; every stage shows 74.
    const short = variant('len.trace', 'vring 0 len 74', 'vring 0 len 80');
    const r = replay(short);
    expect(r.errLines).toEqual([`dpconform: ${short} (line 3, packet 1): cannot rebuild the frame entering virtio-input: its record states 80 bytes, the trace shows 74`]);
    expect(r.status).toBe(2);
  });

  it('the untouched trace replays with no warning (exit 0)', () => {
    const r = replay(golden);
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
  });
});

describe('replay of a trace whose hw_if_index no interface has', () => {
  it('names the trace, packet, line, the hw_if_index and the interfaces; not the scenario', () => {
    const file = variant('hw.trace', 'hw_if_index 7 ', 'hw_if_index 4000 ');
    const r = replay(file);
    expect(r.errLines).toEqual([
      `dpconform: ${file} (line 3, packet 1): the virtio-input record names hw_if_index 4000, which no interface of instance k8s-master has (hw_if_index: GigabitEthernet0/8/0 1, tap0 2, loop0 3, vxlan_tunnel0 5, tap2 6, tap11 7, tap4 8, tap5 9, tap8 11): give --interface`,
    ]);
    expect(r.status).toBe(2);
  });

  it('one past its C width: the warning quotes the line and the refusal names it', () => {
    const file = variant('hw-huge.trace', 'hw_if_index 7 ', 'hw_if_index 99999999999999999999 ');
    const r = replay(file);
    expect(r.errLines).toEqual([
      `${file}:4: warning: virtio-input: not a virtio line: 'virtio: hw_if_index 99999999999999999999 next-index 4 vring 0 len 74' (kept as raw text)`,
      `dpconform: ${file} (line 4, packet 1): cannot rebuild the frame entering virtio-input: the virtio-input record is not understood (see the warning for this line)`,
    ]);
    expect(r.status).toBe(2);
  });
});
