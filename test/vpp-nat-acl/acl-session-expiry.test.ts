// ACL plugin sessions expire on the packets' clock (capture timestamps), by VPP 18.01's cleaner
// (FDio/vpp src/plugins/acl/fa_node.c @ 1d639257, acl_fa_check_idle_sessions): a list head is checked
// once its enqueue time + the SHORTEST timeout has passed; it is requeued (stamped with the check's
// time) while `now < last_active_time + timeout(class)`, else deleted. A lookup never tests a
// session's age. Defaults (acl.h): UDP idle 600 s, TCP idle (established) 86400 s, TCP transient
// 120 s; so with the defaults every session is checked every 120 s after it was enqueued. The model
// removes a session CLEANER_SLACK_MS after the check that found it idle (the window where VPP's
// later-running cleaner may still hold it: answered "still present").

import { describe, expect, it } from 'vitest';
import { Fault, type Vm } from '../../models/vpp/graph.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';
import { DYING } from '../../models/vpp/acl/conn-lists.js';
import { CLEANER_SLACK_MS, IdleCleaner } from '../../models/vpp/acl/idle-cleaner.js';
import { TimeoutClass } from '../../models/vpp/acl/sessions.js';
import { reflectInDenyOut, tap1Packet } from './acl-tap1.js';

/** Some capture's epoch: the clock counts from the first timestamped packet. */
const EPOCH_MS = 1_700_000_000_000;
const SLACK_S = CLEANER_SLACK_MS / 1000;
const ST = { SYN: 0x02, SYN_ACK: 0x12, ACK: 0x10 };

const reflectiveTap = (sessionTimeout?: Record<string, number>): Vm => reflectInDenyOut(undefined, sessionTimeout);

/**
 * A packet of the client 10.0.0.1:port <-> 10.0.0.2:80 flow on tap1 at `sec` seconds into the
 * capture (undefined: no timestamp): the client's on input, the server's on output.
 */
function at(vm: Vm, sec: number | undefined, dir: 'client' | 'server', proto: 6 | 17, port: number, flags = ST.SYN): Record<string, unknown> {
  vm.nowMs = sec === undefined ? NaN : EPOCH_MS + Math.round(sec * 1000);
  return tap1Packet(vm, dir === 'client' ? 'in' : 'out', proto, port, flags);
}

const HIT = { action: 3, acl: -1 };
const DENIED = { action: 0, acl: 1, rule: 0 };

describe('ACL session expiry: UDP idle (600 s, checked every 120 s)', () => {
  it('a reply 599 s after the request finds the session; 600 s + the slack after, it meets the deny', () => {
    const vm = reflectiveTap();
    expect(at(vm, 0, 'client', 17, 5000)).toMatchObject({ action: 2 });
    expect(at(vm, 599, 'server', 17, 5000)).toMatchObject(HIT);
    const other = reflectiveTap();
    expect(at(other, 0, 'client', 17, 5000)).toMatchObject({ action: 2 });
    // Checked at 120 ... 480 (idle less than 600 s: requeued), at 600 found idle (600 < 0 + 600 is
    // false), removed after the slack.
    expect(at(other, 600 + SLACK_S + 0.001, 'server', 17, 5000)).toMatchObject(DENIED);
    expect(aclOf(other).sessions.size).toBe(0);
  });

  it('a packet at 10 s moves the deadline to 610 s, which only the check at 720 s sees: a reply at 700 s still passes', () => {
    const vm = reflectiveTap();
    at(vm, 0, 'client', 17, 5000);
    at(vm, 10, 'client', 17, 5000);
    expect(at(vm, 700, 'server', 17, 5000)).toMatchObject(HIT);
    const other = reflectiveTap();
    at(other, 0, 'client', 17, 5000);
    at(other, 10, 'client', 17, 5000);
    expect(at(other, 720 + SLACK_S + 0.001, 'server', 17, 5000)).toMatchObject(DENIED);
  });

  it('inside the slack after the check the session is still there (the conservative answer), and that hit keeps it', () => {
    const vm = reflectiveTap();
    at(vm, 0, 'client', 17, 5000);
    expect(at(vm, 600.5, 'server', 17, 5000)).toMatchObject(HIT);
    // Revived at 600.5 s: the next check is a whole UDP timeout later.
    expect(at(vm, 1100, 'server', 17, 5000)).toMatchObject(HIT);
  });

  it('the freed pool index is the next session\'s (LIFO), as the deletion frees it in VPP', () => {
    const vm = reflectiveTap();
    at(vm, 0, 'client', 17, 5000); // session 0
    at(vm, 300, 'client', 17, 5001); // session 1, idle until 300 + 600 = 900: checked at 960
    expect(at(vm, 700, 'client', 17, 5002)).toMatchObject({ action: 2 }); // 0 is gone: index 0 again
    expect(at(vm, 701, 'server', 17, 5002)).toMatchObject({ ...HIT, rule: 0 });
    expect(at(vm, 702, 'server', 17, 5001)).toMatchObject({ ...HIT, rule: 1 });
  });
});

