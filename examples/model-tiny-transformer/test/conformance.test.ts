import { bottleneck } from '@adapters/bottleneck';
import { describeMethod, describeModel } from '@adapters/core/testing';
import { lora } from '@adapters/lora';
import { tinyTransformer } from '../src';
import { randomTiny, smallConfig, tinyInputs } from './helpers';

describeModel(tinyTransformer, { config: smallConfig, inputs: tinyInputs });
describeModel(tinyTransformer, { config: { ...smallConfig, n_layers: 1, n_heads: 4, activation: 'relu' }, inputs: tinyInputs });

// Our method packages on the third-party model.
describeMethod(lora, { model: () => randomTiny([lora]), inputs: tinyInputs, config: 'lora', identityAtInit: true, mergeable: true });
describeMethod(lora, {
  model: () => randomTiny([lora]),
  inputs: tinyInputs,
  config: { architecture: 'lora', r: 4, alpha: 8, attn_matrices: ['q', 'k', 'v'], intermediate_lora: true, output_lora: true, init_weights: 'bert' },
  identityAtInit: false,
  mergeable: true,
});
describeMethod(bottleneck, { model: () => randomTiny([bottleneck]), inputs: tinyInputs, config: 'seq_bn', identityAtInit: false });
describeMethod(bottleneck, { model: () => randomTiny([bottleneck]), inputs: tinyInputs, config: 'double_seq_bn[reduction_factor=4]', identityAtInit: false });
describeMethod(bottleneck, { model: () => randomTiny([bottleneck]), inputs: tinyInputs, config: 'par_bn', identityAtInit: true });
