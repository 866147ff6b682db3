import { type WeightSpec, dense, getActivation, layerNorm, linearOutIn } from '@adapters/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { SubModel } from './sub-model';

/**
 * The language-modelling head of the decoder class transformers' `EncoderDecoderModel` builds
 * (`AutoModelForCausalLM.from_config(config.decoder)`), so the composed model returns `logits`
 * like `EncoderDecoderModel.forward`. Python's `adapters` leaves these static heads untouched
 * (no invertible-adapter reverse pass).
 */
export interface CausalLmHead {
  /** transformers class of the decoder, e.g. `BertLMHeadModel`. */
  readonly className: string;
  /** Head weights, named as in the composed state dict (`decoder.cls.predictions.…`). */
  readonly specs: readonly WeightSpec[];
  /** `[B, T, vocab]` logits of decoder states `h`. */
  logits(w: ReadonlyMap<string, tf.Tensor>, h: tf.Tensor): tf.Tensor;
}

function get(w: ReadonlyMap<string, tf.Tensor>, name: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`encoder-decoder weight ${name} is missing`);
  return t;
}

interface HeadLayout {
  readonly className: string;
  /** Module of the head under `decoder.` (`cls.predictions`, `lm_head`). */
  readonly module: string;
  /** Names of the transform (dense, LayerNorm) under the module; null: a bare output projection. */
  readonly transform: { readonly dense: string; readonly norm: string; readonly act: (raw: Readonly<Record<string, unknown>>) => string } | null;
}

/** Head layouts per decoder `model_type` (transformers' `…ForCausalLM` / `…LMHeadModel` / `…Decoder`). */
const LAYOUTS: Readonly<Record<string, HeadLayout>> = {
  // BertLMHeadModel: cls.predictions.{transform.{dense,LayerNorm}, decoder, bias}; activation `hidden_act`.
  bert: { className: 'BertLMHeadModel', module: 'cls.predictions', transform: { dense: 'transform.dense', norm: 'transform.LayerNorm', act: (r) => String(r.hidden_act ?? 'gelu') } },
  // RobertaForCausalLM / XLMRobertaForCausalLM: lm_head.{dense, layer_norm, decoder, bias}; always exact GELU.
  roberta: { className: 'RobertaForCausalLM', module: 'lm_head', transform: { dense: 'dense', norm: 'layer_norm', act: () => 'gelu' } },
  'xlm-roberta': { className: 'XLMRobertaForCausalLM', module: 'lm_head', transform: { dense: 'dense', norm: 'layer_norm', act: () => 'gelu' } },
  // BertGenerationDecoder: lm_head.{decoder, bias}, no transform.
  'bert-generation': { className: 'BertGenerationDecoder', module: 'lm_head', transform: null },
};

const WORD_EMBEDDINGS = 'embeddings.word_embeddings.weight';

/**
 * The LM head of a decoder, or null for decoder types whose head is not known here (the model
 * then returns no `logits`). The output projection is tied to the decoder's word embeddings unless
 * the decoder config sets `tie_word_embeddings: false` (transformers' `tie_weights`).
 */
export function causalLmHead(decoder: SubModel): CausalLmHead | null {
  const layout = LAYOUTS[decoder.info.modelType];
  const emb = decoder.specs.find((s) => s.name === WORD_EMBEDDINGS);
  if (!layout || !emb) return null;
  const raw = decoder.json;
  const [vocab, h] = emb.shape as [number, number];
  const m = `decoder.${layout.module}`;
  const specs: WeightSpec[] = [];
  const t = layout.transform;
  if (t) {
    specs.push(
      { name: `${m}.${t.dense}.weight`, shape: [h, h], transposed: true, init: 'normal' },
      { name: `${m}.${t.dense}.bias`, shape: [h], init: 'zeros' },
      { name: `${m}.${t.norm}.weight`, shape: [h], init: 'ones', aliases: [`${m}.${t.norm}.gamma`] },
      { name: `${m}.${t.norm}.bias`, shape: [h], init: 'zeros', aliases: [`${m}.${t.norm}.beta`] },
    );
  }
  specs.push({ name: `${m}.bias`, shape: [vocab], init: 'zeros', aliases: [`${m}.decoder.bias`] });
  const tied = raw.tie_word_embeddings !== false;
  // PyTorch layout [vocab, hidden]: logits = h·Wᵀ (no transposition on load).
  if (!tied) specs.push({ name: `${m}.decoder.weight`, shape: [vocab, h], init: 'normal' });
  const outWeight = tied ? `${decoder.prefix}.${WORD_EMBEDDINGS}` : `${m}.decoder.weight`;
  const eps = typeof raw.layer_norm_eps === 'number' ? raw.layer_norm_eps : 1e-12;
  const act = t ? getActivation(t.act(raw), 'decoder.hidden_act') : null;
  return {
    className: layout.className,
    specs,
    logits(w, hidden) {
      let x = hidden;
      if (t && act) {
        x = act(dense(x, get(w, `${m}.${t.dense}.weight`), get(w, `${m}.${t.dense}.bias`)));
        x = layerNorm(x, get(w, `${m}.${t.norm}.weight`), get(w, `${m}.${t.norm}.bias`), eps);
      }
      return linearOutIn(x, get(w, outWeight), get(w, `${m}.bias`));
    },
  };
}
