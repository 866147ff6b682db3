/**
 * `example-method-loha`: a third-party method plugin for Adapters for TypeScript, written against
 * the public API of `@adapters/core` only. Importing it registers the `LoHaConfig` class, the
 * `loha` architecture and the `loha` preset, and types `{ method: 'loha', … }` configs.
 *
 * @packageDocumentation
 */
export { LoHaConfig, registerLohaConfig } from './config';
export { loha } from './loha';
export { createLohaModule, lohaDelta } from './module';
export { lohaTargets } from './targets';
export type { LohaConfigInput } from './types';
