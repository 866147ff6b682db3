import { registerMethod } from '@adapters/core';
import { prefixTuning } from './prefix-tuning';

/** Side-effect entry: `import '@adapters/prefix-tuning/register'` registers prefix tuning globally. */
registerMethod(prefixTuning);
