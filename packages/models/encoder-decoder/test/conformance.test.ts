import '@adapters/bert/register';
import '@adapters/bert-generation/register';
import { describeModel } from '@adapters/core/testing';
import { encoderDecoder } from '../src';
import { tinyBert2Bert, tinyBertGeneration2, tinyInputs, tinyRoberta2Bert } from './helpers';

// The sub-models' plugins come from the registry (`@adapters/bert/register` above).
describeModel(encoderDecoder, { config: tinyBert2Bert, inputs: tinyInputs });
describeModel(encoderDecoder, { config: tinyRoberta2Bert, inputs: tinyInputs });
describeModel(encoderDecoder, { config: tinyBertGeneration2, inputs: tinyInputs });
