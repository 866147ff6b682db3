import { registerModel } from '@adapters/core';
import { gpt2 } from './gpt2';

/** Side-effect entry: `import '@adapters/gpt2/register'` makes GPT-2 loadable by model_type. */
registerModel(gpt2);
