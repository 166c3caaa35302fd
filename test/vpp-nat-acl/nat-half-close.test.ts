// NAT44 TCP close (vpp-facts §8.5) when the FINs and their ACKs come apart: the client's FIN, the
// backend's pure ACK of it, the backend's FIN without an ACK, then the client's ACK of that FIN. The
// session is freed by the last packet, exactly as when each FIN carries the ACK of the other - the
// common close, which cannot tell an ACK of one side's FIN from an ACK of the other's.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { fromHex } from '../../harness/wire/bytes.js';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { tcpFrame, tcpFrameLength, type TcpSegment } from '../../bench/tcp-frame.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const MAC = { tap2: fromHex('02fe163f5f0f'), tap4: fromHex('02fe10037c4d') };
const POD = fromHex('000000000002');
const CLIENT = ip4ToU32('10.1.1.3');
const VIP = ip4ToU32('10.104.221.85');
const BACKEND = ip4ToU32('10.1.1.5');

const FIN = 0x01;
const SYN = 0x02;
const ACK = 0x10;

function segment(from: 'client' | 'backend', flags: number, seq: number, ack: number) {
  const client = from === 'client';
  const s: TcpSegment = {
    dstMac: client ? MAC.tap2 : MAC.tap4,
    srcMac: POD,
    src: client ? CLIENT : BACKEND,
    dst: client ? VIP : CLIENT,
    ipId: 1,
    ttl: 64,
    df: true,
    sport: client ? 40000 : 8080,
    dport: client ? 80 : 40000,
    seq,
    ack,
    flags,
    window: 29200,
    options: new Uint8Array(0),
    payload: new Uint8Array(0),
  };
  const data = new Uint8Array(tcpFrameLength(s));
  tcpFrame(data, s);
  return { data, meta: { linkType: LinkType.ETHERNET, interfaceName: client ? 'tap2' : 'tap4' } };
}

describe('NAT44 TCP close with the FINs and their ACKs apart', () => {
  it('the session lives until the client ACKs the backend FIN, and is freed by that ACK', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const sessions = () => nat44Of(inst.vm('k8s-master'))!.thread.sessions.size;
    const steps: [ReturnType<typeof segment>, number][] = [
      [segment('client', SYN, 100, 0), 1],
      [segment('backend', SYN | ACK, 500, 101), 1],
      [segment('client', ACK, 101, 501), 1],
      [segment('client', FIN | ACK, 101, 501), 1],
      [segment('backend', ACK, 501, 102), 1], // the backend ACKs the client's FIN, sends no FIN
      [segment('backend', FIN, 501, 0), 1], // its FIN, without an ACK
      [segment('client', ACK, 102, 502), 0], // the client ACKs it: both FINs acknowledged
    ];
    steps.forEach(([packet, expected], i) => {
      expect(inst.inject(packet, { instance: 'k8s-master' }).outputs, `step ${i}`).toHaveLength(1);
      expect(sessions(), `sessions after step ${i}`).toBe(expected);
    });
  });
});
