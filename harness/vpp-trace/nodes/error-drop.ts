// error-drop / error-punt (vpp-facts §5.4): `{node that set the error}: {error string}`,
// e.g. `acl-plugin-in-ip4-fa: ACL deny packets`.

import { type NodeKind, expectEnd, match, trimAll } from './kind.js';

export interface ErrorDropRecord {
  errorNode: string;
  error: string;
}

const RE = /^(\S+): (.+)$/;

export const errorDrop: NodeKind<ErrorDropRecord> = {
  kind: 'error-drop',
  format: (r) => [`  ${r.errorNode}: ${r.error}`],
  parse(lines) {
    const t = trimAll(lines);
    const m = match(RE, t, 0, 'error');
    expectEnd(t, 1);
    return { errorNode: m[1], error: m[2] };
  },
  toFields(r, out) {
    out.error_node = r.errorNode;
    out.error = r.error;
  },
};
