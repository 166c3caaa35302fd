// A scenario's `extends:` naming a missing file, or files extending each other in a loop, when the
// files list no `instances` of their own, was reported as "missing required key 'instances'": the
// schema was checked before the chain. Now one line at the `extends` line naming what is wrong, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from '../cli/spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-extends-'));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}
const onlyExtendsMissing = file('only-extends.yaml', '# restates nothing\nextends: gone.yaml\n');
const loopA = file('loop-a.yaml', 'extends: loop-b.yaml\n');
const loopB = file('loop-b.yaml', '# b\n\nextends: loop-a.yaml\n');
const self = file('self.yaml', 'description: x\nextends: self.yaml\n');

function replay(scenario: string) {
  return dpconform(['replay', '--scenario', scenario, '--input', 'fixtures/captures/eth-ipv4-be.pcapng']);
}

describe('scenario extends chain errors', () => {
  it.each([
    ['a missing base', onlyExtendsMissing, `${onlyExtendsMissing} (line 2, key extends): 'extends' names ${join(dir, 'gone.yaml')}, which does not exist`],
    ['two files extending each other', loopA, `${loopB} (line 3, key extends): 'extends' chain is circular: ${loopA} -> ${loopB} -> ${loopA}`],
    ['a file extending itself', self, `${self} (line 2, key extends): 'extends' chain is circular: ${self} -> ${self}`],
  ])('%s: one line at the extends line, exit 2', (_name, scenario, line) => {
    const r = replay(scenario);
    expect(r.errLines).toEqual([`dpconform: ${line}`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});
