import { registerMethod } from '@adapters/core';
import { reft } from './reft';

/** Side-effect entry: `import '@adapters/reft/register'` registers ReFT globally. */
registerMethod(reft);
