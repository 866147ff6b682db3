import { registerMethod } from '@adapters/core';
import { invertible } from './invertible';

/** Side-effect entry: `import '@adapters/invertible/register'` registers the invertible-adapter method globally. */
registerMethod(invertible);
