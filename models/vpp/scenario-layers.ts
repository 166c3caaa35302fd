// Scenario layering: `extends: ../scenario.yaml` lets a scenario restate only what differs from a
// base cluster (the seed's flows were captured on different days: other ACL numbering, other pods,
// another NIC). Per instance, a list section of the extending file (`interfaces`, `routes`...)
// REPLACES the base's as a whole; a mapping section (`acl`, `nat44`, `next_slots`) is merged one
// level deep, so a flow can restate just `acl.interfaces`. No deeper merge: every value comes from
// exactly one file, so an error in it names that file and line. Instances only in the extending
// file are added; `links` come from the nearest file that has them.

import type { LoadedYaml } from '../../harness/scenario/load.js';
import { loadYaml } from '../../harness/scenario/load.js';
import type { SchemaNode } from '../../harness/scenario/schema.js';
import { extendsChain } from '../../harness/scenario/extends-chain.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Raw = any;

/** One instance after layering, with the file each of its sections came from. */
export interface LayeredInstance {
  raw: Raw;
  /** Fail at a key path inside the instance (`interfaces[2].mac`): the right file, line and key. */
  fail(reason: string, key: string, code?: string): never;
}

export interface LayeredScenario {
  /** The file that was asked for (the top layer). */
  file: string;
  instances: Map<string, LayeredInstance>;
  links: string[][];
  failLinks(reason: string, key: string): never;
}

export function loadLayered(path: string, schema: SchemaNode): LayeredScenario {
  const layers: LoadedYaml<Raw>[] = extendsChain(path).reverse().map((file) => loadYaml<Raw>(file, schema));
  const top = layers[layers.length - 1];
  const instances = new Map<string, { raw: Raw; origin: Map<string, LoadedYaml<Raw>> }>();
  let linksFrom: LoadedYaml<Raw> | undefined;
  for (const doc of layers) {
    for (const [name, raw] of Object.entries<Raw>(doc.value.instances ?? {})) {
      let inst = instances.get(name);
      if (!inst) instances.set(name, (inst = { raw: {}, origin: new Map() }));
      for (const [key, value] of Object.entries(raw ?? {})) {
        if (isMapping(value) && isMapping(inst.raw[key])) {
          inst.raw[key] = { ...inst.raw[key] };
          for (const [sub, v] of Object.entries(value)) {
            inst.raw[key][sub] = v;
            inst.origin.set(`${key}.${sub}`, doc);
          }
        } else {
          inst.raw[key] = value;
          inst.origin.set(key, doc);
          for (const k of [...inst.origin.keys()]) if (k.startsWith(`${key}.`)) inst.origin.delete(k);
        }
      }
    }
    if (doc.value.links !== undefined) linksFrom = doc;
  }
  const out = new Map<string, LayeredInstance>();
  for (const [name, inst] of instances) {
    out.set(name, {
      raw: inst.raw,
      fail(reason, key, code = 'scenario.reference') {
        const section = /^[^.[]*/.exec(key)![0];
        const sub = /^[^.[]*(?:\.[^.[]*)?/.exec(key)![0];
        return (inst.origin.get(sub) ?? inst.origin.get(section) ?? top).fail(reason, `instances.${name}.${key}`, code);
      },
    });
  }
  return {
    file: path,
    instances: out,
    links: linksFrom?.value.links ?? [],
    failLinks: (reason, key) => (linksFrom ?? top).fail(reason, key),
  };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
