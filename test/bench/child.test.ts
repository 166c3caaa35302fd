// bench/child.ts: a bench script run in a fresh process hands back its result after anything it
// printed; a child that fails, is killed, prints no result or an unreadable one is one clear error
// naming the script and how it ended - never an exception the parent does not catch.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKER, runInChild } from '../../bench/child.js';

function script(body: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'bench-child-')), 's.mjs');
  writeFileSync(f, body);
  return f;
}

/** A script that reports as reportToParent does (its marker and framing). */
function reporting(before: string, value: string, after = ''): string {
  return script(`${before}\nprocess.stdout.write('\\n${MARKER}' + JSON.stringify(${value}) + '\\n');\n${after}`);
}

describe('runInChild', () => {
  it('takes the value reported after whatever the child printed, even text after it', async () => {
    expect(await runInChild(reporting("console.log('noise @@ { not json');", '{ a: [1, 2] }', "console.log('late line');"), [])).toEqual({ a: [1, 2] });
  });

  it('a child that fails is an error naming the script, its exit code and its last stderr lines', async () => {
    const f = script("console.error('first'); console.error('boom happened'); process.exit(3);");
    await expect(runInChild(f, ['x'])).rejects.toThrow(/s\.mjs x: exit 3: first \| boom happened/);
  });

  it('a killed child names the signal', async () => {
    await expect(runInChild(script("process.kill(process.pid, 'SIGKILL');"), [])).rejects.toThrow(/killed by SIGKILL/);
  });

  it('no result, or an unreadable one, is an error, not a crash', async () => {
    await expect(runInChild(script("console.log('done');"), [])).rejects.toThrow(/printed no result/);
    await expect(runInChild(script(`process.stdout.write('\\n${MARKER}{oops\\n');`), [])).rejects.toThrow(/unreadable result/);
  });
});
