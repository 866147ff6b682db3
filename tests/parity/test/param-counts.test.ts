import { AdapterModel, adapterSummaryRows, namedVariable } from '@adapters/core';
import { bert } from '@adapters/bert';
import { dora, vera } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { METHODS } from './plugins';

/** BERT-base (bert-base-uncased sizes) with zero weights: parameter counting only needs shapes. */
function bertBase(): AdapterModel {
  const config = bert.parseConfig({
    model_type: 'bert', hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072,
    vocab_size: 30522, max_position_embeddings: 512, type_vocab_size: 2,
  });
  const weights = new Map<string, tf.Variable>();
  for (const spec of bert.weightSpecs(config)) weights.set(spec.name, namedVariable(tf.zeros([...spec.shape]), spec.name));
  return new AdapterModel({ definition: bert as never, config, weights, methods: [...METHODS, vera, dora] });
}

// The Python library's adapter_summary() counts for bert-base (reference §10.2).
const TABLE: [string, number, number][] = [
  ['seq_bn', 894_528, 0.8171],
  ['double_seq_bn', 1_789_056, 1.6341],
  ['par_bn', 7_091_712, 6.4775],
  ['scaled_par_bn', 7_091_724, 6.4775],
  ['seq_bn_inv', 1_190_592, 1.0875],
  ['double_seq_bn_inv', 2_085_120, 1.9045],
  ['compacter++', 28_576, 0.0261],
  ['compacter', 57_088, 0.0521],
  ['prefix_tuning', 9_872_384, 9.0173],
  ['prefix_tuning_flat', 552_960, 0.5051],
  ['lora', 294_912, 0.2694],
  ['ia3', 55_296, 0.0505],
  ['vera', 14_169_600, 12.9424],
  ['dora', 313_344, 0.2862],
  ['loreft', 36_888, 0.0337],
  ['noreft', 36_888, 0.0337],
  ['direft', 36_888, 0.0337],
  ['prompt_tuning', 7_680, 0.007],
  ['mam', 22_493_984, 20.5458],
  ['unipelt', 11_083_376, 10.1234],
];

describe('adapterSummary() parameter counts equal Python on bert-base (reference §10.2)', () => {
  const model = bertBase();
  it('base model: 109,482,240 parameters', () => {
    expect(adapterSummaryRows(model).at(-1)!['#param']).toBe(109_482_240);
  });
  for (const [config, count, percent] of TABLE) {
    it(`${config}: ${count.toLocaleString('en-US')} (${percent}%)`, () => {
      const name = config.replace(/\W/g, '_');
      model.addAdapter(name, config);
      const row = adapterSummaryRows(model).find((r) => r.name === name)!;
      expect(row['#param']).toBe(count);
      expect(row['%param']).toBeCloseTo(percent, 3);
      model.deleteAdapter(name);
    });
  }
});
