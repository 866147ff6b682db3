import { registerModel } from '@adapters/core';
import { gptj } from './gptj';

/** Side-effect entry: `import '@adapters/gptj/register'` makes GPT-J loadable by model_type. */
registerModel(gptj);
