import { type ModelDefinition, type Site, type WeightSpec, defineModel } from '@adapters/core';
import { type EncoderDecoderConfig, parseEncoderDecoderConfig } from './config';
import { encoderDecoderForward } from './forward';
import { composedSite, composedSpec } from './sub-model';

/**
 * Every hook site of the composed model: the encoder's sites under `encoder.` and the decoder's
 * under `decoder.<base_model_prefix>.`, each keeping its own layer index (Python
 * `EncoderDecoderModelAdaptersMixin.iter_layers` is not global, so `leave_out: [0]` leaves out
 * layer 0 of both), the decoder's hook layers moved past the encoder's. The decoder's embedding
 * site is dropped: in Python only the encoder's embeddings get invertible adapters.
 */
export function encoderDecoderSites(c: EncoderDecoderConfig): Site[] {
  return [
    ...c.encoder.sites.map((s) => composedSite(s, c.encoder.prefix, null)),
    ...c.decoder.sites.filter((s) => s.kind !== 'embedding').map((s) => composedSite(s, c.decoder.prefix, c.hookOffset)),
  ];
}

/** Every base weight: the sub-models' under their prefixes, `enc_to_dec_proj` where needed, the decoder's LM head. */
export function encoderDecoderWeightSpecs(c: EncoderDecoderConfig): WeightSpec[] {
  const specs = [...c.encoder.specs.map((s) => composedSpec(s, c.encoder.prefix)), ...c.decoder.specs.map((s) => composedSpec(s, c.decoder.prefix))];
  if (c.encToDecProj) {
    const [e, d] = [c.encoder.info.hiddenSize, c.decoder.info.hiddenSize];
    specs.push({ name: 'enc_to_dec_proj.weight', shape: [e, d], transposed: true, init: 'normal' }, { name: 'enc_to_dec_proj.bias', shape: [d], init: 'zeros' });
  }
  if (c.lmHead) specs.push(...c.lmHead.specs);
  return specs;
}

/** Options of {@link defineEncoderDecoder}. */
export interface EncoderDecoderOptions {
  /** Plugins for the sub-models, looked up by `model_type` before the global registry. */
  readonly models?: readonly ModelDefinition<unknown>[];
}

/**
 * Builds the plugin of transformers' `EncoderDecoderModel` (`model_type: "encoder-decoder"`, e.g.
 * bert2bert): the encoder and decoder plugins are found by their sub-configs' `model_type`
 * (`opts.models` first, then the plugins registered with `registerModel`, e.g. by
 * `import '@adapters/bert/register'`). As in Python (`EncoderDecoderModelAdaptersMixin`):
 * prompt tuning is rejected, Parallel is not supported, invertible adapters live in the encoder.
 */
export function defineEncoderDecoder(opts: EncoderDecoderOptions = {}): ModelDefinition<EncoderDecoderConfig> {
  const models = opts.models ?? [];
  return defineModel<EncoderDecoderConfig>({
    name: 'encoder-decoder',
    modelTypes: ['encoder-decoder'],
    // Python SUPPORTED_MODELS[Parallel] does not list encoder-decoder.
    compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Average', 'MultiTask'],
    // Python: EncoderDecoderModelAdaptersMixin.support_prompt_tuning = False.
    unsupportedConfigs: ['prompt_tuning'],
    basePrefix: () => 'encoder_decoder',
    parseConfig: (json) => parseEncoderDecoderConfig(json, models),
    info: (c) => ({
      modelType: 'encoder-decoder',
      hiddenSize: c.encoder.info.hiddenSize,
      numLayers: Math.max(c.encoder.info.numLayers, c.decoder.info.numLayers),
      numAttentionHeads: c.encoder.info.numAttentionHeads,
      config: c.raw,
    }),
    sites: encoderDecoderSites,
    weightSpecs: encoderDecoderWeightSpecs,
    forward: encoderDecoderForward,
  });
}

/** The `EncoderDecoderModel` plugin resolving its sub-models from the global registry. */
export const encoderDecoder: ModelDefinition<EncoderDecoderConfig> = defineEncoderDecoder();
