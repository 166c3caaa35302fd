// NAT44 lookup keys (vpp-facts §8.2): protocols and the key tuple. VPP packs keys into 8-byte /
// 16-byte bihash keys; the session hashes here pack them into u32 words (sessions.ts, bihash.ts).
// Addresses are big-endian u32 numbers, ports host-order numbers.

import { IpProtocol } from '../../../harness/wire/ipv4.js';

/** snat_protocol_t: what NAT keys carry instead of the IP protocol number. */
export const NatProto = { UDP: 0, TCP: 1, ICMP: 2 } as const;
export type NatProtoValue = 0 | 1 | 2;
/** ip_proto_to_snat_proto for anything else (~0). */
export const NAT_PROTO_UNKNOWN = -1;

export function natProtoOf(ipProtocol: number): NatProtoValue | -1 {
  switch (ipProtocol) {
    case IpProtocol.UDP:
      return NatProto.UDP;
    case IpProtocol.TCP:
      return NatProto.TCP;
    case IpProtocol.ICMP:
    case IpProtocol.ICMPV6:
      return NatProto.ICMP;
    default:
      return NAT_PROTO_UNKNOWN;
  }
}

export function ipProtoOf(p: NatProtoValue): number {
  return p === NatProto.UDP ? IpProtocol.UDP : p === NatProto.TCP ? IpProtocol.TCP : IpProtocol.ICMP;
}

/** snat_session_key_t: {address, port (or ICMP identifier), protocol, fib_index}. */
export interface NatKey {
  addr: number;
  port: number;
  proto: NatProtoValue;
  fib: number;
}
