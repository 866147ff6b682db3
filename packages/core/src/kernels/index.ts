/**
 * Kernel overrides that fill gaps and slow paths of tfjs 4.22's cpu and wasm backends for
 * transformer training. Registered with `tf.registerKernel` on top of the original kernels, which
 * are kept and used as fall-backs for every case a patch does not cover.
 *
 * | kernel | backend | why |
 * | --- | --- | --- |
 * | `BatchMatMul` | wasm | XNNPACK only for un-transposed batch-1 operands; ~1 GFLOP/s scalar loop otherwise |
 * | `_FusedMatMul` | wasm | same slow path in `tf.fused.matMul` with transposes / batched left operand |
 * | `UnsortedSegmentSum` | wasm | missing (gather gradient fails) |
 * | `UnsortedSegmentSum` | cpu | one full pass per output row (minutes for a 30k vocabulary) |
 * | `Einsum` | wasm | missing (`tf.einsum` fails on wasm) |
 * | `Einsum` | cpu, webgl, webgpu | wrong results when an index is summed within one operand (`"ijk,k->i"`) |
 * | `BatchMatMul` gradient | all | tfjs' gradient ignores batch broadcasting (`[B,T,D] @ [D,F]` fails in backprop) |
 * | `Einsum` gradient | all | missing (`tf.grad` of `tf.einsum` fails everywhere) |
 */
import {
  BatchMatMul,
  Einsum,
  _FusedMatMul,
  UnsortedSegmentSum,
  getGradient,
  getKernel,
  getKernelsForBackend,
  registerGradient,
  registerKernel,
  unregisterGradient,
  unregisterKernel,
  type GradConfig,
  type KernelConfig,
} from '@tensorflow/tfjs-core';
import { ensureGradientsRegistered } from '../register-gradients';
import { einsumGradConfig } from './einsum-gradient';
import { makePreReducedEinsumConfig } from './einsum-prereduce';
import { batchMatMulGradConfig } from './matmul-gradient';
import { makeUnsortedSegmentSumConfig } from './unsorted-segment-sum';
import { makeWasmBatchMatMulConfig, makeWasmFusedMatMulConfig } from './wasm-batch-matmul';
import { makeWasmEinsumConfig } from './wasm-einsum';

/** Identifies one kernel patch: `"<kernelName>/<backendName>"`, e.g. `"BatchMatMul/wasm"`. */
export type KernelPatchId = `${string}/${string}`;

interface PatchSpec {
  kernelName: string;
  backendName: string;
  /** Whether the patch wraps (and therefore needs) the original kernel. */
  needsOriginal: boolean;
  make(original: KernelConfig | undefined): KernelConfig;
}

const PATCHES: readonly PatchSpec[] = [
  {
    kernelName: BatchMatMul,
    backendName: 'wasm',
    needsOriginal: true,
    make: (o) => makeWasmBatchMatMulConfig(o as KernelConfig),
  },
  {
    kernelName: _FusedMatMul,
    backendName: 'wasm',
    needsOriginal: true,
    make: (o) => makeWasmFusedMatMulConfig(o as KernelConfig),
  },
  {
    kernelName: Einsum,
    backendName: 'wasm',
    needsOriginal: false,
    make: () => makeWasmEinsumConfig(),
  },
  ...(['cpu', 'webgl', 'webgpu'] as const).map((backendName) => ({
    kernelName: Einsum,
    backendName,
    needsOriginal: true,
    make: (o: KernelConfig | undefined) => makePreReducedEinsumConfig(o as KernelConfig),
  })),
  {
    kernelName: UnsortedSegmentSum,
    backendName: 'wasm',
    needsOriginal: false,
    make: (o) => makeUnsortedSegmentSumConfig('wasm', o),
  },
  {
    kernelName: UnsortedSegmentSum,
    backendName: 'cpu',
    needsOriginal: false,
    make: (o) => makeUnsortedSegmentSumConfig('cpu', o),
  },
];

