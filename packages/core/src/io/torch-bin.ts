/**
 * Reading PyTorch `torch.save` checkpoints (the zip format of torch >= 1.6: `<archive>/data.pkl`
 * plus one `<archive>/data/<key>` entry per storage) into raw tensors, with a restricted unpickler
 * whose allow list matches what torch's own `weights_only` loader needs for a state dict.
 */
import { AdapterFormatError } from '../errors';
import { DTYPE_SIZE, shapeSize, type RawTensor, type SafetensorsDtype } from './dtypes';
import { PickleGlobal, PickleTuple, unpickle } from './pickle';
import { readZip, type ZipArchive, type ZipOptions } from './zip';

/** Storage classes `torch.<Name>Storage` and the element type they hold. */
const STORAGE_DTYPES: Readonly<Record<string, SafetensorsDtype>> = {
  DoubleStorage: 'F64',
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
  UntypedStorage: 'U8',
};

/** `torch.<dtype>` objects (arguments of `_rebuild_tensor_v3`). */
const TORCH_DTYPES: Readonly<Record<string, SafetensorsDtype>> = {
  float64: 'F64', double: 'F64', float32: 'F32', float: 'F32', float16: 'F16', half: 'F16',
  bfloat16: 'BF16', int64: 'I64', long: 'I64', int32: 'I32', int: 'I32', int16: 'I16', short: 'I16',
  int8: 'I8', uint8: 'U8', bool: 'BOOL',
};

const REBUILD_V2 = 'torch._utils._rebuild_tensor_v2';
const REBUILD_V3 = 'torch._utils._rebuild_tensor_v3';
const REBUILD_PARAM = 'torch._utils._rebuild_parameter';
const REBUILD_PARAM_STATE = 'torch._utils._rebuild_parameter_with_state';
const REBUILD_FROM_TYPE = 'torch._tensor._rebuild_from_type_v2';
const ORDERED_DICT = 'collections.OrderedDict';
const TENSOR_TYPES = new Set(['torch.Tensor', 'torch.nn.parameter.Parameter']);

/** Every global a state-dict checkpoint may reference; anything else is rejected. */
export const TORCH_ALLOWED_GLOBALS: ReadonlySet<string> = new Set([
  ORDERED_DICT,
  REBUILD_V2,
  REBUILD_V3,
  REBUILD_PARAM,
  REBUILD_PARAM_STATE,
  REBUILD_FROM_TYPE,
  ...TENSOR_TYPES,
  ...Object.keys(STORAGE_DTYPES).map((s) => `torch.${s}`),
  ...Object.keys(TORCH_DTYPES).map((s) => `torch.${s}`),
]);

/** A storage loaded from `<archive>/data/<key>`. */
class TorchStorage {
  constructor(
    readonly key: string,
    readonly dtype: SafetensorsDtype,
    readonly bytes: Uint8Array,
  ) {}
}

/** A tensor rebuilt inside the pickle. */
class TorchTensor {
  constructor(readonly raw: RawTensor) {}
}

/**
 * Parses a `torch.save` zip checkpoint holding a state dict of tensors. Nothing in the pickle is
 * executed; only allow-listed globals ({@link TORCH_ALLOWED_GLOBALS}) are accepted. Tensors that
 * share a storage (or are non-contiguous views) are materialised as independent, contiguous copies.
 * @returns state-dict keys in pickle order.
 * @throws AdapterFormatError naming `file` and the zip entry, pickle byte offset or key at fault.
 */
