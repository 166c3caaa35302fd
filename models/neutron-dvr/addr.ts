// IPv4 addresses as unsigned 32-bit numbers and prefixes, the way the kernel's FIB compares them.

import { ip4ToU32, u32ToIp4 } from '../../harness/wire/address.js';

export interface Cidr {
  /** Network address (host bits cleared) for prefixes; the address as written for interface addresses. */
  addr: number;
  len: number;
  /** The address part as written (an interface address keeps its host bits). */
  ip: string;
}

export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

export function parseCidr(s: string): Cidr {
  const [ip, lenText] = s.split('/');
  const len = lenText === undefined ? 32 : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > 32 || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`'${s}' is not an IPv4 prefix`);
  return { addr: ip4ToU32(ip) >>> 0, len, ip };
}

export function inPrefix(ip: number, c: Cidr): boolean {
  const m = maskOf(c.len);
  return ((ip & m) >>> 0) === ((c.addr & m) >>> 0);
}

export function cidrText(c: Cidr): string {
  return c.len === 0 ? 'default' : `${u32ToIp4(((c.addr & maskOf(c.len)) >>> 0))}/${c.len}`;
}

export { ip4ToU32, u32ToIp4 };
