/** Constructor fields of `LoHaConfig`; all optional (the `loha` preset supplies the defaults). */
export interface LohaConfigInput {
  /** Attention matrices to adapt (default `['q', 'v']`). */
  readonly attn_matrices?: readonly ('q' | 'k' | 'v')[];
  /** Adapt the FFN up projection (default `false`). */
  readonly intermediate_loha?: boolean;
  /** Adapt the FFN down projection (default `false`). */
  readonly output_loha?: boolean;
  /** Layers without modules (default `[]`). */
  readonly leave_out?: readonly number[];
  /** Rank of each of the two factor products (default `8`). */
  readonly r?: number;
  /** Scaling numerator: `scale = alpha / r` (default `8`). */
  readonly alpha?: number;
  /** Dropout on the module input in training (default `0.0`). */
  readonly dropout?: number;
  /** `true`: `hada_w2_b = 0`, so the adapter starts as the identity (PEFT's default); `false`: all four factors random. */
  readonly init_weights?: boolean;
}

declare module '@adapters/core' {
  interface MethodConfigMap {
    loha: LohaConfigInput;
  }
}
