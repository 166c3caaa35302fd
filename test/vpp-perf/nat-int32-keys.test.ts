// The session hashes store and compare key words as int32 (one element kind for every
// RecordIndex owner). Addresses at or above 128.0.0.0, ports at or above 32768 and protocol bytes
// with the top bit set make words at or above 2^31: a session registered under such a key must be
// found by the lookups a packet makes (words read as u32 from the packet), and only by its own key.

import { describe, expect, it } from 'vitest';
import { AddressPool } from '../../models/vpp/nat44/addresses.js';
import { MISS, NatThreadState } from '../../models/vpp/nat44/sessions.js';

const HIGH = [0xc0a80001, 0xfffffffe, 0x80000000];
const PORTS = [65535, 32768, 40000];

function state(): NatThreadState {
  return new NatThreadState(1000, 1_000_000, new AddressPool());
}

describe('NAT44 session keys with words at or above 2^31', () => {
  it('ED keys: a session registered under a high key is found by it, and not by a neighbour', () => {
    const t = state();
    const made: number[] = [];
    for (const [i, addr] of HIGH.entries()) {
      const s = t.allocate(t.userOf(addr, 0), true);
      t.hashEdIn2out(s, addr, 0xfe000001, 0xfe, 0xffffff, PORTS[i], 65535);
      t.hashEdOut2in(s, 0x8a000001, addr, 6, 0x800000, 32768, PORTS[i]);
      made.push(s);
    }
    for (const [i, addr] of HIGH.entries()) {
      expect(NatThreadState.getEd(t.in2outEd, addr, 0xfe000001, 0xfe, 0xffffff, PORTS[i], 65535)).toBe(made[i]);
      expect(NatThreadState.getEd(t.out2inEd, 0x8a000001, addr, 6, 0x800000, 32768, PORTS[i])).toBe(made[i]);
      expect(NatThreadState.getEd(t.in2outEd, addr, 0xfe000001, 0xfe, 0xffffff, PORTS[i], 65534)).toBe(MISS);
      expect(NatThreadState.getEd(t.out2inEd, 0x8a000001, addr ^ 1, 6, 0x800000, 32768, PORTS[i])).toBe(MISS);
    }
    // Deletion removes the high keys (it reads them back from the session's ED words).
    t.delete(made[0]);
    expect(NatThreadState.getEd(t.in2outEd, HIGH[0], 0xfe000001, 0xfe, 0xffffff, PORTS[0], 65535)).toBe(MISS);
    expect(NatThreadState.getEd(t.in2outEd, HIGH[1], 0xfe000001, 0xfe, 0xffffff, PORTS[1], 65535)).toBe(made[1]);
    expect(t.in2outEd.size).toBe(2);
    expect(t.out2inEd.size).toBe(2);
  });

  it('8-byte keys and users: high addresses, ports and FIBs round-trip', () => {
    const t = state();
    for (const [i, addr] of HIGH.entries()) NatThreadState.setKey8(t.out2in, addr, PORTS[i], 1, 0xffffffff, 100 + i);
    for (const [i, addr] of HIGH.entries()) {
      expect(NatThreadState.getKey8(t.out2in, addr, PORTS[i], 1, 0xffffffff)).toBe(100 + i);
      expect(NatThreadState.getKey8(t.out2in, addr, PORTS[i], 0, 0xffffffff)).toBe(MISS);
    }
    const u = t.userOf(0xfffffffe, 7);
    t.userOf(0x0a000001, 7);
    expect(t.userOf(0xfffffffe, 7)).toBe(u);
    expect(t.users[u].addr).toBe(0xfffffffe);
  });
});
