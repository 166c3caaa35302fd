// The model registry: case.yaml `model:` names -> models. Each model lives in its own folder and
// exports its DataplaneModel from index.ts; loading is lazy so a suite only loads what it uses.

import type { DataplaneModel } from '../harness/model.js';
import { InputError } from '../harness/io/input-error.js';

const loaders: Record<string, () => Promise<DataplaneModel>> = {
  vpp: async () => (await import('./vpp/index.js')).vppModel,
  'neutron-dvr': async () => (await import('./neutron-dvr/index.js')).neutronDvrModel,
};

export function modelNames(): string[] {
  return Object.keys(loaders);
}

export async function getModel(name: string): Promise<DataplaneModel> {
  const load = loaders[name];
  if (!load) throw new InputError(`unknown model '${name}' (known: ${modelNames().join(', ')})`, {}, 'model.unknown');
  return load();
}
