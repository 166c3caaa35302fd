// acl-plugin startup.conf `connection hash buckets N` (`acl.connection_hash_buckets`): the model
// makes room for N sessions up front instead of growing its tables. Speed only: a bad value is an
// error naming the file, line and key, and pre-sized tables give exactly the traces (verdicts,
// session pool indices) of tables that grow, before and after they outgrow their first size.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/io/input-error.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));

function scenarioWith(acl: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'acl-presize-')), 's.yaml');
  writeFileSync(f, `extends: ${JSON.stringify(SCENARIO)}\ninstances:\n  k8s-master:\n    acl:\n      ${acl}\n`);
  return f;
}

function syn(client: string, port: number): Packet {
  const data = new Uint8Array(74);
  synFrame(data, ip4ToU32(client), port);
  return { data, meta: { linkType: LinkType.ETHERNET } };
}

describe('acl connection_hash_buckets (startup.conf connection hash buckets)', () => {
  it('a bad value is an error naming the file, line and key', async () => {
    for (const v of ['0', 'many', String(2 ** 22 + 1), '1.5']) {
      const file = scenarioWith(`connection_hash_buckets: ${v}`);
      const error = await vppModel.instantiate(file).then(
        () => 'no error',
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).where).toMatchObject({ file, line: 5, key: 'instances.k8s-master.acl.connection_hash_buckets' });
    }
  });

  it('pre-sized tables give the traces of tables that grow, past their first size', async () => {
    const run = async (file: string) => {
      const inst = (await vppModel.instantiate(file)) as VppInstance;
      const at = { instance: 'k8s-master', interface: 'tap2' };
      // 120 flows from two clients, every 5th packet a repeat of an earlier flow (a session hit).
      return Array.from({ length: 150 }, (_, i) => {
        const port = i % 5 === 4 ? 2000 + i - 4 : 2000 + i;
        return inst.inject(syn(i % 2 ? '10.1.1.3' : '10.1.1.12', port), at).traces;
      });
    };
    const grown = await run(SCENARIO);
    expect(await run(scenarioWith('connection_hash_buckets: 16'))).toEqual(grown);
    expect(await run(scenarioWith('connection_hash_buckets: 4096'))).toEqual(grown);
  });
});
