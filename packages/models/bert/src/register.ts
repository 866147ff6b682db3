import { registerModel } from '@adapters/core';
import { bert } from './bert';

/** Side-effect entry: `import '@adapters/bert/register'` makes BERT/RoBERTa/XLM-R loadable by model_type. */
registerModel(bert);
