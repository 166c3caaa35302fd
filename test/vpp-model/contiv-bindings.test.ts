// The Contiv cases bind history-dependent session numbers instead of presetting them. A binding must
// be able to fail: a model whose response hits a different NAT44 session than the one its request
// created makes the case fail, naming the binding.
//
// The fault is made with the public model API only: the request runs in one instance (its session
// is captured), the response in a second instance of the same scenario where another flow of the
// same client came first, so there the request's session - the one the response hits - has
// another pool index. Every other field of the response is unchanged.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataplaneModel, ModelInstance } from '../../harness/model.js';
import type { Packet } from '../../harness/wire/packet.js';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import type { CaseResult } from '../../harness/suite/result.js';
import { vppModel } from '../../models/vpp/index.js';
import { SessionRenaming } from './session-renaming.js';

type At = Parameters<ModelInstance['inject']>[1];

/** The request's client port (Ethernet 14 + IPv4 20: TCP source port), changed: another flow. */
function otherFlow(p: Packet): Packet {
  const data = p.data.slice();
  data[35] ^= 0x01;
  return { ...p, data };
}

/** vppModel, except that the response (second injection) runs where the request's session has another index. */
const responseHitsAnotherSession: DataplaneModel = {
  name: 'vpp-fault-response-session',
  async instantiate(scenario: string): Promise<ModelInstance> {
    const first = await vppModel.instantiate(scenario);
    const second = await vppModel.instantiate(scenario);
    let request: { packet: Packet; at: At } | undefined;
    return {
      inject(packet, at) {
        if (!request) {
          request = { packet, at };
          return first.inject(packet, at);
        }
        second.inject(otherFlow(request.packet), request.at);
        second.inject(request.packet, request.at);
        return second.inject(packet, at);
      },
    };
  },
};

async function run(caseDir: string, model: DataplaneModel): Promise<CaseResult> {
  const file = resolve(caseDir, 'case.yaml');
  const { spec, errors } = loadCase(file, caseDir);
  expect(errors.map((e) => e.message)).toEqual([]);
  return runCase(spec!, { resolveModel: async () => model });
}

function bindingDiffs(r: CaseResult) {
  return r.comparisons.flatMap((c) => c.diff?.diffs ?? []).filter((d) => d.kind === 'binding');
}

const CASES = [
  ['fixtures/contiv/pod-to-service-same-node/response', 'one node'],
  ['fixtures/contiv/pod-to-service-host-stack/response', 'one node, backend in the host stack'],
  ['fixtures/contiv/pod-to-service-other-node/response', 'two nodes: the client node (packet 4) hits the session of packet 1'],
] as const;

describe('$nat_session: the response hits the NAT44 session its request created', () => {
  for (const [dir, what] of CASES) {
    it(`${dir.split('/')[2]} (${what}): passes with the model's own session index bound`, async () => {
      const r = await run(dir, vppModel);
      expect(r.status).toBe('passed');
      expect(r.counters.bound).toBeGreaterThanOrEqual(2);
      const b = r.comparisons.flatMap((c) => c.diff?.bindings ?? []).find((x) => x.name === '$nat_session');
      expect(b?.model).toBe(0); // a fresh pool's first session: not the seed's number
      expect(b?.golden).not.toBe(0);
    });

    it(`${dir.split('/')[2]}: fault - the response hits another session: the case fails naming $nat_session`, async () => {
      const r = await run(dir, responseHitsAnotherSession);
      expect(r.status).toBe('failed');
      const d = bindingDiffs(r);
      expect(d.length).toBe(1);
      expect(d[0].stage).toBe('nat44-in2out-slowpath');
      expect(d[0].path).toBe('session_index');
      expect(d[0].note).toMatch(/\$nat_session/);
      expect(d[0].expected).toBe(0); // the request's session in the first instance
      expect(d[0].got).not.toBe(0);
      // nothing else differs: the fault is the session the response hits, and only the binding sees it
      expect(r.comparisons.flatMap((c) => c.diff?.diffs ?? []).length).toBe(1);
    });
  }
});

describe('line-for-line session numbers (contiv-e2e): a consistent renaming, per instance and pool', () => {
  const out2in = (n: number) => `NAT44_OUT2IN: sw_if_index 6, next index 1, session index ${n}`;
  const slow = (n: number) => `NAT44_IN2OUT_SLOW_PATH: sw_if_index 8, next index 0, session ${n}`;
  const hit = (n: number) => `acl-plugin: sw_if_index 6, next index 1, action: 3, match: acl -1 rule ${n} trace_bits 80000000`;

  it('the seed\'s numbers become the model\'s where they are consistent', () => {
    const r = new SessionRenaming();
    expect(r.rename('m', out2in(5), out2in(0), 'x')).toBe(out2in(0));
    expect(r.rename('m', slow(5), slow(0), 'x')).toBe(slow(0));
    expect(r.rename('m', hit(41), hit(0), 'x')).toBe(hit(0)); // ACL pool: its own numbering
    expect(r.rename('w', out2in(5), out2in(3), 'x')).toBe(out2in(3)); // another instance: its own pool
    expect(r.rename('m', slow(-1), slow(-1), 'x')).toBe(slow(-1)); // no session: compared as printed
  });

  it('fault: the reply hits another session than its request made', () => {
    const r = new SessionRenaming();
    r.rename('m', out2in(5), out2in(0), 'request');
    expect(() => r.rename('m', slow(5), slow(1), 'response')).toThrow(/response: seed m\/nat44\/5 already maps to another model session/);
  });

  it('fault: two seed sessions fall onto one model session', () => {
    const r = new SessionRenaming();
    r.rename('m', hit(170), hit(0), 'first');
    expect(() => r.rename('m', hit(22), hit(0), 'second')).toThrow(/model m\/acl\/0 already stands for another seed session/);
  });
});
