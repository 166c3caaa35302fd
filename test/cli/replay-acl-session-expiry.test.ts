// `replay` of a capture that spans minutes runs the ACL plugin's idle cleaner on the capture's
// timestamps (models/vpp/acl/idle-cleaner.ts; FDio/vpp src/plugins/acl/fa_node.c @ 1d639257
// acl_fa_check_idle_sessions, acl.h defaults: UDP idle 600 s, every list checked every 120 s, the
// shortest timeout). A client's UDP request opens a reflective session on tap1; the server's reply
// leaves through tap1's output deny only while that session lives. Before, sessions never expired
// and a reply any time later was let out.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { ip4L4 } from '../vpp-nat-acl/helpers.js';
import { dpconform } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-acl-expiry-'));

/** The scenario, with `acl:` lines added (written to `name`). */
function scenarioWith(name: string, aclLines: string[]): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
    'description: a client pod on tap1 behind a reflective ACL, a server on tap2',
    'instances:',
    '  vpp1:',
    '    interfaces:',
    '      - { name: tap1, sw_if_index: 1, hw_if_index: 1, type: tap, mac: "02:fe:00:00:00:01" }',
    '      - { name: tap2, sw_if_index: 2, hw_if_index: 2, type: tap, mac: "02:fe:00:00:00:02" }',
    '    neighbors:',
    '      - { interface: tap1, ip: 10.0.1.2, mac: "00:00:00:00:01:02", adj_index: 1 }',
    '      - { interface: tap2, ip: 10.0.2.2, mac: "00:00:00:00:02:02", adj_index: 2 }',
    '    acl:',
    '      acls:',
    '        - { index: 0, rules: [{ action: reflect }] }',
    '        - { index: 1, rules: [{ action: deny }] }',
    '        - { index: 2, rules: [{ action: permit }] }',
    '      interfaces:',
    '        - { interface: tap1, input: [0], output: [1] }',
    '        - { interface: tap2, input: [2], output: [2] }',
    ...aclLines,
    '',
  ].join('\n'),
  );
  return file;
}
const scenario = scenarioWith('scenario.yaml', []);

const EPOCH_NS = 1_700_000_000n * 1_000_000_000n;

/** An Ethernet frame from the pod on tap`n` (00:00:00:00:0n:02) to that tap (02:fe:00:00:00:0n). */
function frame(n: number, ip: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + ip.length);
  f.set([0x02, 0xfe, 0, 0, 0, n, 0, 0, 0, 0, n, 0x02, 0x08, 0x00], 0);
  f.set(ip, 14);
  return f;
}

/** The client's request at 0 s, the server's reply at 1 s, and the reply again `gap` seconds later. */
function capture(gap: number): string {
  const request = frame(1, ip4L4({ src: '10.0.1.2', dst: '10.0.2.2', proto: 17 }, { sport: 5000, dport: 53 }));
  const reply = frame(2, ip4L4({ src: '10.0.2.2', dst: '10.0.1.2', proto: 17 }, { sport: 53, dport: 5000 }));
  const at = (data: Uint8Array, interfaceId: number, sec: number): Packet => ({ data, meta: { linkType: LinkType.ETHERNET, interfaceId, timestampNs: EPOCH_NS + BigInt(Math.round(sec * 1000)) * 1_000_000n } });
  const file = join(dir, `gap-${gap}.pcapng`);
  writeFileSync(file, encodePcapng([at(request, 0, 0), at(reply, 1, 1), at(reply, 1, 1 + gap)], { interfaces: [{ linkType: LinkType.ETHERNET, name: 'tap1' }, { linkType: LinkType.ETHERNET, name: 'tap2' }] }));
  return file;
}

/** The acl-plugin-out-ip4-fa record lines of each packet, in order. */
function outputAclRecords(stdout: string): string[] {
  return stdout
    .split(/^Packet \d+$/m)
    .slice(1)
    .map((p) => {
      const lines = p.split('\n');
      const at = lines.findIndex((l) => l.endsWith(': acl-plugin-out-ip4-fa'));
      return at < 0 ? '' : lines[at + 1].trim();
    });
}

