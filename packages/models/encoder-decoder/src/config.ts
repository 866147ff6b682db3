import { AdapterConfigError, type ModelDefinition, type Site } from '@adapters/core';
import { type CausalLmHead, causalLmHead } from './lm-heads';
import { type SubModel, maxHookLayer, parseSubModel } from './sub-model';

/** A parsed `EncoderDecoderConfig` (`config.json` with `model_type: "encoder-decoder"`). */
export interface EncoderDecoderConfig {
  readonly encoder: SubModel;
  readonly decoder: SubModel;
  /** Added to the decoder's hook layers so that its sites do not collide with the encoder's. */
  readonly hookOffset: number;
  /**
   * transformers' `enc_to_dec_proj` (`Linear(encoder.hidden_size, decoder.hidden_size)`): present
   * when the hidden sizes differ and the decoder sets no `cross_attention_hidden_size`.
   */
  readonly encToDecProj: boolean;
  /** The decoder's LM head, or null when the decoder type's head is not known here (no `logits`). */
  readonly lmHead: CausalLmHead | null;
  readonly decoderStartTokenId: number | null;
  readonly padTokenId: number | null;
  /**
   * The raw config object; `architectures` defaults to `["EncoderDecoderModel"]` (the class Python
   * records as `model_class` in saved adapters).
   */
  readonly raw: Readonly<Record<string, unknown>>;
}

function optionalInt(json: Readonly<Record<string, unknown>>, key: string): number | null {
  const v = json[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new AdapterConfigError(`config.json: expected an integer or null, got ${JSON.stringify(v)}`, key);
  return v;
}

/**
 * Reads an `EncoderDecoderConfig`: resolves the `encoder` and `decoder` sub-configs' plugins by
 * `model_type` (`models` first, then the global registry) and parses them with those plugins.
 */
export function parseEncoderDecoderConfig(json: Readonly<Record<string, unknown>>, models: readonly ModelDefinition<unknown>[] = []): EncoderDecoderConfig {
  const modelType = String(json.model_type ?? 'encoder-decoder');
  if (modelType !== 'encoder-decoder') throw new AdapterConfigError(`@adapters/encoder-decoder serves encoder-decoder, not "${modelType}"`, 'model_type');
  if (json.tie_encoder_decoder === true) {
    throw new AdapterConfigError('tie_encoder_decoder (decoder weights shared with the encoder) is not supported', 'tie_encoder_decoder');
  }
  const encoder = parseSubModel(json, 'encoder', models);
  const decoder = parseSubModel(json, 'decoder', models);
  const decRaw = decoder.json;
  if (decRaw.add_cross_attention === true && !decoder.sites.some((s: Site) => s.point === 'attn.cross')) {
    throw new AdapterConfigError(
      `the decoder's plugin (${decoder.def.name}) has no cross-attention for model_type "${decoder.info.modelType}"; it cannot read the encoder output`,
      'decoder.add_cross_attention',
    );
  }
  const crossSize = decRaw.cross_attention_hidden_size;
  if (crossSize !== undefined && crossSize !== null && crossSize !== decoder.info.hiddenSize) {
    throw new AdapterConfigError(
      `decoder.cross_attention_hidden_size ${String(crossSize)} differs from the decoder's hidden size ${decoder.info.hiddenSize}; only projected (enc_to_dec_proj) or equal sizes are supported`,
      'decoder.cross_attention_hidden_size',
    );
  }
  const encToDecProj = encoder.info.hiddenSize !== decoder.info.hiddenSize && (crossSize === undefined || crossSize === null);
  if (encoder.info.hiddenSize !== decoder.info.hiddenSize && !encToDecProj) {
    throw new AdapterConfigError(
      `encoder hidden size ${encoder.info.hiddenSize} differs from the decoder's ${decoder.info.hiddenSize}`,
      'decoder.cross_attention_hidden_size',
    );
  }
  return {
    encoder,
    decoder,
    hookOffset: maxHookLayer(encoder.sites) + 1,
    encToDecProj,
    lmHead: causalLmHead(decoder),
    decoderStartTokenId: optionalInt(json, 'decoder_start_token_id'),
    padTokenId: optionalInt(json, 'pad_token_id'),
    raw: Array.isArray(json.architectures) ? json : { ...json, architectures: ['EncoderDecoderModel'] },
  };
}
