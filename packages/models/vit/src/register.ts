import { registerModel } from '@adapters/core';
import { vit } from './vit';

/** Side-effect entry: `import '@adapters/vit/register'` makes ViT loadable by `model_type`. */
registerModel(vit);
