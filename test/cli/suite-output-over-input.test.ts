// `run -o` naming a file the suite reads (a case.yaml, a golden, a scenario or the base it extends):
// the report replaced it after the run (exit 0) and the next run found JSON there. `replay -o` naming
// the base scenario its scenario extends did the same. Refused before anything runs: one line, exit 2,
// the file byte for byte as it was.

import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const repo = process.cwd();

/** A private copy of fixtures/contiv and golden/contiv, so the relative paths of its cases hold. */
function suiteCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'dpconform-suite-output-'));
  cpSync(join(repo, 'fixtures/contiv'), join(root, 'fixtures/contiv'), { recursive: true });
  cpSync(join(repo, 'golden/contiv'), join(root, 'golden/contiv'), { recursive: true });
  return root;
}

describe('-o naming a file the suite reads', () => {
  const run = (root: string) => ['run', join(root, 'fixtures/contiv/host-to-pod/request'), '-r', 'json'];
  const replay = (root: string) => ['replay', '--scenario', join(root, 'fixtures/contiv/host-to-pod/scenario.yaml'), '--instance', 'k8s-master', '--input', join(root, 'golden/contiv/host-to-pod.request.trace'), '--format', 'json'];
  it.each([
    ['run -o the case.yaml', run, 'fixtures/contiv/host-to-pod/request/case.yaml'],
    ['run -o the golden', run, 'golden/contiv/host-to-pod.request.trace'],
    ['run -o the base scenario the case scenario extends', run, 'fixtures/contiv/scenario.yaml'],
    ['replay --scenario S -o the base S extends', replay, 'fixtures/contiv/scenario.yaml'],
  ])('%s: refused, the file kept', (_what, command, rel) => {
    const root = suiteCopy();
    const file = join(root, rel);
    const bytes = readFileSync(file);
    const r = dpconform([...command(root), '-o', file]);
    expect(r.errLines).toEqual([`dpconform: ${file}: is also the input (${file}): writing would replace it; give another -o`]);
    expect(r.status).toBe(2);
    expect(readFileSync(file)).toEqual(bytes);
  });

  it.each([
    ['an existing capture of another case (a golden the cases run do not read)', 'golden/contiv/other.pcap', true, 'a report is not written to a .pcap file (that is what goldens, inputs and cases are): give another -o'],
    ['a new .pcap name', 'report.pcap', false, 'a report is not written to a .pcap file (that is what goldens, inputs and cases are): give another -o'],
    ['a .trace name', 'golden/contiv/host-to-pod.response.trace', true, 'a report is not written to a .trace file (that is what goldens, inputs and cases are): give another -o'],
    ['a capture named .json', 'capture.json', true, 'is a capture: writing the report would replace it; give another -o'],
  ])('run -o %s: refused, nothing written', (_what, rel, exists, message) => {
    const root = suiteCopy();
    const file = join(root, rel);
    const capture = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'); // a pcap header
    if (exists && !rel.endsWith('.trace')) writeFileSync(file, capture);
    const before = exists ? readFileSync(file) : undefined;
    const r = dpconform([...run(root), '-o', file]);
    expect(r.errLines).toEqual([`dpconform: ${file}: ${message}`]);
    expect(r.status).toBe(2);
    if (before) expect(readFileSync(file)).toEqual(before);
    else expect(existsSync(file)).toBe(false);
  });

  it('run -o elsewhere still writes the report (exit 0)', () => {
    const root = suiteCopy();
    const out = join(root, 'report.json');
    const r = dpconform(['run', join(root, 'fixtures/contiv/host-to-pod/request'), '-r', 'json', '-o', out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).format).toBe('dpconform-run');
  });
});
