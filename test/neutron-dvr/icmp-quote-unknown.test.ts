// An ICMP error quotes the offending packet as it was: a port an earlier NAT chose at random
// (--random-fully, or a clash) is as unknown in the quote as in the packet, and so is the ICMP
// checksum over the quote - the capture's checksum is then verified for its own bytes. Scenario: the
// VM's UDP datagram leaves r1 SNATed --random-fully with TTL 1, and r2 answers time exceeded.
import { describe, it, expect } from 'vitest';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { parseDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { compareFrames } from '../../harness/check/compare.js';
import { setU16, u16 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import type { Packet } from '../../harness/wire/packet.js';
import { frame } from '../../lab/dvr/host-frames.js';

const SCENARIO = `
name: random-fully-ttl
segments: [tenant, transit, external]
namespaces:
  - name: vm-a
    role: host
    devices: [{ name: eth0, mac: 'fa:16:3e:00:00:0a', addresses: [10.0.0.10/24], segment: tenant }]
    routes: [{ dst: default, via: 10.0.0.1, dev: eth0 }]
  - name: r1
    role: router
    devices:
      - { name: sg, mac: 'fa:16:3e:00:00:01', addresses: [10.0.0.1/24], segment: tenant }
      - { name: qx, mac: 'fa:16:3e:00:00:02', addresses: [192.168.0.1/24], segment: transit }
    routes: [{ dst: default, via: 192.168.0.2, dev: qx }]
    neighbours:
      - { ip: 10.0.0.10, mac: 'fa:16:3e:00:00:0a', dev: sg }
      - { ip: 192.168.0.2, mac: 'fa:16:3e:00:00:03', dev: qx }
    iptables: |
      *nat
      :PREROUTING ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      -A POSTROUTING -o qx -j SNAT --to-source 192.168.0.1 --random-fully
      COMMIT
  - name: r2
    role: router
    devices:
      - { name: tx, mac: 'fa:16:3e:00:00:03', addresses: [192.168.0.2/24], segment: transit }
      - { name: ex, mac: 'fa:16:3e:00:00:04', addresses: [172.30.0.1/16], segment: external }
    neighbours:
      - { ip: 192.168.0.1, mac: 'fa:16:3e:00:00:02', dev: tx }
      - { ip: 172.30.0.11, mac: '02:00:ac:1e:00:0b', dev: ex }
  - name: ext
    role: host
    devices: [{ name: eth0, mac: '02:00:ac:1e:00:0b', addresses: [172.30.0.11/16], segment: external }]
`;

const ETH = 14;
const ICMP = ETH + 20;
const QUOTE = ICMP + 8;
const QUOTED_SPORT = QUOTE + 20;

/** r2's time exceeded as it leaves r2 toward r1 (before r1 translates it back). */
function timeExceeded(): Packet {
  const m = new DvrInstance(parseDvrScenario(SCENARIO, 'random-fully-ttl.yaml'));
  // TTL 2: r1 forwards it with TTL 1 (SNATed, port random), r2 cannot
  const udp = frame('fa:16:3e:00:00:0a', 'fa:16:3e:00:00:01', '10.0.0.10', '172.30.0.11', { proto: 'udp', sport: 40005, dport: 33434, ttl: 2, payload: new Uint8Array([1, 2, 3, 4]) });
  const outs = m.inject({ data: udp, meta: { linkType: 1, timestampNs: 0n } }, { instance: 'vm-a', interface: 'eth0' }).outputs;
  const errs = outs.filter((o) => o.meta.interfaceName === 'r2:tx' && o.data[23] === 1 && o.data[ICMP] === 11);
  expect(errs).toHaveLength(1);
  return errs[0];
}

/**
 * The kernel's frame: the model's with the port the kernel chose in the quote (the quoted UDP checksum
 * is the one the datagram carried with that port), ICMP checksum right or one bit off. (The two quoted
 * changes cancel in the ICMP sum, so an unfixed checksum would still be valid: the fault flips a bit.)
 */
function kernelFrame(p: Packet, port: number, fixChecksum: boolean): Packet {
  const b = p.data.slice();
  setU16(b, QUOTED_SPORT, port);
  const udpLen = u16(b, QUOTE + 2) - 20;
  setU16(b, QUOTED_SPORT + 6, 0);
  setU16(b, QUOTED_SPORT + 6, internetChecksum(b, QUOTED_SPORT, udpLen, pseudoHeaderSum4(b, QUOTE + 12, QUOTE + 16, 17, udpLen)));
  setU16(b, ICMP + 2, 0);
  setU16(b, ICMP + 2, internetChecksum(b, ICMP, b.length - ICMP) ^ (fixChecksum ? 0 : 0x0100));
  return { data: b, meta: { linkType: 1, timestampNs: 1n } };
}

describe('icmp_send quotes what the model did not know as unknown', () => {
  it('the quoted source port and the ICMP checksum are unknown; the rest of the quote is known', () => {
    const e = timeExceeded();
    const k = e.known!;
    expect(k.has(QUOTED_SPORT, 2)).toBe(false);
    expect(k.has(ICMP + 2, 2)).toBe(false);
    // the quoted header, the destination port and the ICMP type/code are still predicted
    expect(k.has(ICMP, 2)).toBe(true);
    expect(k.has(QUOTE, 20)).toBe(true);
    expect(k.has(QUOTED_SPORT + 2, 2)).toBe(true);
    expect(u16(e.data, QUOTED_SPORT + 2)).toBe(33434);
  });

  it('a capture with the kernel\'s random port in the quote and a valid ICMP checksum matches (was: a false quoted-port mismatch)', () => {
    const e = timeExceeded();
    expect(compareFrames(e, kernelFrame(e, 51234, true))).toBeUndefined();
    expect(compareFrames(e, kernelFrame(e, 1025, true))).toBeUndefined();
  });

  it('fault: the captured ICMP checksum stale for its own bytes is a divergence (verified in the golden)', () => {
    const e = timeExceeded();
    expect(compareFrames(e, kernelFrame(e, 51234, false))).toMatchObject({ field: 'icmp.checksum_valid', captured: false });
  });

  it('fault: another quoted destination port (a known byte) is still a divergence', () => {
    const e = timeExceeded();
    const k = kernelFrame(e, 51234, false);
    setU16(k.data, QUOTED_SPORT + 2, 33435);
    setU16(k.data, ICMP + 2, 0);
    setU16(k.data, ICMP + 2, internetChecksum(k.data, ICMP, k.data.length - ICMP));
    expect(compareFrames(e, k)?.field).toMatch(/dst_port/);
  });
});
