import { registerModel } from '@adapters/core';
import { beit } from './beit';

/** Side-effect entry: `import '@adapters/beit/register'` makes BEiT loadable by `model_type`. */
registerModel(beit);