export function parseTorchBin(bytes: Uint8Array, file = '<buffer>', options: ZipOptions = {}): Map<string, RawTensor> {
  const fail = (message: string, location?: string): never => {
    throw new AdapterFormatError(file, message, location);
  };
  if (bytes[0] === 0x80) fail('legacy (pre-1.6, non-zip) torch.save format is not supported; re-save with a current torch', 'byte 0');
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail('not a torch.save zip archive', 'byte 0');
  const zip = readZip(bytes, file, options);
  const pkls = [...zip.entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkls.length !== 1) fail(`expected exactly one <archive>/data.pkl entry, found ${pkls.length}`, 'central directory');
  const pklName = pkls[0]!;
  const prefix = pklName.slice(0, -'data.pkl'.length);
  const byteorder = zip.has(`${prefix}byteorder`) ? new TextDecoder().decode(zip.read(`${prefix}byteorder`)) : 'little';
  if (byteorder !== 'little') fail(`byte order ${JSON.stringify(byteorder)} is not supported`, `${prefix}byteorder`);

  const loader = new StateDictLoader(zip, prefix, `${file}:${pklName}`);
  const root = unpickle(zip.read(pklName), {
    file: `${file}:${pklName}`,
    allowedGlobals: TORCH_ALLOWED_GLOBALS,
    reduce: (fn, args, at) => loader.reduce(fn, args, at),
    build: (obj, state, at) => loader.build(obj, state, at),
    persistentLoad: (pid, at) => loader.persistentLoad(pid, at),
  });
  if (!(root instanceof Map)) return fail('the checkpoint is not a state dict (top-level object is not a dict)', pklName);
  const out = new Map<string, RawTensor>();
  for (const [k, v] of root) {
    if (typeof k !== 'string') fail(`state-dict key ${String(k)} is not a string`, pklName);
    if (!(v instanceof TorchTensor)) return fail('state-dict value is not a tensor', String(k));
    out.set(k as string, v.raw);
  }
  return out;
}

/** Interprets the calls and persistent ids of a state-dict pickle. */
class StateDictLoader {
  private readonly storages = new Map<string, TorchStorage>();

  constructor(
    private readonly zip: ZipArchive,
    private readonly prefix: string,
    private readonly file: string,
  ) {}

  private fail(message: string, at: string): never {
    throw new AdapterFormatError(this.file, message, at);
  }

