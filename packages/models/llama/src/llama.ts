import { AdapterConfigError, type BlockType, type ModelDefinition, defineModel } from '@adapters/core';
import { type LlamaConfig, type LlamaFamily, parseLlamaConfig } from './config';
import { llamaForward } from './forward';
import { llamaSites } from './sites';
import { llamaWeightSpecs } from './weights';

const ALL_BLOCKS: readonly BlockType[] = ['Stack', 'Fuse', 'Split', 'BatchSplit', 'Parallel', 'Average', 'MultiTask'];
/** Python's `SUPPORTED_MODELS[Parallel]` lists llama and mistral but no plugin-interface model (issue #813). */
const NO_PARALLEL: readonly BlockType[] = ALL_BLOCKS.filter((b) => b !== 'Parallel');

function defineFamily(fam: LlamaFamily, description: string): ModelDefinition<LlamaConfig> {
  return defineModel<LlamaConfig>({
    name: fam,
    modelTypes: [fam],
    compositions: fam === 'llama' || fam === 'mistral' ? ALL_BLOCKS : NO_PARALLEL,
    // Python: LlamaModelAdapterMixin / MistralModelAdapterMixin set support_prompt_tuning = False and
    // no plugin interface (qwen2, gemma2/3) enables it; rejected in addAdapter instead of failing in
    // the forward (the causal mask is not extended for prompt tokens).
    unsupportedConfigs: ['prompt_tuning'],
    basePrefix: () => 'model',
    parseConfig(json) {
      const c = parseLlamaConfig(json);
      if (c.modelType !== fam) {
        throw new AdapterConfigError(`the ${description} plugin got model_type "${c.modelType}"; use the "${c.modelType}" plugin of @adapters/llama`, 'model_type');
      }
      return c;
    },
    info: (c) => ({
      modelType: c.modelType,
      hiddenSize: c.hiddenSize,
      numLayers: c.numHiddenLayers,
      numAttentionHeads: c.numAttentionHeads,
      config: c.raw,
    }),
    sites: llamaSites,
    weightSpecs: llamaWeightSpecs,
    forward: llamaForward,
  });
}

/** Llama (1, 2, 3.x): RMSNorm, RoPE (default / linear / llama3 scaling), GQA, SwiGLU, optional biases. */
export const llama = defineFamily('llama', 'Llama');
/** Mistral: Llama math plus sliding-window attention. */
export const mistral = defineFamily('mistral', 'Mistral');
/** Qwen2: Llama math with q/k/v biases; LoRA FFN mapping of Python's plugin interface; no Parallel. */
export const qwen2 = defineFamily('qwen2', 'Qwen2');
/** Gemma (v1): scaled embeddings, `(1 + w)` RMSNorm, GeGLU, explicit head_dim; plugin-interface LoRA FFN mapping; no Parallel. */
export const gemma = defineFamily('gemma', 'Gemma');

/** The four model plugins of this package. */
export const LLAMA_MODELS: readonly ModelDefinition<LlamaConfig>[] = [llama, mistral, qwen2, gemma];
