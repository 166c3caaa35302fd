// `dpconform diff A B` of two real captures worded every field difference as run does for a golden
// against the model ("eth.dst expected fa:16:3e:..., got 6a:41:..."), while its packet lines say
// A#3 -> B#3 and "not in B": neither capture is expected. Each value is now named by its side, in
// the text and in --json (`a`/`b` where run's records say expected/got and golden/model); stages on
// one path only and checksum notes too. `run` keeps expected/got (test/harness/run-suite.test.ts).

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';
import { stagesToJson } from '../../harness/suite/stage-json.js';
import type { PacketTrace } from '../../harness/stage.js';

// The same packets seen on the floating IP namespace's two interfaces: forwarded, so TTL and MACs differ.
const A = 'golden/neutron-dvr/captures-s9/fip-cb1f1abb-443c-49df-b863-ba4cebf10d18.fg-73de653f-c4.pcap';
const B = 'golden/neutron-dvr/captures-s9/fip-cb1f1abb-443c-49df-b863-ba4cebf10d18.fpr-517ba029-f.pcap';

describe('diff A B: values named by side, not expected/got', () => {
  it('text: one line per field, A value then B value; the checksum note by side too', () => {
    const r = dpconform(['diff', A, B]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('changed  A#3 -> B#3 ICMP 172.30.89.140 -> 172.30.0.11\n    eth.dst A 02:00:ac:1e:00:0b, B 6a:41:cd:d4:c5:c8\n');
    expect(r.stdout).toContain('    ip4.ttl A 62, B 63\n');
    expect(r.stdout).toContain('    ip4.checksum A 0xa180, B 0xa080 (both valid for their bytes; differs because covered fields differ)\n');
    expect(r.stdout).not.toMatch(/ expected |, got |model/);
  });

  it('--json: a and b where run says expected/got and golden/model', () => {
    const r = dpconform(['diff', '--json', A, B]);
    const d = JSON.parse(r.stdout);
    const pair = d.pairs.find((p: { a: number }) => p.a === 3);
    expect(pair.diff.diffs[0]).toEqual({ kind: 'field', trace: 1, stage: 'packet', row: 0, path: 'eth.dst', a: '02:00:ac:1e:00:0b', b: '6a:41:cd:d4:c5:c8' });
    expect(pair.diff.divergences[0].summary).toBe('ICMP 172.30.89.140 -> 172.30.0.11  diverges at packet: eth.dst A 02:00:ac:1e:00:0b, B 6a:41:cd:d4:c5:c8');
    expect(pair.diff.traces[0].rows[0].a.fields['ip4.ttl']).toBe(62);
    expect(pair.diff.traces[0].rows[0].b.fields['ip4.ttl']).toBe(63);
    expect(r.stdout).not.toMatch(/"(expected|got|golden|model)"|expected|got /);
  });

  it('a stage on one path only: in A only (B went through ...), in B only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-diff-sides-'));
    const trace = (lookup: string): PacketTrace[] => [
      { number: 1, stages: [{ node: 'ip4-input', lines: [], fields: { 'ip4.src': '10.0.0.1', 'ip4.dst': '10.0.0.2', 'ip4.id': 1 } }, { node: lookup, lines: [], fields: { fib: 0 } }] },
    ];
    writeFileSync(join(dir, 'a.json'), stagesToJson(trace('ip4-lookup')));
    writeFileSync(join(dir, 'b.json'), stagesToJson(trace('ip4-drop')));
    const r = dpconform(['diff', join(dir, 'a.json'), join(dir, 'b.json')]);
    expect(r.stdout).toContain('    ip4-lookup: ip4-lookup in A only (B went through ip4-drop)\n');
    expect(r.stdout).toContain('    ip4-drop: ip4-drop in B only\n');
  });
});
