import { type ModelInfo, Rng, namedVariable } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type HeadConfig, type HeadType, isLmHead } from './head-config';
import { type HeadLayer, buildHeadLayers, headParamSpecs } from './head-layers';

/**
 * A prediction head (Python `PredictionHead`): its name, type, config dict, module list and
 * parameters. Parameters are keyed by local name (`1.weight`); {@link PredictionHead.stateDict}
 * gives the full state-dict names `heads.<name>.<index>.weight`. Weights use PyTorch's `[out, in]`
 * layout, so files need no transposes and a tied output layer can use the input embedding matrix.
 */
export class PredictionHead {
  readonly name: string;
  readonly type: HeadType;
  readonly config: HeadConfig;
  readonly layers: readonly HeadLayer[];
  readonly params: Map<string, tf.Variable>;
  /**
   * Base-model weight key the output projection shares (Python `tie_weights` for LM heads), or
   * null. The tied weight is not owned by the head.
   */
  readonly tiedWeightKey: string | null;

  constructor(opts: {
    name: string;
    type: HeadType;
    config: HeadConfig;
    info: ModelInfo;
    tiedWeightKey?: string | null;
    seed?: number;
  }) {
    this.name = opts.name;
    this.type = opts.type;
    this.config = opts.config;
    this.layers = buildHeadLayers(opts.type, opts.config, opts.info);
    this.tiedWeightKey = isLmHead(opts.type) ? (opts.tiedWeightKey ?? null) : null;
    this.params = new Map();
    // Python applies the model's `_init_weights`: Linear N(0, initializer_range), bias 0, LayerNorm 1/0.
    const std = Number(opts.info.config.initializer_range ?? 0.02);
    const rng = new Rng(opts.seed ?? 0);
    const tied = this.tiedWeightKey ? this.outputWeightKey : null;
    for (const spec of headParamSpecs(this.layers)) {
      if (spec.key === tied) continue;
      const n = spec.shape.reduce((a, b) => a * b, 1);
      const data =
        spec.init === 'ones' ? new Float32Array(n).fill(1) : spec.init === 'zeros' ? new Float32Array(n) : rng.fill(n, () => rng.normal(0, std));
      this.params.set(spec.key, namedVariable(tf.tensor(data, spec.shape, 'float32'), `heads.${this.name}.${spec.key}`));
    }
  }

  /** Index of the last module (the output projection). */
  get outputIndex(): number {
    return this.layers.length - 1;
  }

  /** Local key of the output projection's weight (`<last index>.weight`). */
  get outputWeightKey(): string {
    return `${this.outputIndex}.weight`;
  }

  /** Parameters by full state-dict key (`heads.<name>.<local>`), tied weights excluded. */
  stateDict(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [k, v] of this.params) out.set(`heads.${this.name}.${k}`, v);
    return out;
  }

  /** Frees the head's own variables. */
  dispose(): void {
    for (const v of this.params.values()) if (!v.isDisposed) v.dispose();
    this.params.clear();
  }
}
