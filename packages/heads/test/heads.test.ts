import { AdapterConfigError, AdaptersError, PyFloat } from '@adapters/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { disposeAll, randomBert, randomInputs } from './helpers';

function shapes(m: Map<string, tf.Variable>): Record<string, number[]> {
  return Object.fromEntries([...m].map(([k, v]) => [k, v.shape]));
}

describe('head structure, names and configs follow Python', () => {
  it('classification (2 layers): heads.<name>.1 and heads.<name>.4; Python config dict and defaults', () => {
    const model = randomBert();
    model.addClassificationHead('cls', { numLabels: 3 });
    expect(shapes(model.headParameters('cls'))).toEqual({
      'heads.cls.1.weight': [16, 16],
      'heads.cls.1.bias': [16],
      'heads.cls.4.weight': [3, 16],
      'heads.cls.4.bias': [3],
    });
    expect(model.head('cls').layers.map((l) => l.kind)).toEqual(['dropout', 'linear', 'activation', 'dropout', 'linear']);
    expect(model.headConfig('cls')).toEqual({
      head_type: 'classification',
      num_labels: 3,
      layers: 2,
      activation_function: 'tanh',
      label2id: { LABEL_0: 0, LABEL_1: 1, LABEL_2: 2 },
      use_pooler: false,
      bias: true,
      dropout_prob: null,
    });
    expect(model.activeHead).toBe('cls');
    model.dispose();
  });

  it('activation null removes the activation module (indices shift); bias false drops the output bias', () => {
    const model = randomBert();
    model.addClassificationHead('c', { activationFunction: null, bias: false, dropoutProb: 0.25, id2label: { 0: 'neg', 1: 'pos' } });
    expect(Object.keys(shapes(model.headParameters('c')))).toEqual(['heads.c.1.weight', 'heads.c.1.bias', 'heads.c.3.weight']);
    expect(model.head('c').layers[0]).toEqual({ kind: 'dropout', rate: 0.25 });
    expect(model.headConfig('c').label2id).toEqual({ neg: 0, pos: 1 });
    expect(model.headConfig('c').dropout_prob).toBeCloseTo(0.25);
    expect(model.getLabels('c')).toEqual(['neg', 'pos']);
    model.dispose();
  });

  it('dropout defaults to the model config (hidden_dropout_prob) and float args keep Python float type', () => {
    const model = randomBert();
    model.addTaggingHead('t', { dropoutProb: 1 });
    expect(model.headConfig('t').dropout_prob).toBeInstanceOf(PyFloat);
    model.addQAHead('q');
    expect(model.head('q').layers[0]).toEqual({ kind: 'dropout', rate: 0 });
    expect(Object.keys(shapes(model.headParameters('q')))).toEqual(['heads.q.1.weight', 'heads.q.1.bias']);
    expect(model.headConfig('q')).toEqual({
      head_type: 'question_answering',
      num_labels: 2,
      layers: 1,
      activation_function: 'tanh',
      label2id: { LABEL_0: 0, LABEL_1: 1 },
      dropout_prob: null,
    });
    model.dispose();
  });

  it('multiple choice: output Linear(H, 1) at index 4, num_choices in the config', () => {
    const model = randomBert();
    model.addMultipleChoiceHead('mc', { numChoices: 4 });
    expect(shapes(model.headParameters('mc'))['heads.mc.4.weight']).toEqual([1, 16]);
    expect(model.headConfig('mc')).toMatchObject({ head_type: 'multiple_choice', num_choices: 4, use_pooler: false });
    expect(Object.keys(model.headConfig('mc'))).not.toContain('bias');
    model.dispose();
  });

  it('masked / causal LM: [Linear, act, LayerNorm, Linear(vocab)] with the output weight tied to the word embeddings', () => {
    const model = randomBert();
    const mlm = model.addMaskedLMHead('mlm');
    expect(mlm.layers.map((l) => l.kind)).toEqual(['linear', 'activation', 'layernorm', 'linear']);
    expect(mlm.tiedWeightKey).toBe('embeddings.word_embeddings.weight');
    expect(shapes(model.headParameters('mlm'))).toEqual({
      'heads.mlm.0.weight': [16, 16],
      'heads.mlm.0.bias': [16],
      'heads.mlm.2.weight': [16],
      'heads.mlm.2.bias': [16],
      'heads.mlm.3.bias': [30],
    });
    expect(model.headConfig('mlm')).toEqual({
      head_type: 'masked_lm',
      vocab_size: 30,
      embedding_size: 16,
      layers: 2,
      activation_function: 'gelu',
      layer_norm: true,
      bias: true,
      shift_labels: false,
      label2id: null,
    });
    const clm = model.addCausalLMHead('clm');
    expect(model.headConfig('clm')).toMatchObject({ head_type: 'causal_lm', shift_labels: true, layer_norm: true, bias: true, dropout_prob: null });
    expect(clm.tiedWeightKey).toBe('embeddings.word_embeddings.weight');
    const inputs = randomInputs();
    const a = model.forward(inputs, { head: 'mlm' });
    const emb = model.weights.get('embeddings.word_embeddings.weight')!;
    const outBias = model.headParameters('mlm').get('heads.mlm.3.bias')!;
    // logits = LayerNorm(gelu(h·W0ᵀ + b0)) · Eᵀ + b3 with E the input embedding matrix (shared tensor).
    const manual = tf.tidy(() => {
      const head = model.head('mlm');
      const h = a.last_hidden_state as tf.Tensor;
      const x0 = tf.add(tf.matMul(tf.reshape(h, [-1, 16]), head.params.get('0.weight')!, false, true), head.params.get('0.bias')!);
      const g = tf.mul(tf.mul(x0, 0.5), tf.add(1, tf.erf(tf.mul(x0, Math.SQRT1_2))));
      const { mean, variance } = tf.moments(g, -1, true);
      const ln = tf.add(tf.mul(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, 1e-12))), head.params.get('2.weight')!), head.params.get('2.bias')!);
      return tf.reshape(tf.add(tf.matMul(ln, emb, false, true), outBias), [2, 5, 30]);
    });
    expect(tf.max(tf.abs(tf.sub(manual, a.logits as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-5);
    manual.dispose();
    disposeAll(a);
    disposeAll(inputs);
    model.dispose();
  });

  it('rejects unknown kwargs, unsupported head types, duplicate names without overwriteOk', () => {
    const model = randomBert();
    model.addTaggingHead('t');
    expect(() => model.addTaggingHead('t')).toThrow(AdaptersError);
    expect(() => model.addTaggingHead('t', { overwriteOk: true })).not.toThrow();
    expect(() => model.addHead('tagging', 'x', { use_pooler: true })).toThrow(AdapterConfigError);
    expect(() => model.addHead('image_classification', 'img')).toThrow(/does not support head type 'image_classification'/);
    expect(() => model.addTaggingHead('a.b')).toThrow(AdapterConfigError);
    model.deleteHead('t');
    expect(model.headNames).toEqual([]);
    expect(model.activeHead).toBeNull();
    model.dispose();
  });

  it('no active head: forward returns the base outputs only', () => {
    const model = randomBert();
    const inputs = randomInputs();
    const o = model.forward(inputs);
    expect(Object.keys(o).sort()).toEqual(['last_hidden_state', 'pooler_output']);
    disposeAll(o);
    disposeAll(inputs);
    model.dispose();
  });
});
