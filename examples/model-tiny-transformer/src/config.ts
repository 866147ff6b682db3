import { AdapterConfigError } from '@adapters/core';

/** The parsed `config.json` of a tiny transformer. */
export interface TinyTransformerConfig {
  readonly vocabSize: number;
  /** Model width. */
  readonly dModel: number;
  readonly numHeads: number;
  readonly numLayers: number;
  /** Width of the feed-forward block. */
  readonly dFf: number;
  readonly maxPositions: number;
  readonly layerNormEps: number;
  /** Activation of the feed-forward block (any name `getActivation` knows). */
  readonly activation: string;
  readonly dropout: number;
  /** The raw JSON object. */
  readonly raw: Readonly<Record<string, unknown>>;
}

function int(json: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = json[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new AdapterConfigError(`tiny-transformer config: ${key} must be a positive integer`, key);
  return v;
}

/**
 * Validates a `config.json` object (`model_type: "tiny-transformer"`): `vocab_size`, `d_model`,
 * `n_heads`, `n_layers`, `d_ff`, `max_positions`, `layer_norm_eps`, `activation`, `dropout`.
 */
export function parseTinyTransformerConfig(json: Readonly<Record<string, unknown>>): TinyTransformerConfig {
  const dModel = int(json, 'd_model', 64);
  const numHeads = int(json, 'n_heads', 4);
  if (dModel % numHeads !== 0) throw new AdapterConfigError('tiny-transformer config: d_model must be divisible by n_heads', 'n_heads');
  return {
    vocabSize: int(json, 'vocab_size', 1000),
    dModel,
    numHeads,
    numLayers: int(json, 'n_layers', 2),
    dFf: int(json, 'd_ff', 4 * dModel),
    maxPositions: int(json, 'max_positions', 128),
    layerNormEps: Number(json.layer_norm_eps ?? 1e-5),
    activation: String(json.activation ?? 'gelu'),
    dropout: Number(json.dropout ?? 0.1),
    raw: { ...json, model_type: 'tiny-transformer' },
  };
}
