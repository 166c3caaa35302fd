// NAT44 and ICMP (vpp-facts §8.9): which key an ICMP message is looked up by, and how it is
// translated. Echo messages translate the identifier; error messages translate the embedded packet's
// address and port - and VPP leaves the embedded IP checksum stale.

import { u16, u32, setU16, setU32 } from '../../../harness/wire/bytes.js';
import { fold16, sum16, verifiesTo0xffff } from '../../../harness/wire/checksum.js';
import { IpProtocol } from '../../../harness/wire/ipv4.js';
import { IpCsum, swap16, swap32 } from '../ip-csum.js';
import { NatProto, natProtoOf, type NatProtoValue } from './keys.js';
import { IP4_CSUM, IP4_DST, IP4_SRC, ip4HeaderLength, type RewriteOptions } from './rewrite.js';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;
const ICMP_ERROR_TYPES = new Set([3, 4, 5, 6, 11, 12]);
/** Offset of the ICMP checksum, the echo identifier, and the embedded IP header in an ICMP message. */
const ICMP_CSUM = 2;
const ICMP_ECHO_ID = 4;
const ICMP_INNER_IP = 8;

export function isIcmpError(type: number): boolean {
  return ICMP_ERROR_TYPES.has(type);
}

export type Direction = 'in2out' | 'out2in';

export interface IcmpKey {
  addr: number;
  port: number;
  proto: NatProtoValue;
}

/**
 * icmp_get_key: echo (and any non-error type) keys on the outer address (src in2out, dst out2in)
 * and the identifier; errors key on the embedded packet (its dst in2out, its src out2in) and its
 * port or identifier. Undefined = the embedded protocol is unsupported.
 */
export function icmpKey(b: Uint8Array, ip: number, dir: Direction): IcmpKey | undefined {
  const icmp = ip + ip4HeaderLength(b, ip);
  if (!isIcmpError(b[icmp])) {
    return { addr: u32(b, ip + (dir === 'in2out' ? IP4_SRC : IP4_DST)), port: u16(b, icmp + ICMP_ECHO_ID), proto: NatProto.ICMP };
  }
  const inner = icmp + ICMP_INNER_IP;
  const proto = natProtoOf(b[inner + 9]);
  if (proto < 0) return undefined;
  const innerL4 = inner + ip4HeaderLength(b, inner);
  const addr = u32(b, inner + (dir === 'in2out' ? IP4_DST : IP4_SRC));
  const port = proto === NatProto.ICMP ? u16(b, innerL4 + ICMP_ECHO_ID) : u16(b, innerL4 + (dir === 'in2out' ? 2 : 0));
  return { addr, port, proto: proto as NatProtoValue };
}

export interface IcmpEdKey {
  lAddr: number;
  rAddr: number;
  /** IP protocol number (the embedded packet's for an error). */
  proto: number;
  lPort: number;
  rPort: number;
}

/**
 * icmp_get_ed_key: the endpoint-dependent key of an ICMP message, looked up when its 8-byte key is
 * an LB mapping's `~0` (vpp-dev/vpp src/plugins/nat/out2in.c @ 0d305478, in2out.c @ 2994d210).
 * Echo: local = the NAT side's outer address (dst out2in, src in2out), remote = the other, both
 * ports the identifier. Error: the embedded packet, seen from the NAT side - out2in
 *   key0.l_addr = inner_ip0->src_address; key0.r_addr = inner_ip0->dst_address;
 *   key0.l_port = src_port; key0.r_port = dst_port;
 * in2out the other way round (l = inner dst, r = inner src, l_port = dst_port, r_port = src_port);
 * an embedded echo gives its identifier as both ports. Undefined: embedded protocol unsupported.
 */
export function icmpEdKey(b: Uint8Array, ip: number, dir: Direction): IcmpEdKey | undefined {
  const icmp = ip + ip4HeaderLength(b, ip);
  const local = dir === 'out2in' ? IP4_DST : IP4_SRC;
  const remote = dir === 'out2in' ? IP4_SRC : IP4_DST;
  if (!isIcmpError(b[icmp])) {
    const id = u16(b, icmp + ICMP_ECHO_ID);
    return { lAddr: u32(b, ip + local), rAddr: u32(b, ip + remote), proto: IpProtocol.ICMP, lPort: id, rPort: id };
  }
  const inner = icmp + ICMP_INNER_IP;
  const proto = b[inner + 9];
  const nat = natProtoOf(proto);
  if (nat < 0) return undefined;
  const innerL4 = inner + ip4HeaderLength(b, inner);
  // The embedded packet went the other way: its src is the out2in local end, its dst the in2out one.
  const lAddr = u32(b, inner + remote);
  const rAddr = u32(b, inner + local);
  if (nat === NatProto.ICMP) {
    const id = u16(b, innerL4 + ICMP_ECHO_ID);
    return { lAddr, rAddr, proto, lPort: id, rPort: id };
  }
  const [lPortOff, rPortOff] = dir === 'out2in' ? [0, 2] : [2, 0];
  return { lAddr, rAddr, proto, lPort: u16(b, innerL4 + lPortOff), rPort: u16(b, innerL4 + rPortOff) };
}

