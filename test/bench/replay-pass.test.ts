// bench/replay-pass.ts on a small connection capture: the pass replays every packet, and its
// "later half" (whose rate the bench compares the whole pass with, to show the JIT's warm-up) starts
// at the first batch boundary at or past half the packets - not at the start, not at the end.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionTraffic, ensureConnectionCapture, PACKETS_PER_CONNECTION } from '../../bench/connections.js';
import { replayPass } from '../../bench/replay-pass.js';
import { POD_TO_SERVICE, repoRoot, serviceEndpoints } from '../../bench/service-endpoints.js';
import { DEFAULT_BATCH } from '../../harness/io/record-batch.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';

const SCENARIO = join(repoRoot(), POD_TO_SERVICE);
const CONNECTIONS = 500;

describe('replayPass', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('replays the whole capture and times its later half from the batch boundary at or past the middle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dpconform-replay-pass-'));
    dirs.push(dir);
    const traffic = new ConnectionTraffic(serviceEndpoints(SCENARIO, 'k8s-master'), { connections: CONNECTIONS, open: 50 });
    const capture = await ensureConnectionCapture(traffic, dir);
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    inst.setTracing(false);
    const pass = await replayPass(inst, capture, { instance: 'k8s-master' });
    const packets = CONNECTIONS * PACKETS_PER_CONNECTION;
    expect(packets).toBeGreaterThan(4 * DEFAULT_BATCH);
    expect([pass.packets, pass.outputs]).toEqual([packets, packets]);
    expect(pass.laterHalf.packets).toBeLessThanOrEqual(packets / 2);
    expect(pass.laterHalf.packets).toBeGreaterThan(packets / 2 - DEFAULT_BATCH);
    expect(pass.laterHalf.seconds).toBeGreaterThan(0);
    expect(pass.laterHalf.seconds).toBeLessThan(pass.seconds);
  });
});
