// YAML files (scenarios, case.yaml) were read with Node's 'utf8' decoding, which turns a byte that is
// not UTF-8 (a Latin-1 'é') into U+FFFD without a word. They are refused now: file, line and the byte
// offset of the first bad byte, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeUtf8 } from '../../harness/io/utf8-text.js';
import { loadCase } from '../../harness/suite/load-case.js';
import { dpconform } from '../cli/spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-not-utf8-'));
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('decodeUtf8', () => {
  it('passes UTF-8 through, a byte-order mark and a real U+FFFD included', () => {
    const text = '\uFEFFname: caf\u00e9 \uFFFD\n';
    expect(decodeUtf8(new TextEncoder().encode(text), 'f.yaml')).toBe(text);
  });

  it.each([
    ['a Latin-1 byte', latin1('a: 1\nname: caf\xe9\n'), 2, 14, 'e9'],
    ['a lead byte cut short', latin1('a: \xc3(\n'), 1, 3, 'c3'],
    ['a stray continuation byte after a real U+FFFD', latin1('a: \xef\xbf\xbd\n\x80\n'), 2, 7, '80'],
  ])('%s: file, line, byte offset', (_name, bytes, line, offset, hex) => {
    expect(() => decodeUtf8(bytes, 'f.yaml')).toThrow(`f.yaml (line ${line}, offset ${offset}): not UTF-8 text: byte 0x${hex} starts no valid UTF-8 sequence`);
  });
});

describe('YAML readers refuse bytes that are not UTF-8', () => {
  it('a scenario: one line, exit 2', () => {
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(scenario, latin1('description: caf\xe9\ninstances: {}\n'));
    const r = dpconform(['replay', '--scenario', scenario, '--input', 'fixtures/captures/eth-ipv4-be.pcapng']);
    expect(r.errLines).toEqual([`dpconform: ${scenario} (line 1, offset 16): not UTF-8 text: byte 0xe9 starts no valid UTF-8 sequence`]);
    expect(r.status).toBe(2);
  });

  it('a case.yaml: the case error names the offset', () => {
    mkdirSync(join(dir, 'case'));
    const file = join(dir, 'case', 'case.yaml');
    writeFileSync(file, latin1('model: toy\nname: t\xe9st\n'));
    const { spec, errors } = loadCase(file, 'x');
    expect(spec).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([`${file} (line 2, offset 18): not UTF-8 text: byte 0xe9 starts no valid UTF-8 sequence`]);
  });
});
