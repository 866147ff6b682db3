import { describe, expect, it } from 'vitest';
import { TINY_MODELS } from './models';
import { buildModel } from './run-pair';

/**
 * Python keeps invertible adapters in the sub-model named by `invertible_adapters_base_name`
 * (`models/t5/mixin_t5.py`, `models/bart/mixin_bart.py`, `models/plbart/mixin_plbart.py`,
 * `models/whisper/mixin_whisper.py`: "encoder"; `models/clip/mixin_clip.py`: "text_model"), so their
 * state-dict keys — and the saved adapter's — start with that module path. BERT-style models keep
 * them at the root.
 */
const EXPECTED_PREFIX: Record<string, string> = {
  bert: 'invertible_adapters.a.',
  t5: 'encoder.invertible_adapters.a.',
  mt5: 'encoder.invertible_adapters.a.',
  bart: 'encoder.invertible_adapters.a.',
  mbart: 'encoder.invertible_adapters.a.',
  plbart: 'encoder.invertible_adapters.a.',
  whisper: 'encoder.invertible_adapters.a.',
  clip: 'text_model.invertible_adapters.a.',
};

describe('invertible adapter keys follow Python invertible_adapters_base_name', () => {
  for (const [id, prefix] of Object.entries(EXPECTED_PREFIX)) {
    it(`${id}: ${prefix}{F,G}.{0,2}.{weight,bias}`, () => {
      const m = TINY_MODELS[id];
      expect(m, `no tiny ${id} model`).toBeDefined();
      const model = buildModel(m!);
      try {
        model.addAdapter('a', 'seq_bn_inv', { seed: 1 });
        const keys = [...model.adapterParameters('a').keys()].filter((k) => k.includes('invertible_adapters'));
        expect(keys.sort()).toEqual(['F.0.bias', 'F.0.weight', 'F.2.bias', 'F.2.weight', 'G.0.bias', 'G.0.weight', 'G.2.bias', 'G.2.weight'].map((k) => `${prefix}${k}`));
      } finally {
        model.dispose();
      }
    });
  }
});
