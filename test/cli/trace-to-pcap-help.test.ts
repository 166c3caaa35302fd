// `trace to-pcap --help` said "one packet per stage"; a stage whose record shows no packet bytes
// (acl-plugin, nat44, ...) gives no packet (harness/vpp-trace/pcap.ts), so host-to-pod's request
// (10 stages, 5 showing bytes) wrote 5 packets. The help says what it does.

import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';

describe('trace to-pcap --help matches what it writes', () => {
  it('names the stages that give a packet: those that show packet bytes', () => {
    const help = dpconform(['trace', 'to-pcap', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('one packet per stage that shows packet bytes');
    const out = join(mkdtempSync(join(tmpdir(), 'dpconform-to-pcap-help-')), 'out.pcapng');
    const r = dpconform(['trace', 'to-pcap', 'golden/contiv/host-to-pod.request.trace', '-o', out]);
    // Frames, one per stage that shows bytes, of the traced packets they are stages of (one here).
    expect(r.errLines).toEqual([`${out}: 5 frame(s) of 1 packet(s)`]);
    const parsed = dpconform(['trace', 'parse', 'golden/contiv/host-to-pod.request.trace']);
    expect(parsed.stdout).toMatch(/^packet 1 \(line 1\): 10 stages/);
  });
});
