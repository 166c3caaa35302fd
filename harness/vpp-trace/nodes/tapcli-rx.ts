// tapcli-rx (TAPv1), vpp-facts §4.2: the body is only the interface name (`  tapcli-2`).

import { type NodeKind, RecordError, expectEnd, trimAll } from './kind.js';

export interface TapcliRxRecord {
  ifName: string;
}

export const tapcliRx: NodeKind<TapcliRxRecord> = {
  kind: 'tapcli-rx',
  format: (r) => [`  ${r.ifName}`],
  parse(lines) {
    const t = trimAll(lines);
    if (!t[0] || /\s/.test(t[0])) throw new RecordError(`not an interface name: '${t[0] ?? ''}'`, 0);
    expectEnd(t, 1);
    return { ifName: t[0] };
  },
  toFields(r, out) {
    out.interface = r.ifName;
  },
};
