import { registerMethod } from '@adapters/core';
import { lora } from './lora';
import { dora, dvora, vera } from './vera-dora';

/** Side-effect entry: `import '@adapters/lora/register'` registers LoRA, VeRA, DoRA and DvoRA globally. */
registerMethod(lora);
registerMethod(vera);
registerMethod(dora);
registerMethod(dvora);
