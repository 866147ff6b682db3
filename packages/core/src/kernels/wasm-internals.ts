/**
 * Minimal structural view of `@tensorflow/tfjs-backend-wasm`'s `BackendWasm` internals used by the
 * kernel patches. Typed locally (instead of importing the class) so the patches stay decoupled
 * from the wasm package's private declaration files; every member used here exists in tfjs 4.x.
 * @internal
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** Book-keeping entry of one tensor buffer in the wasm heap. @internal */
export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

/** The emscripten module object held by the wasm backend. @internal */
export interface WasmModuleLike {
  cwrap(ident: string, returnType: string | null, argTypes: string[]): (...args: unknown[]) => unknown;
  HEAPU8: Uint8Array;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

/** The subset of `BackendWasm` the patches rely on. @internal */
export interface WasmBackendLike {
  wasm: WasmModuleLike;
  dataIdMap: {
    get(dataId: object): WasmTensorData | undefined;
    delete(dataId: object): boolean;
  };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** True when `backend` looks like tfjs' wasm backend (has a heap, a data map and `makeOutput`). @internal */
export function isWasmBackend(backend: unknown): backend is WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  return (
    b != null &&
    typeof b === 'object' &&
    b.wasm != null &&
    typeof b.wasm.cwrap === 'function' &&
    b.dataIdMap != null &&
    typeof b.makeOutput === 'function' &&
    typeof b.typedArrayFromHeap === 'function'
  );
}

/** The wasm-side integer id of a tensor buffer. @internal */
export function wasmId(backend: WasmBackendLike, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('wasm kernel patch: tensor data not found on the wasm backend');
  return data.id;
}

/** Byte offset of a tensor buffer in the wasm heap. @internal */
export function wasmOffset(backend: WasmBackendLike, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('wasm kernel patch: tensor data not found on the wasm backend');
  return data.memoryOffset;
}

/**
 * A tensor that aliases `[byteOffset, byteOffset + size*4)` of the wasm heap without owning it.
 * Must be released with {@link releaseView} (never `disposeData`, which would `free` the memory).
 * @internal
 */
export function makeView(backend: WasmBackendLike, shape: number[], byteOffset: number): TensorInfo {
  return backend.makeOutput(shape, 'float32', byteOffset);
}

/** Unregisters a view made by {@link makeView} (fires the wasm-side disposal callbacks, frees nothing). @internal */
export function releaseView(backend: WasmBackendLike, view: TensorInfo): void {
  const data = backend.dataIdMap.get(view.dataId);
  if (data === undefined) return;
  backend.wasm.tfjs.disposeData(data.id);
  backend.dataIdMap.delete(view.dataId);
}
