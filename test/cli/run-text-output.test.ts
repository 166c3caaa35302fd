// `run -o FILE` with the text reporter (the default): the help says "write the --reporter output here
// instead of stdout", but the report went to stdout and FILE was never written, exit 0 - a CI job
// that archived FILE archived nothing. The text report now goes to FILE (without colour codes).

import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-run-text-output-'));

describe('run -o FILE with the text reporter', () => {
  it.each([
    ['the default reporter', [] as string[]],
    ['--reporter text', ['--reporter', 'text']],
  ])('%s: the report is written to FILE, not stdout', (name, reporter) => {
    const out = join(dir, `${name.replace(/\W+/g, '-')} report.txt`);
    const r = dpconform(['run', 'fixtures/contiv/host-to-pod/request', ...reporter, '-o', out]);
    expect(r.status).toBe(0);
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(true);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^PASS contiv\/host-to-pod\/request /);
    expect(text).toMatch(/1 cases: 1 passed/);
    expect(text).not.toMatch(/\x1b\[/);
  });
});
