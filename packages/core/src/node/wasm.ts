/**
 * The wasm backend in plain Node: binary paths and XNNPACK threads.
 *
 * tfjs-backend-wasm switches threads off in Node (`WASM_HAS_MULTITHREAD_SUPPORT` is false when
 * `IS_NODE`, tensorflow/tfjs#3830). Two things break them: the backend hands emscripten's pthread
 * pool a `blob:` URL for the worker script, which `worker_threads.Worker` rejects, and the C++ side
 * caps the pool at half of `os.cpus().length`. During `setBackend('wasm')` we therefore write the
 * worker script to a real file and return its path from `URL.createObjectURL`, make the worker load
 * the (real) main script file instead of a blob, force the flag and report enough CPUs. Any failure
 * falls back to the single-threaded SIMD binary.
 *
 * Emscripten's pool workers keep a Node process alive; we `unref()` them so a script exits when its
 * work is done (removing the backend with `tf.removeBackend('wasm')` also works).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

/** Default wasm thread count in Node: the number of cores, at most 4. */
export function defaultWasmThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

/** Directory holding tfjs-backend-wasm's `.wasm` binaries (with a trailing separator). */
export function wasmBinaryDirectory(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + '/';
}

type WasmPlugin = typeof import('@tensorflow/tfjs-backend-wasm');

async function wasmPlugin(): Promise<WasmPlugin> {
  return import('@tensorflow/tfjs-backend-wasm');
}

let pathsConfigured = false;

/**
 * Points tfjs-backend-wasm at its binaries in `node_modules` (robust against bundling, which breaks
 * the package's own relative lookup). No-op once the wasm backend is initialised.
 */
export async function configureWasmPaths(): Promise<void> {
  if (pathsConfigured || tf.findBackend('wasm') != null) return;
  const plugin = await wasmPlugin();
  plugin.setWasmPaths(wasmBinaryDirectory());
  pathsConfigured = true;
}

/** Outcome of {@link activateNodeWasm}. */
export interface NodeWasmActivation {
  /** Whether the wasm backend is active. */
  ok: boolean;
  /** Threads in XNNPACK's pool. */
  threads: number;
  /** Why threads were not used although more than one was requested. */
  threadsFallbackReason?: string;
}

/** Test hooks (not part of the public API). @internal */
export const __testing = {
  /** Makes the next threaded initialisation throw, to exercise the single-thread fall-back. */
  failNextThreadedInit: false,
  /** Timeout for the threaded initialisation. */
  threadedInitTimeoutMs: 60_000,
};

let scriptDir: string | undefined;

/** Writes the pthread worker script (CommonJS) to a temporary file, once per process. */
function workerScriptFile(): string {
  const mainScript = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
    wasmWorkerContents: string;
  };
  if (scriptDir === undefined) {
    const dir = mkdtempSync(join(os.tmpdir(), 'adapters-tfjs-wasm-'));
    scriptDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const file = join(scriptDir, 'tfjs-backend-wasm-threaded-simd.worker.cjs');
  // The worker receives the main script as a Blob and would load it through a blob: URL, which
  // Node's importScripts shim cannot read: hand it the real file instead.
  const prelude =
    `URL.createObjectURL = () => ${JSON.stringify(mainScript)};\n` + `URL.revokeObjectURL = () => {};\n`;
  // Same escaping as tfjs-backend-wasm's own blob (its '\n' escapes would otherwise break strings).
  writeFileSync(file, prelude + wasmWorkerContents.replace(/\n/g, '\\n'));
  return file;
}

function checkThreadSupport(): void {
  if (typeof SharedArrayBuffer !== 'function') throw new Error('SharedArrayBuffer is not available');
  // A wasm module with a shared memory and an atomic: validates only where wasm threads work.
  const threaded = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0,
    26, 11,
  ]);
  if (!WebAssembly.validate(threaded)) throw new Error('WebAssembly threads are not supported');
  require('node:worker_threads');
}

