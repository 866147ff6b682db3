/**
 * `@adapters/core/node`: Node-only backend setup.
 *
 * - **wasm**: binaries located in `node_modules` with `setWasmPaths`, XNNPACK multi-threading made
 *   to work in Node (off in tfjs for Node), single-thread fall-back on any failure; pool workers are
 *   `unref()`ed so processes exit normally.
 * - **webgpu**: through the optional `webgpu` package (Dawn).
 * - **tensorflow**: `@tensorflow/tfjs-node` if installed (optional peer).
 *
 * @example
 * ```ts
 * import { setupNodeBackend } from '@adapters/core/node';
 * const info = await setupNodeBackend({ backend: 'wasm', threads: 2 });
 * ```
 */
import {
  listBackends,
  probeBackends,
  setupBackend,
  type BackendAvailability,
  type BackendInfo,
  type BackendName,
  type SetupBackendOptions,
} from '../backend/index';
import { activateNodeWasm, configureWasmPaths, defaultWasmThreads } from './wasm';
import { installNodeWebGpu, probeNodeWebGpu } from './webgpu';

export { activateNodeWasm, configureWasmPaths, defaultWasmThreads, wasmBinaryDirectory, type NodeWasmActivation } from './wasm';
export { installNodeWebGpu, probeNodeWebGpu, type WebGpuProbe } from './webgpu';

/** Options of {@link setupNodeBackend}. */
export interface NodeBackendOptions extends Omit<SetupBackendOptions, 'hooks'> {
  /**
   * wasm: XNNPACK threads. Default: number of cores, at most 4. `1` uses the single-threaded SIMD
   * binary (no worker threads at all). Has no effect once the wasm backend is initialised.
   */
  threads?: number;
}

/** {@link BackendInfo} plus Node details. */
export interface NodeBackendInfo extends BackendInfo {
  /** wasm: why the requested threads could not be used (the backend then runs single-threaded). */
  threadsFallbackReason?: string;
}

/**
 * Node version of `setupBackend`: does the Node-specific preparation (wasm paths and threads,
 * WebGPU globals from the `webgpu` package) and then selects the backend like `setupBackend`
 * (`'auto'`: tensorflow if `@tensorflow/tfjs-node` is installed, else wasm, else cpu).
 */
export async function setupNodeBackend(options: NodeBackendOptions = {}): Promise<NodeBackendInfo> {
  const threads = options.threads ?? defaultWasmThreads();
  let threadsFallbackReason: string | undefined;
  const info = await setupBackend({
    ...options,
    threads,
    hooks: {
      async prepare(name: BackendName) {
        if (name === 'webgpu') await installNodeWebGpu();
        if (name === 'wasm') await configureWasmPaths();
      },
      async activate(name: BackendName, activate: () => Promise<boolean>) {
        if (name !== 'wasm') return activate();
        const result = await activateNodeWasm(threads, activate);
        threadsFallbackReason = result.threadsFallbackReason;
        return result.ok;
      },
    },
  });
  return threadsFallbackReason !== undefined ? { ...info, threadsFallbackReason } : info;
}

/** Like `probeBackends`, after installing the Node WebGPU globals when the `webgpu` package is present. */
export async function probeNodeBackends(): Promise<BackendAvailability[]> {
  await probeNodeWebGpu();
  return probeBackends();
}

/** Like `listBackends`, after installing the Node WebGPU globals when the `webgpu` package is present. */
export async function listNodeBackends(): Promise<BackendName[]> {
  await probeNodeWebGpu();
  return listBackends();
}

export { NodeFsStorage, nodeStorage } from './fs-storage';
