import { describeMethod } from '@adapters/core/testing';
import { prefixTuning } from '../src';
import { randomBert, randomBertInputs } from './helpers';

const common = { model: () => randomBert([prefixTuning]), inputs: randomBertInputs, identityAtInit: false } as const;

describeMethod(prefixTuning, { ...common, config: 'prefix_tuning' });
describeMethod(prefixTuning, { ...common, config: 'prefix_tuning_flat' });
describeMethod(prefixTuning, {
  ...common,
  config: { architecture: 'prefix_tuning', prefix_length: 4, bottleneck_size: 8, non_linearity: 'relu', use_gating: true, shared_gating: false },
});
