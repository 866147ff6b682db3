// Type tests (vitest typecheck) for the model plugin and typed configs on it.
import { type AdapterModel, type ModelDefinition, addTypedAdapter, createRandomModel } from '@adapters/core';
import '@adapters/lora';
import { expectTypeOf, test } from 'vitest';
import { type TinyTransformerConfig, tinyTransformer } from '../src';

test('the plugin is a ModelDefinition of its own config type', () => {
  expectTypeOf(tinyTransformer).toEqualTypeOf<ModelDefinition<TinyTransformerConfig>>();
  expectTypeOf(tinyTransformer.parseConfig({})).toEqualTypeOf<TinyTransformerConfig>();
  const model = createRandomModel(tinyTransformer, { d_model: 16, n_heads: 2 });
  expectTypeOf(model).toEqualTypeOf<AdapterModel<TinyTransformerConfig>>();
  expectTypeOf(model.config.dModel).toBeNumber();
  addTypedAdapter(model, 'l', { method: 'lora', r: 4 });
  // @ts-expect-error alpha is a number
  addTypedAdapter(model, 'l', { method: 'lora', alpha: 'sixteen' });
});
