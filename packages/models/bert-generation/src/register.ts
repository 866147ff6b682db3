import { registerModel } from '@adapters/core';
import { bertGeneration } from './bert-generation';

/** Side-effect entry: `import '@adapters/bert-generation/register'` makes BERT-Generation loadable by model_type. */
registerModel(bertGeneration);
