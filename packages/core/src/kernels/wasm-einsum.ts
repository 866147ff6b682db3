/**
 * `Einsum` for the wasm backend, which tfjs-backend-wasm 4.22 lacks ("kernel 'Einsum' not
 * registered for backend 'wasm'"). The same algorithm as the cpu and webgl backends (tfjs-core's
 * `backend_util` einsum planning: per step transpose each operand into the planned axis order,
 * insert size-1 axes, multiply with broadcasting, sum the contracted axis), composed from the wasm
 * backend's own `Transpose`, `Reshape`, `Multiply` and `Sum` kernels, after the pre-reduction that
 * works around the planning's single-operand-sum bug (see `einsum-prereduce.ts`).
 */
import {
  Einsum,
  backend_util,
  getKernel,
  util,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runPreReducedEinsum } from './einsum-prereduce';

function wasmKernel(name: string): NonNullable<ReturnType<typeof getKernel>>['kernelFunc'] {
  const k = getKernel(name, 'wasm');
  if (k === undefined) throw new Error(`wasm Einsum: the wasm backend has no ${name} kernel`);
  return k.kernelFunc;
}

/** The wasm `Einsum` kernel config. */
export function makeWasmEinsumConfig(): KernelConfig {
  return {
    kernelName: Einsum,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) =>
      runPreReducedEinsum('wasm', backend as KernelBackend, inputs as unknown as TensorInfo[], attrs ?? {}, (ins, at) => wasmEinsum(backend as KernelBackend, ins, at)),
  };
}

/** Einsum on wasm after {@link runPreReducedEinsum} (no index is summed within a single operand). */
function wasmEinsum(b: KernelBackend, tensors: TensorInfo[], attrs: NamedAttrMap): TensorInfo {
  const run = (name: string, ins: Record<string, TensorInfo>, at: NamedAttrMap = {}): TensorInfo =>
    wasmKernel(name)({ inputs: ins, backend: b, attrs: at }) as TensorInfo;
  const { equation } = attrs as { equation: string };
  const { allDims, summedDims, idDims } = backend_util.decodeEinsumEquation(equation, tensors.length);
  backend_util.checkEinsumDimSizes(allDims.length, idDims, tensors as unknown as Parameters<typeof backend_util.checkEinsumDimSizes>[2]);
  const { path, steps } = backend_util.getEinsumComputePath(summedDims, idDims);
  let out: TensorInfo | null = null;
  let remaining = allDims.length;
  const temps: TensorInfo[] = [];
  for (let i = 0; i < steps.length; i++) {
    for (const term of steps[i]!) {
      const { permutationIndices: perm, expandDims } = backend_util.getEinsumPermutation(remaining, idDims[term]!);
      let x = tensors[term]!;
      if (!backend_util.isIdentityPermutation(perm)) {
        x = run('Transpose', { x }, { perm });
        temps.push(x);
      }
      const target = x.shape.slice();
      for (const axis of expandDims) target.splice(axis, 0, 1);
      if (!util.arraysEqual(x.shape, target)) {
        x = run('Reshape', { x }, { shape: target });
        temps.push(x);
      }
      if (out === null) out = x;
      else {
        out = run('Multiply', { a: x, b: out });
        temps.push(out);
      }
    }
    if (i < steps.length - 1) {
      if (path[i]! >= 0) {
        out = run('Sum', { x: out! }, { axis: path[i]! - (allDims.length - remaining), keepDims: false });
        temps.push(out);
      }
      remaining--;
    }
  }
  for (const t of temps) if (t !== out) b.disposeData(t.dataId);
  if (out === tensors[0] || out === tensors[1]) {
    // A one-operand identity equation: return a new tensor, not the input.
    out = run('Reshape', { x: out! }, { shape: out!.shape });
  }
  return out!;
}
