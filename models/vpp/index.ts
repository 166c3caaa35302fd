import type { DataplaneModel } from '../../harness/model.js';
import { InputError } from '../../harness/io/input-error.js';

// Placeholder until the vpp model lands (its engineer replaces this file).
export const vppModel: DataplaneModel = {
  name: 'vpp',
  async instantiate() {
    throw new InputError('the vpp model is not built yet');
  },
};
