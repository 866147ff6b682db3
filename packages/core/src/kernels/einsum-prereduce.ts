/**
 * tfjs 4.22's einsum (cpu, webgl, webgpu — one shared planning in `backend_util`) returns wrong
 * values or shapes when an index is summed within a single operand: `einsum("ijk,k->i")` gives a
 * `[1, 4]` tensor, `einsum("i,jk->ij")` a `[1, 4]` one. Summing such indices out of their operand
 * first (they contribute nothing else) leaves an equation the planning handles. Used by the patched
 * `Einsum` kernels of every backend.
 */
import { type KernelBackend, type KernelConfig, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo, getKernel } from '@tensorflow/tfjs-core';
import { parseEinsumEquation } from './einsum-gradient';

/** For each operand, the axes whose index occurs in no other operand and not in the output. */
export function singleOperandSummedAxes(equation: string): { axes: number[][]; equation: string } {
  const { inputs, output } = parseEinsumEquation(equation);
  const axes = inputs.map((spec, i) => {
    const elsewhere = new Set([...output, ...inputs.filter((_, j) => j !== i).join('')]);
    return [...spec].flatMap((c, axis) => (elsewhere.has(c) ? [] : [axis]));
  });
  const reduced = inputs.map((spec, i) => [...spec].filter((_, axis) => !axes[i]!.includes(axis)).join(''));
  return { axes, equation: `${reduced.join(',')}->${output}` };
}

/**
 * Runs `kernel` (an Einsum kernel function) after summing single-operand indices out of the inputs
 * with the backend's `Sum` kernel. Returns the kernel's output; frees the temporaries.
 */
export function runPreReducedEinsum(
  backendName: string,
  backend: KernelBackend,
  inputs: readonly TensorInfo[],
  attrs: NamedAttrMap,
  kernel: (inputs: TensorInfo[], attrs: NamedAttrMap) => TensorInfo,
): TensorInfo {
  const equation = attrs.equation as string;
  const { axes, equation: reducedEquation } = singleOperandSummedAxes(equation);
  if (axes.every((a) => a.length === 0)) return kernel([...inputs], attrs);
  const sum = getKernel('Sum', backendName);
  if (sum === undefined) throw new Error(`Einsum: the ${backendName} backend has no Sum kernel`);
  const temps: TensorInfo[] = [];
  const reduced = inputs.map((x, i) => {
    if (axes[i]!.length === 0) return x;
    const y = sum.kernelFunc({ inputs: { x }, backend, attrs: { axis: axes[i]!, keepDims: false } }) as TensorInfo;
    temps.push(y);
    return y;
  });
  try {
    return kernel(reduced, { ...attrs, equation: reducedEquation });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/**
 * Wraps a backend's own `Einsum` kernel (cpu, webgl, webgpu) with the pre-reduction above; the
 * original kernel computes every equation it handles correctly, unchanged.
 */
export function makePreReducedEinsumConfig(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: ({ inputs, backend, attrs }) =>
      runPreReducedEinsum(original.backendName, backend as KernelBackend, inputs as unknown as TensorInfo[], attrs ?? {}, (ins, at) =>
        original.kernelFunc({ inputs: ins as unknown as NamedTensorInfoMap, backend, attrs: at }) as TensorInfo,
      ),
  };
}
