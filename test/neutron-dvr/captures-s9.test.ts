// The lab's extra-phase captures (golden/neutron-dvr/captures-s9, see golden/neutron-dvr/README.md):
// traffic the first goldens do not hold, captured from the real kernel. The model matches them with
// `check`, the bundled case built from them (fixtures/neutron-dvr/extra/s9) is exactly what
// lab/dvr/cases-extra.ts generates and passes, and it fails on a golden with one byte changed.
import { describe, it, expect } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../../harness/check/check.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';
import { CASE_FIXTURES, labCaptures } from '../../lab/dvr/cases.js';
import { EXTRA_CAPTURES, EXTRA_CASE, EXTRA_SCENARIO, buildExtraCase } from '../../lab/dvr/cases-extra.js';
import { flipByte, runDvrCase } from './cases-helpers.js';

// Since session 11 the extra phase builds the MTU variant (tenant devices at 1450).
const SCENARIO = EXTRA_SCENARIO;

describe('extra-phase captures of the real kernel (golden/neutron-dvr/captures-s9)', () => {
  it('the model matches every captured packet at every device', async () => {
    const captures = labCaptures(EXTRA_CAPTURES).map((c) => ({ node: c.node, iface: c.iface, file: join(EXTRA_CAPTURES, c.file) }));
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures });
    expect(r.divergences).toEqual([]);
    expect(r.devices).toHaveLength(9);
    expect(r.inputs).toBeGreaterThan(70);
    expect(r.matched).toBe(r.predicted);
  });

  it('the bundled case is the generated one and passes', async () => {
    expect(readFileSync(join(CASE_FIXTURES, EXTRA_CASE, 'case.yaml'), 'utf8')).toBe(buildExtraCase());
    expect((await runDvrCase('.', EXTRA_CASE)).status).toBe('passed');
  });

  it('fails when the kernel had answered differently (one byte of fip\'s echo reply to the external host changed)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dvr-s9-'));
    for (const d of ['fixtures/neutron-dvr', EXTRA_CAPTURES]) cpSync(d, join(root, d), { recursive: true });
    const ext = labCaptures(EXTRA_CAPTURES).find((c) => c.node === 'ext-host')!;
    // the first echo reply from 172.30.89.129 (fg-'s address) reaching the external host
    const n = ext.packets.findIndex((p) => p.data[23] === 1 && p.data[34] === 0 && p.data.subarray(26, 30).join('.') === '172.30.89.129') + 1;
    expect(n).toBeGreaterThan(0);
    flipByte(join(root, EXTRA_CAPTURES, ext.file), n, 34 + 8, 0x01); // first byte of the echoed data
    expect(readdirSync(join(root, EXTRA_CAPTURES))).toHaveLength(9);
    expect((await runDvrCase(root, EXTRA_CASE)).status).toBe('failed');
  });
});
