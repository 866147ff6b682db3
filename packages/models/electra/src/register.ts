import { registerModel } from '@adapters/core';
import { electra } from './electra';

/** Side-effect entry: `import '@adapters/electra/register'` makes ELECTRA loadable by model_type. */
registerModel(electra);
