// ARP (vpp-facts §3.1): `{op}, type {hw}/{proto}, address size {hl}/{pl}` then, at the same column,
// `{sha}/{spa} -> {tha}/{tpa}`. Opcode and hardware-type names follow VPP's ethernet ARP tables
// (only the common ones are named here; others print as `unknown 0x{n:x}`, a guess not seen in a trace).

import { ip4ToString, macToString } from '../../wire/address.js';
import { etherTypeText } from './ethernet.js';
import { etherTypeFromName } from './names.js';
import { hexn, spaces } from './vppinfra.js';

export interface ArpHeaderRecord {
  kind: 'arp';
  opcode: number;
  hwType: number;
  protoType: number;
  hwLen: number;
  protoLen: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

const OPCODES: Record<number, string> = { 1: 'request', 2: 'reply', 3: 'reverse-request', 4: 'reverse-reply' };
const HW_TYPES: Record<number, string> = { 0: 'reserved', 1: 'ethernet' };

function nameOr(table: Record<number, string>, v: number): string {
  return table[v] ?? `unknown 0x${hexn(v)}`;
}
function fromName(table: Record<number, string>, s: string): number | undefined {
  const m = /^unknown 0x([0-9a-f]+)$/.exec(s);
  if (m) return parseInt(m[1], 16);
  for (const [k, v] of Object.entries(table)) if (v === s) return Number(k);
  return undefined;
}

export function formatArp(h: ArpHeaderRecord, col: number): string[] {
  return [
    `${spaces(col)}${nameOr(OPCODES, h.opcode)}, type ${nameOr(HW_TYPES, h.hwType)}/${etherTypeText(h.protoType)}, address size ${h.hwLen}/${h.protoLen}`,
    `${spaces(col)}${h.senderMac}/${h.senderIp} -> ${h.targetMac}/${h.targetIp}`,
  ];
}

// Each part has one place to end (no name holds a comma, no address a slash), so a long line is
// read in linear time: with `(.+?)` and `(\S+)\/(\S+)` a 16,000-character line of slashes took
// 240 ms and a 1 MB one minutes.
const L1 = /^([^,]+), type ([^,/]+)\/([^\s,]+), address size (\d+)\/(\d+)$/;
const L2 = /^(\S+)\/([^\s/]+) -> (\S+)\/([^\s/]+)$/;

export function parseArp(t: readonly string[], i: number): { h: ArpHeaderRecord; next: number } | undefined {
  const a = L1.exec(t[i] ?? '');
  const b = L2.exec(t[i + 1] ?? '');
  if (!a || !b) return undefined;
  const opcode = fromName(OPCODES, a[1]);
  const hwType = fromName(HW_TYPES, a[2]);
  const protoType = a[3].startsWith('0x') ? parseInt(a[3], 16) : etherTypeFromName(a[3]);
  if (opcode === undefined || hwType === undefined || protoType === undefined) return undefined;
  return {
    h: {
      kind: 'arp',
      opcode,
      hwType,
      protoType,
      hwLen: Number(a[4]),
      protoLen: Number(a[5]),
      senderMac: b[1],
      senderIp: b[2],
      targetMac: b[3],
      targetIp: b[4],
    },
    next: i + 2,
  };
}

export function arpFromBytes(b: Uint8Array, off: number): ArpHeaderRecord | undefined {
  if (b.length - off < 28) return undefined;
  return {
    kind: 'arp',
    hwType: (b[off] << 8) | b[off + 1],
    protoType: (b[off + 2] << 8) | b[off + 3],
    hwLen: b[off + 4],
    protoLen: b[off + 5],
    opcode: (b[off + 6] << 8) | b[off + 7],
    senderMac: macToString(b, off + 8),
    senderIp: ip4ToString(b, off + 14),
    targetMac: macToString(b, off + 18),
    targetIp: ip4ToString(b, off + 24),
  };
}
