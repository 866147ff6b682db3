import { Average, Stack } from '@adapters/core';
import { maxAbsDiff, perturbAdapter } from '@adapters/core/testing';
import { describe, expect, it } from 'vitest';
import { lora } from '../src';
import { randomBert, randomBertInputs } from './helpers';

describe('Python composition quirks: reproduced by default, opt-in fixes', () => {
  it('fixed LoRA Stack(c, d) adds both deltas = fixed Average(c, d, weights [1, 1], unnormalised)', () => {
    const model = randomBert([lora]);
    const inputs = randomBertInputs();
    model.addAdapter('c', 'lora');
    model.addAdapter('d', 'lora');
    perturbAdapter(model, 'c', 1);
    perturbAdapter(model, 'd', 50);
    const fixes = { average: true, loraStack: true };
    const stack = model.forward(inputs, { setup: Stack('c', 'd'), fixes }).last_hidden_state;
    const avg = model.forward(inputs, { setup: Average('c', 'd', { weights: [1, 1], normalizeWeights: false }), fixes }).last_hidden_state;
    expect(maxAbsDiff(stack, avg)).toBeLessThanOrEqual(1e-5);
    // Python's Average divides by N again: Average(c,d,[1,1]) = ½(Δc+Δd), i.e. the fixed Average with [½, ½].
    const pyAvg = model.forward(inputs, { setup: Average('c', 'd', { weights: [1, 1], normalizeWeights: false }) }).last_hidden_state;
    const halfFixed = model.forward(inputs, { setup: Average('c', 'd', { weights: [0.5, 0.5], normalizeWeights: false }), fixes }).last_hidden_state;
    expect(maxAbsDiff(pyAvg, halfFixed)).toBeLessThanOrEqual(1e-5);
    // Python's LoRA Stack chains c's delta into d: differs from the fixed sum.
    const pyStack = model.forward(inputs, { setup: Stack('c', 'd') }).last_hidden_state;
    expect(maxAbsDiff(pyStack, stack)).toBeGreaterThan(1e-3);
    model.dispose();
  });
});
