// af-packet-input (vpp-facts §4.4, 18.01 form; the newer `rx-queue {q}` in line 1 is accepted too):
//   af_packet: hw_if_index {hw} next-index {n}
//     tpacket2_hdr:
//       status 0x{status:x} len {len:u} snaplen {snaplen:u} mac {mac:u} net {net:u}
//       sec 0x{sec:x} nsec 0x{nsec:x} vlan {tci} vlan_tpid {tpid:u}

import { dec, hexn, udec } from '../format/vppinfra.js';
import { type NodeKind, expectEnd, match, trimAll } from './kind.js';

export interface AfPacketInputRecord {
  hwIfIndex: number;
  /** Only newer VPP prints it. */
  rxQueue?: number;
  nextIndex: number;
  status: number;
  len: number;
  snaplen: number;
  mac: number;
  net: number;
  sec: number;
  nsec: number;
  vlan: number;
  /** Absent when VPP was built without TP_STATUS_VLAN_TPID_VALID. */
  vlanTpid?: number;
}

const L1 = /^af_packet: hw_if_index (-?\d+)(?: rx-queue (\d+))? next-index (-?\d+)$/;
const L3 = /^status 0x([0-9a-f]+) len (\d+) snaplen (\d+) mac (\d+) net (\d+)$/;
const L4 = /^sec 0x([0-9a-f]+) nsec 0x([0-9a-f]+) vlan (\d+)(?: vlan_tpid (\d+))?$/;

export const afPacketInput: NodeKind<AfPacketInputRecord> = {
  kind: 'af-packet-input',
  format(r) {
    return [
      `  af_packet: hw_if_index ${dec(r.hwIfIndex)}${r.rxQueue !== undefined ? ` rx-queue ${udec(r.rxQueue)}` : ''} next-index ${dec(r.nextIndex)}`,
      '    tpacket2_hdr:',
      `      status 0x${hexn(r.status)} len ${udec(r.len)} snaplen ${udec(r.snaplen)} mac ${udec(r.mac)} net ${udec(r.net)}`,
      `      sec 0x${hexn(r.sec)} nsec 0x${hexn(r.nsec)} vlan ${udec(r.vlan)}${r.vlanTpid !== undefined ? ` vlan_tpid ${udec(r.vlanTpid)}` : ''}`,
    ];
  },
  parse(lines) {
    const t = trimAll(lines);
    const a = match(L1, t, 0, 'af_packet');
    match(/^tpacket2_hdr:$/, t, 1, 'tpacket2_hdr');
    const c = match(L3, t, 2, 'tpacket status');
    const d = match(L4, t, 3, 'tpacket sec');
    expectEnd(t, 4);
    const r: AfPacketInputRecord = {
      hwIfIndex: Number(a[1]),
      nextIndex: Number(a[3]),
      status: parseInt(c[1], 16),
      len: Number(c[2]),
      snaplen: Number(c[3]),
      mac: Number(c[4]),
      net: Number(c[5]),
      sec: parseInt(d[1], 16),
      nsec: parseInt(d[2], 16),
      vlan: Number(d[3]),
    };
    if (a[2] !== undefined) r.rxQueue = Number(a[2]);
    if (d[4] !== undefined) r.vlanTpid = Number(d[4]);
    return r;
  },
  toFields(r, out) {
    out.hw_if_index = r.hwIfIndex;
    out.next_index = r.nextIndex;
    out.status = r.status;
    out.len = r.len;
    out.snaplen = r.snaplen;
    out.sec = r.sec;
    out.nsec = r.nsec;
    out.vlan = r.vlan;
  },
};
