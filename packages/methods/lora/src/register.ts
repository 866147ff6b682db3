import { registerMethod } from '@adapters/core';
import { lora } from './lora';

/** Side-effect entry: `import '@adapters/lora/register'` registers LoRA globally. */
registerMethod(lora);
