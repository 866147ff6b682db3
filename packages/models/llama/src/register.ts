import { registerModel } from '@adapters/core';
import { gemma, llama, mistral, qwen2 } from './llama';

/** Side-effect entry: `import '@adapters/llama/register'` makes llama, mistral, qwen2 and gemma loadable by model_type. */
registerModel(llama);
registerModel(mistral);
registerModel(qwen2);
registerModel(gemma);
