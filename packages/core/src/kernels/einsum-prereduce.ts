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
  let result: TensorInfo | undefined;
  try {
    result = combine();
    return result;
  } finally {
    // A kernel may return its input as is (an identity equation): keep that temporary.
    for (const t of temps) if (t.dataId !== result?.dataId) backend.disposeData(t.dataId);
  }

  function combine(): TensorInfo {
    const { inputs: specs, output } = parseEinsumEquation(reducedEquation);
    const scalars = specs.flatMap((spec, i) => (spec === '' ? [i] : []));
    if (scalars.length === 0) return kernel(reduced, { ...attrs, equation: reducedEquation });
    if (specs.length === 1) return reduced[0]!; // "ij->": the sum is the result
    // An operand reduced to a scalar (every index summed within it, e.g. "ij,k->k"): the planning
    // mishandles empty operands too, so multiply the scalar into the other operand's result.
    const multiply = getKernel('Multiply', backendName);
    if (multiply === undefined) throw new Error(`Einsum: the ${backendName} backend has no Multiply kernel`);
    const mul = (a: TensorInfo, b: TensorInfo): TensorInfo => multiply.kernelFunc({ inputs: { a, b }, backend, attrs: {} }) as TensorInfo;
    if (scalars.length === 2) return mul(reduced[0]!, reduced[1]!);
    const other = scalars[0] === 0 ? 1 : 0;
    const rest = kernel([reduced[other]!], { ...attrs, equation: `${specs[other]}->${output}` });
    try {
      return mul(reduced[scalars[0]!]!, rest);
    } finally {
      if (rest.dataId !== reduced[other]!.dataId) backend.disposeData(rest.dataId);
    }
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
