/**
 * One-pass scatter-add `UnsortedSegmentSum` for the cpu and wasm backends.
 *
 * `UnsortedSegmentSum` is the gradient of `gather` (embeddings, label gathers). tfjs-backend-wasm
 * 4.22 does not register it at all, and tfjs-backend-cpu's version builds a mask and a full
 * reduction per output segment (O(numSegments · size(x))): a 30522-word vocabulary takes minutes.
 * This kernel reads `x` once and adds every row into its segment. Semantics follow TensorFlow:
 * output shape `[numSegments, ...x.shape.slice(segmentIds.rank)]`, dtype of `x`, rows whose
 * segment id is negative or `>= numSegments` are dropped.
 */
import { UnsortedSegmentSum, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { isWasmBackend } from './wasm-internals';

type NumericArray = Float32Array | Int32Array | Uint8Array;

/** Minimal view of tfjs-backend-cpu's `MathBackendCPU` used here. @internal */
interface CpuBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: TensorInfo['dtype'], values?: NumericArray): TensorInfo;
}

function isCpuBackend(backend: unknown): backend is CpuBackendLike {
  const b = backend as Partial<CpuBackendLike> | null;
  return b != null && typeof b.readSync === 'function' && typeof b.makeTensorInfo === 'function';
}

/**
 * Scatter-adds rows of `x` (row = `inner` consecutive values) into `out` by `ids`.
 * `out` must be zero-initialised.
 * @internal
 */
export function scatterAdd(x: ArrayLike<number>, ids: ArrayLike<number>, inner: number, numSegments: number, out: NumericArray): void {
  const rows = ids.length;
  for (let r = 0; r < rows; r++) {
    const seg = ids[r] as number;
    if (!(seg >= 0 && seg < numSegments)) continue;
    const src = r * inner;
    const dst = seg * inner;
    for (let j = 0; j < inner; j++) out[dst + j] = (out[dst + j] as number) + (x[src + j] as number);
  }
}

/** Output shape and row width of `unsortedSegmentSum(x, segmentIds, numSegments)`. @internal */
export function segmentSumShape(xShape: readonly number[], idsShape: readonly number[], numSegments: number): { outShape: number[]; inner: number } {
  const rank = idsShape.length;
  for (let i = 0; i < rank; i++) {
    if (xShape[i] !== idsShape[i]) {
      throw new Error(
        `unsortedSegmentSum: segmentIds shape [${idsShape.join(', ')}] must be a prefix of x shape [${xShape.join(', ')}]`,
      );
    }
  }
  const innerShape = xShape.slice(rank);
  return { outShape: [numSegments, ...innerShape], inner: util.sizeFromShape(innerShape) };
}

/**
 * Builds the scatter-add `UnsortedSegmentSum` kernel for `backendName` (`'cpu'` or `'wasm'`),
 * falling back to `original` (if any) for unsupported dtypes or backends.
 * @internal
 */
export function makeUnsortedSegmentSumConfig(backendName: 'cpu' | 'wasm', original: KernelConfig | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs['x'];
    const ids = inputs['segmentIds'];
    const numSegments = Number(attrs?.['numSegments']);
    const supported =
      x !== undefined && ids !== undefined && (x.dtype === 'float32' || x.dtype === 'int32') && ids.dtype === 'int32';
    if (!supported || !Number.isInteger(numSegments) || numSegments < 0) {
      if (original !== undefined) return original.kernelFunc(args);
      throw new Error(`UnsortedSegmentSum (${backendName}): unsupported inputs (x ${x?.dtype}, segmentIds ${ids?.dtype})`);
    }
    const { outShape, inner } = segmentSumShape(x.shape, ids.shape, numSegments);
    if (isWasmBackend(backend)) {
      const out = backend.makeOutput(outShape, x.dtype);
      // Views are taken after the allocation: growing the heap replaces its buffer.
      const outVals = backend.typedArrayFromHeap(out);
      outVals.fill(0);
      scatterAdd(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(ids), inner, numSegments, outVals);
      return out;
    }
    if (isCpuBackend(backend)) {
      const xVals = backend.readSync(x.dataId) as NumericArray;
      const idVals = backend.readSync(ids.dataId) as NumericArray;
      const outVals = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
      scatterAdd(xVals, idVals, inner, numSegments, outVals);
      return backend.makeTensorInfo(outShape, x.dtype, outVals);
    }
    if (original !== undefined) return original.kernelFunc(args);
    throw new Error(`UnsortedSegmentSum: backend is neither cpu nor wasm`);
  };
  return {
    kernelName: UnsortedSegmentSum,
    backendName,
    kernelFunc,
    ...(original?.setupFunc !== undefined ? { setupFunc: original.setupFunc } : {}),
    ...(original?.disposeFunc !== undefined ? { disposeFunc: original.disposeFunc } : {}),
  };
}
