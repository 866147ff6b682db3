import { registerModel } from '@adapters/core';
import { bart } from './bart';

/** Side-effect entry: `import '@adapters/bart/register'` makes BART, mBART and PLBart loadable by `model_type`. */
registerModel(bart);
