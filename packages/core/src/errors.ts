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
