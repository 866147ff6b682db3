import { averageAdapter } from '@adapters/core';
import { perturbAdapter } from '@adapters/core/testing';
import { describe, expect, it } from 'vitest';
import { compacter } from '../src';
import { randomBert, vals } from './helpers';

describe('average_adapter over Compacters (linear)', () => {
  it('averages module parameters and the shared PHM rule (Python _average_shared_parameters)', () => {
    const model = randomBert([compacter]);
    const cfg = 'compacter[reduction_factor=4]';
    model.addAdapter('a', cfg);
    model.addAdapter('b', cfg);
    perturbAdapter(model, 'a', 1);
    perturbAdapter(model, 'b', 2);
    averageAdapter(model, 'avg', ['a', 'b'], { weights: [3, 1] });
    const pa = model.adapterParameters('a');
    const pb = model.adapterParameters('b');
    for (const [k, v] of model.adapterParameters('avg')) {
      const ka = k.replace('.avg.', '.a.');
      const kb = k.replace('.avg.', '.b.');
      const want = vals(pa.get(ka)!).map((x, i) => 0.75 * x + 0.25 * vals(pb.get(kb)!)[i]!);
      vals(v).forEach((x, i) => expect(x, k).toBeCloseTo(want[i]!, 5));
    }
    expect(model.adapterParameters('avg').has('shared_parameters.avg.phm_rule')).toBe(true);
    model.dispose();
  });
});
