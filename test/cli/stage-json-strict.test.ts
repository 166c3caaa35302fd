// JSON stage records were read loosely: `hex: ""` gave a 0-byte frame that `run` / `replay --case`
// injected, an unknown `version` (99) was read as version 1, `known` ranges past the end of the bytes
// were accepted, and a non-numeric `link_type` became Ethernet. Each is now refused: file, packet,
// key path, exit 2 (here through `diff`, which reads stage files with the same reader).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const good = join(process.cwd(), 'fixtures/contiv/pod-to-pod-same-node/request/input.json');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-stage-json-'));

function edited(name: string, edit: (doc: any) => void): string {
  const doc = JSON.parse(readFileSync(good, 'utf8'));
  edit(doc);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const cases: Array<[string, (doc: any) => void, string]> = [
  ['empty-hex.json', (d) => (d.traces[0].stages[0].packet.hex = ''), '(packet 1, key traces[0].stages[0].packet.hex): an empty packet (no bytes)'],
  ['version.json', (d) => (d.version = 99), '(key version): unknown version 99 (this reader knows version 1)'],
  ['known.json', (d) => d.traces[0].stages[0].packet.known.push([70, 10]), '(packet 1, key traces[0].stages[0].packet.known[1]): [70, 10] ends at byte 80, past the packet\'s 74 bytes'],
  ['link-type.json', (d) => (d.traces[0].stages[0].packet.link_type = 'ethernet'), '(packet 1, key traces[0].stages[0].packet.link_type): expected a link type number (1 = Ethernet), not "ethernet"'],
];

describe('JSON stage records are checked strictly', () => {
  for (const [name, edit, where] of cases) {
    it(name, () => {
      const file = edited(name, edit);
      const r = dpconform(['diff', good, file]);
      expect(r.errLines).toEqual([`dpconform: ${file} ${where}`]);
      expect(r.status).toBe(2);
    });
  }

  it('the file as written diffs clean against itself', () => {
    const r = dpconform(['diff', good, good]);
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
  });
});
