import type { DataplaneModel } from '../../harness/model.js';
import { InputError } from '../../harness/io/input-error.js';

// Placeholder until the neutron-dvr model lands (its engineer replaces this file).
export const neutronDvrModel: DataplaneModel = {
  name: 'neutron-dvr',
  async instantiate() {
    throw new InputError('the neutron-dvr model is not built yet');
  },
};
