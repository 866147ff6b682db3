import { AdapterConfigError } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * transformers' `shift_tokens_right` of `modeling_encoder_decoder.py`: decoder inputs from labels —
 * `decoder_start_token_id`, then the labels without their last token, with `-100` replaced by
 * `pad_token_id`.
 */
export function shiftTokensRight(labels: tf.Tensor, padTokenId: number | null, decoderStartTokenId: number | null): tf.Tensor {
  if (decoderStartTokenId === null) {
    throw new AdapterConfigError("Make sure to set the decoder_start_token_id attribute of the model's configuration.", 'decoder_start_token_id');
  }
  if (padTokenId === null) throw new AdapterConfigError("Make sure to set the pad_token_id attribute of the model's configuration.", 'pad_token_id');
  return tf.tidy(() => {
    const [b, t] = labels.shape as [number, number];
    const ids = tf.cast(labels, 'int32');
    const shifted = tf.concat([tf.fill([b, 1], decoderStartTokenId, 'int32'), tf.slice(ids, [0, 0], [b, t - 1])], 1);
    return tf.where(tf.equal(shifted, -100), tf.fill([b, t], padTokenId, 'int32'), shifted);
  });
}
