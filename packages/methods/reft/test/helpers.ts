import { AdapterModel, type AdapterMethod, createRandomModel, loadPretrained, namedVariable } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath, perturbAdapter } from '@adapters/core/testing';
import { bert } from '@adapters/bert';
import * as tf from '@tensorflow/tfjs-core';

/** The fixtures' tiny BERT with the given methods. */
export function tinyBert(methods: AdapterMethod[]): Promise<AdapterModel> {
  return loadPretrained(nodeStorage, fixturePath('models', 'tiny-bert'), { model: bert as never, methods });
}

/** A random 2-layer BERT (hidden 16) for conformance tests. */
export function randomBert(methods: AdapterMethod[]): AdapterModel {
  return createRandomModel(
    bert as never,
    { model_type: 'bert', hidden_size: 16, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 24, vocab_size: 30, max_position_embeddings: 16, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 },
    { methods, seed: 7, std: 0.2 },
  );
}

/** Inputs for {@link randomBert}: batch 2 × 5 with padding in row 1. */
export function randomBertInputs(): Record<string, tf.Tensor> {
  return {
    input_ids: tf.tensor2d([[2, 5, 9, 4, 3], [2, 7, 3, 0, 0]], [2, 5], 'int32'),
    attention_mask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], [2, 5], 'int32'),
  };
}

/**
 * `perturbAdapter`, then the diagonal of every orthogonal `…parametrizations.weight.original` is reset to −1:
 * PyTorch multiplies by `int(diagonal)` (never trained), so a perturbed |diagonal| < 1 would zero the projection.
 */
export function perturbReftAdapter(model: AdapterModel, name: string, seed = 1): void {
  perturbAdapter(model, name, seed);
  for (const [k, v] of model.adapterParameters(name)) {
    if (!k.endsWith('.parametrizations.weight.original')) continue;
    const [r, n] = v.shape as [number, number];
    const next = tf.tidy(() => {
      const eye = tf.eye(r, n);
      return tf.sub(tf.mul(v, tf.sub(1, eye)), eye);
    });
    v.assign(next);
    next.dispose();
  }
}

/**
 * A BERT-base-sized model (hidden 768, 12 layers, 12 heads, FFN 3072, vocab 30522; 109,482,240 base parameters)
 * with all-zero base weights, for parameter counting: zero-filled typed arrays are not touched, so this costs
 * neither time nor resident memory.
 */
export function bertBaseZeros(methods: AdapterMethod[]): AdapterModel {
  const config = bert.parseConfig({
    model_type: 'bert', hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072,
    vocab_size: 30522, max_position_embeddings: 512, type_vocab_size: 2,
  });
  const weights = new Map<string, tf.Variable>();
  for (const spec of bert.weightSpecs(config)) weights.set(spec.name, namedVariable(tf.zeros([...spec.shape]), spec.name));
  return new AdapterModel({ definition: bert as never, config, weights, methods, modelName: 'bert-base-uncased' });
}
