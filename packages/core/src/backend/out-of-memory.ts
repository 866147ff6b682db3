import * as tf from '@tensorflow/tfjs-core';
import { BackendOutOfMemoryError } from '../errors';
import { WASM_MAX_HEAP_BYTES, formatBytes } from './wasm-allocation-guard';


/**
 * What backends say when memory runs out:
 * - wasm: emscripten's `Aborted()` (a failed heap growth aborts the module; every later call
 *   aborts too), `Cannot enlarge memory`, or XNNPACK's `status 6` (`xnn_status_out_of_memory`);
 * - webgl / webgpu / tensorflow: messages containing "out of memory" (e.g. WebGPU's
 *   `GPUOutOfMemoryError`, TensorFlow's `OOM when allocating`).
 */
const WASM_ABORT = /^(?:RuntimeError: )?Aborted\(/;
const OOM_PATTERNS = [/Cannot enlarge memory/i, /\bstatus 6\b/, /out of memory/i, /\bOOM when allocating\b/, /OutOfMemory/];

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The typed {@link BackendOutOfMemoryError} for `e` when it is a backend's out-of-memory failure,
 * else `undefined`. `doing` says what was running ("training step 12"), for the message.
 */
export function asBackendOutOfMemoryError(e: unknown, doing: string): BackendOutOfMemoryError | undefined {
  if (e instanceof BackendOutOfMemoryError) return e;
  const message = messageOf(e);
  const backend = tf.getBackend() ?? 'unknown';
  const aborted = backend === 'wasm' && WASM_ABORT.test(message);
  if (!aborted && !OOM_PATTERNS.some((p) => p.test(message))) return undefined;
  let bytes = 0;
  try {
    bytes = tf.memory().numBytes;
  } catch {
    // the engine's bookkeeping is plain JS and should not throw; keep 0 if it does
  }
  const limit = backend === 'wasm' ? ` The wasm heap is 32-bit: at most ${formatBytes(WASM_MAX_HEAP_BYTES)} for all tensors and scratch space.` : '';
  const after = aborted
    ? ' The wasm module aborted and cannot be used again in this process: restart it.'
    : '';
  return new BackendOutOfMemoryError(
    `The ${backend} backend ran out of memory during ${doing} (tfjs tensors held ${formatBytes(bytes)}).${limit} ` +
      'Train fewer parameters (an adapter instead of full fine-tuning), use a smaller batch or shorter sequences, ' +
      `or a backend with more memory (tensorflow via @tensorflow/tfjs-node, webgpu).${after} Backend error: ${message.slice(0, 200)}`,
    backend,
    bytes,
    !aborted,
    e,
  );
}

/** Runs `fn`; a backend out-of-memory failure is rethrown as {@link BackendOutOfMemoryError}. */
export function rethrowOutOfMemory<T>(doing: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asBackendOutOfMemoryError(e, doing) ?? e;
  }
}
