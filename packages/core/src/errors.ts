/**
 * Typed errors of @adapters/core. Every error names the file, key, field or shape at fault so a
 * user can act on the message alone.
 */

/** Base class of every error thrown on purpose by @adapters packages. */
export class AdaptersError extends Error {
  override name = 'AdaptersError';
}

/** A file (safetensors, PyTorch .bin, JSON config, tokenizer) is malformed or unsafe. */
export class AdapterFormatError extends AdaptersError {
  override name = 'AdapterFormatError';
  /** The file at fault (path or a descriptive name such as `<buffer>`). */
  readonly file: string;
  /** The key, byte offset or JSON path at fault, if known. */
  readonly location: string | undefined;
  constructor(file: string, message: string, location?: string) {
    super(`${file}${location !== undefined ? ` [${location}]` : ''}: ${message}`);
    this.file = file;
    this.location = location;
  }
}

/** An adapter or fusion configuration is invalid (wrong type, impossible value, unknown name). */
export class AdapterConfigError extends AdaptersError {
  override name = 'AdapterConfigError';
  /** The configuration field at fault, if any. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(field !== undefined ? `${field}: ${message}` : message);
    this.field = field;
  }
}

/** Tensor shapes do not match (e.g. loading an adapter into a model of another hidden size). */
export class ShapeMismatchError extends AdaptersError {
  override name = 'ShapeMismatchError';
  constructor(
    readonly key: string,
    readonly expected: readonly number[],
    readonly actual: readonly number[],
    context = '',
  ) {
    super(`${context}${context ? ': ' : ''}${key}: expected shape [${expected.join(', ')}], got [${actual.join(', ')}]`);
  }
}

/** A composition block or nesting is not supported by a method, a model or the composition rules. */
export class CompositionError extends AdaptersError {
  override name = 'CompositionError';
}

/** A named adapter, head, fusion or plugin is missing. */
export class NotFoundError extends AdaptersError {
  override name = 'NotFoundError';
}

/** A plugin (method or model package) is required but not registered/installed. */
export class MissingPluginError extends AdaptersError {
  override name = 'MissingPluginError';
}

/** Training produced a non-finite loss or gradient. */
export class NonFiniteError extends AdaptersError {
  override name = 'NonFiniteError';
}

/**
 * A tfjs backend ran out of memory during a step. On `wasm` the heap is 32-bit (at most 4 GiB in
 * all, for every tensor); an out-of-memory abort there also leaves the wasm module unusable, so the
 * process must be restarted ({@link BackendOutOfMemoryError.backendUsable} is then `false`).
 */
export class BackendOutOfMemoryError extends AdaptersError {
  override name = 'BackendOutOfMemoryError';
  constructor(
    message: string,
    /** The active tfjs backend (`wasm`, `webgpu`, …). */
    readonly backend: string,
    /** Bytes held by tfjs tensors when the error was caught (`tf.memory().numBytes`). */
    readonly bytesInUse: number,
    /** Whether the backend can still be used in this process. */
    readonly backendUsable: boolean,
    /** The backend's own error. */
    override readonly cause: unknown,
  ) {
    super(message);
  }
}