/**
 * Marks a patched config and remembers the config it replaced. A global symbol, so that several
 * copies of this module (bundles, test isolation) recognise each other's patches.
 */
const PATCH_MARK = Symbol.for('@adapters/core/kernel-patch');

interface PatchedConfig extends KernelConfig {
  [PATCH_MARK]: { original: KernelConfig | undefined };
}

function isPatched(config: KernelConfig | undefined): config is PatchedConfig {
  return config !== undefined && PATCH_MARK in config;
}

interface PatchedGradConfig extends GradConfig {
  [PATCH_MARK]: { original: GradConfig | undefined };
}

function isPatchedGrad(config: GradConfig | undefined): config is PatchedGradConfig {
  return config !== undefined && PATCH_MARK in config;
}

/** Gradient patches (backend-independent), keyed by kernel name. */
const GRADIENT_PATCHES: readonly GradConfig[] = [batchMatMulGradConfig, einsumGradConfig];

function replaceGradient(kernelName: string, config: GradConfig | undefined): void {
  if (getGradient(kernelName) !== undefined) unregisterGradient(kernelName);
  if (config !== undefined) registerGradient(config);
}

function backendLoaded(backendName: string): boolean {
  return getKernelsForBackend(backendName).length > 0;
}

function replaceKernel(kernelName: string, backendName: string, config: KernelConfig | undefined): void {
  if (getKernel(kernelName, backendName) !== undefined) unregisterKernel(kernelName, backendName);
  if (config !== undefined) registerKernel(config);
}

/**
 * Registers the kernel patches for every backend whose package is loaded (has registered kernels)
 * and returns the ids of all patches now active. Idempotent; call it again after importing another
 * backend package. {@link setupBackend} calls it for you.
 *
 * Import backend packages before calling it: a backend package imported afterwards re-registers its
 * own kernels over the patches.
 */
export function registerKernelPatches(): KernelPatchId[] {
  // tfjs' own gradients first, so that their registration cannot later replace the patched ones.
  ensureGradientsRegistered();
  for (const spec of PATCHES) {
    if (!backendLoaded(spec.backendName)) continue;
    const current = getKernel(spec.kernelName, spec.backendName);
    if (isPatched(current)) continue;
    if (spec.needsOriginal && current === undefined) continue;
    const patched = spec.make(current) as PatchedConfig;
    patched[PATCH_MARK] = { original: current };
    replaceKernel(spec.kernelName, spec.backendName, patched);
  }
  for (const grad of GRADIENT_PATCHES) {
    const current = getGradient(grad.kernelName);
    if (isPatchedGrad(current)) continue;
    const patched: PatchedGradConfig = { ...grad, [PATCH_MARK]: { original: current } };
    replaceGradient(grad.kernelName, patched);
  }
  return activeKernelPatches();
}

/**
 * Removes every active kernel patch and restores the kernels they replaced (kernels that did not
 * exist before are unregistered). Meant for benchmarks and tests.
 */
export function unregisterKernelPatches(): void {
  for (const spec of PATCHES) {
    const current = getKernel(spec.kernelName, spec.backendName);
    if (isPatched(current)) replaceKernel(spec.kernelName, spec.backendName, current[PATCH_MARK].original);
  }
  for (const grad of GRADIENT_PATCHES) {
    const current = getGradient(grad.kernelName);
    if (isPatchedGrad(current)) replaceGradient(grad.kernelName, current[PATCH_MARK].original);
  }
}

/** Ids of the kernel patches currently registered (gradient patches as `"<kernelName>/gradient"`). */
export function activeKernelPatches(): KernelPatchId[] {
  const kernels = PATCHES.filter((s) => isPatched(getKernel(s.kernelName, s.backendName))).map(
    (s) => `${s.kernelName}/${s.backendName}` as const,
  );
  const grads = GRADIENT_PATCHES.filter((g) => isPatchedGrad(getGradient(g.kernelName))).map(
    (g) => `${g.kernelName}/gradient` as const,
  );
  return [...kernels, ...grads];
}
