import { registerModel } from '@adapters/core';
import { encoderDecoder } from './encoder-decoder';

/**
 * Side-effect entry: `import '@adapters/encoder-decoder/register'` makes `model_type:
 * "encoder-decoder"` loadable (the encoder and decoder packages must be registered as well).
 */
registerModel(encoderDecoder);
