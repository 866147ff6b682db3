import { albert } from '@adapters/albert';
import { bert } from '@adapters/bert';
import { bertGeneration } from '@adapters/bert-generation';
import { clip } from '@adapters/clip';
import type { ModelDefinition } from '@adapters/core';
import { distilbert } from '@adapters/distilbert';
import { electra } from '@adapters/electra';
import { gpt2 } from '@adapters/gpt2';
import { gptj } from '@adapters/gptj';
import { gemma, llama, mistral, qwen2 } from '@adapters/llama';
import * as tf from '@tensorflow/tfjs-core';

/** A tiny model of one matrix row: plugin, config JSON (hidden 16, 2 layers) and inputs. */
export interface TinyModel {
  readonly def: ModelDefinition<unknown>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly inputs: () => Record<string, tf.Tensor>;
  /** Outputs the training loss reads (default `last_hidden_state`); CLIP reads both towers. */
  readonly lossOutputs?: readonly string[];
}

const ids = (rows: number[][]): tf.Tensor => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');
const MASK = [
  [1, 1, 1, 1, 1],
  [1, 1, 1, 0, 0],
];
/** Batch 2 × 5, row 1 right-padded with `pad`. */
const tokens = (pad: number, typeIds = false) => (): Record<string, tf.Tensor> => ({
  input_ids: ids([
    [2, 5, 9, 4, 3],
    [2, 7, 3, pad, pad],
  ]),
  attention_mask: ids(MASK),
  ...(typeIds ? { token_type_ids: ids([[0, 0, 1, 1, 1], [0, 0, 0, 0, 0]]) } : {}),
});

const BERT_LIKE = { hidden_size: 16, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 24, vocab_size: 30, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 };
/** RoBERTa positions start at pad_token_id + 1 = 2, so 5 tokens need 7 positions. */
const ROBERTA_LIKE = { ...BERT_LIKE, max_position_embeddings: 16, pad_token_id: 1, type_vocab_size: 1 };
const LLAMA_LIKE = { vocab_size: 30, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 32, rms_norm_eps: 1e-6, rope_theta: 10000 };
const def = <C>(d: ModelDefinition<C>): ModelDefinition<unknown> => d as unknown as ModelDefinition<unknown>;

/** Every row of {@link MODEL_ROWS} by id. */
export const TINY_MODELS: Readonly<Record<string, TinyModel>> = {
  bert: { def: def(bert), config: { model_type: 'bert', ...BERT_LIKE, max_position_embeddings: 16 }, inputs: tokens(0, true) },
  roberta: { def: def(bert), config: { model_type: 'roberta', ...ROBERTA_LIKE }, inputs: tokens(1) },
  'xlm-roberta': { def: def(bert), config: { model_type: 'xlm-roberta', ...ROBERTA_LIKE }, inputs: tokens(1) },
  distilbert: {
    def: def(distilbert),
    config: { model_type: 'distilbert', dim: 16, n_heads: 2, n_layers: 2, hidden_dim: 24, vocab_size: 30, max_position_embeddings: 16, dropout: 0, attention_dropout: 0 },
    inputs: tokens(0),
  },
  // embedding_size 8 ≠ hidden 16: embedding-site methods (prompt, invertible) run at embedding_size.
  albert: {
    def: def(albert),
    config: { model_type: 'albert', ...BERT_LIKE, embedding_size: 8, max_position_embeddings: 16, num_hidden_groups: 1, inner_group_num: 1, hidden_act: 'gelu_new' },
    inputs: tokens(0, true),
  },
  electra: { def: def(electra), config: { model_type: 'electra', ...BERT_LIKE, embedding_size: 8, max_position_embeddings: 16 }, inputs: tokens(0, true) },
  'bert-generation': { def: def(bertGeneration), config: { model_type: 'bert-generation', ...BERT_LIKE, max_position_embeddings: 16 }, inputs: tokens(0) },
  gpt2: {
    def: def(gpt2),
    config: { model_type: 'gpt2', n_embd: 16, n_head: 2, n_layer: 2, n_positions: 32, vocab_size: 30, resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 },
    inputs: tokens(0),
  },
  gptj: {
    def: def(gptj),
    config: { model_type: 'gptj', n_embd: 16, n_head: 2, n_layer: 2, n_positions: 32, n_inner: 24, rotary_dim: 4, vocab_size: 30, resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 },
    inputs: tokens(0),
  },
  llama: { def: def(llama), config: { model_type: 'llama', ...LLAMA_LIKE }, inputs: tokens(0) },
  mistral: { def: def(mistral), config: { model_type: 'mistral', ...LLAMA_LIKE }, inputs: tokens(0) },
  qwen2: { def: def(qwen2), config: { model_type: 'qwen2', ...LLAMA_LIKE }, inputs: tokens(0) },
  // Dual encoder: text tower (eos = 29, the largest id) and vision tower (8×8 images, 4×4 patches).
  clip: {
    def: def(clip),
    config: {
      model_type: 'clip',
      projection_dim: 8,
      text_config: { hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 2, vocab_size: 30, max_position_embeddings: 16, eos_token_id: 29 },
      vision_config: { hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 2, image_size: 8, patch_size: 4, num_channels: 3 },
    },
    inputs: () => ({
      input_ids: ids([
        [2, 5, 9, 4, 29],
        [2, 7, 29, 0, 0],
      ]),
      attention_mask: ids(MASK),
      pixel_values: tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 5),
    }),
    lossOutputs: ['text_model_output.last_hidden_state', 'vision_model_output.last_hidden_state'],
  },
  gemma: { def: def(gemma), config: { model_type: 'gemma', ...LLAMA_LIKE, head_dim: 4 }, inputs: tokens(0) },
};
