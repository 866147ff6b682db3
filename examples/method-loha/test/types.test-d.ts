// Type tests (vitest typecheck): importing this package adds `loha` to MethodConfigMap; @adapters/lora adds
// `lora`, `vera`, `dora`, `dvora`. Every `@ts-expect-error` line must fail to compile, or tsc reports it.
import { type AdapterModel, type MethodConfigName, type TypedAdapterConfig, addTypedAdapter, typedAdapterConfig } from '@adapters/core';
import '@adapters/lora';
import { describe, expectTypeOf, test } from 'vitest';
import type { LohaConfigInput } from '../src';
import '../src';

declare const model: AdapterModel;

describe('typed adapter configs', () => {
  test('registered identifiers are the keys of MethodConfigMap', () => {
    expectTypeOf<'loha'>().toExtend<MethodConfigName>();
    expectTypeOf<'lora'>().toExtend<MethodConfigName>();
    expectTypeOf<'lohaa'>().not.toExtend<MethodConfigName>();
    expectTypeOf<Extract<TypedAdapterConfig, { method: 'loha' }>>().toExtend<LohaConfigInput>();
  });

  test('valid configs compile', () => {
    addTypedAdapter(model, 'a', { method: 'loha' });
    addTypedAdapter(model, 'b', { method: 'loha', r: 4, alpha: 8, attn_matrices: ['q', 'k'], init_weights: false });
    addTypedAdapter(model, 'c', { method: 'lora', r: 16, alpha: 32, intermediate_lora: true }, { setActive: true });
    typedAdapterConfig({ method: 'vera', vera_d: 0.1 });
  });

  test('a misspelled method name fails', () => {
    // @ts-expect-error 'loah' is not a registered method
    addTypedAdapter(model, 'x', { method: 'loah', r: 4 });
    // @ts-expect-error 'Lora' is not a registered method (identifiers are case-sensitive)
    addTypedAdapter(model, 'x', { method: 'Lora' });
  });

  test('a field of the wrong type fails', () => {
    // @ts-expect-error r is a number
    addTypedAdapter(model, 'x', { method: 'loha', r: '4' });
    // @ts-expect-error attn_matrices holds 'q' | 'k' | 'v'
    addTypedAdapter(model, 'x', { method: 'loha', attn_matrices: ['query'] });
    // @ts-expect-error init_weights of LoHa is a boolean ('lora' is a LoRA init scheme)
    addTypedAdapter(model, 'x', { method: 'loha', init_weights: 'lora' });
  });

  test("another method's field fails", () => {
    // @ts-expect-error intermediate_lora belongs to LoRA; LoHa calls it intermediate_loha
    addTypedAdapter(model, 'x', { method: 'loha', intermediate_lora: true });
    // @ts-expect-error output_loha is not a LoRA field
    addTypedAdapter(model, 'x', { method: 'lora', output_loha: true });
  });
});
