import { registerMethod } from '@adapters/core';
import { bottleneck } from './bottleneck';

/** Side-effect entry: `import '@adapters/bottleneck/register'` registers the bottleneck method globally. */
registerMethod(bottleneck);
