import { registerModel } from '@adapters/core';
import { t5 } from './t5';

/** Side-effect entry: `import '@adapters/t5/register'` makes T5 and mT5 loadable by `model_type`. */
registerModel(t5);
