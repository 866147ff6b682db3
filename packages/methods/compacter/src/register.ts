import { registerMethod } from '@adapters/core';
import { compacter } from './compacter';

/** Side-effect entry: `import '@adapters/compacter/register'` registers the Compacter method globally. */
registerMethod(compacter);
