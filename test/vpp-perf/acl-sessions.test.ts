// AclSessionTable answers a lookup whose key interface (lsb16) has no live session without reading
// its hash; that shortcut must never hide a session. Against a Map of the keys through adds,
// deletions (LIFO index reuse) and lookups on a few interfaces, and with a spy on the hash.

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { AclSessionTable, MISS, TimeoutClass } from '../../models/vpp/acl/sessions.js';
import { emptyFiveTuple, sessionKey, type FiveTuple } from '../../models/vpp/acl/five-tuple.js';
import type { RecordIndex } from '../../models/vpp/record-index.js';

function tuple(src: number, sw: number): FiveTuple {
  const t = emptyFiveTuple();
  t.src = src;
  t.dst = 0x0a68dd55;
  t.proto = 6;
  t.port0 = 1024 + src;
  t.port1 = 80;
  t.swIfIndex = sw;
  t.lsb16 = sw & 0xffff;
  return t;
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), src: fc.nat(5), sw: fc.nat(3) }),
  fc.record({ kind: fc.constant('delete' as const), nth: fc.nat(20) }),
  fc.record({ kind: fc.constant('find' as const), src: fc.nat(5), sw: fc.nat(3), isInput: fc.boolean() }),
);

describe('AclSessionTable', () => {
  it('finds exactly the live sessions, whatever interfaces they were made on', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const table = new AclSessionTable(1000);
        const ref = new Map<string, number>();
        const live: { key: string; s: number }[] = [];
        for (const o of ops) {
          if (o.kind === 'add') {
            const t = tuple(o.src, o.sw);
            const k = sessionKey(t, true);
            const name = [...k].join(':');
            if (ref.has(name)) continue;
            const s = table.add(k, t, true);
            ref.set(name, s);
            live.push({ key: name, s });
          } else if (o.kind === 'delete') {
            if (live.length === 0) continue;
            const [gone] = live.splice(o.nth % live.length, 1);
            table.delete(gone.s);
            ref.delete(gone.key);
          } else {
            const k = sessionKey(tuple(o.src, o.sw), o.isInput);
            expect(table.find(k)).toBe(ref.get([...k].join(':')) ?? MISS);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('does not read the hash for a key on an interface without live sessions', () => {
    const table = new AclSessionTable(10);
    const get = vi.spyOn(table['byKey'] as RecordIndex, 'get');
    const made = table.add(sessionKey(tuple(1, 2), true), tuple(1, 2), true);
    expect(table.find(sessionKey(tuple(1, 3), false))).toBe(MISS);
    expect(get).not.toHaveBeenCalled();
    expect(table.find(sessionKey(tuple(1, 2), true))).toBe(made);
    expect(get).toHaveBeenCalledTimes(1);
    table.delete(made);
    expect(table.find(sessionKey(tuple(1, 2), true))).toBe(MISS);
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('tracks TCP flags per direction in the record and reports the timeout class before and after', () => {
    const table = new AclSessionTable(10);
    const withFlags = (flags: number, valid = true) => {
      const t = tuple(1, 2);
      t.tcpFlags = flags;
      t.tcpFlagsValid = valid;
      return t;
    };
    const classes = (before: number, after: number) => before | (after << 8);
    const track = (s: number, t: FiveTuple, isInput: boolean) => table.trackClasses(s, t.tcpFlagsValid, t.tcpFlags, isInput);
    // SYN on input makes the session; the SYN-ACK on output keeps it transient; the ACK on input
    // completes SYN+ACK both ways: established.
    const s = table.add(sessionKey(tuple(1, 2), true), withFlags(0x02), true);
    expect(track(s, withFlags(0x12), false)).toBe(classes(TimeoutClass.TCP_TRANSIENT, TimeoutClass.TCP_TRANSIENT));
    expect(track(s, withFlags(0x10, false), true)).toBe(classes(TimeoutClass.TCP_TRANSIENT, TimeoutClass.TCP_TRANSIENT));
    expect(track(s, withFlags(0x10), true)).toBe(classes(TimeoutClass.TCP_TRANSIENT, TimeoutClass.TCP_IDLE));
    // A FIN seen leaves SYN+ACK-only: transient again.
    expect(track(s, withFlags(0x11), false)).toBe(classes(TimeoutClass.TCP_IDLE, TimeoutClass.TCP_TRANSIENT));
    const udp = tuple(3, 2);
    udp.proto = 17;
    const u = table.add(sessionKey(udp, true), udp, true);
    expect(track(u, udp, false)).toBe(classes(TimeoutClass.UDP_IDLE, TimeoutClass.UDP_IDLE));
  });
});
