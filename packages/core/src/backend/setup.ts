/**
 * Backend selection for @adapters/core (browser-safe: no static `node:` imports).
 *
 * `setupBackend` imports the backend's tfjs plugin on demand, applies the kernel patches of
 * `../kernels` and activates the backend. The Node entry (`@adapters/core/node`) adds what plain
 * Node needs on top (wasm binary paths and threads, WebGPU through Dawn) via {@link BackendPlatformHooks}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AdaptersError, MissingPluginError } from '../errors';
import { registerKernelPatches, type KernelPatchId } from '../kernels/index';
import { guardWasmAllocations } from './wasm-allocation-guard';

/** A tfjs backend this library knows how to set up. `tensorflow` is `@tensorflow/tfjs-node`. */
export type BackendName = 'wasm' | 'cpu' | 'webgpu' | 'webgl' | 'tensorflow';

/** A backend to set up, or `'auto'` for the best one available. */
export type BackendChoice = 'auto' | BackendName;

/** Every backend name, in no particular order. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * Environment-specific steps of backend setup, supplied by `@adapters/core/node`'s
 * `setupNodeBackend`. Plain browser code does not need them.
 */
export interface BackendPlatformHooks {
  /**
   * Runs before the backend's plugin is imported (e.g. installs WebGPU globals). Throwing skips the
   * backend (`'auto'`) or fails the setup (explicit backend) with the error's message as reason.
   */
  prepare?(name: BackendName): Promise<void>;
  /**
   * Activates the backend once its plugin is loaded and the kernel patches are registered.
   * `activate` is `tf.setBackend(name)`; a hook may wrap it (e.g. wasm threads with a fall-back).
   * Resolves to whether the backend is now active.
   */
  activate?(name: BackendName, activate: () => Promise<boolean>): Promise<boolean>;
}

/** Options of {@link setupBackend}. */
export interface SetupBackendOptions {
  /** Backend to activate; `'auto'` (default) picks tensorflow → wasm in Node, webgpu → webgl → wasm in browsers, then cpu. */
  backend?: BackendChoice;
  /**
   * Threads for the wasm backend's XNNPACK pool. In browsers the threaded binary needs cross-origin
   * isolation (COOP/COEP headers); in Node use `setupNodeBackend` from `@adapters/core/node`.
   * Ignored once the wasm backend is initialised.
   */
  threads?: number;
  /** Register the kernel patches (wasm fast matMul, scatter-add gather gradient). Default `true`. */
  patchKernels?: boolean;
  /** Environment hooks; see {@link BackendPlatformHooks}. */
  hooks?: BackendPlatformHooks;
}

/** A backend that `'auto'` tried and skipped, with the reason. */
export interface SkippedBackend {
  name: BackendName;
  reason: string;
}

/** What {@link setupBackend} activated. */
export interface BackendInfo {
  /** The active backend (`tf.getBackend()`). */
  name: BackendName;
  /** What was asked for. */
  requested: BackendChoice;
  /** `'node'` or `'browser'` (browsers and web workers). */
  environment: 'node' | 'browser';
  /** wasm only: threads in XNNPACK's pool (1 = single-threaded). */
  threads?: number;
  /** wasm only: whether the SIMD binary is in use. */
  simd?: boolean;
  /** Backends tried before `name`, with the reason each was skipped. */
  skipped: SkippedBackend[];
  /** Kernel patches active after setup (e.g. `"BatchMatMul/wasm"`). */
  kernelPatches: KernelPatchId[];
}

/** True in Node (and Node-like runtimes), false in browsers and web workers. */
export function isNodeEnvironment(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  const browserLike =
    typeof (globalThis as { window?: unknown }).window !== 'undefined' ||
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
  return !browserLike && typeof proc?.versions?.node === 'string';
}

/** Package that provides each backend. */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  webgl: '@tensorflow/tfjs-backend-webgl',
  tensorflow: '@tensorflow/tfjs-node',
};

/**
 * Imports an optional package by a non-literal specifier, so bundlers and type checking do not
 * require it to be installed. In browsers without an import map this fails for bare specifiers:
 * import optional backend packages in the application instead.
 */
async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}

/** Loads the plugin of `name` (registers its backend factory and kernels). Throws MissingPluginError. */
export async function loadBackendPlugin(name: BackendName): Promise<unknown> {
  try {
    switch (name) {
      case 'cpu':
        return await import('@tensorflow/tfjs-backend-cpu');
      case 'wasm':
        return await import('@tensorflow/tfjs-backend-wasm');
      default:
        return await importOptional(BACKEND_PACKAGES[name]);
    }
  } catch (e) {
    if (tf.findBackendFactory(name) != null) return undefined; // registered by the application
    throw new MissingPluginError(
      `backend '${name}' needs the package ${BACKEND_PACKAGES[name]}, which could not be loaded ` +
        `(${errorMessage(e)}). Install it${name === 'tensorflow' ? '' : ' and import it in your application'} ` +
        `or choose another backend.`,
    );
  }
}

