// Session numbers in a model trace against a real trace: NAT44 session indices and ACL session-hit
// `rule`s are pool indices whose absolute values depend on the sessions that VPP held before the
// trace. The model's numbers must be a consistent renaming of the seed's, per instance and pool: the
// same seed number always maps to the same model number (a reply hits the session its request made)
// and two seed numbers never map to one model number.
import { expect } from 'vitest';

/** `session N`, `session index N` (NAT44) and a session hit's `acl -1 rule N` (ACL), N >= 0. */
export const SESSION_NUMBER = /(?<nat>session(?: index)? )(?<n1>\d+)$|(?<acl>action: 3, match: acl -1 rule )(?<n2>\d+)(?= )/;

/** A bijection from seed session numbers to model session numbers, per instance and pool. */
export class SessionRenaming {
  private readonly forward = new Map<string, string>();
  private readonly backward = new Map<string, string>();
  /** The golden line with its session number replaced by the model's, after checking consistency. */
  rename(instance: string, golden: string, model: string, where: string): string {
    const g = SESSION_NUMBER.exec(golden);
    const m = SESSION_NUMBER.exec(model);
    if (!g || !m) return golden;
    const pool = g.groups!.nat ? 'nat44' : 'acl';
    const gn = `${instance}/${pool}/${g.groups!.n1 ?? g.groups!.n2}`;
    const mn = `${instance}/${pool}/${m.groups!.n1 ?? m.groups!.n2}`;
    expect(this.forward.get(gn) ?? mn, `${where}: seed ${gn} already maps to another model session`).toBe(mn);
    expect(this.backward.get(mn) ?? gn, `${where}: model ${mn} already stands for another seed session`).toBe(gn);
    this.forward.set(gn, mn);
    this.backward.set(mn, gn);
    const number = m.groups!.n1 ?? m.groups!.n2;
    return golden.replace(SESSION_NUMBER, (...args) => {
      const gr = args[args.length - 1] as Record<string, string | undefined>;
      return (gr.nat ?? gr.acl) + number;
    });
  }
}
