// ICMP / ICMPv6 line (vpp-facts §3.4): `ICMP {type}[ {code}] checksum 0x{csum:x}` - checksum NOT
// padded, ICMPv6 prints `ICMP` too with its own names; unknown types print `unknown 0x{type:x}`.
// NS/NA of at least 24 bytes add a line `    target address {ip6}` (4 literal spaces).

import { ip6ToString } from '../../wire/address.js';
import { icmpTypeName, icmpCodeName, icmpTypeFromName, icmpCodeFromName } from './names.js';
import { hexn, spaces } from './vppinfra.js';

export interface IcmpHeaderRecord {
  kind: 'icmp';
  /** ICMPv6 (names from the ICMPv6 tables). */
  v6: boolean;
  type: number;
  code: number;
  checksum: number;
  /** ICMPv6 neighbor solicitation/advertisement target. */
  target?: string;
}

export function formatIcmp(h: IcmpHeaderRecord, col: number): string[] {
  const tn = icmpTypeName(h.v6, h.type);
  let s = `${spaces(col)}ICMP `;
  if (tn === undefined) s += `unknown 0x${hexn(h.type)}`;
  else {
    s += tn;
    const cn = icmpCodeName(h.v6, h.type, h.code);
    if (cn !== undefined) s += ` ${cn}`;
  }
  s += ` checksum 0x${hexn(h.checksum)}`;
  const out = [s];
  if (h.target !== undefined) out.push(`    target address ${h.target}`);
  return out;
}

const ICMP_RE = /^ICMP (?:unknown 0x([0-9a-f]+)|(\S+)(?: (\S+))?) checksum 0x([0-9a-f]+)$/;
const TARGET_RE = /^target address (\S+)$/;

/** The code is not printed when it has no name; such records get code 0 (unknown from text). */
export function parseIcmp(t: readonly string[], i: number, v6: boolean): { h: IcmpHeaderRecord; next: number } | undefined {
  const m = ICMP_RE.exec(t[i] ?? '');
  if (!m) return undefined;
  let type: number | undefined;
  let code = 0;
  if (m[1] !== undefined) type = parseInt(m[1], 16);
  else {
    type = icmpTypeFromName(v6, m[2]);
    if (type === undefined) return undefined;
    if (m[3] !== undefined) {
      const c = icmpCodeFromName(v6, type, m[3]);
      if (c === undefined) return undefined;
      code = c;
    }
  }
  const h: IcmpHeaderRecord = { kind: 'icmp', v6, type, code, checksum: parseInt(m[4], 16) };
  // icmp4.c format_ip4_icmp_header prints the header's u8 type and its u16 checksum
  // (clib_net_to_host_u16 (icmp->checksum)): a wider value is not VPP's text (0x1fffffffffffff was
  // read as a checksum and compared as one).
  if (type > 0xff || h.checksum > 0xffff) return undefined;
  let next = i + 1;
  const tg = TARGET_RE.exec(t[next] ?? '');
  if (v6 && tg) {
    h.target = tg[1];
    next++;
  }
  return { h, next };
}

export function icmpFromBytes(b: Uint8Array, off: number, v6: boolean, max = b.length - off): IcmpHeaderRecord | undefined {
  if (b.length - off < 4 || max < 4) return undefined;
  const h: IcmpHeaderRecord = { kind: 'icmp', v6, type: b[off], code: b[off + 1], checksum: (b[off + 2] << 8) | b[off + 3] };
  if (v6 && (h.type === 135 || h.type === 136) && max >= 24 && b.length - off >= 24) h.target = ip6ToString(b, off + 8);
  return h;
}
