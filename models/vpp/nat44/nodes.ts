// The NAT44 graph nodes (vpp-facts §8.1): each wraps one Nat44 engine path, prints its record
// (RX sw_if_index, the next slot of its §8.1 table, the session index) and continues to the slot's
// node. NAT nodes leave the feature arc: they go straight to ip4-lookup / interface-output.

import { recordToStage } from '../../../harness/vpp-trace/nodes/index.js';
import type { VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { I2O, O2I, type Nat44, type NatOutcome } from './engine.js';

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

/** Which engine path a node runs. */
const Path = { OUT2IN: 0, IN2OUT_FAST: 1, IN2OUT_SLOW: 2 } as const;
type PathValue = (typeof Path)[keyof typeof Path];

/**
 * The path, called directly: the nodes share one `process` (one compiled function), so a call
 * through a per-node callback was a call site with five targets, never inlined.
 */
function runPath(nat: Nat44, vm: Vm, b: VlibBuffer, path: PathValue, output: boolean): NatOutcome {
  if (path === Path.OUT2IN) return nat.out2in(vm, b);
  return path === Path.IN2OUT_FAST ? nat.in2outFast(vm, b, output) : nat.in2outSlow(vm, b, output);
}

function natNode(name: string, tag: string, sessionLabel: 'session index' | 'session', nextNodes: readonly string[], path: PathValue, output: boolean, dropSlot: number): GraphNode {
  return {
    name,
    nextNodes,
    process(vm: Vm, b: VlibBuffer): Next {
      const nat = nat44OfPacket(vm);
      if (!nat) throw new Error(`${vm.name}: ${name} runs but the instance has no nat44 configuration`);
      const out = runPath(nat, vm, b, path, output);
      if (vm.tracing) {
        vm.trace(b, recordToStage(name, { tag, swIfIndex: b.rxSwIfIndex, nextIndex: out.next, sessionLabel, session: out.session }));
      }
      if (out.next === dropSlot) return vm.drop(b, name, out.error ?? 'No translation');
      b.arc = null;
      return nextNodes[out.next];
    },
  };
}

const OUT2IN_NEXTS = ['error-drop', 'ip4-lookup', 'ip4-icmp-error', 'nat44-out2in-reass', 'nat44-in2out'] as const;
const IN2OUT_NEXTS = ['ip4-lookup', 'error-drop', 'ip4-icmp-error', 'nat44-in2out-slowpath', 'nat44-in2out-reass'] as const;
const IN2OUT_OUTPUT_NEXTS = ['interface-output', 'error-drop', 'ip4-icmp-error', 'nat44-in2out-output-slowpath', 'nat44-in2out-reass'] as const;

export const nat44Out2inNode = natNode('nat44-out2in', 'NAT44_OUT2IN', 'session index', OUT2IN_NEXTS, Path.OUT2IN, false, O2I.DROP);
export const nat44In2outNode = natNode('nat44-in2out', 'NAT44_IN2OUT_FAST_PATH', 'session', IN2OUT_NEXTS, Path.IN2OUT_FAST, false, I2O.DROP);
export const nat44In2outSlowpathNode = natNode('nat44-in2out-slowpath', 'NAT44_IN2OUT_SLOW_PATH', 'session', IN2OUT_NEXTS, Path.IN2OUT_SLOW, false, I2O.DROP);
export const nat44In2outOutputNode = natNode('nat44-in2out-output', 'NAT44_IN2OUT_FAST_PATH', 'session', IN2OUT_OUTPUT_NEXTS, Path.IN2OUT_FAST, true, I2O.DROP);
export const nat44In2outOutputSlowpathNode = natNode(
  'nat44-in2out-output-slowpath',
  'NAT44_IN2OUT_SLOW_PATH',
  'session',
  IN2OUT_OUTPUT_NEXTS,
  Path.IN2OUT_SLOW,
  true,
  I2O.DROP,
);

export const nat44Nodes: GraphNode[] = [nat44Out2inNode, nat44In2outNode, nat44In2outSlowpathNode, nat44In2outOutputNode, nat44In2outOutputSlowpathNode];
