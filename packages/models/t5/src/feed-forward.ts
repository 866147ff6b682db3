import { type Hooks, getActivation } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type W, plainLinear, weight } from './attention';
import type { T5Config } from './config';

/**
 * `T5DenseActDense` (`wo(dropout(act(wi(x))))`) or `T5DenseGatedActDense`
 * (`wo(dropout(act(wi_0(x)) · wi_1(x)))`) at module path `path` (`…DenseReluDense`).
 *
 * Python quirk (reference §1.8), reproduced: adapters wraps `wi` — or, in the gated variant, `wi_1`
 * (the linear branch) — as the "intermediate" LoRA site (`ffn.up`), and `wo` as "output" (`ffn.down`);
 * `wi_0` (the activated branch) is a plain linear no adapter can reach.
 */
export function t5FeedForward(c: T5Config, w: W, layer: number, path: string, x: tf.Tensor, hooks: Hooks): tf.Tensor {
  const act = getActivation(c.denseActFn, 'feed_forward_proj');
  let h: tf.Tensor;
  if (c.isGatedAct) {
    const gate = act(plainLinear(x, weight(w, `${path}.wi_0.weight`)));
    const lin = hooks.linear('ffn.up', layer, x, weight(w, `${path}.wi_1.weight`));
    // A Parallel LoRA on wi_1 may replicate the batch of the linear branch only (Python would fail here).
    const [g, l] = hooks.matchBatches([gate, lin]) as [tf.Tensor, tf.Tensor];
    h = tf.mul(g, l);
  } else {
    h = act(hooks.linear('ffn.up', layer, x, weight(w, `${path}.wi.weight`)));
  }
  h = hooks.dropout(h, c.dropoutRate);
  return hooks.linear('ffn.down', layer, h, weight(w, `${path}.wo.weight`));
}
