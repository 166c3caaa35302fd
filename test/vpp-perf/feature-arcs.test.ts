// Vm resolves each interface's feature arcs once (sorted in arc order) and keeps them while the
// configuration is unchanged. Whatever changes - a feature pushed onto an enabled list, the list
// replaced, a registration's order, the interface itself replaced - the next packet sees the arc
// as a fresh resolution would.

import { describe, expect, it } from 'vitest';
import { Vm } from '../../models/vpp/graph.js';
import { VlibBuffer } from '../../models/vpp/buffer.js';
import type { SwInterface } from '../../models/vpp/state.js';

function tap(sw: number, name: string, features: Record<string, string[]>): SwInterface {
  return { name, swIfIndex: sw, hwIfIndex: sw, kind: 'tap', mac: new Uint8Array(6), ip4: [], fibIndex: 0, mtu: 9000, features, device: {} };
}

function vmWith(features: Record<string, string[]>): Vm {
  const vm = new Vm('arcs');
  vm.addFeature({ arc: 'ip4-unicast', node: 'a', order: 10 });
  vm.addFeature({ arc: 'ip4-unicast', node: 'b', order: 20 });
  vm.addFeature({ arc: 'ip4-unicast', node: 'c', order: 30 });
  vm.addFeature({ arc: 'ip4-output', node: 'o', order: 10 });
  vm.interfaces.set(1, tap(1, 'tap1', features));
  return vm;
}

/** The nodes a packet visits on the arc: featureStart, then featureNext until the end node. */
function walk(vm: Vm, arc: 'ip4-unicast' | 'ip4-output', sw: number): string[] {
  const b = VlibBuffer.fromFrame(new Uint8Array(60));
  const seen = [vm.featureStart(b, arc, sw, 'END')];
  while (seen[seen.length - 1] !== 'END') seen.push(vm.featureNext(b));
  return seen;
}

describe('Vm feature arcs', () => {
  it('are sorted in arc order, not configuration order', () => {
    const vm = vmWith({ 'ip4-unicast': ['c', 'a'], 'ip4-output': ['o'] });
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['a', 'c', 'END']);
    expect(walk(vm, 'ip4-output', 1)).toEqual(['o', 'END']);
    expect(walk(vm, 'ip4-unicast', 7)).toEqual(['END']);
  });

  it('see a feature pushed onto the enabled list after packets ran', () => {
    const features = { 'ip4-unicast': ['c'], 'ip4-output': [] as string[] };
    const vm = vmWith(features);
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['c', 'END']);
    expect(walk(vm, 'ip4-output', 1)).toEqual(['END']);
    features['ip4-unicast'].push('b');
    features['ip4-output'].push('o');
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['b', 'c', 'END']);
    expect(walk(vm, 'ip4-output', 1)).toEqual(['o', 'END']);
  });

  it('see an enabled list replaced, or added where there was none', () => {
    const features: Record<string, string[]> = { 'ip4-unicast': ['a', 'b'] };
    const vm = vmWith(features);
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['a', 'b', 'END']);
    expect(walk(vm, 'ip4-output', 1)).toEqual(['END']);
    features['ip4-unicast'] = ['c', 'b'];
    features['ip4-output'] = ['o'];
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['b', 'c', 'END']);
    expect(walk(vm, 'ip4-output', 1)).toEqual(['o', 'END']);
  });

  it('see a list changed in place to other features of the same length', () => {
    const features = { 'ip4-unicast': ['a', 'b'], 'ip4-output': ['o'] };
    const vm = vmWith(features);
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['a', 'b', 'END']);
    features['ip4-unicast'][1] = 'c'; // b disabled, c enabled: same array, same length
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['a', 'c', 'END']);
    features['ip4-unicast'].splice(0, 1); // a disabled ...
    features['ip4-unicast'].push('b'); // ... and b enabled again
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['b', 'c', 'END']);
    features['ip4-output'].pop();
    expect(walk(vm, 'ip4-output', 1)).toEqual(['END']);
  });

  it('see a registration that changes the arc order', () => {
    const vm = vmWith({ 'ip4-unicast': ['a', 'b'] });
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['a', 'b', 'END']);
    vm.addFeature({ arc: 'ip4-unicast', node: 'a', order: 40 });
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['b', 'a', 'END']);
  });

  it('see the interface replaced or deleted, and its output node name with it', () => {
    const vm = vmWith({ 'ip4-unicast': ['a'] });
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['a', 'END']);
    expect(vm.outputNodeName(1)).toBe('tap1-output');
    vm.interfaces.set(1, tap(1, 'tap9', { 'ip4-unicast': ['c'] }));
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['c', 'END']);
    expect(vm.outputNodeName(1)).toBe('tap9-output');
    vm.interfaces.delete(1);
    expect(walk(vm, 'ip4-unicast', 1)).toEqual(['END']);
    expect(() => vm.outputNodeName(1)).toThrow(/no interface with sw_if_index 1/);
  });
});