describe('ACL session expiry: TCP classes', () => {
  it('transient (a SYN only, 120 s): a SYN-ACK at 119 s passes, one at 121 s + the slack is denied', () => {
    const vm = reflectiveTap();
    at(vm, 0, 'client', 6, 1000);
    expect(at(vm, 119, 'server', 6, 1000, ST.SYN_ACK)).toMatchObject(HIT);
    const other = reflectiveTap();
    at(other, 0, 'client', 6, 1000);
    expect(at(other, 120 + SLACK_S + 0.001, 'server', 6, 1000, ST.SYN_ACK)).toMatchObject(DENIED);
  });

  it('established (86400 s by default): an hour of silence changes nothing; with `tcp idle 300` it is gone after the check at 361 s', () => {
    const handshake = (vm: Vm) => {
      at(vm, 0, 'client', 6, 1000);
      at(vm, 0.5, 'server', 6, 1000, ST.SYN_ACK);
      // Established at 1 s: the session moves to the TCP idle list, enqueued at 1 s.
      expect(at(vm, 1, 'client', 6, 1000, ST.ACK)).toMatchObject({ trace_bits: 0x80010201 });
    };
    const vm = reflectiveTap();
    handshake(vm);
    expect(at(vm, 3601, 'server', 6, 1000, ST.ACK)).toMatchObject(HIT);
    const short = reflectiveTap({ tcp_idle: 300 });
    handshake(short);
    // Checked at 121, 241 (idle less than 300 s since 1 s), 361: idle since 1 s > 300 s.
    expect(at(short, 361, 'server', 6, 1000, ST.ACK)).toMatchObject(HIT);
    const short2 = reflectiveTap({ tcp_idle: 300 });
    handshake(short2);
    expect(at(short2, 361 + SLACK_S + 0.001, 'server', 6, 1000, ST.ACK)).toMatchObject(DENIED);
  });

  it('`udp idle 30` makes 30 s the shortest timeout: every list is checked every 30 s', () => {
    const vm = reflectiveTap({ udp_idle: 30 });
    at(vm, 0, 'client', 17, 5000);
    at(vm, 0, 'client', 6, 1000);
    expect(at(vm, 31 + SLACK_S, 'server', 17, 5000)).toMatchObject(DENIED);
    // The transient session (120 s) is checked at 30, 60, 90, 120 (found idle), 150 ...
    expect(at(vm, 120, 'server', 6, 1000, ST.SYN_ACK)).toMatchObject(HIT);
    const other = reflectiveTap({ udp_idle: 30 });
    at(other, 0, 'client', 6, 1000);
    expect(at(other, 120 + SLACK_S + 0.001, 'server', 6, 1000, ST.SYN_ACK)).toMatchObject(DENIED);
  });
});

describe('ACL session expiry: what keeps sessions', () => {
  it('packets without timestamps (trace text) never expire a session', () => {
    const vm = reflectiveTap();
    at(vm, undefined, 'client', 17, 5000);
    expect(at(vm, undefined, 'server', 17, 5000)).toMatchObject(HIT);
    // The first timestamp starts the clock; the session counts as made then.
    at(vm, 0, 'server', 17, 5000);
    expect(at(vm, 599, 'server', 17, 5000)).toMatchObject(HIT);
  });

  it('fault acl-session-expiry: the reply long after is let out (the checks above fail without expiry)', () => {
    const vm = reflectiveTap();
    vm.faults.add(Fault.ACL_SESSION_EXPIRY);
    at(vm, 0, 'client', 17, 5000);
    expect(at(vm, 3600, 'server', 17, 5000)).toMatchObject(HIT);
    vm.faults.delete(Fault.ACL_SESSION_EXPIRY);
    expect(at(vm, 7200 + 720, 'server', 17, 5000)).toMatchObject(DENIED);
  });

  it('the lists: an idle session waits on DYING for the slack, then is gone', () => {
    const vm = reflectiveTap();
    at(vm, 0, 'client', 17, 5000);
    const table = aclOf(vm).sessions;
    at(vm, 600.5, 'client', 6, 1); // another flow's packet moves the clock past the check at 600 s
    expect(table.listOf(DYING)).toEqual([0]);
    expect(table.listOf(TimeoutClass.UDP_IDLE)).toEqual([]);
    at(vm, 601.5, 'client', 6, 2);
    expect(table.listOf(DYING)).toEqual([]);
    expect(table.listOf(TimeoutClass.TCP_TRANSIENT)).toEqual([1, 0]);
  });

  it('a full table recycles a TCP transient session the cleaner found idle before the transient list head', () => {
    const vm = reflectInDenyOut(3);
    at(vm, 0, 'client', 6, 1000); // 0: transient, idle from 0 s
    at(vm, 50, 'client', 6, 1001); // 1: transient
    at(vm, 60, 'client', 17, 5000); // 2: UDP; the table is full
    // At 120.5 s the check at 120 s found session 0 idle: it waits on DYING, and goes first.
    expect(at(vm, 120.5, 'client', 6, 2000)).toMatchObject({ action: 2 });
    expect(at(vm, 120.6, 'server', 6, 2000, ST.SYN_ACK)).toMatchObject({ ...HIT, rule: 0 });
    expect(at(vm, 120.7, 'server', 6, 1001, ST.SYN_ACK)).toMatchObject({ ...HIT, rule: 1 });
  });

  it('a session timeout below 1 s is refused (0 would make every check due again at once)', () => {
    expect(() => new IdleCleaner([0, 86400, 120])).toThrow(RangeError);
  });
});
