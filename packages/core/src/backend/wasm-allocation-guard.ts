import * as tf from '@tensorflow/tfjs-core';
import { BackendOutOfMemoryError } from '../errors';

/** The wasm backend's heap limit (emscripten's `getHeapMax()`: 4 GiB less one 64 KiB page). */
export const WASM_MAX_HEAP_BYTES = 4294901760;

interface EmscriptenAllocator {
  _malloc(bytes: number): number;
  asm?: { malloc?: (bytes: number) => number };
  HEAPU8: Uint8Array;
}

const GUARD_MARK = Symbol.for('@adapters/core/wasm-allocation-guard');

/** Bytes as GiB (≥ 1 GiB), MiB (≥ 1 MiB) or KiB, two decimals. */
export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(2)} MiB`;
  return `${(n / 2 ** 10).toFixed(2)} KiB`;
}

/**
 * Guards the wasm backend's tensor allocations. tfjs 4.22 passes a tensor's byte size straight to
 * the module's 32-bit `malloc`: a tensor of 4 GiB or more wraps around (a 4.7 GiB request becomes a
 * 0.7 GiB block, and the writes that follow run out of bounds or corrupt other tensors), and a null
 * result (heap exhausted) is used as address 0. The guard throws {@link BackendOutOfMemoryError}
 * instead — before anything is written, so the backend stays usable. Allocations inside XNNPACK are
 * not seen here; their failures surface as `status 6` or an abort, which training steps translate.
 *
 * Idempotent; returns whether the active backend is wasm (and is now guarded).
 */
export function guardWasmAllocations(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const mod = (tf.backend() as unknown as { wasm?: EmscriptenAllocator & { [GUARD_MARK]?: true } }).wasm;
  if (mod === undefined || typeof mod._malloc !== 'function') return false;
  if (mod[GUARD_MARK]) return true;
  // Bind to the wasm export itself: emscripten's `_malloc` stub replaces `Module._malloc` with the
  // export on its first call, which would drop a wrapper installed before that.
  const malloc = mod.asm?.malloc ?? mod._malloc.bind(mod);
  mod._malloc = (bytes: number): number => {
    if (!(bytes >= 0) || bytes >= WASM_MAX_HEAP_BYTES) {
      throw new BackendOutOfMemoryError(
        `The wasm backend cannot allocate a tensor of ${formatBytes(bytes)}: its heap is 32-bit (at most ${formatBytes(WASM_MAX_HEAP_BYTES)} ` +
          `for all tensors). Use a smaller batch or shorter sequences, or a backend with more memory (tensorflow via ` +
          `@tensorflow/tfjs-node, webgpu). Nothing was allocated; the backend is still usable.`,
        'wasm',
        tf.memory().numBytes,
        true,
        new RangeError(`malloc(${bytes})`),
      );
    }
    const address = malloc(bytes);
    if (address === 0 && bytes > 0) {
      throw new BackendOutOfMemoryError(
        `The wasm backend's heap is exhausted: allocating ${formatBytes(bytes)} failed with ${formatBytes(tf.memory().numBytes)} held by tensors ` +
          `(heap size ${formatBytes(mod.HEAPU8.length)}, at most ${formatBytes(WASM_MAX_HEAP_BYTES)}). Free tensors, train fewer parameters, ` +
          'use a smaller batch, or a backend with more memory.',
        'wasm',
        tf.memory().numBytes,
        true,
        new RangeError(`malloc(${bytes}) returned 0`),
      );
    }
    return address;
  };
  mod[GUARD_MARK] = true;
  return true;
}
