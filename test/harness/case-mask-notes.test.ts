// A case mask is judged over ALL the case's comparisons: a mask naming one device's capture
// (`#9:[fip-...:fg-...].outer.ip4.id`) matches nothing in the other captures and is not "unused";
// a mask that matches nothing anywhere is noted once.
import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import { resolveRegistryModel } from '../../harness/suite/run-suite.js';
import { parseFieldPath } from '../../harness/diff/mask-path.js';

const REPO = resolve(import.meta.dirname, '../..');
const CASE = 'fixtures/neutron-dvr/ttl-exceeded/inbound/case.yaml';

function spec() {
  const { spec: s, errors } = loadCase(join(REPO, CASE), CASE);
  if (!s) throw errors[0];
  return s;
}
const notes = (r: Awaited<ReturnType<typeof runCase>>) => r.comparisons.flatMap((c) => c.diff?.notes ?? []);

describe('case masks over several capture goldens', () => {
  it('per-device masks used in their own capture: no "matched no field" note from the other captures', async () => {
    const s = spec();
    expect(s.masks.length).toBeGreaterThan(0);
    const r = await runCase(s, { resolveModel: resolveRegistryModel });
    expect(r.status).toBe('passed');
    expect(r.comparisons.length).toBeGreaterThan(1);
    expect(notes(r).filter((n) => n.includes('matched no field'))).toEqual([]);
    for (const m of s.masks) expect(r.comparisons.some((c) => c.diff!.masks.some((u) => u.path === m.path.text && u.fields > 0)), m.path.text).toBe(true);
  });

  it('a mask matching nothing in any capture is noted exactly once', async () => {
    const s = spec();
    s.masks = [...s.masks, { path: parseFieldPath('#99:[ext-host:eth0].outer.ip4.id'), reason: 'test: names no packet' }];
    const r = await runCase(s, { resolveModel: resolveRegistryModel });
    expect(notes(r).filter((n) => n.includes('matched no field'))).toEqual(["mask '#99:[ext-host:eth0].outer.ip4.id' matched no field"]);
  });
});
