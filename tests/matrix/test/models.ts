import { albert } from '@adapters/albert';
import { bart } from '@adapters/bart';
import { beit } from '@adapters/beit';
import { bert } from '@adapters/bert';
import { bertGeneration } from '@adapters/bert-generation';
import { clip } from '@adapters/clip';
import type { ModelDefinition } from '@adapters/core';
import { deberta, debertaV2 } from '@adapters/deberta';
import { distilbert } from '@adapters/distilbert';
import { electra } from '@adapters/electra';
import { defineEncoderDecoder } from '@adapters/encoder-decoder';
import { gpt2 } from '@adapters/gpt2';
import { gptj } from '@adapters/gptj';
import { gemma, llama, mistral, qwen2 } from '@adapters/llama';
import { t5 } from '@adapters/t5';
import { vit } from '@adapters/vit';
import { whisper } from '@adapters/whisper';
import { xmod } from '@adapters/xmod';
import * as tf from '@tensorflow/tfjs-core';

/** A tiny model of one matrix row: plugin, config JSON (hidden 16, 2 layers) and inputs. */
export interface TinyModel {
  readonly def: ModelDefinition<unknown>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly inputs: () => Record<string, tf.Tensor>;
  /**
   * Outputs the training loss reads (default `last_hidden_state`); CLIP reads both towers,
   * encoder-decoder models the decoder and the encoder output (so encoder-only adapter modules
   * get a gradient too).
   */
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
/** Encoder (6 tokens, row 1 padded with `pad`) and decoder (5 tokens, row 1 padded) inputs. */
const seq2seq = (pad: number, start: number) => (): Record<string, tf.Tensor> => ({
  input_ids: ids([
    [5, 9, 4, 7, 11, 3],
    [8, 6, 2, pad, pad, pad],
  ]),
  attention_mask: ids([
    [1, 1, 1, 1, 1, 1],
    [1, 1, 1, 0, 0, 0],
  ]),
  decoder_input_ids: ids([
    [start, 5, 9, 4, 7],
    [start, 7, 6, pad, pad],
  ]),
  decoder_attention_mask: ids(MASK),
});
const ENC_DEC = ['last_hidden_state', 'encoder_last_hidden_state'] as const;
const T5_LIKE = { d_model: 16, d_kv: 8, d_ff: 24, num_layers: 2, num_decoder_layers: 2, num_heads: 2, relative_attention_num_buckets: 8, relative_attention_max_distance: 12, dropout_rate: 0, vocab_size: 30 };
const BART_LIKE = {
  d_model: 16,
  encoder_layers: 2,
  decoder_layers: 2,
  encoder_attention_heads: 2,
  decoder_attention_heads: 2,
  encoder_ffn_dim: 24,
  decoder_ffn_dim: 24,
  max_position_embeddings: 16,
  vocab_size: 30,
  dropout: 0,
  attention_dropout: 0,
  activation_dropout: 0,
  pad_token_id: 1,
  decoder_start_token_id: 2,
};
/** DeBERTa with disentangled attention both ways (as Python's DeBERTa tests), no absolute positions. */
const DEBERTA_LIKE = { ...BERT_LIKE, max_position_embeddings: 16, relative_attention: true, pos_att_type: 'c2p|p2c', position_biased_input: false };
/** 8×8 images in 4×4 patches (4 patches + CLS). */
const VISION_LIKE = { hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 24, image_size: 8, patch_size: 4, num_channels: 3, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 };
const pixels = (): Record<string, tf.Tensor> => ({ pixel_values: tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 5) });
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
  t5: { def: def(t5), config: { model_type: 't5', ...T5_LIKE, feed_forward_proj: 'relu' }, inputs: seq2seq(0, 0), lossOutputs: ENC_DEC },
  // mT5: gated-gelu feed-forward (wi_0 / wi_1).
  mt5: { def: def(t5), config: { model_type: 'mt5', ...T5_LIKE, feed_forward_proj: 'gated-gelu' }, inputs: seq2seq(0, 0), lossOutputs: ENC_DEC },
  bart: { def: def(bart), config: { model_type: 'bart', ...BART_LIKE }, inputs: seq2seq(1, 2), lossOutputs: ENC_DEC },
  // mBART: pre-LN layers with final layer norms, scaled embeddings.
  mbart: { def: def(bart), config: { model_type: 'mbart', ...BART_LIKE, scale_embedding: true }, inputs: seq2seq(1, 2), lossOutputs: ENC_DEC },
  plbart: { def: def(bart), config: { model_type: 'plbart', ...BART_LIKE }, inputs: seq2seq(1, 2), lossOutputs: ENC_DEC },
  // v1: fused in_proj (one attn.qkv site) with q_bias / v_bias.
  deberta: { def: def(deberta), config: { model_type: 'deberta', ...DEBERTA_LIKE }, inputs: tokens(0, true) },
  'deberta-v2': {
    def: def(debertaV2),
    config: { model_type: 'deberta-v2', ...DEBERTA_LIKE, position_buckets: 4, share_att_key: true, norm_rel_ebd: 'layer_norm' },
    inputs: tokens(0, true),
  },
  // Python behaviour (adapters.init removes X-MOD's language adapters and refuses lang_ids): no
  // language id input. Token ids start at 2 (pad 1, positions from 2).
  xmod: { def: def(xmod), config: { model_type: 'xmod', ...ROBERTA_LIKE, languages: ['en_XX', 'de_DE'], default_language: 'en_XX' }, inputs: tokens(1) },
  vit: { def: def(vit), config: { model_type: 'vit', ...VISION_LIKE }, inputs: pixels },
  // transformers' BeitConfig defaults (no relative position bias: with one, Python's prompt and
  // prefix tuning fail on the bias shape, see @adapters/beit); no stochastic depth.
  beit: { def: def(beit), config: { model_type: 'beit', ...VISION_LIKE, drop_path_rate: 0 }, inputs: pixels },
  // 8 mel bins × 12 frames → 6 encoder positions after the stride-2 convolution.
  // bert2bert (transformers EncoderDecoderModel): the decoder sub-config with is_decoder + add_cross_attention.
  'encoder-decoder': {
    def: def(defineEncoderDecoder({ models: [def(bert)] })),
    config: {
      model_type: 'encoder-decoder',
      encoder: { model_type: 'bert', ...BERT_LIKE, max_position_embeddings: 16 },
      decoder: { model_type: 'bert', ...BERT_LIKE, max_position_embeddings: 16, is_decoder: true, add_cross_attention: true },
      decoder_start_token_id: 2,
      pad_token_id: 0,
    },
    inputs: seq2seq(0, 2),
    lossOutputs: ENC_DEC,
  },
  whisper: {
    def: def(whisper),
    config: {
      model_type: 'whisper',
      d_model: 16,
      encoder_layers: 2,
      decoder_layers: 2,
      encoder_attention_heads: 2,
      decoder_attention_heads: 2,
      encoder_ffn_dim: 24,
      decoder_ffn_dim: 24,
      num_mel_bins: 8,
      max_source_positions: 6,
      max_target_positions: 16,
      vocab_size: 30,
      decoder_start_token_id: 3,
      pad_token_id: 1,
      dropout: 0,
      attention_dropout: 0,
      activation_dropout: 0,
    },
    inputs: () => ({
      input_features: tf.randomNormal([2, 8, 12], 0, 1, 'float32', 7),
      decoder_input_ids: ids([
        [3, 5, 9, 4, 7],
        [3, 7, 6, 1, 1],
      ]),
      decoder_attention_mask: ids(MASK),
    }),
    lossOutputs: ENC_DEC,
  },
};
