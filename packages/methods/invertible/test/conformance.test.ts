import { describeMethod } from '@adapters/core/testing';
import { bottleneck } from '@adapters/bottleneck';
import { compacter } from '@adapters/compacter';
import { invertible } from '../src';
import { randomBert, randomBertInputs } from './helpers';

const model = () => randomBert([bottleneck, compacter, invertible]);
const inputs = randomBertInputs;

// NICE (MAD-X language adapter) with a Pfeiffer bottleneck; BERT init → not the identity at init.
describeMethod(invertible, { model, inputs, config: 'seq_bn_inv', identityAtInit: false });
// GLOW coupling, float reduction factor, with a Houlsby bottleneck.
describeMethod(invertible, { model, inputs, config: "double_seq_bn_inv[inv_adapter='glow',inv_adapter_reduction_factor=1.5]", identityAtInit: false });
// Compacter with an invertible adapter.
describeMethod(invertible, { model, inputs, config: "compacter[reduction_factor=4,inv_adapter='nice',inv_adapter_reduction_factor=4]", identityAtInit: false });
