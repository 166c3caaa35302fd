// Each device is captured once and each capture file belongs to one device; each edge is declared
// once. A copy-pasted --capture naming the same file for two devices made the model's predictions for
// both meet one device's frames (every frame of the other reported as a divergence); a second --edge
// for the same device with another MAC was silently ignored (the first one won).

import { InputError } from '../io/input-error.js';
import { fileIdentity } from '../io/output-over-input.js';
import type { CaptureSpec, EdgeDevice } from './check.js';

export function requireEachOnce(captures: CaptureSpec[], edges: EdgeDevice[] | undefined): void {
  const deviceOf = new Map<string, string>();
  const fileOf = new Map<string, string>();
  for (const c of captures) {
    const device = `${c.node}:${c.iface}`;
    if (deviceOf.has(device)) throw new InputError(`device ${device} captured twice`, { file: c.file }, 'check.capture');
    deviceOf.set(device, c.file);
    const key = fileIdentity(c.file);
    const other = fileOf.get(key);
    if (other !== undefined) throw new InputError(`given for two devices, ${other} and ${device}: a capture is taken on one device`, { file: c.file }, 'check.capture');
    fileOf.set(key, device);
  }
  const edgeMac = new Map<string, string>();
  for (const e of edges ?? []) {
    const device = `${e.node}:${e.iface}`;
    const mac = edgeMac.get(device);
    if (mac !== undefined) throw new InputError(`--edge '${device}@${e.mac}': device ${device} is already an edge (@${mac})`, { key: '--edge' }, 'check.usage');
    edgeMac.set(device, e.mac);
  }
}
