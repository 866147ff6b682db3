/**
 * What the parity page publishes as `window.adaptersParity` (a plain object of numbers and
 * strings, read by `test/parity.test.ts`).
 */
import type { GpuDevice } from '../engine/backend';
import type { ParityCaseResult } from './case';

/** A backend the parity page can be asked for (`parity.html?backend=…`). */
export type ParityBackend = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

/** Every backend, in the order the test opens them (cpu first: the reference). */
export const PARITY_BACKENDS: readonly ParityBackend[] = ['cpu', 'wasm', 'webgl', 'webgpu'];

/** The page's state. */
export interface ParityState {
  /**
   * `running` until it ends; `done` when every case ran; `unavailable` when the backend could not
   * be set up here (`reason` says why; not a failure of the library); `error` when a case threw.
   */
  status: 'running' | 'done' | 'unavailable' | 'error';
  /** The backend asked for. */
  requested: ParityBackend;
  /** `tf.getBackend()` after setup (null before, or when unavailable). */
  active: string | null;
  /** The exact reason the backend is unavailable. */
  reason?: string;
  /** The message of the error that stopped a case. */
  error?: string;
  /** The tfjs environment flags that matter for numerics on this backend (as read after setup). */
  flags: Record<string, boolean | number | string>;
  /** The device behind a GPU backend. */
  device?: GpuDevice;
  /** One result per case, in {@link PARITY_METHODS} order. */
  cases: ParityCaseResult[];
  /** Milliseconds: backend setup, then each case (informative only). */
  timings: Record<string, number>;
}

declare global {
  interface Window {
    adaptersParity: ParityState;
  }
}
