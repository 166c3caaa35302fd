// The tag of a slow-path in2out record depends on where the packet sat in its frame: the
// two-packet loop of snat_in2out_node_fn_inline (vpp-dev/vpp src/plugins/nat/in2out.c @ 2994d210,
// `while (n_left_from >= 4 && n_left_to_next >= 2)`) writes `t->is_slow_path = is_slow_path` into
// b0's record only; b1's field stays as vlib_add_trace found it, zeroed trace-vector memory, so
// format_snat_in2out_trace prints NAT44_IN2OUT_FAST_PATH for it even from nat44-in2out-slowpath.

import { describe, expect, it } from 'vitest';
import { ip4L4, ipBuffer, runNode } from './helpers.js';
import { INSIDE, natVm } from './nat-vm.js';

function slowRecord(frame: { size: number; index: number }): string {
  const vm = natVm({ addresses: ['192.0.2.1'] });
  vm.frame = frame;
  const b = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport: 1111, dport: 80, flags: 0x02 }), INSIDE);
  const { stage } = runNode(vm, 'nat44-in2out-slowpath', b);
  return stage!.lines.join('\n');
}

describe('nat44-in2out-slowpath record tag by frame position', () => {
  it('b1 of a pair of the two-packet loop prints NAT44_IN2OUT_FAST_PATH', () => {
    for (const frame of [{ size: 4, index: 1 }, { size: 5, index: 1 }, { size: 6, index: 3 }]) {
      expect(slowRecord(frame), JSON.stringify(frame)).toContain('NAT44_IN2OUT_FAST_PATH: sw_if_index 2, next index 0, session 0');
    }
  });

  it('b0 of a pair and the packets of the one-packet loop print NAT44_IN2OUT_SLOW_PATH', () => {
    for (const frame of [{ size: 1, index: 0 }, { size: 4, index: 0 }, { size: 4, index: 3 }, { size: 5, index: 3 }, { size: 3, index: 1 }]) {
      expect(slowRecord(frame), JSON.stringify(frame)).toContain('NAT44_IN2OUT_SLOW_PATH: sw_if_index 2, next index 0, session 0');
    }
  });
});
