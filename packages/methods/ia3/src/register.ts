import { registerMethod } from '@adapters/core';
import { ia3 } from './ia3';

/** Side-effect entry: `import '@adapters/ia3/register'` registers (IA)³ globally. */
registerMethod(ia3);
