import type { FusionModule } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

export { Rng } from '@adapters/core';

/** Moves every fusion parameter away from its init with N(0, 0.3) noise. */
export function perturbFusion(f: FusionModule, seed: number): void {
  let s = seed;
  for (const v of f.params.values()) {
    const t = tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', s++)));
    v.assign(t);
    t.dispose();
  }
}
