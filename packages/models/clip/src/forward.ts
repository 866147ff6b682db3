import type { ModelForwardArgs, ModelOutput } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ClipConfig } from './config';
import { weight } from './encoder';
import { textTower } from './text';
import { visionTower } from './vision';

/** Rows divided by their L2 norm (`x / x.norm(p=2, dim=-1, keepdim=True)`). */
export function l2Normalize(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.sqrt(tf.sum(tf.square(x), -1, true)));
}

/**
 * `CLIPModel.forward` (transformers 4.47): with `input_ids` (+ `attention_mask`, `position_ids`) and
 * `pixel_values` `[B, C, H, W]` it returns `text_embeds`, `image_embeds` (projected and L2-normalised),
 * `logits_per_text = exp(logit_scale) · text·imageᵀ`, `logits_per_image` (its transpose) and the towers'
 * outputs flattened as `text_model_output.*` / `vision_model_output.*`. Either input may be left out
 * (then only that tower runs, like `get_text_features` / `get_image_features`). `last_hidden_state` is
 * a clone of the text tower's (the vision tower's when there is no text); per-layer states come as
 * `text_model_output.hidden_states` / `vision_model_output.hidden_states` when requested.
 */
export function clipForward(args: ModelForwardArgs<ClipConfig>): ModelOutput {
  const { config: c, weights: w, inputs, hooks } = args;
  if (!inputs.input_ids && !inputs.pixel_values) throw new Error('CLIP forward needs "input_ids" and/or "pixel_values"');
  const out: Record<string, tf.Tensor | tf.Tensor[]> = {};
  let textEmbeds: tf.Tensor | null = null;
  let imageEmbeds: tf.Tensor | null = null;
  if (inputs.input_ids) {
    const t = textTower(c, w, inputs, hooks);
    out['text_model_output.last_hidden_state'] = t.lastHiddenState;
    out['text_model_output.pooler_output'] = t.pooled;
    if (args.outputHiddenStates) out['text_model_output.hidden_states'] = t.hidden;
    textEmbeds = l2Normalize(tf.matMul(t.pooled, weight(w, 'text_projection.weight')));
    out.text_embeds = textEmbeds;
  }
  if (inputs.pixel_values) {
    const v = visionTower(c, w, inputs.pixel_values, hooks);
    out['vision_model_output.last_hidden_state'] = v.lastHiddenState;
    out['vision_model_output.pooler_output'] = v.pooled;
    if (args.outputHiddenStates) out['vision_model_output.hidden_states'] = v.hidden;
    imageEmbeds = l2Normalize(tf.matMul(v.pooled, weight(w, 'visual_projection.weight')));
    out.image_embeds = imageEmbeds;
  }
  if (textEmbeds && imageEmbeds) {
    const logitsPerText = tf.mul(tf.matMul(textEmbeds, imageEmbeds, false, true), tf.exp(weight(w, 'logit_scale')));
    out.logits_per_text = logitsPerText;
    out.logits_per_image = tf.transpose(logitsPerText);
  }
  // A clone (shared data, own handle), so disposing every output key never frees another one.
  const last = tf.clone((out['text_model_output.last_hidden_state'] ?? out['vision_model_output.last_hidden_state']) as tf.Tensor);
  return { ...out, last_hidden_state: last };
}
