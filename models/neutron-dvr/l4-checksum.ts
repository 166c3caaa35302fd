// Whether a received packet's TCP, UDP or ICMP checksum is right, as the kernel checks it before it
// believes the header: tcp_checksum_complete / udp_lib_checksum_complete for local delivery
// (local-sockets.ts), and nf_conntrack's tcp_error / udp_error / icmp_error at PREROUTING
// (nf_conntrack_checksum=1, the default), which call a packet with a wrong checksum INVALID - it is then
// not tracked and never NATed. UDP checksum 0 means "none". Other protocols are not checked here.

import { u16 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import { ETH_LEN, PROTO_ICMP, PROTO_TCP, PROTO_UDP, ipHl, ipProto, ipTotalLen } from './frame.js';

export function l4ChecksumOk(b: Uint8Array): boolean {
  const ip = ETH_LEN;
  const l4 = ip + ipHl(b, ip);
  const len = ip + ipTotalLen(b, ip) - l4;
  const proto = ipProto(b, ip);
  if (proto === PROTO_ICMP) return len >= 8 && internetChecksum(b, l4, len) === 0;
  if (proto !== PROTO_TCP && proto !== PROTO_UDP) return true;
  if (proto === PROTO_UDP && len >= 8 && u16(b, l4 + 6) === 0) return true;
  if (len < (proto === PROTO_TCP ? 20 : 8)) return false;
  return internetChecksum(b, l4, len, pseudoHeaderSum4(b, ip + 12, ip + 16, proto, len)) === 0;
}
