// `replay` told a capture from trace text by the magic alone: a README copied to x.pcap was read as
// trace text (8 reader warnings, then "no packet trace in this file"), where `inspect` and `diff`,
// which go by the file name (load-case.ts kindFromExtension), say in one line what is wrong. The
// name decides the format as it does for them; the magic only when the name tells none (stdin: follow-replay-stdin.test.ts).

import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-replay-format-'));
const scenario = join(process.cwd(), 'fixtures/contiv/pod-to-service-same-node/scenario.yaml');
const replay = (input: string) => dpconform(['replay', '--scenario', scenario, '--instance', 'k8s-master', '--input', input]);

describe('replay tells the input format as inspect and diff do', () => {
  it('a text file named .pcap is refused in the capture reader\'s one line, as inspect says it', () => {
    const pcap = join(dir, 'readme.pcap');
    copyFileSync(join(process.cwd(), 'README.md'), pcap);
    const r = replay(pcap);
    const inspected = dpconform(['inspect', pcap]);
    expect(r.errLines).toEqual([`dpconform: ${pcap} (packet 1, offset 0): not a pcap or pcapng file (magic 0x23206470)`]);
    expect(r.errLines).toEqual(inspected.errLines);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('trace text named .txt is still replayed as a trace', () => {
    const txt = join(dir, 'request.txt');
    copyFileSync(join(process.cwd(), 'golden/contiv/pod-to-service-same-node.request.trace'), txt);
    const r = replay(txt);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Packet 1');
  });

});
