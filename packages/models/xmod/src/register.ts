import { registerModel } from '@adapters/core';
import { xmod } from './xmod';

/** Side-effect entry: `import '@adapters/xmod/register'` makes `xmod` loadable by model_type (Python adapters behaviour). */
registerModel(xmod);