interface WebGpuNavigator {
  gpu?: { requestAdapter(options?: object): Promise<WebGpuAdapter | null> };
}
interface WebGpuAdapter {
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  info?: unknown;
  requestDevice(descriptor?: object): Promise<unknown>;
}

function webGpuNavigator(): WebGpuNavigator | undefined {
  return (globalThis as { navigator?: WebGpuNavigator }).navigator;
}

/**
 * `@tensorflow/tfjs-backend-webgpu` registers its factory only if `navigator.gpu` existed when it
 * was first imported. When the globals came later (Node + Dawn), register the same factory here.
 */
function ensureWebGpuFactory(plugin: unknown): void {
  if (tf.findBackendFactory('webgpu') != null) return;
  const gpu = webGpuNavigator()?.gpu;
  const Backend = (plugin as { WebGPUBackend?: new (device: unknown, info?: unknown) => tf.KernelBackend } | undefined)
    ?.WebGPUBackend;
  if (gpu === undefined || Backend === undefined) return;
  tf.registerBackend(
    'webgpu',
    async () => {
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (adapter === null) throw new Error('no WebGPU adapter');
      const requiredFeatures = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f));
      const l = adapter.limits;
      const device = await adapter.requestDevice({
        requiredFeatures,
        requiredLimits: {
          maxComputeWorkgroupStorageSize: l['maxComputeWorkgroupStorageSize'],
          maxComputeWorkgroupsPerDimension: l['maxComputeWorkgroupsPerDimension'],
          maxStorageBufferBindingSize: l['maxStorageBufferBindingSize'],
          maxBufferSize: l['maxBufferSize'],
          maxComputeWorkgroupSizeX: l['maxComputeWorkgroupSizeX'],
          maxComputeInvocationsPerWorkgroup: l['maxComputeInvocationsPerWorkgroup'],
        },
      });
      return new Backend(device, adapter.info);
    },
    3,
  );
}

/** Checks that the environment can run `name` at all (without initialising it). Returns a reason if not. */
async function environmentBlocker(name: BackendName, node: boolean): Promise<string | undefined> {
  switch (name) {
    case 'wasm':
      return typeof WebAssembly === 'object' ? undefined : 'WebAssembly is not available';
    case 'webgpu': {
      const gpu = webGpuNavigator()?.gpu;
      if (gpu === undefined) {
        return node
          ? 'navigator.gpu is missing (in Node use setupNodeBackend from @adapters/core/node with the "webgpu" package)'
          : 'this browser does not expose WebGPU (navigator.gpu)';
      }
      try {
        const adapter = await gpu.requestAdapter();
        return adapter === null ? 'no WebGPU adapter found' : undefined;
      } catch (e) {
        return `requesting a WebGPU adapter failed: ${errorMessage(e)}`;
      }
    }
    case 'webgl': {
      if (node) return 'WebGL is only available in browsers';
      const g = globalThis as { document?: { createElement(tag: string): { getContext(id: string): unknown } }; OffscreenCanvas?: new (w: number, h: number) => { getContext(id: string): unknown } };
      try {
        const canvas = g.OffscreenCanvas !== undefined ? new g.OffscreenCanvas(1, 1) : g.document?.createElement('canvas');
        return canvas?.getContext('webgl2') != null || canvas?.getContext('webgl') != null
          ? undefined
          : 'no WebGL context could be created';
      } catch (e) {
        return `creating a WebGL context failed: ${errorMessage(e)}`;
      }
    }
    default:
      return undefined;
  }
}

