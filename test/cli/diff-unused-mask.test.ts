// `dpconform diff -m PATH` with a PATH that hides nothing (a typo: ip4.tll) printed the same text as a
// mask that worked; only --json carried the per-pair notes. The text now says it, once per mask.

import { describe, expect, it } from 'vitest';
import { dpconform } from './spawn-cli.js';

const capture = 'golden/neutron-dvr/cases/tcp/outbound/vm-a7884fb1.eth0.pcap';
const trace = 'golden/contiv/host-to-pod.request.trace';

describe('diff --mask that matched no field', () => {
  it.each([
    ['captures', capture],
    ['traces', trace],
  ])('%s: one note for the unused mask, none for the used one', (_kind, file) => {
    const r = dpconform(['diff', '-m', 'ip4.tll', '-m', 'ip4.ttl', file, file]);
    expect(r.status).toBe(0);
    const notes = r.stdout.split('\n').filter((l) => l.startsWith('note:'));
    expect(notes).toEqual(["note: --mask 'ip4.tll' matched no field in any compared packet"]);
  });
});
