// A capture golden's `interface:` names the model device it was taken on. One the model does not have
// (a typo in a namespace or device name) matched none of the model's output: every golden frame was
// "the model produced no trace" (exit 1), and --update on a snapshot wrote an empty capture over it.
// One with no interface: at all was compared with every device's output at once, and --update wrote
// them all into one capture. For models whose instances list their devices (check's DeviceAware),
// both are refused at case.yaml's line. VPP's outputs name the interface alone (no instance), and so
// do its goldens.

import { InputError } from '../io/input-error.js';
import { isDeviceAware } from '../check/known-devices.js';
import type { GoldenSpec } from './case-spec.js';

export function requireGoldenDevices(instance: unknown, goldens: readonly GoldenSpec[], scenario: string | undefined): void {
  if (!isDeviceAware(instance)) return;
  // A golden's interface: is matched with meta.interfaceName of the model's output: `node:iface`
  // (neutron-dvr), or the interface alone where the model's outputs name no node (VPP).
  const byInterface = instance.outputName !== undefined;
  const names = [...new Set(instance.devices().map((d) => instance.outputName?.(d) ?? `${d.node}:${d.iface}`))];
  for (const g of goldens) {
    if (g.kind !== 'capture') continue;
    // Without interface: the golden was compared with (and --update wrote) the output of every device at once.
    if (g.interface === undefined && names.length > 1) {
      throw new InputError(`a capture golden of a model with ${names.length} devices names the one it was taken on: add interface: ${byInterface ? 'IF' : 'NODE:IF'}`, g.entryAt ?? { file: g.file }, 'run.golden-device');
    }
    if (g.interface === undefined || names.includes(g.interface)) continue;
    const where = g.interfaceAt ?? { file: g.file };
    if (byInterface) throw new InputError(`no interface '${g.interface}' in ${scenario ?? 'the model'} (its interfaces: ${names.join(', ')})`, where, 'run.unknown-device');
    const node = g.interface.split(':')[0];
    const ofNode = names.filter((n) => n.startsWith(`${node}:`));
    const has = ofNode.length ? `node ${node} has ${ofNode.join(', ')}` : `its nodes are ${[...new Set(names.map((n) => n.split(':')[0]))].join(', ')}`;
    throw new InputError(`no device '${g.interface}' in ${scenario ?? 'the model'} (${has})`, where, 'run.unknown-device');
  }
}
