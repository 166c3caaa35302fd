// ip4-input (vpp-facts §5.1): record at entry (IPv4 decode over 64 bytes), then the header checks in
// VPP's order - later errors overwrite earlier ones - and the ip4-unicast feature arc of the RX
// interface, which ends at ip4-lookup.

import type { VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { decode, headerOnly } from '../records.js';

const ERR = {
  TOO_SHORT: 'ip4 length < 20 bytes',
  BAD_LENGTH: 'ip4 length > l2 length',
  BAD_CHECKSUM: 'bad ip4 checksum',
  VERSION: 'ip4 version != 4',
  OPTIONS: 'ip4 options present',
  FRAGMENT_OFFSET_ONE: 'ip4 fragment offset == 1',
  TIME_EXPIRED: 'ip4 ttl <= 1',
} as const;

/**
 * IP4_ERROR_NONE of 18.01 ip4_error.h (`_ (NONE, "valid ip4 packets")`), filed by ip4_input_check_x1/x2
 * for a packet that passed. One object for every packet (the buffer only refers to it).
 */
const VALID = Object.freeze({ node: 'ip4-input', text: 'valid ip4 packets' });

/**
 * verifiesTo0xffff(p, ip, 20) - the 20-byte header's ten words, stored checksum included, fold to
 * 0xffff - with the words added in one expression: the general loop over any length, with its
 * bound check per word, was ~a third of this node's time.
 */
export function headerSumsTo0xffff(p: Uint8Array, ip: number): boolean {
  let s =
    ((p[ip] << 8) | p[ip + 1]) + ((p[ip + 2] << 8) | p[ip + 3]) + ((p[ip + 4] << 8) | p[ip + 5]) +
    ((p[ip + 6] << 8) | p[ip + 7]) + ((p[ip + 8] << 8) | p[ip + 9]) + ((p[ip + 10] << 8) | p[ip + 11]) +
    ((p[ip + 12] << 8) | p[ip + 13]) + ((p[ip + 14] << 8) | p[ip + 15]) + ((p[ip + 16] << 8) | p[ip + 17]) +
    ((p[ip + 18] << 8) | p[ip + 19]);
  // At most 10 * 0xffff = 0x9fff6, so one end-around carry leaves at most 0x10007; a second carry
  // would only turn 0x10000..0x10007 into 1..8, neither of which is 0xffff: one decides the test.
  s = (s & 0xffff) + (s >>> 16);
  return s === 0xffff;
}

/**
 * Does packet `index` of a frame of `frameSize` run in its node's two-packet loop? That loop takes
 * pairs from the front while at least 4 packets remain (`while (n_left_from >= 4 && n_left_to_next
 * >= 2)`), and checks both packets of a pair (ip4_input_check_x2 tests `ip0->ttl < 1` and `ip1->ttl
 * < 1`, 17.x/18.01-era src/vnet/ip/ip4_input.h, liangfudeng/vpp @667cdb51): the second packet of a
 * pair is in it too. (It was taken for the first only.)
 */
export function inTwoPacketLoop(frameSize: number, index: number): boolean {
  return frameSize - (index - (index & 1)) >= 4;
}

function makeIp4Input(name: string, verifyChecksum: boolean): GraphNode {
  return {
    name,
    process(vm: Vm, b: VlibBuffer): Next {
      const p = b.bytes;
      const ip = b.start;
      if (vm.tracing) vm.trace(b, headerOnly(name, decode(p, ip, 'ip4', 64, ip + b.currentLength)));
      let error: string | null = null;
      if (p[ip] !== 0x45) error = (p[ip] & 0x0f) !== 5 ? ERR.OPTIONS : ERR.VERSION;
      if (inTwoPacketLoop(vm.frame.size, vm.frame.index) && p[ip + 8] < 1) error = ERR.TIME_EXPIRED;
      if (verifyChecksum && !headerSumsTo0xffff(p, ip)) error = ERR.BAD_CHECKSUM;
      const fragOffset = ((p[ip + 6] << 8) | p[ip + 7]) & 0x1fff;
      if (fragOffset === 1) error = ERR.FRAGMENT_OFFSET_ONE;
      const totalLength = (p[ip + 2] << 8) | p[ip + 3];
      if (totalLength < 20) error = ERR.TOO_SHORT;
      if (b.currentLength < totalLength) error = ERR.BAD_LENGTH;
      if (error === ERR.TIME_EXPIRED) {
        b.setIcmp(11, 0, 0);
        b.error = { node: 'ip4-input', text: error };
        return 'ip4-icmp-error';
      }
      if (error === ERR.OPTIONS) {
        // 18.01 ip4_input_check_x1/x2: OPTIONS goes to IP4_INPUT_NEXT_PUNT, `error-punt` (vpp-facts §5.1).
        b.error = { node: 'ip4-input', text: error };
        return 'error-punt';
      }
      if (error) return vm.drop(b, 'ip4-input', error);
      // VPP writes p0->error = errors[error0] for every packet, IP4_ERROR_NONE included: a node
      // that later drops without an error of its own (ip4-drop) shows this one.
      b.error = VALID;
      b.l3HdrOffset = b.currentData;
      return vm.featureStart(b, 'ip4-unicast', b.rxSwIfIndex, 'ip4-lookup');
    },
  };
}

export const ip4InputNode = makeIp4Input('ip4-input', true);
export const ip4InputNoChecksumNode = makeIp4Input('ip4-input-no-checksum', false);