describe('replay: ACL sessions expire on the capture timestamps', () => {
  it('a reply 700 s after the last packet of the flow still passes (its idle time ends at 601 s; the check at 720 s sees it)', () => {
    const r = dpconform(['replay', '--scenario', scenario, '--input', capture(700)]);
    expect(r.errLines).toEqual([]);
    expect(outputAclRecords(r.stdout)).toEqual(['acl-plugin: sw_if_index 2, next index 1, action: 1, match: acl 2 rule 0 trace_bits 00000000', 'acl-plugin: sw_if_index 1, next index 1, action: 3, match: acl -1 rule 0 trace_bits 80000000', 'acl-plugin: sw_if_index 1, next index 1, action: 3, match: acl -1 rule 0 trace_bits 80000000']);
  });

  it('a reply 800 s after meets the output deny: the session was removed at the check at 720 s', () => {
    const r = dpconform(['replay', '--scenario', scenario, '--input', capture(800)]);
    expect(r.errLines).toEqual([]);
    const records = outputAclRecords(r.stdout);
    expect(records[2]).toBe('acl-plugin: sw_if_index 1, next index 0, action: 0, match: acl 1 rule 0 trace_bits 00000000');
    expect(r.stdout.split(/^Packet \d+$/m)[3]).toContain('acl-plugin-out-ip4-fa: ACL deny packets');
  });

  it('`session_timeout: { udp_idle: 30 }` (set acl-plugin session timeout udp idle 30): the reply 64 s later is denied, as it passes with the defaults', () => {
    const short = scenarioWith('udp-idle-30.yaml', ['      session_timeout: { udp_idle: 30 }']);
    // Idle from 1 s: checked at 30 s (idle 29 s, requeued) and at 60 s (idle 59 s > 30 s).
    expect(outputAclRecords(dpconform(['replay', '--scenario', short, '--input', capture(64)]).stdout)[2]).toContain('action: 0, match: acl 1 rule 0');
    expect(outputAclRecords(dpconform(['replay', '--scenario', scenario, '--input', capture(64)]).stdout)[2]).toContain('action: 3, match: acl -1 rule 0');
  });

  it('a reply inside the second after the check that found its session idle passes, and replay says that rests on the model (a note on stderr)', () => {
    const short = scenarioWith('udp-idle-30-slack.yaml', ['      session_timeout: { udp_idle: 30 }']);
    // Idle from 1 s, found idle by the check at 60 s; the reply at 60.5 s: VPP may have removed the
    // session by then or not (fa_node.c bounds the removal only from below); the model keeps it 1 s.
    const r = dpconform(['replay', '--scenario', short, '--input', capture(59.5)]);
    expect(outputAclRecords(r.stdout)[2]).toContain('action: 3, match: acl -1 rule 0');
    expect(r.errLines).toEqual(['dpconform: note: vpp1: 1 packet found an ACL session that the idle cleaner had already found idle: VPP removes such a session some time after that check (fa_node.c bounds it only from below), the model 1000 ms after it, so "session present" for it is the model\'s assumption']);
    // A reply before the check (the same session alive for VPP too): no note.
    expect(dpconform(['replay', '--scenario', short, '--input', capture(58)]).errLines).toEqual([]);
  });

  it('a capture spanning 30 days replays whole (the session clock once ended at 24.8 days: internal error, exit 3)', () => {
    const r = dpconform(['replay', '--scenario', scenario, '--input', capture(30 * 86400)]);
    expect(r.errLines).toEqual([]);
    expect(r.status).toBe(0);
    expect(outputAclRecords(r.stdout)[2]).toBe('acl-plugin: sw_if_index 1, next index 0, action: 0, match: acl 1 rule 0 trace_bits 00000000');
  });

  it('a timeout of 0 s is refused at its key (VPP would take it; the model needs at least 1 s)', () => {
    const zero = scenarioWith('udp-idle-0.yaml', ['      session_timeout: { udp_idle: 0 }']);
    const r = dpconform(['replay', '--scenario', zero, '--input', capture(1)]);
    expect(r.errLines).toEqual([`dpconform: ${zero} (line 18, key instances.vpp1.acl.session_timeout.udp_idle): expected an integer in [1, 4294967295]`]);
    expect(r.status).toBe(2);
  });
});
