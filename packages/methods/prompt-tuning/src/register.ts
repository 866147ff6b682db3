import { registerMethod } from '@adapters/core';
import { promptTuning } from './prompt-tuning';

/** Side-effect entry: `import '@adapters/prompt-tuning/register'` registers prompt tuning globally. */
registerMethod(promptTuning);
