import { type AdapterMethod, type AdapterModel, loadPretrained } from '@adapters/core';
import { nodeStorage } from '@adapters/core/node';
import { fixturePath } from '@adapters/core/testing';
import { gpt2 } from '@adapters/gpt2';
import { gptj } from '@adapters/gptj';
import * as tf from '@tensorflow/tfjs-core';
import { type LogitsFn, tiedEmbeddingLogits } from '../src';

/** The fixtures' tiny GPT-2 (vocab 99, eos 98) and tiny GPT-J (vocab 99, rotary_dim 4). */
export const MODELS: Record<'gpt2' | 'gptj', (methods?: AdapterMethod[]) => Promise<AdapterModel>> = {
  gpt2: (methods = []) => loadPretrained(nodeStorage, fixturePath('models', 'tiny-gpt2'), { model: gpt2 as never, methods }),
  gptj: (methods = []) => loadPretrained(nodeStorage, fixturePath('architectures', 'gptj', 'model'), { model: gptj as never, methods }),
};

/** Two left-padded prompts. */
export const PROMPTS = {
  inputIds: [
    [0, 0, 39, 13, 90],
    [91, 90, 21, 93, 25],
  ],
  attentionMask: [
    [0, 0, 1, 1, 1],
    [1, 1, 1, 1, 1],
  ],
};

/**
 * LM heads for the tests: GPT-2's real (tied) head; for GPT-J, whose `lm_head` is untied and not
 * part of `GPTJModel`, a fixed random `[hidden, vocab]` projection (the tied stand-in makes the
 * tiny random model repeat one token, which would make the comparisons weak).
 */
const gptjHead = tf.keep(tf.randomNormal([32, 99], 0, 1, 'float32', 42));
export const HEADS: Record<'gpt2' | 'gptj', LogitsFn> = {
  gpt2: tiedEmbeddingLogits,
  gptj: (_model, hidden) => tf.matMul(hidden, gptjHead),
};
