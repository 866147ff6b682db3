import { CompositionError, Parallel } from '@adapters/core';
import { maxAbsDiff } from '@adapters/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TINY_MODELS } from './models';
import { buildModel } from './run-pair';

/** Builds the tiny model with adapters `a` and `b` (random parameters, so each changes the output). */
function withTwo(modelId: string, configA: string, configB: string) {
  const m = TINY_MODELS[modelId]!;
  const model = buildModel(m);
  model.addAdapter('a', configA, { seed: 1 });
  model.addAdapter('b', configB, { seed: 2 });
  for (const [i, n] of ['a', 'b'].entries()) {
    for (const v of model.adapterParameters(n).values()) v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', 20 + i));
  }
  return { model, inputs: m.inputs() };
}

describe('Parallel children at different hook sites', () => {
  // Python fails on each of these too (pre_block KeyError, torch.cat of None) or silently drops a
  // LoRA delta; here forward throws a CompositionError naming the children and the site.
  it.each([
    ['bert', 'seq_bn', 'double_seq_bn', /"b" has a module at residual site block\.attn@0 \(encoder\.layer\.0\.attention\.output\) but "a" has none/],
    ['bert', 'double_seq_bn', 'seq_bn', /"a" has a module at residual site block\.attn@0 .* but "b" has none/],
    ['bert', 'seq_bn', 'seq_bn[leave_out=[0]]', /"a" has a module at residual site block\.ffn@0 .* but "b" has none/],
    ['bert', 'lora', 'lora[attn_matrices=["k"]]', /"a" has a module at linear site attn\.q@0 \(encoder\.layer\.0\.attention\.self\.query\) but "b" has none/],
    ['bert', 'prefix_tuning[prefix_length=4,bottleneck_size=8]', 'lora', /"b" has a module at linear site attn\.q@0 .* but "a" has none/],
    ['t5', 'double_seq_bn[cross_adapter=True]', 'seq_bn', /"a" has a module at residual site block\.attn@0 \(encoder\.block\.0\.layer\.0\) but "b" has none/],
    ['gpt2', 'seq_bn', 'double_seq_bn', /"b" has a module at residual site block\.attn@0 .* but "a" has none/],
  ])('%s: Parallel(%s, %s) is a CompositionError', (modelId, ca, cb, message) => {
    const { model, inputs } = withTwo(modelId, ca, cb);
    const before = tf.memory().numTensors;
    let err: unknown;
    try {
      model.forward(inputs, { setup: Parallel('a', 'b') });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompositionError);
    expect((err as Error).message).toMatch(/^Parallel\[a, b\]: /);
    expect((err as Error).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(inputs));
    model.dispose();
  });

  // Prefix tuning pads a child without a prefix (Python PrefixTuningLayer.pad_and_concat), so the
  // attention sites accept it; the child with the prefix still equals its own run.
  it('prefix tuning: a child without a prefix at some layers passes through (as Python)', () => {
    const { model, inputs } = withTwo('bert', 'prefix_tuning[prefix_length=4,bottleneck_size=8]', 'prefix_tuning[prefix_length=4,bottleneck_size=8,leave_out=[0]]');
    const par = model.forward(inputs, { setup: Parallel('a', 'b') }).last_hidden_state;
    expect(par.shape).toEqual([4, 5, 16]);
    expect(maxAbsDiff(tf.slice(par, [0, 0, 0], [2, -1, -1]), model.forward(inputs, { setup: 'a' }).last_hidden_state)).toBeLessThan(1e-5);
    tf.dispose(Object.values(inputs));
    model.dispose();
  });

  // Parallel bottlenecks add the sub-layer output back in post_forward; at the site that replicates
  // the batch it is repeated to match (Python fails to broadcast there for batch > 1).
  it.each(['bert', 'gpt2', 't5'])('%s: Parallel(par_bn, par_bn) rows equal each adapter alone', (modelId) => {
    const { model, inputs } = withTwo(modelId, 'par_bn', 'par_bn[reduction_factor=4]');
    const par = model.forward(inputs, { setup: Parallel('a', 'b') }).last_hidden_state;
    for (const [i, n] of ['a', 'b'].entries()) {
      const single = model.forward(inputs, { setup: n }).last_hidden_state;
      expect(maxAbsDiff(tf.slice(par, [2 * i, 0, 0], [2, -1, -1]), single), n).toBeLessThan(1e-5);
    }
    // The adapters change the output (the comparison above is not trivially true).
    expect(maxAbsDiff(model.forward(inputs, { setup: 'a' }).last_hidden_state, model.forward(inputs, { setup: null }).last_hidden_state)).toBeGreaterThan(1e-3);
    tf.dispose(Object.values(inputs));
    model.dispose();
  });
});
