/** The adapter methods the demo offers, and how their hyper-parameters become a config string. */

/** A method of the demo's method picker. */
export type MethodId = 'lora' | 'seq_bn' | 'par_bn';

/** Hyper-parameters of one training run (the form of the training panel). */
export interface TrainSpec {
  /** Adapter (and head) name. */
  name: string;
  method: MethodId;
  /** LoRA rank. */
  rank: number;
  /** LoRA alpha. */
  alpha: number;
  /** Bottleneck reduction factor. */
  reductionFactor: number;
  learningRate: number;
  /** Optimizer steps. */
  steps: number;
  batchSize: number;
  /** Tokens per example (special tokens included). */
  maxLength: number;
  /** Training examples drawn from train.jsonl. */
  trainSize: number;
  /** Dev examples evaluated before and after training. */
  evalSize: number;
  seed: number;
  /**
   * Pad every batch to `maxLength` instead of its longest example. GPU backends compile a shader
   * program per tensor shape; fixed shapes let them reuse those programs (the worker turns this on
   * for webgl and webgpu).
   */
  fixedShapes?: boolean;
}

/** Labels of the methods, for the picker. */
export const METHOD_LABELS: Readonly<Record<MethodId, string>> = {
  lora: 'LoRA (attention q/v)',
  seq_bn: 'Bottleneck, sequential (Pfeiffer)',
  par_bn: 'Bottleneck, parallel (He et al.)',
};

/** The config string (core's `name[key=value]` syntax) of a spec. */
export function configString(spec: Pick<TrainSpec, 'method' | 'rank' | 'alpha' | 'reductionFactor'>): string {
  switch (spec.method) {
    case 'lora':
      return `lora[r=${spec.rank},alpha=${spec.alpha}]`;
    case 'seq_bn':
    case 'par_bn':
      return `${spec.method}[reduction_factor=${spec.reductionFactor}]`;
  }
}

/** Defaults of the training form: a few hundred steps' worth of data, short sequences. */
export const DEFAULT_SPEC: TrainSpec = {
  name: 'sentiment_lora',
  method: 'lora',
  rank: 8,
  alpha: 16,
  reductionFactor: 8,
  learningRate: 5e-3,
  steps: 60,
  batchSize: 16,
  maxLength: 48,
  trainSize: 1000,
  evalSize: 200,
  seed: 42,
};
