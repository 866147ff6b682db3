import { registerModel } from '@adapters/core';
import { distilbert } from './distilbert';

/** Side-effect entry: `import '@adapters/distilbert/register'` makes DistilBERT loadable by model_type. */
registerModel(distilbert);
