// error-drop for a buffer no node filed an error on: VPP's vlib_error_t 0 (written by e.g. 18.01-era
// vxlan decap.c on a good decap, `b0->error = error0 ? node->errors[error0] : 0;`). Evidence:
// interface_output.c format_vnet_error_trace prints `{node}: {string}` for the error's node and code;
// vlib/node.c vlib_register_all_static_nodes registers `null-node` (error "blackholed packets") as node
// 0 before any real node, so error 0 reads `null-node: blackholed packets`.

import { describe, expect, it } from 'vitest';
import { VlibBuffer } from '../../models/vpp/buffer.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { errorDropNode, errorPuntNode } from '../../models/vpp/nodes/error-drop.js';

describe('error-drop / error-punt with error 0 (no error filed)', () => {
  it.each([errorDropNode, errorPuntNode])('$name prints and counts `null-node: blackholed packets`', async (disposition) => {
    const inst = (await vppModel.instantiate('test/vpp-model/scenarios/routed-chain.yaml')) as VppInstance;
    const vm = inst.vm('r1');
    const b = new VlibBuffer();
    expect(b.error).toBeNull();
    disposition.process(vm, b);
    expect(b.trace.map((s) => [s.node, s.lines.join('\n')])).toEqual([[disposition.name, '  null-node: blackholed packets']]);
    expect([...vm.errorCounts].map(([node, byText]) => [node, [...byText]])).toEqual([['null-node', [['blackholed packets', 1]]]]);
  });
});
