// Neighbour resolution over time, on the capture clock: fip forwards the VM's datagrams to 172.30.0.99,
// on fg-'s subnet, which nobody has. Seen in the lab (LAB_ONLY=extra, udp-series): fip sent 3 ARP
// requests "who-has 172.30.0.99 tell 172.30.89.129", 1 s apart (the timer wheel added ~23 ms each), and
// 1 s after the third answered each queued datagram, oldest first, with ICMP host unreachable from
// 169.254.106.115 (TOS 0xc0, TTL 64, no DF, the whole datagram quoted as queued: TTL 62, source the
// floating IP), un-SNATed by qrouter on the way to the VM. net/core/neighbour.c (__neigh_event_send,
// neigh_timer_handler, neigh_invalidate), net/ipv4/arp.c (arp_tbl defaults, arp_error_report).
import { describe, it, expect } from 'vitest';
import { buildArp, ARP_REPLY, ARP_REQUEST, readArp } from '../../models/neutron-dvr/arp.js';
import { u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import type { Injection } from '../../harness/model.js';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';
import { S, T0, at, model } from './capture-clock.js';

const VM = { instance: 'vm-a7884fb1', interface: 'eth0' };
const EXT = { instance: 'ext-host', interface: 'eth0' };
const VM_MAC = 'fa:16:3e:66:15:3c';
const QR_MAC = 'fa:16:3e:b0:bc:f0';
const FG_MAC = 'fa:16:3e:6f:c7:c5';
const EXT_MAC = '02:00:ac:1e:00:0b';
const FG_DEV = 'fip-cb1f1abb-443c-49df-b863-ba4cebf10d18:fg-73de653f-c4';
const GONE = '172.30.0.99';

const datagram = (n: number): Uint8Array => {
  const f: Flow = { proto: 'udp', sport: 40100, dport: 33380, ttl: 64, payload: new TextEncoder().encode(`dpconform udp queued ${n}`) };
  return frame(VM_MAC, QR_MAC, '10.0.111.9', GONE, f);
};

/** fip's ARP requests for 172.30.0.99 on fg- in what one injection sent. */
const solicits = (r: Injection) => r.outputs.filter((o) => o.meta.interfaceName === FG_DEV && u16(o.data, 12) === 0x0806).map((o) => readArp(o.data)!).filter((a) => a.op === ARP_REQUEST && a.tip === ip4ToU32(GONE));
/** The ICMP errors that reached the VM. */
const errorsAtVm = (r: Injection) => r.outputs.filter((o) => o.meta.interfaceName === 'vm-a7884fb1:eth0' && u16(o.data, 12) === 0x0800 && o.data[23] === 1);

describe('neighbour resolution on the capture clock (neigh_timer_handler)', () => {
  it('probes 3 times 1 s apart, then answers every queued datagram with host unreachable, oldest first', async () => {
    const m = await model();
    const first = m.inject(at(datagram(0), T0), VM);
    expect(solicits(first).map((a) => a.sip)).toEqual([ip4ToU32('172.30.89.129')]); // inet_select_addr on fg-
    const second = m.inject(at(datagram(1), T0 + S / 2n), VM);
    expect(solicits(second)).toHaveLength(0); // INCOMPLETE: queued behind the first, no probe of its own
    // The next input, 5 s later: the timers due before it fire first, within its injection.
    const later = m.inject(at(datagram(2), T0 + 5n * S), VM);
    const timerStages = later.traces.flatMap((t) => t.stages).filter((s) => s.node === 'fip-cb1f1abb/neigh_timer');
    expect(timerStages.map((s) => s.fields.nud ?? 'INCOMPLETE')).toEqual(['INCOMPLETE', 'INCOMPLETE', 'FAILED']);
    // 2 retransmits, then the failure; the datagram at +5 s finds the entry FAILED and starts again: 1 more
    expect(solicits(later)).toHaveLength(3);
    const errs = errorsAtVm(later);
    expect(errs).toHaveLength(2);
    errs.forEach((e, i) => {
      const d = e.data;
      expect([d[34], d[35]]).toEqual([3, 1]); // ICMP_DEST_UNREACH / ICMP_HOST_UNREACH
      expect(u32(d, 26)).toBe(ip4ToU32('169.254.106.115')); // fip's source toward the floating IP: fpr-'s address
      expect(d[15]).toBe(0xc0);
      expect(d[22]).toBe(63); // 64, minus qrouter's forward
      expect(u16(d, 20) & 0x4000).toBe(0); // no DF
      expect(u32(d, 30)).toBe(ip4ToU32('10.0.111.9')); // un-SNATed by qrouter
      const sent = datagram(i);
      const quote = d.subarray(42);
      expect(quote.length).toBe(sent.length - 14); // the whole datagram
      expect(quote[8]).toBe(62); // as queued in fip: qrouter and fip each took one
      expect(quote.subarray(28)).toEqual(sent.subarray(42)); // payload: the oldest first
      expect(u32(quote, 12)).toBe(ip4ToU32('10.0.111.9'));
      expect(internetChecksum(d, 34, d.length - 34)).toBe(0);
    });
    // Restarted: its own 3 probes and its error come when the model is told the capture went on.
    const end = m.finish(T0 + 10n * S);
    expect(solicits(end)).toHaveLength(2);
    expect(errorsAtVm(end)).toHaveLength(1);
  });

  it('an answer before the failure sends the queue and stops the timer', async () => {
    const m = await model();
    m.inject(at(datagram(0), T0), VM);
    m.inject(at(datagram(1), T0 + S / 4n), VM);
    const reply = buildArp(ARP_REPLY, EXT_MAC, ip4ToU32(GONE), ip4ToU32('172.30.89.129'), FG_MAC);
    const r = m.inject(at(reply, T0 + (3n * S) / 2n), EXT);
    expect(solicits(r)).toHaveLength(1); // the retransmit at +1 s, before the answer at +1.5 s
    const released = r.outputs.filter((o) => o.meta.interfaceName === 'ext-host:eth0' && u16(o.data, 12) === 0x0800);
    expect(released.map((o) => o.data.subarray(0, 6))).toEqual([0, 1].map(() => new Uint8Array([2, 0, 0xac, 0x1e, 0, 0xb])));
    expect(released.map((o) => o.data.at(-1))).toEqual([0x30, 0x31]); // "...queued 0", "...queued 1", in order
    const end = m.finish();
    expect(solicits(end)).toHaveLength(0);
    expect(errorsAtVm(end)).toHaveLength(0);
  });

  it('finish runs only the timers due by the end of the capture', async () => {
    const m = await model();
    m.inject(at(datagram(0), T0), VM);
    expect(solicits(m.finish(T0 + S + S / 2n))).toHaveLength(1); // the retransmit at +1 s; +2 s is after the end
    const rest = m.finish();
    expect(solicits(rest)).toHaveLength(1);
    expect(errorsAtVm(rest)).toHaveLength(1);
  });

  it('inputs without timestamps arm no timer: the queue waits, as before the model had a clock', async () => {
    const m = await model();
    expect(solicits(m.inject(at(datagram(0)), VM))).toHaveLength(1);
    const end = m.finish();
    expect(end.outputs).toHaveLength(0);
  });
});
