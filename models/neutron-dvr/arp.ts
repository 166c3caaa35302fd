// ARP frames as the kernel's arp_create builds them (Ethernet, 42 bytes, no padding on a veth).

import { u16, u32, setU16, setU32 } from '../../harness/wire/bytes.js';
import { macToBytes, macToString } from '../../harness/wire/address.js';
import { u32ToIp4 } from './addr.js';
import { BROADCAST, ETHERTYPE_ARP, ETH_LEN } from './frame.js';

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export interface ArpFields {
  op: number;
  sha: string;
  sip: number;
  tha: string;
  tip: number;
}

export function readArp(b: Uint8Array): ArpFields | undefined {
  if (b.length < ETH_LEN + 28 || u16(b, ETH_LEN) !== 1 || u16(b, ETH_LEN + 2) !== 0x0800 || b[ETH_LEN + 4] !== 6 || b[ETH_LEN + 5] !== 4) return undefined;
  return { op: u16(b, ETH_LEN + 6), sha: macToString(b, ETH_LEN + 8), sip: u32(b, ETH_LEN + 14), tha: macToString(b, ETH_LEN + 18), tip: u32(b, ETH_LEN + 24) };
}

/** arp_create: target hardware address zero for requests, Ethernet destination broadcast. */
export function buildArp(op: number, srcMac: string, sip: number, tip: number, targetMac?: string): Uint8Array {
  const b = new Uint8Array(ETH_LEN + 28);
  macToBytes(op === ARP_REQUEST ? BROADCAST : targetMac!, b, 0);
  macToBytes(srcMac, b, 6);
  setU16(b, 12, ETHERTYPE_ARP);
  setU16(b, 14, 1);
  setU16(b, 16, 0x0800);
  b[18] = 6;
  b[19] = 4;
  setU16(b, 20, op);
  macToBytes(srcMac, b, 22);
  setU32(b, 28, sip);
  if (targetMac && op !== ARP_REQUEST) macToBytes(targetMac, b, 32);
  setU32(b, 38, tip);
  return b;
}

export function arpText(a: ArpFields): string {
  return a.op === ARP_REQUEST ? `request who-has ${u32ToIp4(a.tip)} tell ${u32ToIp4(a.sip)}` : `reply ${u32ToIp4(a.sip)} is-at ${a.sha}`;
}
