// Captures for check made by the VPP model itself (a self-consistency set, not evidence of VPP):
// SYNs from the Contiv pod->service scenario's client pod on tap2, one per `spacingNs`, and the
// DNATed SYN the model sends on tap4 for each, captured at its input's time.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { VppInstance } from '../../models/vpp/index.js';
import { loadScenario } from '../../models/vpp/configure.js';
import { synFrame } from '../../bench/replay.js';

export const POD_TO_SERVICE = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));

/** `count` SYNs sent on tap2 and, per SYN, the frame delivered on tap4 (same index). */
export function podToServiceSyns(count: number, spacingNs: bigint): { sent: Packet[]; delivered: Packet[] } {
  const model = new VppInstance(loadScenario(POD_TO_SERVICE));
  model.setTracing(false);
  const sent: Packet[] = [];
  const delivered: Packet[] = [];
  for (let i = 0; i < count; i++) {
    const data = new Uint8Array(74);
    synFrame(data, ip4ToU32('10.1.1.3'), 2000 + i);
    const p: Packet = { data, meta: { linkType: LinkType.ETHERNET, timestampNs: BigInt(i + 1) * spacingNs } };
    sent.push(p);
    const outputs = model.inject(p, { instance: 'k8s-master', interface: 'tap2' }).outputs;
    if (outputs.length !== 1 || outputs[0].meta.interfaceName !== 'tap4') throw new Error(`SYN ${i}: not one frame on tap4`);
    delivered.push({ data: outputs[0].data.slice(), meta: { linkType: LinkType.ETHERNET, timestampNs: p.meta.timestampNs } });
  }
  return { sent, delivered };
}

/** A one-interface pcapng of `packets` (nanosecond times). */
export function writeCapture(file: string, iface: string, packets: Packet[]): void {
  writeFileSync(file, encodePcapng(packets.map((p) => ({ data: p.data, meta: { linkType: 1, timestampNs: p.meta.timestampNs, interfaceId: 0 } })), { nanosecond: true, interfaces: [{ linkType: 1, name: iface }] }));
}
