// A device named on the command line (--capture NODE:IF=FILE, --edge NODE:IF@MAC) that the scenario
// does not have can never be predicted: a typo in a namespace name turned every frame of that capture
// into "captured packet that the model does not predict" (hundreds of made-up divergences, exit 1),
// or, when it was the only capture, into "nothing to replay". Refused up front, naming the option.

import { InputError } from '../io/input-error.js';

/** Models whose instances know their devices implement this; check then refuses any other name. */
export interface DeviceAware {
  devices(): { node: string; iface: string }[];
  /** The name a device's transmitted frames carry (meta.interfaceName), when it is not `node:iface`. */
  outputName?(device: { node: string; iface: string }): string;
}

export function isDeviceAware(x: unknown): x is DeviceAware {
  return typeof (x as Partial<DeviceAware>).devices === 'function';
}

/** Throw for the first of `named` (option text, node, iface) that is not a device of `instance`. */
export function requireKnownDevices(instance: DeviceAware, scenario: string, named: { option: string; text: string; node: string; iface: string }[]): void {
  const devices = instance.devices();
  for (const n of named) {
    if (devices.some((d) => d.node === n.node && d.iface === n.iface)) continue;
    const ofNode = devices.filter((d) => d.node === n.node).map((d) => d.iface);
    const reason = ofNode.length
      ? `node ${n.node} has no device '${n.iface}' in ${scenario} (its devices: ${ofNode.join(', ')})`
      : `no node '${n.node}' in ${scenario} (nodes: ${[...new Set(devices.map((d) => d.node))].join(', ')})`;
    throw new InputError(`${n.option} '${n.text}': ${reason}`, { key: n.option }, 'check.unknown-device');
  }
}
