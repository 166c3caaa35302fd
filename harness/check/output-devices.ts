// The captured devices a predicted frame must appear on. A model's output names the device it left
// by meta.interfaceName: `node:iface` for neutron-dvr, but VPP's names its interface alone
// (`tap2`, `GigabitEthernet0/8/0`: two instances of one scenario have devices of the same name), and
// the model says which instance sent it (instanceOf) and how a device's outputs are named
// (DeviceAware.outputName). `check --model vpp` keyed its predictions by the bare interface name and
// met no `node:iface` capture: "0 predicted", every captured frame "unexpected".
//
// A device wired to another (a link of the scenario: the NICs of two nodes) shares its wire with
// the peer: a capture on either end holds what both ends transmitted, so a frame the peer sent is
// expected there too.

import type { Packet } from '../wire/packet.js';
import type { PacketTrace } from '../stage.js';
import { isDeviceAware } from './known-devices.js';

export interface Device {
  node: string;
  iface: string;
}

/** Models whose outputs name their interface alone say which instance made each output and trace of the last inject. */
export interface OutputOwner {
  instanceOf(x: Packet | PacketTrace): string | undefined;
}

/** Models whose devices are wired to each other (a link): the other end of `device`, if any. */
export interface LinkAware {
  linkPeer(device: Device): Device | undefined;
}

export function isLinkAware(x: unknown): x is LinkAware {
  return typeof (x as Partial<LinkAware>).linkPeer === 'function';
}

export function isOutputOwner(x: unknown): x is OutputOwner {
  return typeof (x as Partial<OutputOwner>).instanceOf === 'function';
}

export const deviceName = (node: string, iface: string): string => `${node}:${iface}`;

/**
 * For a model instance: the function giving the `node:iface` names of the devices an output of its
 * last inject was seen on (its own, then its link peer's). Names only, never parsed: a model that
 * states neither outputName nor instanceOf names its outputs `node:iface` already.
 */
export function outputDevices(instance: unknown): (out: Packet) => string[] {
  const peers = new Map<string, string>();
  if (isDeviceAware(instance) && isLinkAware(instance)) {
    for (const d of instance.devices()) {
      const p = instance.linkPeer(d);
      if (p) peers.set(deviceName(d.node, d.iface), deviceName(p.node, p.iface));
    }
  }
  const withPeer = (name: string): string[] => {
    const peer = peers.get(name);
    return peer === undefined ? [name] : [name, peer];
  };
  if (!isDeviceAware(instance) || instance.outputName === undefined || !isOutputOwner(instance)) return (out) => withPeer(out.meta.interfaceName ?? '');
  // (instance, the name its outputs carry) -> device, built once from the model's own naming.
  const byOutputName = new Map<string, Map<string, string>>();
  for (const d of instance.devices()) {
    let ofNode = byOutputName.get(d.node);
    if (!ofNode) byOutputName.set(d.node, (ofNode = new Map()));
    ofNode.set(instance.outputName(d), deviceName(d.node, d.iface));
  }
  return (out) => {
    const node = instance.instanceOf(out);
    const name = node === undefined ? undefined : byOutputName.get(node)?.get(out.meta.interfaceName ?? '');
    return name === undefined ? [] : withPeer(name);
  };
}
