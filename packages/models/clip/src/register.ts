import { registerModel } from '@adapters/core';
import { clip } from './clip';

/** Side-effect entry: `import '@adapters/clip/register'` makes CLIP loadable by model_type. */
registerModel(clip);
