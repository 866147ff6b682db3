/**
 * Backend setup and kernel patches (browser-safe). Node-specific setup (wasm threads, WebGPU
 * through Dawn) lives in `@adapters/core/node`.
 */
export {
  BACKEND_NAMES,
  BACKEND_PACKAGES,
  isNodeEnvironment,
  listBackends,
  loadBackendPlugin,
  probeBackends,
  setupBackend,
  type BackendAvailability,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  type BackendPlatformHooks,
  type SetupBackendOptions,
  type SkippedBackend,
} from './setup';
export {
  activeKernelPatches,
  registerKernelPatches,
  unregisterKernelPatches,
  type KernelPatchId,
} from '../kernels/index';
export { asBackendOutOfMemoryError, rethrowOutOfMemory } from './out-of-memory';
export { WASM_MAX_HEAP_BYTES, guardWasmAllocations } from './wasm-allocation-guard';
