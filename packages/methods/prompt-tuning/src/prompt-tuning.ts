import {
  type AdapterConfig,
  AdapterConfigError,
  type AdapterMethod,
  type EmbeddingSite,
  type MethodInitContext,
  PromptTuningConfig,
  Rng,
  type SharedParams,
  defineMethod,
  isSubclassOf,
  namedVariable,
} from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { type PromptTokenizer, embeddingRows, findWordEmbeddings, promptTokenIds } from './init';
import { type PromptTuningOptions, promptTuningOptions } from './options';
import { createPromptModule } from './prompt-module';

/** Options of {@link createPromptTuning}. */
export interface PromptTuningMethodOptions {
  /**
   * Tokeniser for `prompt_init: 'from_string'` (Python uses `AutoTokenizer` of
   * `model_config.tokenizer_name_or_path`). Must return the ids *with* special tokens, as
   * Python's `tokenizer(text)["input_ids"]`.
   */
  readonly tokenizer?: PromptTokenizer;
  /** Base-weight name of the input word embeddings (default: the first of {@link WORD_EMBEDDING_KEYS} present). */
  readonly embeddingWeight?: string;
  /**
   * Values for `prompt_init: 'from_array'` (a TypeScript extension; Python 1.1.0 rejects it):
   * `prompt_length × E` numbers, row-major, per adapter name.
   */
  readonly initArray?: (adapterName: string) => ArrayLike<number>;
}

/** State-dict key of an adapter's prompt table. */
export function promptKey(adapter: string): string {
  return `prompt_tuning.prompt_tunings.${adapter}.prompt_embedding.weight`;
}

/** Shared parameters of a prompt-tuning adapter (the prompt table plus its options). */
export interface PromptShared extends SharedParams {
  readonly prompt: tf.Variable;
  readonly options: PromptTuningOptions;
}

function isPromptShared(s: SharedParams | undefined): s is PromptShared {
  const p = s as Partial<PromptShared> | undefined;
  return !!p && p.prompt !== undefined && p.options !== undefined;
}

/** True for `PromptTuningConfig` configs. */
export function isPromptTuningConfig(c: AdapterConfig): boolean {
  return isSubclassOf(c.configClass, PromptTuningConfig);
}

function embeddingSite(ctx: MethodInitContext): EmbeddingSite {
  const site = ctx.sites.find((s): s is EmbeddingSite => s.kind === 'embedding');
  if (!site) throw new AdapterConfigError(`Model type ${ctx.model.modelType} does not support prompt tuning (no embedding hook).`);
  return site;
}

function initialValues(o: PromptTuningOptions, size: number, ctx: MethodInitContext, opts: PromptTuningMethodOptions): tf.Tensor {
  const n = o.promptLength * size;
  switch (o.promptInit) {
    case 'random_uniform': {
      // Python calls `fix_seed(init_weights_seed)` before initialising.
      const rng = o.initWeightsSeed !== null ? new Rng(o.initWeightsSeed) : ctx.rng.fork(promptKey(ctx.adapterName));
      const s = o.randomUniformScale;
      return tf.tensor(rng.fill(n, () => rng.uniform(-s, s)), [o.promptLength, size], 'float32');
    }
    case 'from_string': {
      if (!opts.tokenizer) {
        throw new AdapterConfigError("prompt_init='from_string' needs a tokenizer: use createPromptTuning({ tokenizer })", 'prompt_init');
      }
      const ids = promptTokenIds(opts.tokenizer(o.promptInitText!), o.promptLength);
      return embeddingRows(findWordEmbeddings(ctx.weights, opts.embeddingWeight), ids, size);
    }
    case 'from_array': {
      const values = opts.initArray?.(ctx.adapterName);
      if (!values) throw new AdapterConfigError("prompt_init='from_array' needs values: use createPromptTuning({ initArray })", 'prompt_init');
      if (values.length !== n) throw new AdapterConfigError(`from_array: expected ${o.promptLength}×${size} = ${n} values, got ${values.length}`, 'prompt_init');
      return tf.tensor(Float32Array.from(values), [o.promptLength, size], 'float32');
    }
  }
}

/**
 * Builds the prompt-tuning method (Lester et al. 2021) as in Python `adapters`: a model-level
 * prompt table `prompt_tuning.prompt_tunings.<name>.prompt_embedding.weight` `[L, E]` prepended to
 * the embedding output (only the first adapter of the active setup acts, as in Python).
 */
export function createPromptTuning(opts: PromptTuningMethodOptions = {}): AdapterMethod {
  return defineMethod({
    name: 'prompt_tuning',
    kinds: ['embedding'],
    container: 'prompt_tunings',
    // Python's prompt layer is not composable: any setup is accepted and its first adapter is used.
    compositions: ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'],
    firstAdapterOnly: true,
    accepts: isPromptTuningConfig,
    validate(config) {
      promptTuningOptions(config);
    },
    createShared(ctx): PromptShared {
      const o = promptTuningOptions(ctx.config);
      const site = embeddingSite(ctx);
      const key = promptKey(ctx.adapterName);
      const prompt = namedVariable(initialValues(o, site.hiddenSize, ctx, opts), key);
      return { params: new Map([[key, prompt]]), prompt, options: o };
    },
    createModule(site, ctx) {
      if (site.kind !== 'embedding' || !isPromptShared(ctx.shared)) return undefined;
      return createPromptModule(ctx.shared.prompt, ctx.shared.options.combine);
    },
  });
}

/** Prompt tuning without a tokenizer (`random_uniform` init; register it or pass it to a model). */
export const promptTuning: AdapterMethod = createPromptTuning();