function autoOrder(node: boolean): BackendName[] {
  return node ? ['tensorflow', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function wasmDetails(): Promise<{ threads?: number; simd?: boolean }> {
  const details: { threads?: number; simd?: boolean } = {};
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    details.threads = wasm.getThreadsCount();
  } catch {
    // not initialised
  }
  try {
    details.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  } catch {
    // flag not registered
  }
  return details;
}

/** Imports, patches and activates one backend; throws with a reason on failure. */
async function tryBackend(name: BackendName, options: SetupBackendOptions, node: boolean): Promise<void> {
  await options.hooks?.prepare?.(name);
  const blocker = await environmentBlocker(name, node);
  if (blocker !== undefined) throw new AdaptersError(blocker);
  const plugin = await loadBackendPlugin(name);
  if (name === 'webgpu') ensureWebGpuFactory(plugin);
  if (tf.findBackendFactory(name) == null) {
    throw new AdaptersError(`the ${BACKEND_PACKAGES[name]} plugin did not register a '${name}' backend in this environment`);
  }
  if (options.patchKernels !== false) registerKernelPatches();
  if (name === 'wasm' && options.threads !== undefined && !node && tf.findBackend('wasm') == null) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount(Math.max(1, Math.floor(options.threads)));
  }
  const activate = async (): Promise<boolean> => {
    try {
      return await tf.setBackend(name);
    } catch {
      return false;
    }
  };
  const ok = options.hooks?.activate !== undefined ? await options.hooks.activate(name, activate) : await activate();
  if (!ok || tf.getBackend() !== name) {
    throw new AdaptersError(`backend '${name}' failed to initialise (see the tfjs warning above for the cause)`);
  }
  await tf.ready();
  if (name === 'wasm') guardWasmAllocations();
}

/**
 * Registers and activates a tfjs backend, importing its plugin on demand, and registers the kernel
 * patches of this library (see `registerKernelPatches`).
 *
 * `'auto'` tries `tensorflow` (`@tensorflow/tfjs-node`, if installed) then `wasm` in Node, and
 * `webgpu` → `webgl` → `wasm` in browsers, then `cpu`. An explicit backend that cannot be set up
 * throws: {@link MissingPluginError} when its package is not installed, {@link AdaptersError}
 * otherwise.
 *
 * In browsers, optional backend packages (`@tensorflow/tfjs-backend-webgpu`,
 * `@tensorflow/tfjs-backend-webgl`) must be imported by the application; cpu and wasm are
 * dependencies of this package. In Node prefer `setupNodeBackend` from `@adapters/core/node`.
 *
 * @example
 * ```ts
 * const info = await setupBackend({ backend: 'wasm' });
 * console.log(info.name, info.threads, info.kernelPatches);
 * ```
 */
export async function setupBackend(options: SetupBackendOptions = {}): Promise<BackendInfo> {
  const requested = options.backend ?? 'auto';
  const node = isNodeEnvironment();
  const candidates = requested === 'auto' ? autoOrder(node) : [requested];
  if (!candidates.every((c) => (BACKEND_NAMES as readonly string[]).includes(c))) {
    throw new AdaptersError(`unknown backend '${requested}'; expected 'auto' or one of ${BACKEND_NAMES.join(', ')}`);
  }
  const skipped: SkippedBackend[] = [];
  for (const name of candidates) {
    try {
      await tryBackend(name, options, node);
    } catch (e) {
      if (requested !== 'auto') throw e;
      skipped.push({ name, reason: errorMessage(e) });
      continue;
    }
    const info: BackendInfo = {
      name,
      requested,
      environment: node ? 'node' : 'browser',
      skipped,
      kernelPatches: options.patchKernels === false ? [] : registerKernelPatches(),
    };
    if (name === 'wasm') Object.assign(info, await wasmDetails());
    return info;
  }
  throw new AdaptersError(
    `no backend could be set up: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`,
  );
}

/** Availability of one backend, as reported by {@link probeBackends}. */
export interface BackendAvailability {
  name: BackendName;
  available: boolean;
  /** Why the backend is unavailable. */
  reason?: string;
}

/**
 * Checks which backends could be set up here, without activating any: the plugin can be loaded
 * (loading registers it) and the environment supports it (WebAssembly, a WebGPU adapter, a WebGL
 * context). Ordered by `'auto'` preference, then the rest.
 */
export async function probeBackends(): Promise<BackendAvailability[]> {
  const node = isNodeEnvironment();
  const order = [...autoOrder(node), ...BACKEND_NAMES.filter((n) => !autoOrder(node).includes(n))];
  const result: BackendAvailability[] = [];
  for (const name of order) {
    let reason = await environmentBlocker(name, node);
    if (reason === undefined) {
      try {
        const plugin = await loadBackendPlugin(name);
        if (name === 'webgpu') ensureWebGpuFactory(plugin);
        if (tf.findBackendFactory(name) == null) reason = `the ${BACKEND_PACKAGES[name]} plugin registered no backend`;
      } catch (e) {
        reason = errorMessage(e);
      }
    }
    result.push(reason === undefined ? { name, available: true } : { name, available: false, reason });
  }
  return result;
}

/** Names of the backends that could be set up here (see {@link probeBackends}), best first. */
export async function listBackends(): Promise<BackendName[]> {
  return (await probeBackends()).filter((b) => b.available).map((b) => b.name);
}
