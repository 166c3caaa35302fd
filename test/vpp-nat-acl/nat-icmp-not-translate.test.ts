// Whether an inside ICMP message without a session is translated (in2out slow path, input nodes):
// snat_not_translate (vpp-dev/vpp src/plugins/nat/in2out.c @ 2994d210) keys its out2in and
// static-mapping lookups with `udp0 = ip4_next_header (ip0); key0.port = udp0->dst_port;` for every
// protocol, so for ICMP the "port" is the ICMP checksum (bytes 2-3 of the ICMP header), not the echo
// identifier. With forwarding on, only such a hit makes the message translated.

import { describe, expect, it } from 'vitest';
import { u16 } from '../../harness/wire/bytes.js';
import { I2O } from '../../models/vpp/nat44/engine.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { ipBuffer } from './helpers.js';
import { echoRequest } from './icmp-packets.js';
import { INSIDE, natVm } from './nat-vm.js';

describe('snat_not_translate keys an ICMP message by its checksum', () => {
  it('an echo whose checksum equals a session port to the pool address is translated; one whose identifier does is not', () => {
    const vm = natVm({ forwarding: true, addresses: ['192.0.2.1'] });
    const nat = nat44Of(vm)!;
    // A session with out2in key {192.0.2.1, 16253 (the first draw from seed 0), ICMP}, made on the
    // output-feature path (nat_not_translate_output_feature has no forwarding test).
    const first = ipBuffer(echoRequest('10.0.0.5', '8.8.8.8', 0x1111), INSIDE);
    expect(nat.in2outSlow(vm, first, true)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    expect(u16(first.current(), 24)).toBe(16253);
    // Identifier 47234: an echo request's checksum is ~(0x0800 + id) = 0x3f7d = 16253.
    const byChecksum = ipBuffer(echoRequest('10.0.0.6', '192.0.2.1', 47234), INSIDE);
    expect(u16(byChecksum.current(), 22)).toBe(16253);
    expect(nat.in2outSlow(vm, byChecksum, false)).toMatchObject({ next: I2O.LOOKUP, session: 1 });
    // Identifier 16253 (checksum 0xb882): no out2in key, no mapping, forwarding on -> untranslated.
    const byId = ipBuffer(echoRequest('10.0.0.7', '192.0.2.1', 16253), INSIDE);
    const before = byId.current().slice();
    expect(nat.in2outSlow(vm, byId, false)).toMatchObject({ next: I2O.LOOKUP, session: -1 });
    expect(byId.current()).toEqual(before);
  });
});