/** Installs the shims for a threaded init; returns a function that removes them. */
function installThreadShims(threads: number, workerFile: string): () => void {
  const osModule = require('node:os') as { cpus: typeof os.cpus };
  const originalCpus = osModule.cpus;
  const originalCreateObjectURL = URL.createObjectURL;
  osModule.cpus = () => {
    const real = originalCpus();
    const want = Math.max(real.length, 2 * threads);
    return Array.from({ length: want }, (_, i) => real[i % Math.max(1, real.length)] as os.CpuInfo);
  };
  URL.createObjectURL = (obj: Blob | MediaSource): string => {
    const type = (obj as { type?: string }).type;
    return type === 'application/javascript' ? workerFile : originalCreateObjectURL(obj as Blob);
  };
  return () => {
    osModule.cpus = originalCpus;
    URL.createObjectURL = originalCreateObjectURL;
  };
}

interface NodeWorkerLike {
  unref?: () => void;
}
interface PThreadLike {
  unusedWorkers?: NodeWorkerLike[];
  runningWorkers?: NodeWorkerLike[];
  allocateUnusedWorker?: () => void;
}

/** Unrefs emscripten's pool workers (current and future) so they do not keep the process alive. */
function unrefWasmWorkers(): void {
  const backend = tf.findBackend('wasm') as { wasm?: { PThread?: PThreadLike } } | null;
  const pthread = backend?.wasm?.PThread;
  if (pthread === undefined) return;
  const unrefAll = (): void => {
    for (const w of [...(pthread.unusedWorkers ?? []), ...(pthread.runningWorkers ?? [])]) w.unref?.();
  };
  unrefAll();
  const allocate = pthread.allocateUnusedWorker;
  if (typeof allocate === 'function') {
    pthread.allocateUnusedWorker = function (this: unknown) {
      allocate.call(this);
      unrefAll();
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Initialises the wasm backend in Node with `threads` XNNPACK threads (1 = single-threaded SIMD
 * binary). Falls back to one thread when the threaded initialisation fails in any way. If the wasm
 * backend is already initialised, only activates it (thread count unchanged).
 *
 * @param threads requested threads (clamped to 1..8)
 * @param activate activates the backend (`tf.setBackend('wasm')`), resolving to success
 */
export async function activateNodeWasm(threads: number, activate: () => Promise<boolean>): Promise<NodeWasmActivation> {
  const plugin = await wasmPlugin();
  if (tf.findBackend('wasm') != null) {
    const ok = await activate();
    return { ok, threads: safeThreadsCount(plugin) };
  }
  await configureWasmPaths();
  const wanted = Math.max(1, Math.min(8, Math.floor(threads)));
  let fallbackReason: string | undefined;
  if (wanted > 1) {
    let restore: (() => void) | undefined;
    try {
      checkThreadSupport();
      const workerFile = workerScriptFile();
      if (__testing.failNextThreadedInit) {
        __testing.failNextThreadedInit = false;
        throw new Error('simulated threaded init failure');
      }
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      plugin.setThreadsCount(wanted);
      restore = installThreadShims(wanted, workerFile);
      const ok = await withTimeout(activate(), __testing.threadedInitTimeoutMs, 'threaded wasm initialisation');
      restore();
      restore = undefined;
      if (ok && tf.findBackend('wasm') != null) {
        unrefWasmWorkers();
        return { ok: true, threads: safeThreadsCount(plugin) };
      }
      fallbackReason = 'threaded initialisation failed';
    } catch (e) {
      fallbackReason = e instanceof Error ? e.message : String(e);
    } finally {
      restore?.();
    }
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  plugin.setThreadsCount(1);
  const ok = await activate();
  const result: NodeWasmActivation = { ok, threads: ok ? safeThreadsCount(plugin) : 0 };
  if (fallbackReason !== undefined) result.threadsFallbackReason = fallbackReason;
  return result;
}

function safeThreadsCount(plugin: WasmPlugin): number {
  try {
    return plugin.getThreadsCount();
  } catch {
    return 1;
  }
}
