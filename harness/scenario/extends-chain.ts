// `extends:` chains of scenario files: which files a scenario stacks, checked before any is validated.
// The VPP scenario layering (models/vpp/scenario-layers.ts) stacks them; `run -o` refuses to write its
// report over any of them (they are read by the suite).

import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadYaml } from './load.js';
import { requireReadableTwice } from '../io/read-twice.js';

const MAX_DEPTH = 8;

/**
 * The files a scenario stacks, itself first, each `extends` checked before any file is validated:
 * a base that is missing or a chain that loops is reported at the `extends` line that names it.
 * (Validated first, a file that lists no `instances` of its own - as in a loop of files that only
 * extend each other - reported "missing required key 'instances'" and the chain was never checked.)
 */
export function extendsChain(path: string): string[] {
  const chain = [path];
  for (;;) {
    const file = chain[chain.length - 1];
    // Read here for its `extends`, then again with the schema (scenario-layers.ts): a FIFO
    // (`--scenario <(envsubst < s.yaml)`) waited forever for a second writer, with no word.
    requireReadableTwice(file, 'a scenario is read twice (its extends chain, then its keys)');
    const doc = loadYaml<unknown>(file);
    const ext: unknown = isMapping(doc.value) ? doc.value.extends : undefined;
    if (ext === undefined) return chain;
    if (typeof ext !== 'string') return doc.fail(`'extends' expects a file name`, 'extends', 'scenario.type');
    const base = resolve(dirname(file), ext);
    const st = statSync(base, { throwIfNoEntry: false });
    if (!st) return doc.fail(`'extends' names ${base}, which does not exist`, 'extends', 'scenario.reference');
    if (st.isDirectory()) return doc.fail(`'extends' names ${base}, which is a directory`, 'extends', 'scenario.reference');
    if (chain.some((f) => resolve(f) === base)) return doc.fail(`'extends' chain is circular: ${[...chain, base].join(' -> ')}`, 'extends', 'scenario.reference');
    if (chain.length >= MAX_DEPTH) return doc.fail(`'extends' chain is deeper than ${MAX_DEPTH} files`, 'extends', 'scenario.reference');
    chain.push(base);
  }
}

/** A scenario and the files it extends, for `-o` checks; a chain that cannot be followed is reported when the scenario loads. */
export function scenarioFiles(scenario: string | undefined): string[] {
  if (!scenario) return [];
  try {
    return extendsChain(scenario);
  } catch {
    return [scenario];
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
