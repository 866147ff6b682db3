// Plain-Node check that the BUILT packages (dist/, not vitest's source transform) can train:
// gradients must be registered by @adapters/core's dist. Run after `pnpm build`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdamW, loadAdapter, loadPretrained, saveAdapter, trainStep } from '@adapters/core';
import { nodeStorage, setupNodeBackend } from '@adapters/core/node';
import { bert } from '@adapters/bert';
import { lora } from '@adapters/lora';
import * as tf from '@tensorflow/tfjs-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = process.env.ADAPTERS_FIXTURES ?? path.resolve(here, '../../../../../shared/fixtures');
for (const backend of ['cpu', 'wasm']) {
  await setupNodeBackend({ backend });
  const model = await loadPretrained(nodeStorage, path.join(fixtures, 'models/tiny-bert'), { model: bert, methods: [lora] });
  model.addAdapter('a', 'lora[r=4,alpha=8]');
  model.trainAdapter('a');
  const inputs = { input_ids: tf.tensor2d([[2, 5, 9, 4, 3]], [1, 5], 'int32') };
  const target = tf.sin(tf.mul(tf.range(0, 32, 1, 'float32'), 0.7));
  const loss = () => tf.mean(tf.square(tf.sub(model.forward(inputs).last_hidden_state, target)));
  const opt = new AdamW({ lr: 1e-2 });
  const losses = [];
  for (let i = 0; i < 5; i++) losses.push(trainStep(model, loss, opt).loss);
  if (!(losses[4] < losses[0])) throw new Error(`${backend}: loss did not decrease: ${losses}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'dist-smoke-'));
  await saveAdapter(model, nodeStorage, dir, 'a');
  const before = model.forward(inputs).last_hidden_state.dataSync();
  model.deleteAdapter('a');
  await loadAdapter(model, nodeStorage, dir, { setActive: true });
  const after = model.forward(inputs).last_hidden_state.dataSync();
  if (before.some((v, i) => v !== after[i])) throw new Error(`${backend}: reloaded adapter differs`);
  console.log(JSON.stringify({ backend, losses }));
  model.dispose();
}
process.exit(0);
