import { averageAdapter } from '@adapters/core';
import { bottleneck } from '@adapters/bottleneck';
import { perturbAdapter } from '@adapters/core/testing';
import { describe, expect, it } from 'vitest';
import { invertible } from '../src';
import { randomBert, vals } from './helpers';

describe('average_adapter over seq_bn_inv adapters (linear)', () => {
  it('averages the invertible adapters too (Python _average_invertible_adapter)', () => {
    const model = randomBert([bottleneck, invertible]);
    model.addAdapter('a', 'seq_bn_inv');
    model.addAdapter('b', 'seq_bn_inv');
    perturbAdapter(model, 'a', 1);
    perturbAdapter(model, 'b', 2);
    averageAdapter(model, 'avg', ['a', 'b']);
    const pa = model.adapterParameters('a');
    const pb = model.adapterParameters('b');
    const keys = [...model.adapterParameters('avg').keys()].filter((k) => k.startsWith('invertible_adapters.avg.'));
    expect(keys.length).toBe(8);
    for (const k of keys) {
      const a = vals(pa.get(k.replace('.avg.', '.a.'))!);
      const b = vals(pb.get(k.replace('.avg.', '.b.'))!);
      vals(model.adapterParameters('avg').get(k)!).forEach((x, i) => expect(x, k).toBeCloseTo(0.5 * a[i]! + 0.5 * b[i]!, 5));
    }
    model.dispose();
  });
});
