// Tracing off is the replay fast path (buffer reuse, no records, reused engine outcomes); it must
// not change what the model does. The same traffic - new flows, repeated SYNs hitting existing ACL
// and NAT sessions, and the backend's SYN-ACKs back through in2out - through two instances of the
// Contiv pod->service scenario, one tracing and one not, gives byte-identical output packets on the
// same interfaces, and the same live NAT session count.

import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { setU16, setU32, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const CLIENT_SIDE = { instance: 'k8s-master', interface: 'tap2' };
const BACKEND_SIDE = { instance: 'k8s-master', interface: 'tap4' };

/** The backend's SYN-ACK to a SYN the model delivered on tap4 (MACs, addresses and ports swapped). */
function synAck(f: Uint8Array): Uint8Array {
  const r = f.slice();
  r.set(f.subarray(6, 12), 0);
  r.set(f.subarray(0, 6), 6);
  const ip = 14;
  setU32(r, ip + 12, u32(f, ip + 16));
  setU32(r, ip + 16, u32(f, ip + 12));
  r[ip + 8] = 64;
  setU16(r, ip + 10, 0);
  setU16(r, ip + 10, internetChecksum(r, ip, 20));
  const tcp = ip + 20;
  r.set(f.subarray(tcp + 2, tcp + 4), tcp);
  r.set(f.subarray(tcp, tcp + 2), tcp + 2);
  setU32(r, tcp + 8, (u32(f, tcp + 4) + 1) >>> 0);
  setU32(r, tcp + 4, 0x1000);
  r[tcp + 13] = 0x12;
  const l4Len = r.length - tcp;
  setU16(r, tcp + 16, 0);
  setU16(r, tcp + 16, internetChecksum(r, tcp, l4Len, pseudoHeaderSum4(r, ip + 12, ip + 16, 6, l4Len)));
  return r;
}

type Out = { itf: string | undefined; hex: string };

async function replay(ports: number[], tracing: boolean): Promise<{ out: Out[]; sessions: number; traced: number }> {
  const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
  inst.setTracing(tracing);
  const out: Out[] = [];
  let traced = 0;
  // The seed's client pod (the scenario routes its address back to tap2), many source ports.
  const client = ip4ToU32('10.1.1.3');
  for (const port of ports) {
    const data = new Uint8Array(74);
    synFrame(data, client, 1024 + port);
    const r = inst.inject({ data, meta: { linkType: LinkType.ETHERNET } } as Packet, CLIENT_SIDE);
    traced += r.traces.length;
    for (const p of r.outputs) {
      out.push({ itf: p.meta.interfaceName, hex: Buffer.from(p.data).toString('hex') });
      if (p.meta.interfaceName !== 'tap4') continue;
      const back = inst.inject({ data: synAck(p.data), meta: { linkType: LinkType.ETHERNET } } as Packet, BACKEND_SIDE);
      traced += back.traces.length;
      for (const q of back.outputs) out.push({ itf: q.meta.interfaceName, hex: Buffer.from(q.data).toString('hex') });
    }
  }
  return { out, sessions: nat44Of(inst.vm('k8s-master'))!.thread.sessions.size, traced };
}

describe('tracing on and off give the same packets', () => {
  it('new and repeated pod->service flows with replies: identical outputs, sessions; traces only when on', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(20), { minLength: 1, maxLength: 40 }), async (flows) => {
        const on = await replay(flows, true);
        const off = await replay(flows, false);
        expect(off.out).toEqual(on.out);
        expect(off.sessions).toBe(on.sessions);
        // Each SYN is delivered (tap4) and each SYN-ACK translated back to the client (tap2).
        expect(on.out.filter((o) => o.itf === 'tap4')).toHaveLength(flows.length);
        expect(on.out.filter((o) => o.itf === 'tap2')).toHaveLength(flows.length);
        expect(on.traced).toBe(2 * flows.length);
        expect(off.traced).toBe(0);
      }),
      { numRuns: 15 },
    );
  });
});
