import * as tf from '@tensorflow/tfjs-core';

/** PyTorch's default `CrossEntropyLoss.ignore_index`. */
export const IGNORE_INDEX = -100;

/**
 * `torch.nn.CrossEntropyLoss()` (mean reduction): `logits` `[N, C]`, integer `labels` `[N]`;
 * targets equal to `ignoreIndex` do not count (mean over the others; NaN when none is left, as
 * PyTorch).
 */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor, ignoreIndex = IGNORE_INDEX): tf.Scalar {
  return tf.tidy(() => {
    const c = logits.shape[logits.shape.length - 1]!;
    const x = tf.reshape(logits, [-1, c]);
    const y = tf.reshape(tf.cast(labels, 'int32'), [-1]);
    const valid = tf.notEqual(y, ignoreIndex);
    const safe = tf.where(valid, y, tf.zerosLike(y));
    const logp = tf.logSoftmax(x, -1);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(safe, c)), -1);
    const w = tf.cast(valid, 'float32');
    return tf.div(tf.neg(tf.sum(tf.mul(picked, w))), tf.sum(w)) as tf.Scalar;
  });
}

/** `torch.nn.BCEWithLogitsLoss()` (mean): `max(x, 0) − x·y + log(1 + e^{−|x|})`. */
export function bceWithLogits(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.cast(labels, 'float32');
    const l = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.mean(l) as tf.Scalar;
  });
}

/** `torch.nn.MSELoss()` (mean) over flattened tensors. */
export function mseLoss(pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(tf.reshape(pred, [-1]), tf.reshape(tf.cast(target, 'float32'), [-1])))) as tf.Scalar);
}
