import type { AdapterModel } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/** A tiny BERT sub-config (hidden 16, 2 heads); dropout off so eval and training passes agree. */
export const BERT_SUB = {
  model_type: 'bert',
  hidden_size: 16,
  num_attention_heads: 2,
  num_hidden_layers: 2,
  intermediate_size: 24,
  vocab_size: 30,
  max_position_embeddings: 16,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
};

/** The decoder sub-config `EncoderDecoderConfig.from_encoder_decoder_configs` writes (`is_decoder`, `add_cross_attention`). */
export const asDecoder = (sub: Record<string, unknown>): Record<string, unknown> => ({ ...sub, is_decoder: true, add_cross_attention: true });

/** bert2bert: 2 encoder layers, 3 decoder layers (so the numbering of the two stacks is told apart). */
export const tinyBert2Bert = {
  model_type: 'encoder-decoder',
  architectures: ['EncoderDecoderModel'],
  encoder: BERT_SUB,
  decoder: asDecoder({ ...BERT_SUB, num_hidden_layers: 3 }),
  decoder_start_token_id: 2,
  pad_token_id: 0,
};

/** roberta2bert with a wider encoder (hidden 24): transformers adds `enc_to_dec_proj`. */
export const tinyRoberta2Bert = {
  model_type: 'encoder-decoder',
  encoder: { ...BERT_SUB, model_type: 'roberta', hidden_size: 24, num_attention_heads: 3, pad_token_id: 1, type_vocab_size: 1, max_position_embeddings: 20 },
  decoder: asDecoder(BERT_SUB),
  decoder_start_token_id: 2,
  pad_token_id: 0,
};

/** The smallest bert2bert: one layer each (for exact key lists). */
export const oneLayerBert2Bert = {
  model_type: 'encoder-decoder',
  encoder: { ...BERT_SUB, num_hidden_layers: 1 },
  decoder: asDecoder({ ...BERT_SUB, num_hidden_layers: 1 }),
};

const ids = (rows: number[][]): tf.Tensor => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');

/** Encoder batch 2 × 6 (row 1 padded), decoder batch 2 × 5 (row 1 padded). */
export function tinyInputs(): Record<string, tf.Tensor> {
  return {
    input_ids: ids([
      [5, 9, 4, 7, 11, 3],
      [8, 6, 2, 0, 0, 0],
    ]),
    attention_mask: ids([
      [1, 1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0, 0],
    ]),
    decoder_input_ids: ids([
      [2, 5, 9, 4, 7],
      [2, 7, 6, 0, 0],
    ]),
    decoder_attention_mask: ids([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
    ]),
  };
}

/** Randomises every parameter of an adapter (so that it changes the output). */
export function randomize(m: AdapterModel, name: string, seed: number, std = 0.2): void {
  let s = seed;
  for (const v of m.adapterParameters(name).values()) v.assign(tf.randomNormal(v.shape, 0, std, 'float32', s++));
}

/** `[b0, t0] … [b0 + nb, t0 + nt]` of a `[B, T, H]` tensor. */
export function rows(t: tf.Tensor, b0: number, nb: number, t0: number, nt: number): tf.Tensor {
  return tf.slice(t, [b0, t0, 0], [nb, nt, -1]);
}

/** BERT-Generation encoder and `BertGenerationDecoder` (the "bert_for_seq_generation" checkpoints). */
export const tinyBertGeneration2 = {
  model_type: 'encoder-decoder',
  encoder: { ...BERT_SUB, model_type: 'bert-generation' },
  decoder: asDecoder({ ...BERT_SUB, model_type: 'bert-generation' }),
  decoder_start_token_id: 2,
  pad_token_id: 0,
};
