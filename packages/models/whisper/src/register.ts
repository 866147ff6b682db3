import { registerModel } from '@adapters/core';
import { whisper } from './whisper';

/** Side-effect entry: `import '@adapters/whisper/register'` makes Whisper loadable by model_type (bug-compatible variant). */
registerModel(whisper);
