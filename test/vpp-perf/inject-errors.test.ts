// injectFramesCounting resolves the injection point once per group of frames when it names the
// interface: a wrong name must still fail as it did frame by frame (an InputError naming the
// interface, no frame run, outputs kept again afterwards), and an empty batch must not fail on it.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type CapturedFrames, type VppInstance } from '../../models/vpp/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));

function syns(n: number): CapturedFrames {
  const bytes = new Uint8Array(74 * n);
  const start = new Int32Array(n);
  const length = new Int32Array(n).fill(74);
  for (let i = 0; i < n; i++) {
    start[i] = 74 * i;
    synFrame(bytes.subarray(74 * i, 74 * i + 74), ip4ToU32('10.1.1.3'), 2000 + i);
  }
  return { bytes, count: n, start, length, interfaceId: new Int32Array(n), interfaces: [{ name: 'tap2', linkType: LinkType.ETHERNET }] };
}

describe('injectFramesCounting at a bad injection point', () => {
  it('an interface the instance lacks: InputError replay.interface, nothing run, outputs kept again', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const vm = inst.vm('k8s-master');
    let error: unknown;
    try {
      inst.injectFramesCounting(syns(40), { instance: 'k8s-master', interface: 'tap99' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('replay.interface');
    expect((error as Error).message).toContain("no interface 'tap99'");
    expect(vm.transmitted).toBe(0);
    expect(nat44Of(vm)!.thread.sessions.size).toBe(0);
    expect(vm.keepOutputs).toBe(true);
    // The instance is usable afterwards, at a good point.
    expect(inst.injectFramesCounting(syns(3), { instance: 'k8s-master', interface: 'tap2' })).toBe(3);
  });

  it('an empty batch fails only on an unknown instance, as before', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    expect(inst.injectFramesCounting(syns(0), { instance: 'k8s-master', interface: 'tap99' })).toBe(0);
    expect(() => inst.injectFramesCounting(syns(0), { instance: 'nowhere', interface: 'tap2' })).toThrow(InputError);
  });

  it("frames naming their own interfaces: one the instance lacks fails at that frame, after the frames before it ran", async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const vm = inst.vm('k8s-master');
    const frames = syns(40);
    // Frames 0-19 arrive on tap2, frame 20 on tap99 (not in the scenario), the rest on tap2 again.
    frames.interfaces = [{ name: 'tap2', linkType: LinkType.ETHERNET }, { name: 'tap99', linkType: LinkType.ETHERNET }];
    frames.interfaceId[20] = 1;
    let error: unknown;
    try {
      inst.injectFramesCounting(frames, { instance: 'k8s-master' });
    } catch (e) {
      error = e;
    }
    expect((error as InputError).code).toBe('replay.interface');
    expect((error as Error).message).toContain("no interface 'tap99'");
    expect(vm.transmitted).toBe(20);
    expect(nat44Of(vm)!.thread.sessions.size).toBe(20);
  });
});
