/**
 * Type-checked configs for the LoRA family: augments `MethodConfigMap` of `@adapters/core`, so that
 * `addTypedAdapter(model, name, { method: 'lora', r: 8 })` checks the method name and every field.
 */
/** Constructor fields of Python `LoRAConfig` (all optional; the defaults of the chosen preset apply). */
export interface LoraConfigInput {
  /** Adapt the q/k/v projections listed in `attn_matrices` (default `true`). */
  readonly selfattn_lora?: boolean;
  /** Adapt the FFN up projection (default `false`). */
  readonly intermediate_lora?: boolean;
  /** Adapt the FFN down projection (default `false`). */
  readonly output_lora?: boolean;
  /** Layers without modules (default `[]`). */
  readonly leave_out?: readonly number[];
  /** Rank (default `8`). */
  readonly r?: number;
  /** Scaling numerator: `s = alpha / r` (default `8`). */
  readonly alpha?: number;
  /** Dropout on the adapter input (default `0.0`). */
  readonly dropout?: number;
  /** Attention matrices to adapt (default `['q', 'v']`). */
  readonly attn_matrices?: readonly ('q' | 'k' | 'v')[];
  /** `add` (LoRA) or `scale` ((IA)³) (default `add`). */
  readonly composition_mode?: 'add' | 'scale';
  /** Initialisation (default `lora`). */
  readonly init_weights?: 'lora' | 'bert' | 'ia3' | 'vera';
  /** Seed of the initialisation (default `null`). */
  readonly init_weights_seed?: number | null;
  /** Gate `mean_seq(sigmoid(Linear(x → 1)))` instead of `alpha / r` (default `false`). */
  readonly use_gating?: boolean;
  /** DoRA magnitude (default `false`; `dora` preset `true`). */
  readonly use_dora?: boolean;
  /** VeRA `vera_d` init (default `null`; `vera` preset `0.1`). */
  readonly vera_d?: number | null;
  /** VeRA `vera_b` init (default `null`; `vera` preset `0.0`). */
  readonly vera_b?: number | null;
  /** Parameter dtype (default `null`). */
  readonly dtype?: string | null;
}

declare module '@adapters/core' {
  interface MethodConfigMap {
    lora: LoraConfigInput;
    vera: LoraConfigInput;
    dora: LoraConfigInput;
    dvora: LoraConfigInput;
  }
}
