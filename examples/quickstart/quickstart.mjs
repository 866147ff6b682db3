import { AdamW, adapterSummary, loadPretrained, saveAdapter, trainStep } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { bert } from '@adapters/bert';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';

await setupNodeBackend({ backend: 'wasm' });
const model = await loadPretrained(nodeStorage, '../shared/fixtures/models/tiny-bert', { model: bert, methods: [lora] });
model.addAdapter('sentiment', 'lora[r=8,alpha=16]');
model.trainAdapter('sentiment'); // freezes the base model: only the adapter trains
const inputs = { input_ids: tf.tensor2d([[2, 45, 17, 3]], [1, 4], 'int32') };
const target = tf.randomNormal([1, 4, 32], 0, 1, 'float32', 0);
const opt = new AdamW({ lr: 1e-2 });
for (let step = 0; step < 5; step++) {
  const { loss } = trainStep(model, () => tf.losses.meanSquaredError(target, model.forward(inputs).last_hidden_state), opt);
  console.log(`step ${step}: loss ${loss.toFixed(4)}`);
}
console.log(adapterSummary(model));
await saveAdapter(model, nodeStorage, '.tmp/sentiment', 'sentiment'); // adapter_config.json + adapter.safetensors
