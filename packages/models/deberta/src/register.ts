import { registerModel } from '@adapters/core';
import { deberta, debertaV2 } from './deberta';

/** Side-effect entry: `import '@adapters/deberta/register'` makes `deberta` and `deberta-v2` loadable by model_type. */
registerModel(deberta);
registerModel(debertaV2);
