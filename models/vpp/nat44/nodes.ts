// The NAT44 graph nodes (vpp-facts §8.1): each wraps one Nat44 engine path, prints its record
// (RX sw_if_index, the next slot of its §8.1 table, the session index) and continues to the slot's
// node. NAT nodes leave the feature arc: they go straight to ip4-lookup / interface-output.

import { recordToStage } from '../../../harness/vpp-trace/nodes/index.js';
import type { VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { I2O, O2I, type Nat44, type NatOutcome } from './engine.js';
import { inTwoPacketLoop } from '../nodes/ip4-input.js';

/** Key of the instance's NAT44 engine in vm.state (set by the plugin's configure). */
export const NAT44_STATE = 'nat44';

/** vm.state's initialiser for an instance without NAT44: one function, not a closure per packet. */
const noNat44 = (): Nat44 | undefined => undefined;

export function nat44Of(vm: Vm): Nat44 | undefined {
  return vm.state<Nat44 | undefined>(NAT44_STATE, noNat44);
}

/**
 * nat44Of for the packet path: the engine of the instance the previous packet ran on is kept (an
 * instance's state under NAT44_STATE, once made, is never replaced; an instance without one is
 * not remembered), so a run of packets through one instance does no map lookup per packet.
 */
let lastVm: Vm | undefined;
let lastNat: Nat44 | undefined;
function nat44OfPacket(vm: Vm): Nat44 | undefined {
  if (vm !== lastVm || lastNat === undefined) {
    lastNat = nat44Of(vm);
    lastVm = vm;
  }
  return lastNat;
}

/**
 * A NAT44 node: the engine path its subclass's process runs, then the record, the drop or the next
 * node. One class per path rather than one process choosing the path: each process calls its
 * engine method directly (one call site, one target, one call level fewer per packet than a
 * shared process dispatching on the path).
 */
abstract class NatNode implements GraphNode {
  constructor(
    readonly name: string,
    private readonly tag: string,
    private readonly sessionLabel: 'session index' | 'session',
    readonly nextNodes: readonly string[],
    protected readonly output: boolean,
    private readonly dropSlot: number,
  ) {}

  abstract process(vm: Vm, b: VlibBuffer): Next;

  /** The tag the record prints. */
  protected recordTag(_vm: Vm): string {
    return this.tag;
  }

  protected engine(vm: Vm): Nat44 {
    const nat = nat44OfPacket(vm);
    if (!nat) throw new Error(`${vm.name}: ${this.name} runs but the instance has no nat44 configuration`);
    return nat;
  }

  /** The record, then the drop or the node of the outcome's next slot. */
  protected finish(vm: Vm, b: VlibBuffer, out: NatOutcome): Next {
    if (vm.tracing) {
      vm.trace(b, recordToStage(this.name, { tag: this.recordTag(vm), swIfIndex: b.rxSwIfIndex, nextIndex: out.next, sessionLabel: this.sessionLabel, session: out.session }));
    }
    // No error named: VPP dropped without writing b0->error (engine.ts CHECKSUM_DROP_SETS_NO_ERROR).
    if (out.next === this.dropSlot) return out.error === undefined ? 'error-drop' : vm.drop(b, this.name, out.error);
    b.arc = null;
    return this.nextNodes[out.next];
  }
}

class Out2inNode extends NatNode {
  process(vm: Vm, b: VlibBuffer): Next {
    return this.finish(vm, b, this.engine(vm).out2in(vm, b));
  }
}

class In2outFastNode extends NatNode {
  process(vm: Vm, b: VlibBuffer): Next {
    return this.finish(vm, b, this.engine(vm).in2outFast(vm, b, this.output));
  }
}

/**
 * snat_in2out_node_fn_inline's two-packet loop (`while (n_left_from >= 4 && n_left_to_next >= 2)`,
 * vpp-dev/vpp src/plugins/nat/in2out.c @ 2994d210) fills b0's record with `t->is_slow_path =
 * is_slow_path;` but b1's with sw_if_index, next_index and session_index only. vlib_add_trace hands
 * out trace-vector space that vec_resize_allocate_memory zeroed and nothing wrote before (the
 * vectors are freed by `clear trace`, vlib/trace.c clear_trace_buffer), so b1's is_slow_path reads 0
 * and format_snat_in2out_trace prints "NAT44_IN2OUT_FAST_PATH" from the slow-path nodes too.
 */
const FAST_PATH_TAG = 'NAT44_IN2OUT_FAST_PATH';

/** Is packet `index` of a frame of `size` the second (b1) of a pair of the two-packet loop? */
function secondOfPair(size: number, index: number): boolean {
  return (index & 1) === 1 && inTwoPacketLoop(size, index);
}

class In2outSlowNode extends NatNode {
  process(vm: Vm, b: VlibBuffer): Next {
    return this.finish(vm, b, this.engine(vm).in2outSlow(vm, b, this.output));
  }

  protected override recordTag(vm: Vm): string {
    return secondOfPair(vm.frame.size, vm.frame.index) ? FAST_PATH_TAG : super.recordTag(vm);
  }
}

const OUT2IN_NEXTS = ['error-drop', 'ip4-lookup', 'ip4-icmp-error', 'nat44-out2in-reass', 'nat44-in2out'] as const;
const IN2OUT_NEXTS = ['ip4-lookup', 'error-drop', 'ip4-icmp-error', 'nat44-in2out-slowpath', 'nat44-in2out-reass'] as const;
const IN2OUT_OUTPUT_NEXTS = ['interface-output', 'error-drop', 'ip4-icmp-error', 'nat44-in2out-output-slowpath', 'nat44-in2out-reass'] as const;

export const nat44Out2inNode = new Out2inNode('nat44-out2in', 'NAT44_OUT2IN', 'session index', OUT2IN_NEXTS, false, O2I.DROP);
export const nat44In2outNode = new In2outFastNode('nat44-in2out', FAST_PATH_TAG, 'session', IN2OUT_NEXTS, false, I2O.DROP);
export const nat44In2outSlowpathNode = new In2outSlowNode('nat44-in2out-slowpath', 'NAT44_IN2OUT_SLOW_PATH', 'session', IN2OUT_NEXTS, false, I2O.DROP);
export const nat44In2outOutputNode = new In2outFastNode('nat44-in2out-output', FAST_PATH_TAG, 'session', IN2OUT_OUTPUT_NEXTS, true, I2O.DROP);
export const nat44In2outOutputSlowpathNode = new In2outSlowNode('nat44-in2out-output-slowpath', 'NAT44_IN2OUT_SLOW_PATH', 'session', IN2OUT_OUTPUT_NEXTS, true, I2O.DROP);

export const nat44Nodes: GraphNode[] = [nat44Out2inNode, nat44In2outNode, nat44In2outSlowpathNode, nat44In2outOutputNode, nat44In2outOutputSlowpathNode];
