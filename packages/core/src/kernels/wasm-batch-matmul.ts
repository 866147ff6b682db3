/**
 * Fast paths for `BatchMatMul` and `_FusedMatMul` on the wasm backend.
 *
 * tfjs-backend-wasm 4.22 only runs XNNPACK's GEMM when neither operand is transposed and both
 * batch sizes are 1; every other case (all backward matMuls, attention's batched products,
 * `[B,T,D] @ [D,F]`) falls into a single-threaded scalar loop at ~1 GFLOP/s. The patched kernels
 * make operands fit the fast path and then call the same C++ entry point:
 *  1. transposed operands are transposed explicitly first (wasm `Transpose` kernel),
 *  2. when the second operand has batch 1, the batch of the first is folded into its rows,
 *  3. otherwise each batch slice is multiplied separately through zero-copy heap views, writing
 *     straight into the final output buffer.
 * Results equal the original kernel's up to float rounding order.
 */
import {
  BatchMatMul,
  _FusedMatMul,
  broadcast_util,
  getKernel,
  util,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  isWasmBackend,
  makeView,
  releaseView,
  wasmId,
  wasmOffset,
  type WasmBackendLike,
} from './wasm-internals';

/** How a (possibly transposed, batched) matMul maps onto XNNPACK's batch-1 GEMM. @internal */
export interface MatMulPlan {
  batchA: number;
  batchB: number;
  /** Rows of the (un-transposed) left operand. */
  m: number;
  /** Shared dimension. */
  k: number;
  /** Columns of the (un-transposed) right operand. */
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /** Broadcast output shape, as the original kernel returns it. */
  outShape: number[];
  /** `fold`: batch of A folded into rows (B has batch 1); `loop`: one GEMM per batch slice. */
  mode: 'fold' | 'loop';
}

/**
 * Plans the fast path for `a @ b`, or returns `null` when the original kernel should run (already
 * fast, degenerate sizes, mismatched inner dimensions or batch broadcasting the C++ side cannot do).
 * @internal
 */
