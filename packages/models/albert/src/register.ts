import { registerModel } from '@adapters/core';
import { albert } from './albert';

/** Side-effect entry: `import '@adapters/albert/register'` makes ALBERT loadable by model_type. */
registerModel(albert);
