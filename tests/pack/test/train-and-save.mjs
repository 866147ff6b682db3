// Runs inside the fresh project that installed the packed tarballs (copied there by pack-install.test.mjs):
// a plain Node ESM script using only the published entry points. Prints one JSON line with the results.
import { AdamW, createRandomModel, loadAdapter, saveAdapter, trainStep } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { bert } from '@adapters/bert';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';

await setupNodeBackend({ backend: 'cpu' });
tf.env().set('PROD', true);
const config = { model_type: 'bert', hidden_size: 32, num_attention_heads: 4, num_hidden_layers: 2, intermediate_size: 37, vocab_size: 99, max_position_embeddings: 64, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 };
const model = createRandomModel(bert, config, { methods: [lora], seed: 1 });
model.addAdapter('sentiment', 'lora[r=4,alpha=8]');
model.trainAdapter('sentiment');
const inputs = { input_ids: tf.tensor2d([[2, 45, 17, 3], [2, 9, 3, 0]], [2, 4], 'int32'), attention_mask: tf.tensor2d([[1, 1, 1, 1], [1, 1, 1, 0]], [2, 4], 'int32') };
const target = tf.randomNormal([2, 4, 32], 0, 1, 'float32', 0);
const opt = new AdamW({ lr: 1e-2 });
const losses = [];
for (let step = 0; step < 8; step++) {
  const { loss } = trainStep(model, () => tf.losses.meanSquaredError(target, model.forward(inputs, { training: true }).last_hidden_state), opt);
  losses.push(loss);
}
const trainable = model.trainableVariables().size;
await saveAdapter(model, nodeStorage, 'out/sentiment', 'sentiment');
const files = ['adapter_config.json', 'adapter.safetensors'].filter((f) => existsSync(`out/sentiment/${f}`));

// Reload into a fresh model: identical outputs.
model.setActiveAdapters('sentiment');
const y = model.forward(inputs).last_hidden_state;
const fresh = createRandomModel(bert, config, { methods: [lora], seed: 1 });
await loadAdapter(fresh, nodeStorage, 'out/sentiment', { setActive: true });
const z = fresh.forward(inputs).last_hidden_state;
const reloadDiff = tf.max(tf.abs(tf.sub(y, z))).dataSync()[0];
console.log(JSON.stringify({ backend: tf.getBackend(), losses, trainable, files, reloadDiff }));