  persistentLoad(pid: unknown, at: string): TorchStorage {
    const items = pid instanceof PickleTuple ? pid.items : [];
    const [tag, type, key, , numel] = items;
    if (items.length !== 5 || tag !== 'storage') this.fail("persistent id is not ('storage', type, key, location, numel)", at);
    if (!(type instanceof PickleGlobal) || type.module !== 'torch' || !(type.name in STORAGE_DTYPES)) {
      this.fail('persistent id has an unknown storage type', at);
    }
    if (typeof key !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(key) || key === '.' || key === '..') {
      // Never stringify the untrusted value itself (a BigInt or a deeply nested list would throw).
      const what = typeof key === 'string' ? JSON.stringify(key.slice(0, 100)) : `of type ${typeof key === 'object' && key !== null ? (key.constructor?.name ?? 'object') : typeof key}`;
      this.fail(`invalid storage key ${what}`, at);
    }
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) this.fail('invalid storage size', at);
    const dtype = STORAGE_DTYPES[type.name]!;
    const cached = this.storages.get(key);
    if (cached) {
      if (cached.dtype !== dtype) this.fail(`storage ${key} is referenced as ${cached.dtype} and as ${dtype}`, at);
      return cached;
    }
    const entry = `${this.prefix}data/${key}`;
    if (!this.zip.has(entry)) this.fail(`storage entry ${entry} is missing from the archive`, at);
    const bytes = this.zip.read(entry);
    if (bytes.length !== numel * DTYPE_SIZE[dtype]) {
      this.fail(`storage ${entry} holds ${bytes.length} bytes, expected ${numel} x ${DTYPE_SIZE[dtype]}`, at);
    }
    const storage = new TorchStorage(key, dtype, bytes);
    this.storages.set(key, storage);
    return storage;
  }

  reduce(fn: PickleGlobal, args: readonly unknown[], at: string): unknown {
    switch (fn.fullName) {
      case ORDERED_DICT:
        if (args.length !== 0) this.fail('OrderedDict(...) with arguments is not supported', at);
        return new Map();
      case REBUILD_V2:
        if (args.length < 6 || args.length > 7) this.fail(`${REBUILD_V2} takes 6 or 7 arguments, got ${args.length}`, at);
        return this.rebuild(args[0], args[1], args[2], args[3], undefined, at);
      case REBUILD_V3: {
        if (args.length < 7 || args.length > 8) this.fail(`${REBUILD_V3} takes 7 or 8 arguments, got ${args.length}`, at);
        const d = args[6];
        if (!(d instanceof PickleGlobal) || d.module !== 'torch' || !(d.name in TORCH_DTYPES)) this.fail('unsupported tensor dtype', at);
        return this.rebuild(args[0], args[1], args[2], args[3], TORCH_DTYPES[d.name], at);
      }
      case REBUILD_PARAM:
      case REBUILD_PARAM_STATE:
        if (!(args[0] instanceof TorchTensor)) this.fail(`${fn.fullName} of something that is not a tensor`, at);
        return args[0];
      case REBUILD_FROM_TYPE: {
        const [func, type, inner] = args;
        if (!(func instanceof PickleGlobal) || func.fullName === REBUILD_FROM_TYPE) this.fail('invalid rebuild function', at);
        if (!(type instanceof PickleGlobal) || !TENSOR_TYPES.has(type.fullName)) this.fail('unsupported tensor subclass', at);
        if (!(inner instanceof PickleTuple)) this.fail('invalid rebuild arguments', at);
        return this.reduce(func, inner.items, at);
      }
      default:
        return this.fail(`calling ${fn.fullName} is not supported`, at);
    }
  }

  build(obj: unknown, _state: unknown, at: string): unknown {
    // OrderedDict state (e.g. a state dict's `_metadata` attribute) carries no tensors.
    if (obj instanceof Map) return obj;
    return this.fail('BUILD (__setstate__) is only supported on dicts', at);
  }

  private rebuild(
    storage: unknown,
    offset: unknown,
    size: unknown,
    stride: unknown,
    dtypeOverride: SafetensorsDtype | undefined,
    at: string,
  ): TorchTensor {
    if (!(storage instanceof TorchStorage)) this.fail('tensor storage is not a persistent storage', at);
    const dims = intTuple(size);
    const strides = intTuple(stride);
    if (!dims || !strides || dims.length !== strides.length) this.fail('tensor size/stride are not matching integer tuples', at);
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) this.fail('invalid storage offset', at);
    const dtype = dtypeOverride ?? storage.dtype;
    const item = DTYPE_SIZE[dtype];
    if (storage.bytes.length % item) this.fail(`storage ${storage.key} is not a whole number of ${dtype} elements`, at);
    const numel = storage.bytes.length / item;
    const n = shapeSize(dims);
    const shape = [...dims];
    if (n === 0) return new TorchTensor({ dtype, shape, data: new Uint8Array(0) });
    let last = offset;
    for (let i = 0; i < dims.length; i++) last += (dims[i]! - 1) * strides[i]!;
    if (!Number.isSafeInteger(last) || last >= numel) {
      this.fail(`tensor view (offset ${offset}, size [${dims.join(', ')}], stride [${strides.join(', ')}]) exceeds storage ${storage.key} of ${numel} elements`, at);
    }
    if (isContiguous(dims, strides)) {
      return new TorchTensor({ dtype, shape, data: storage.bytes.slice(offset * item, (offset + n) * item) });
    }
    if (n > numel) this.fail(`tensor view with broadcast (overlapping) strides is not supported`, at);
    return new TorchTensor({ dtype, shape, data: gather(storage.bytes, item, offset, dims, strides, n) });
  }
}

function intTuple(v: unknown): number[] | undefined {
  if (!(v instanceof PickleTuple)) return undefined;
  for (const x of v.items) if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) return undefined;
  return v.items as number[];
}

/** Row-major contiguity (strides of size-1 dimensions do not matter). */
function isContiguous(dims: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    if (dims[i] !== 1 && strides[i] !== expected) return false;
    expected *= dims[i]!;
  }
  return true;
}

/** Copies the elements of a strided view into a contiguous row-major buffer. */
function gather(src: Uint8Array, item: number, offset: number, dims: number[], strides: number[], n: number): Uint8Array {
  const out = new Uint8Array(n * item);
  const idx = new Array<number>(dims.length).fill(0);
  let pos = offset;
  for (let k = 0; k < n; k++) {
    out.set(src.subarray(pos * item, pos * item + item), k * item);
    for (let d = dims.length - 1; d >= 0; d--) {
      idx[d] = idx[d]! + 1;
      pos += strides[d]!;
      if (idx[d]! < dims[d]!) break;
      pos -= strides[d]! * dims[d]!;
      idx[d] = 0;
    }
  }
  return out;
}