export function planMatMul(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulPlan | null {
  const aRank = aShape.length;
  const bRank = bShape.length;
  if (aRank < 2 || bRank < 2) return null;
  const a1 = aShape[aRank - 2] as number;
  const a2 = aShape[aRank - 1] as number;
  const b1 = bShape[bRank - 2] as number;
  const b2 = bShape[bRank - 1] as number;
  const m = transposeA ? a2 : a1;
  const k = transposeA ? a1 : a2;
  const kB = transposeB ? b2 : b1;
  const n = transposeB ? b1 : b2;
  if (k !== kB) return null;
  const batchA = util.sizeFromShape(aShape.slice(0, -2));
  const batchB = util.sizeFromShape(bShape.slice(0, -2));
  if (m * k * n * batchA * batchB === 0) return null;
  if (!transposeA && !transposeB && batchA === 1 && batchB === 1) return null;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  let outer: number[];
  try {
    outer = broadcast_util.assertAndGetBroadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  } catch {
    return null;
  }
  if (util.sizeFromShape(outer) !== Math.max(batchA, batchB)) return null;
  return {
    batchA,
    batchB,
    m,
    k,
    n,
    transposeA,
    transposeB,
    outShape: [...outer, m, n],
    mode: batchB === 1 ? 'fold' : 'loop',
  };
}

type WasmBatchMatMulFn = (
  aId: number,
  aShape: Uint8Array,
  aShapeLen: number,
  bId: number,
  bShape: Uint8Array,
  bShapeLen: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

const batchMatMulFns = new WeakMap<object, WasmBatchMatMulFn>();

function wasmBatchMatMulFn(backend: WasmBackendLike): WasmBatchMatMulFn {
  let fn = batchMatMulFns.get(backend);
  if (fn === undefined) {
    fn = backend.wasm.cwrap(BatchMatMul, null, [
      'number', // a_id
      'array', // a_shape
      'number', // a_shape.length
      'number', // b_id
      'array', // b_shape
      'number', // b_shape.length
      'number', // transpose_a
      'number', // transpose_b
      'number', // out_id
    ]) as WasmBatchMatMulFn;
    batchMatMulFns.set(backend, fn);
  }
  return fn;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/** Materialises the last-two-axes transpose of a `[batch, r, c]` view of `x` (a new tensor). */
function transposeLast2(backend: WasmBackendLike, x: TensorInfo, batch: number, r: number, c: number): TensorInfo {
  const transpose = getKernel('Transpose', 'wasm');
  if (transpose === undefined) throw new Error('wasm kernel patch: Transpose kernel is not registered for wasm');
  const result = transpose.kernelFunc({
    inputs: { x: { dataId: x.dataId, shape: [batch, r, c], dtype: x.dtype } },
    backend,
    attrs: { perm: [0, 2, 1] },
  });
  return result as TensorInfo;
}

/**
 * Brings both operands into row-major, un-transposed `[batch, m, k]` / `[batch, k, n]` layout.
 * Returns the operands and the temporaries to dispose.
 */
function prepareOperands(
  backend: WasmBackendLike,
  a: TensorInfo,
  b: TensorInfo,
  plan: MatMulPlan,
): { a: TensorInfo; b: TensorInfo; temps: TensorInfo[] } {
  const temps: TensorInfo[] = [];
  let a2 = a;
  let b2 = b;
  if (plan.transposeA) {
    a2 = transposeLast2(backend, a, plan.batchA, plan.k, plan.m);
    temps.push(a2);
  }
  if (plan.transposeB) {
    b2 = transposeLast2(backend, b, plan.batchB, plan.n, plan.k);
    temps.push(b2);
  }
  return { a: a2, b: b2, temps };
}

/**
 * Runs a planned product on the wasm backend; the output is a fresh tensor of `plan.outShape`.
 * @internal
 */
export function runPlannedMatMul(backend: WasmBackendLike, a: TensorInfo, b: TensorInfo, plan: MatMulPlan): TensorInfo {
  const { m, k, n } = plan;
  const matmul = wasmBatchMatMulFn(backend);
  const ops = prepareOperands(backend, a, b, plan);
  const batch = Math.max(plan.batchA, plan.batchB);
  const out = backend.makeOutput([batch, m, n], 'float32');
  try {
    const outId = wasmId(backend, out);
    if (plan.mode === 'fold') {
      const aShape = [1, plan.batchA * m, k];
      const bShape = [1, k, n];
      // Keeps B's own id: XNNPACK caches the packed weights per id (freed when B is disposed).
      matmul(wasmId(backend, ops.a), shapeBytes(aShape), 3, wasmId(backend, ops.b), shapeBytes(bShape), 3, false, false, outId);
    } else {
      const aBytes = shapeBytes([1, m, k]);
      const bBytes = shapeBytes([1, k, n]);
      const aBase = wasmOffset(backend, ops.a);
      const bBase = wasmOffset(backend, ops.b);
      const outBase = wasmOffset(backend, out);
      for (let i = 0; i < batch; i++) {
        const aView = plan.batchA === 1 ? null : makeView(backend, [1, m, k], aBase + i * m * k * 4);
        const bView = makeView(backend, [1, k, n], bBase + i * k * n * 4);
        const outView = makeView(backend, [1, m, n], outBase + i * m * n * 4);
        try {
          const aIdI = aView === null ? wasmId(backend, ops.a) : wasmId(backend, aView);
          matmul(aIdI, aBytes, 3, wasmId(backend, bView), bBytes, 3, false, false, wasmId(backend, outView));
        } finally {
          if (aView !== null) releaseView(backend, aView);
          releaseView(backend, bView);
          releaseView(backend, outView);
        }
      }
    }
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  } finally {
    for (const t of ops.temps) backend.disposeData(t.dataId);
  }
  return { dataId: out.dataId, shape: plan.outShape, dtype: 'float32' };
}

function attrBool(attrs: NamedAttrMap | undefined, name: string): boolean {
  return attrs?.[name] === true;
}

/**
 * Wraps the wasm backend's original `BatchMatMul` kernel with the fast paths above; anything the
 * plan does not cover (non-float32, broadcast the C++ side cannot do, already-fast shapes, a
 * non-wasm backend) goes to the original.
 * @internal
 */
export function makeWasmBatchMatMulConfig(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const a = inputs['a'];
    const b = inputs['b'];
    if (!isWasmBackend(backend) || a === undefined || b === undefined) return original.kernelFunc(args);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return original.kernelFunc(args);
    const plan = planMatMul(a.shape, b.shape, attrBool(attrs, 'transposeA'), attrBool(attrs, 'transposeB'));
    if (plan === null) return original.kernelFunc(args);
    return runPlannedMatMul(backend, a, b, plan);
  };
  return {
    kernelName: BatchMatMul,
    backendName: 'wasm',
    kernelFunc,
    ...(original.setupFunc !== undefined ? { setupFunc: original.setupFunc } : {}),
    ...(original.disposeFunc !== undefined ? { disposeFunc: original.disposeFunc } : {}),
  };
}

const FOLDABLE_ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu']);

/**
 * Wraps the wasm backend's original `_FusedMatMul` (matMul + bias + activation, used by
 * `tf.fused.matMul`): transposes are materialised and the batch folded into rows when the right
 * operand has batch 1 and the bias is per output column; the original fused kernel then runs its
 * XNNPACK path. Other cases go to the original.
 * @internal
 */
export function makeWasmFusedMatMulConfig(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const a = inputs['a'];
    const b = inputs['b'];
    const bias = inputs['bias'];
    const prelu = inputs['preluActivationWeights'];
    if (!isWasmBackend(backend) || a === undefined || b === undefined) return original.kernelFunc(args);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || prelu != null) return original.kernelFunc(args);
    const activation = typeof attrs?.['activation'] === 'string' ? (attrs['activation'] as string) : 'linear';
    if (!FOLDABLE_ACTIVATIONS.has(activation)) return original.kernelFunc(args);
    const plan = planMatMul(a.shape, b.shape, attrBool(attrs, 'transposeA'), attrBool(attrs, 'transposeB'));
    if (plan === null || plan.mode !== 'fold') return original.kernelFunc(args);
    if (bias != null && !(bias.shape.length === 1 && bias.shape[0] === plan.n)) {
      return original.kernelFunc(args);
    }
    const ops = prepareOperands(backend, a, b, plan);
    try {
      const result = original.kernelFunc({
        inputs: {
          ...inputs,
          a: { dataId: ops.a.dataId, shape: [1, plan.batchA * plan.m, plan.k], dtype: 'float32' },
          b: { dataId: ops.b.dataId, shape: [1, plan.k, plan.n], dtype: 'float32' },
        },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as TensorInfo;
      return { dataId: result.dataId, shape: plan.outShape, dtype: result.dtype };
    } finally {
      for (const t of ops.temps) backend.disposeData(t.dataId);
    }
  };
  return {
    kernelName: _FusedMatMul,
    backendName: 'wasm',
    kernelFunc,
    ...(original.setupFunc !== undefined ? { setupFunc: original.setupFunc } : {}),
    ...(original.disposeFunc !== undefined ? { disposeFunc: original.disposeFunc } : {}),
  };
}
