import { describeModel } from '@adapters/core/testing';
import { gemma, llama, mistral, qwen2 } from '../src';
import { tinyConfig, tinyInputs } from './helpers';

const inputs = tinyInputs;

describeModel(llama, { config: tinyConfig, inputs });
describeModel(llama, { config: { ...tinyConfig, attention_bias: true, mlp_bias: true, num_key_value_heads: 4, rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8 } }, inputs });
describeModel(mistral, { config: { ...tinyConfig, model_type: 'mistral', sliding_window: 3 }, inputs });
describeModel(qwen2, { config: { ...tinyConfig, model_type: 'qwen2', tie_word_embeddings: true }, inputs });
describeModel(gemma, { config: { ...tinyConfig, model_type: 'gemma', head_dim: 6, num_key_value_heads: 1 }, inputs });