/** The whole ICMP message checksums to 0 or 0xffff (VPP verifies before translating). */
export function icmpChecksumValid(b: Uint8Array, ip: number): boolean {
  const hl = ip4HeaderLength(b, ip);
  const len = u16(b, ip + 2) - hl;
  const c = ~fold16(sum16(b, ip + hl, len)) & 0xffff;
  return c === 0 || c === 0xffff;
}

/**
 * icmp_in2out / icmp_out2in after the session is known: rewrite the outer address (in2out: src,
 * out2in: dst) to `addr`, and the identifier or the embedded packet to `addr`/`port`.
 * Returns false when VPP drops the packet (bad ICMP checksum, bad embedded IP checksum).
 */
export function icmpTranslate(b: Uint8Array, ip: number, dir: Direction, addr: number, port: number, opts: RewriteOptions = {}): boolean {
  if (!icmpChecksumValid(b, ip)) return false;
  const icmp = ip + ip4HeaderLength(b, ip);
  const outerOff = ip + (dir === 'in2out' ? IP4_SRC : IP4_DST);
  const oldAddr = u32(b, outerOff);
  setU32(b, outerOff, addr);
  if (!opts.staleChecksums) setU16(b, ip + IP4_CSUM, IpCsum.begin(u16(b, ip + IP4_CSUM)).replace(swap32(oldAddr), swap32(addr)).end());
  if (u16(b, icmp + ICMP_CSUM) === 0) setU16(b, icmp + ICMP_CSUM, 0xffff);
  const csum = (old: number, now: number, wide: boolean): void => {
    if (opts.staleChecksums) return;
    const c = IpCsum.begin(u16(b, icmp + ICMP_CSUM));
    if (wide) c.replace(swap32(old), swap32(now));
    else c.replace(swap16(old), swap16(now));
    setU16(b, icmp + ICMP_CSUM, c.end());
  };
  if (!isIcmpError(b[icmp])) {
    const oldId = u16(b, icmp + ICMP_ECHO_ID);
    if (oldId !== port) {
      setU16(b, icmp + ICMP_ECHO_ID, port);
      csum(oldId, port, false);
    }
    return true;
  }
  const inner = icmp + ICMP_INNER_IP;
  if (!verifiesTo0xffff(b, inner, ip4HeaderLength(b, inner))) return false;
  // The embedded packet is the one that went the other way: in2out rewrites its dst, out2in its src.
  const innerAddrOff = inner + (dir === 'in2out' ? IP4_DST : IP4_SRC);
  const oldInner = u32(b, innerAddrOff);
  setU32(b, innerAddrOff, addr);
  csum(oldInner, addr, true);
  const innerL4 = inner + ip4HeaderLength(b, inner);
  const innerProto = b[inner + 9];
  const portOff =
    innerProto === IpProtocol.ICMP ? innerL4 + ICMP_ECHO_ID : innerL4 + (dir === 'in2out' ? 2 : 0);
  const oldPort = u16(b, portOff);
  setU16(b, portOff, port);
  csum(oldPort, port, false);
  // The embedded IP checksum is deliberately left as it was (stale), as VPP 18.01 does.
  return true;
}

/**
 * Set an echo message's identifier, updating the ICMP checksum incrementally and unconditionally
 * (snat_icmp_hairpinning: `echo0->identifier = s0->in2out.port; sum0 = ip_csum_update (sum0,
 * icmp_id0, s0->in2out.port, icmp_echo_header_t, identifier);`).
 */
export function setEchoId(b: Uint8Array, ip: number, id: number, opts: RewriteOptions = {}): void {
  const icmp = ip + ip4HeaderLength(b, ip);
  const old = u16(b, icmp + ICMP_ECHO_ID);
  setU16(b, icmp + ICMP_ECHO_ID, id);
  if (!opts.staleChecksums) setU16(b, icmp + ICMP_CSUM, IpCsum.begin(u16(b, icmp + ICMP_CSUM)).replace(swap16(old), swap16(id)).end());
}
