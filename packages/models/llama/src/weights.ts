import type { WeightSpec } from '@adapters/core';
import type { LlamaConfig } from './config';
import { layerPath } from './paths';

/**
 * Every base weight of a Llama-family decoder with Hugging Face state-dict names (bare model;
 * `model.`-prefixed names of `*ForCausalLM` checkpoints are accepted too). Linear kernels are
 * stored `[in, out]`. RMSNorm weights start at 1 (Gemma: 0, since it scales by `1 + w`).
 * `lm_head.weight` (untied models only) is optional and only used for the opt-in `logits` output.
 */
export function llamaWeightSpecs(c: LlamaConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const qOut = c.numAttentionHeads * c.headDim;
  const kvOut = c.numKeyValueHeads * c.headDim;
  const normInit = c.normPlusOne ? 'zeros' : 'ones';
  const specs: WeightSpec[] = [{ name: 'embed_tokens.weight', shape: [c.vocabSize, h], init: 'normal' }];
  const linear = (path: string, inF: number, outF: number, bias: boolean): void => {
    specs.push({ name: `${path}.weight`, shape: [inF, outF], transposed: true, init: 'normal' });
    if (bias) specs.push({ name: `${path}.bias`, shape: [outF], init: 'zeros' });
  };
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const l = layerPath(i);
    specs.push({ name: `${l}.input_layernorm.weight`, shape: [h], init: normInit });
    linear(`${l}.self_attn.q_proj`, h, qOut, c.qkvBias);
    linear(`${l}.self_attn.k_proj`, h, kvOut, c.qkvBias);
    linear(`${l}.self_attn.v_proj`, h, kvOut, c.qkvBias);
    linear(`${l}.self_attn.o_proj`, qOut, h, c.oBias);
    specs.push({ name: `${l}.post_attention_layernorm.weight`, shape: [h], init: normInit });
    linear(`${l}.mlp.gate_proj`, h, c.intermediateSize, c.mlpBias);
    linear(`${l}.mlp.up_proj`, h, c.intermediateSize, c.mlpBias);
    linear(`${l}.mlp.down_proj`, c.intermediateSize, h, c.mlpBias);
  }
  specs.push({ name: 'norm.weight', shape: [h], init: normInit });
  // With tied embeddings the LM head is `embed_tokens` itself (a stored `lm_head.weight` is the same tensor).
  if (!c.tieWordEmbeddings) specs.push({ name: 'lm_head.weight', shape: [h, c.vocabSize], transposed: true, init: 'normal', optional: true });
  return specs;
}
