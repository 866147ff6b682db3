/**
 * A thin layer over `@huggingface/tokenizers` (tokenizers.js): it does the tokenization itself
 * (normalizer, pre-tokenizer, WordPiece/BPE/Unigram model, post-processor templates) and this
 * class adds what it lacks: batching, truncation, padding, pair assembly with `token_type_ids`
 * for every post-processor, and tfjs tensors.
 */
import { AdapterFormatError, AdaptersError, NotFoundError, type Storage, joinPath, utf8 } from '@adapters/core';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { type Tensor2D, tensor2d } from '@tensorflow/tfjs-core';
import { checkTokenizerJson } from './validate-json';
import { type Seq, type TruncationRule, type TruncationStrategy, truncateSequences } from './truncation';

/** Padding: `'longest'` (or `true`) pads to the longest row of the batch, `'max_length'` to `maxLength`. */
export type PaddingStrategy = 'longest' | 'max_length' | boolean;

/** Options of {@link Tokenizer.encode} and {@link Tokenizer.encodeBatch}. */
export interface EncodeOptions {
  /** Add the special tokens of the tokenizer's post-processor (`[CLS] … [SEP]`, `… </s>`). Default `true`. */
  addSpecialTokens?: boolean;
  /**
   * Truncation: `true`/`'longest_first'` removes from the longer sequence one token at a time,
   * `'only_first'` / `'only_second'` from one sequence only. Default `false`. The budget is
   * `maxLength` minus the special tokens the post-processor adds.
   */
  truncation?: TruncationStrategy;
  /**
   * Maximum length, special tokens included, for truncation and for `padding: 'max_length'`.
   * Default: `tokenizer.json`'s `truncation.max_length`, else `model_max_length` of `tokenizer_config.json`.
   */
  maxLength?: number;
  /** Default `false` (no padding). */
  padding?: PaddingStrategy;
  /** Round the padded length up to a multiple of this (e.g. 8). */
  padToMultipleOf?: number;
  /** Where padding goes. Default: `tokenizer.json` `padding.direction`, else `tokenizer_config.json` `padding_side`, else `'right'`. */
  paddingSide?: 'left' | 'right';
  /** Which end truncation removes from. Default: `tokenizer_config.json` `truncation_side`, else `'right'`. */
  truncationSide?: 'left' | 'right';
  /**
   * How `'longest_first'` splits the budget between a pair: `'transformers'` (default; Python
   * `PreTrainedTokenizerBase.truncate_sequences`: one token at a time from the longer sequence,
   * from the second on ties) or `'tokenizers'` (the Rust `tokenizers` library used by "fast"
   * tokenizers; differs only when both sequences exceed half the budget and it is odd).
   */
  truncationRule?: TruncationRule;
}

/** Options of {@link Tokenizer.encodeBatch}. */
export interface BatchEncodeOptions extends EncodeOptions {
  /** Return int32 `tf.Tensor2D`s of shape `[batch, length]` instead of `number[][]`. Default `false`. */
  returnTensors?: boolean;
}

/** One encoded text or pair. */
export interface Encoding {
  input_ids: number[];
  /** 1 for real tokens, 0 for padding. */
  attention_mask: number[];
  /** Segment ids from the post-processor (BERT: 0 for the first sequence, 1 for the second). */
  token_type_ids: number[];
  /** The token strings (padding included). */
  tokens: string[];
}

/** A batch as nested arrays. */
export type BatchEncoding = {
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids: number[][];
};

/**
 * A batch as int32 tensors of shape `[batch, length]`, ready for `model.forward(batch)`. The caller
 * disposes them. (A type alias, so that it is assignable to `Record<string, tf.Tensor>`.)
 */
export type TensorBatchEncoding = {
  input_ids: Tensor2D;
  attention_mask: Tensor2D;
  token_type_ids: Tensor2D;
};

/** One input of a batch: a text or a `[text, textPair]` pair. */
export type TextInput = string | readonly [string, string];

/** Options of {@link Tokenizer.fromJSON}. */
export interface TokenizerLoadOptions {
  /** Contents of `tokenizer_config.json` (pad token, `model_max_length`, sides). */
  config?: Readonly<Record<string, unknown>>;
  /** File name used in error messages. Default `tokenizer.json`. */
  source?: string;
}

/** Post-processor output as returned by tokenizers.js (the `ByteLevel` one returns the pair separately). */
interface PostProcessed {
  tokens: string[];
  tokens_pair?: string[] | null;
  token_type_ids?: number[];
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Text run through a freshly built tokenizer to reject definitions that only fail on use. */
const PROBE_TEXT = 'Hello, world! Café naïve 東京 123';
const COMMON_PAD_TOKENS = ['[PAD]', '<pad>', '<|pad|>', '<|padding|>', '<|finetune_right_pad_id|>'];

/**
 * A `tokenizer.json` tokenizer (WordPiece, BPE, Unigram) with batching, truncation and padding
 * following Hugging Face `transformers` semantics.
 *
 * @example
 * ```ts
 * const tok = await Tokenizer.fromFile('bert-base-uncased/tokenizer.json');
 * const batch = tok.encodeBatch([['a question', 'a context'], 'one text'], { padding: 'longest', truncation: true, maxLength: 128, returnTensors: true });
 * ```
 */
export class Tokenizer {
  /** The wrapped tokenizers.js tokenizer (normalizer, pre-tokenizer, model, post-processor, decoder). */
  readonly inner: HfTokenizer;
  private readonly json: JsonObject;
  private readonly config: JsonObject;
  private readonly source: string;
  private readonly numSpecial: { single: number; pair: number };

  private constructor(json: JsonObject, config: JsonObject, source: string) {
    this.json = json;
    this.config = config;
    this.source = source;
    try {
      this.inner = new HfTokenizer(json, config);
    } catch (e) {
      throw new AdapterFormatError(source, `cannot build the tokenizer: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.numSpecial = {
      single: this.postProcess([], undefined, true).tokens.length,
      pair: this.postProcess([], [], true).tokens.length,
    };
    // A malformed tokenizer.json (wrong types inside the model, templates or normalizers) often
    // builds but fails on first use: probe it now so loading fails with a typed error instead.
    this.assemble(this.encodeSequence(PROBE_TEXT), this.encodeSequence(PROBE_TEXT), true);
  }

  /**
   * Runs a tokenizers.js call; its internal failures (TypeErrors on a malformed definition) become
   * an {@link AdapterFormatError} naming the file.
   */
  private guard<T>(what: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof AdaptersError) throw e;
      throw new AdapterFormatError(this.source, `${what} failed (malformed tokenizer definition?): ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Builds a tokenizer from the contents of a `tokenizer.json` (parsed object or JSON text).
   *
   * @throws `AdapterFormatError` when the JSON is invalid or describes an unsupported tokenizer.
   */
  static fromJSON(tokenizerJson: string | Readonly<Record<string, unknown>>, opts: TokenizerLoadOptions = {}): Tokenizer {
    const source = opts.source ?? 'tokenizer.json';
    let json: unknown = tokenizerJson;
    if (typeof tokenizerJson === 'string') {
      try {
        json = JSON.parse(tokenizerJson) as unknown;
      } catch (e) {
        throw new AdapterFormatError(source, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!isObject(json)) throw new AdapterFormatError(source, 'expected a JSON object');
    if (!isObject(json.model)) throw new AdapterFormatError(source, 'missing "model" object', 'model');
    checkTokenizerJson(json, source);
    const filled: JsonObject = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...json };
    return new Tokenizer(filled, { ...(opts.config ?? {}) }, source);
  }

  /**
   * Reads a tokenizer from disk (Node): a `tokenizer.json` file, or a folder holding one. A
   * `tokenizer_config.json` next to it is read too when present.
   */
  static async fromFile(file: string): Promise<Tokenizer> {
    const fs = await nodeBuiltin<typeof import('node:fs/promises')>('fs/promises');
    const path = await nodeBuiltin<typeof import('node:path')>('path');
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) throw new AdapterFormatError(file, 'no such file or folder');
    const jsonPath = stat.isDirectory() ? path.join(file, 'tokenizer.json') : file;
    const text = await fs.readFile(jsonPath, 'utf8').catch(() => {
      throw new AdapterFormatError(jsonPath, 'cannot read the file');
    });
    const configPath = path.join(path.dirname(jsonPath), 'tokenizer_config.json');
    let config: JsonObject | undefined;
    const configText = await fs.readFile(configPath, 'utf8').catch(() => undefined);
    if (configText !== undefined) {
      try {
        const parsed = JSON.parse(configText) as unknown;
        if (isObject(parsed)) config = parsed;
      } catch (e) {
        throw new AdapterFormatError(configPath, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return Tokenizer.fromJSON(text, { config, source: jsonPath });
  }

  /**
   * Reads a tokenizer through a `Storage` (browser-safe: `FetchStorage`, `BlobStorage`,
   * `OpfsStorage`, `MemoryStorage` or Node's `nodeStorage`): `path` is a `tokenizer.json` file (a path
   * ending in `.json`) or a folder holding one. A `tokenizer_config.json` next to it is read too when
   * present.
   *
   * @example
   * ```ts
   * const tok = await Tokenizer.fromStorage(new FetchStorage('/models'), 'tiny-bert');
   * ```
   */
  static async fromStorage(storage: Storage, path: string): Promise<Tokenizer> {
    const jsonPath = path.endsWith('.json') ? path : joinPath(path, 'tokenizer.json');
    const dir = jsonPath.includes('/') ? jsonPath.slice(0, jsonPath.lastIndexOf('/')) : '';
    let text: string;
    try {
      text = utf8.decode(await storage.readFile(jsonPath));
    } catch (e) {
      if (e instanceof AdaptersError && !(e instanceof NotFoundError)) throw e;
      throw new AdapterFormatError(jsonPath, `cannot read the file (${e instanceof Error ? e.message : String(e)})`);
    }
    const configPath = joinPath(dir, 'tokenizer_config.json');
    let config: JsonObject | undefined;
    if (await storage.exists(configPath)) {
      try {
        const parsed = JSON.parse(utf8.decode(await storage.readFile(configPath))) as unknown;
        if (isObject(parsed)) config = parsed;
      } catch (e) {
        throw new AdapterFormatError(configPath, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return Tokenizer.fromJSON(text, { config, source: jsonPath });
  }

  /** Number of ids (vocabulary plus added tokens). */
  get vocabSize(): number {
    return this.inner.get_vocab(true).size;
  }

  /** Number of special tokens the post-processor adds to one text (`pair: true`: to a pair). */
  numSpecialTokensToAdd(pair = false): number {
    return pair ? this.numSpecial.pair : this.numSpecial.single;
  }

  /**
   * The padding id: `tokenizer.json` `padding.pad_id`, else the id of `tokenizer_config.json`
   * `pad_token`, else of a usual pad token (`[PAD]`, `<pad>`, …); `undefined` when there is none (GPT-2).
   */
  get padTokenId(): number | undefined {
    const padding = this.json.padding;
    if (isObject(padding) && typeof padding.pad_id === 'number') return padding.pad_id;
    const cfgPad = this.config.pad_token;
    const name = typeof cfgPad === 'string' ? cfgPad : isObject(cfgPad) && typeof cfgPad.content === 'string' ? cfgPad.content : undefined;
    if (name !== undefined) {
      const id = this.inner.token_to_id(name);
      if (id !== undefined) return id;
    }
    for (const t of COMMON_PAD_TOKENS) {
      const id = this.inner.token_to_id(t);
      if (id !== undefined) return id;
    }
    return undefined;
  }

  /** Id of a token string, `undefined` if unknown. */
  tokenToId(token: string): number | undefined {
    return this.inner.token_to_id(token);
  }

  /** Token string of an id, `undefined` if out of range. */
  idToToken(id: number): string | undefined {
    return this.inner.id_to_token(id);
  }

  /** Token strings of a text, without special tokens. */
  tokenize(text: string): string[] {
    return this.encodeSequence(text).tokens;
  }

  /** Text of a list of ids (the tokenizer's decoder; `skipSpecialTokens` drops `[CLS]`, `</s>`…). */
  decode(ids: readonly number[], opts: { skipSpecialTokens?: boolean } = {}): string {
    if (ids.length === 0) return '';
    return this.inner.decode([...ids], { skip_special_tokens: opts.skipSpecialTokens ?? false });
  }

  /**
   * Encodes one text or a pair.
   *
   * @example
   * ```ts
   * tok.encode('hello world', 'the cafe'); // BERT: [CLS] hello world [SEP] the cafe [SEP], token_type_ids 0 0 0 0 1 1 1
   * ```
   */
  encode(text: string, pair?: string, opts: EncodeOptions = {}): Encoding {
    const row = this.encodeRow(pair === undefined ? text : [text, pair], opts);
    const [padded] = this.pad([row], opts);
    return padded!;
  }

  /**
   * Encodes a batch of texts and/or `[text, pair]` pairs, with truncation and padding.
   *
   * @throws `AdaptersError` for impossible options (no `maxLength` where one is needed, no pad
   *   token, rows of different lengths with `returnTensors`, a sequence too short to truncate).
   */
  encodeBatch(inputs: readonly TextInput[], opts: BatchEncodeOptions & { returnTensors: true }): TensorBatchEncoding;
  encodeBatch(inputs: readonly TextInput[], opts?: BatchEncodeOptions & { returnTensors?: false }): BatchEncoding;
  encodeBatch(inputs: readonly TextInput[], opts?: BatchEncodeOptions): BatchEncoding | TensorBatchEncoding;
  encodeBatch(inputs: readonly TextInput[], opts: BatchEncodeOptions = {}): BatchEncoding | TensorBatchEncoding {
    const rows = this.pad(
      inputs.map((input) => this.encodeRow(input, opts)),
      opts,
    );
    const out: BatchEncoding = {
      input_ids: rows.map((r) => r.input_ids),
      attention_mask: rows.map((r) => r.attention_mask),
      token_type_ids: rows.map((r) => r.token_type_ids),
    };
    if (!opts.returnTensors) return out;
    const width = rows[0]?.input_ids.length ?? 0;
    if (rows.some((r) => r.input_ids.length !== width)) {
      throw new AdaptersError(`returnTensors needs rows of equal length (got ${rows.map((r) => r.input_ids.length).join(', ')}): pass padding: 'longest' or 'max_length'`);
    }
    const toTensor = (m: number[][]): Tensor2D => tensor2d(Int32Array.from(m.flat()), [m.length, width], 'int32');
    return { input_ids: toTensor(out.input_ids), attention_mask: toTensor(out.attention_mask), token_type_ids: toTensor(out.token_type_ids) };
  }

  // ----------------------------------------------------------------------------------------------

  /** Tokens and ids of one sequence, without special tokens (tokenizers.js does the work). */
  private encodeSequence(text: string): Seq {
    const e = this.guard('encoding', () => this.inner.encode(text, { add_special_tokens: false }));
    return { tokens: e.tokens, ids: e.ids };
  }

  private maxLength(opts: EncodeOptions, needed: string): number {
    if (opts.maxLength !== undefined) {
      if (!Number.isInteger(opts.maxLength) || opts.maxLength < 0) throw new AdaptersError(`maxLength must be a non-negative integer, got ${opts.maxLength}`);
      return opts.maxLength;
    }
    const t = this.json.truncation;
    if (isObject(t) && typeof t.max_length === 'number') return t.max_length;
    const m = this.config.model_max_length;
    if (typeof m === 'number' && m > 0 && m < 1e9) return m;
    throw new AdaptersError(`${needed} needs maxLength (${this.source} sets no truncation.max_length and no model_max_length is known)`);
  }

  private encodeRow(input: TextInput, opts: EncodeOptions): Encoding {
    const add = opts.addSpecialTokens ?? true;
    const isPair = typeof input !== 'string';
    let a = this.encodeSequence(isPair ? input[0] : input);
    let b = isPair ? this.encodeSequence(input[1]) : undefined;
    const strategy = opts.truncation ?? false;
    if (strategy !== false) {
      const maxLength = this.maxLength(opts, 'truncation');
      const special = add ? this.numSpecialTokensToAdd(isPair) : 0;
      [a, b] = truncateSequences(a, b, maxLength - special, {
        strategy,
        rule: opts.truncationRule ?? 'transformers',
        side: opts.truncationSide ?? (this.config.truncation_side === 'left' ? 'left' : 'right'),
      });
    }
    return this.assemble(a, b, add);
  }

  private postProcess(a: string[], b: string[] | undefined, add: boolean): PostProcessed {
    const pp = this.inner.post_processor;
    if (!pp) return { tokens: [...a, ...(b ?? [])], token_type_ids: [...a.map(() => 0), ...(b ?? []).map(() => 1)] };
    const out = this.guard('post-processing', () => pp.post_process(a, b, add) as PostProcessed);
    if (!Array.isArray(out?.tokens)) throw new AdapterFormatError(this.source, 'the post-processor returned no token list', 'post_processor');
    if (out.tokens_pair && out.tokens_pair.length > 0) {
      // ByteLevel post-processor: tokenizers.js hands the pair back unmerged. Merge it as the Rust
      // library's default processing does: first sequence type 0, second type 1.
      return { tokens: [...out.tokens, ...out.tokens_pair], token_type_ids: [...out.tokens.map(() => 0), ...out.tokens_pair.map(() => 1)] };
    }
    if (out.token_type_ids === undefined) {
      const first = b === undefined ? out.tokens.length : Math.max(0, out.tokens.length - b.length);
      return { tokens: out.tokens, token_type_ids: out.tokens.map((_, i) => (i < first ? 0 : 1)) };
    }
    return out;
  }

  /** Applies the post-processor and maps its tokens to ids. */
  private assemble(a: Seq, b: Seq | undefined, add: boolean): Encoding {
    const out = this.postProcess(a.tokens, b?.tokens, add);
    // Sequence tokens keep the ids tokenizers.js gave them (e.g. raw Unigram pieces → <unk>);
    // the post-processor's special tokens are looked up in the vocabulary.
    const known = new Map<string, number>();
    for (const s of b ? [a, b] : [a]) s.tokens.forEach((t, i) => known.set(t, s.ids[i]!));
    const unk = this.inner.model?.unk_token_id;
    const input_ids = out.tokens.map((t) => {
      const id = known.get(t) ?? this.inner.token_to_id(t) ?? unk;
      if (id === undefined) throw new AdapterFormatError(this.source, `post-processor token "${t}" is not in the vocabulary`, 'post_processor');
      return id;
    });
    const token_type_ids = out.token_type_ids ?? input_ids.map(() => 0);
    return { input_ids, attention_mask: input_ids.map(() => 1), token_type_ids, tokens: out.tokens };
  }

  private pad(rows: Encoding[], opts: EncodeOptions): Encoding[] {
    const padding = opts.padding ?? false;
    if (padding === false) return rows;
    let target = padding === 'max_length' ? this.maxLength(opts, "padding: 'max_length'") : Math.max(0, ...rows.map((r) => r.input_ids.length));
    const multiple = opts.padToMultipleOf;
    if (multiple !== undefined) {
      if (!Number.isInteger(multiple) || multiple <= 0) throw new AdaptersError(`padToMultipleOf must be a positive integer, got ${multiple}`);
      target = Math.ceil(target / multiple) * multiple;
    }
    if (rows.every((r) => r.input_ids.length >= target)) return rows;
    const padId = this.padTokenId;
    if (padId === undefined) {
      throw new AdaptersError(`${this.source} has no padding token (no padding.pad_id, pad_token or [PAD]/<pad> token): set one in tokenizer_config.json "pad_token"`);
    }
    const padding_ = this.json.padding;
    const padType = isObject(padding_) && typeof padding_.pad_type_id === 'number' ? padding_.pad_type_id : 0;
    const padToken = this.inner.id_to_token(padId) ?? '';
    const side =
      opts.paddingSide ??
      (isObject(padding_) && padding_.direction === 'Left' ? 'left' : this.config.padding_side === 'left' ? 'left' : 'right');
    return rows.map((r) => {
      const n = target - r.input_ids.length;
      if (n <= 0) return r;
      const fill = <T>(v: T): T[] => new Array<T>(n).fill(v);
      const join = <T>(xs: T[], v: T): T[] => (side === 'left' ? [...fill(v), ...xs] : [...xs, ...fill(v)]);
      return {
        input_ids: join(r.input_ids, padId),
        attention_mask: join(r.attention_mask, 0),
        token_type_ids: join(r.token_type_ids, padType),
        tokens: join(r.tokens, padToken),
      };
    });
  }
}

/**
 * Imports a Node built-in by a computed specifier, so that browser bundlers neither pull it in nor
 * warn about it: only {@link Tokenizer.fromFile} (Node) calls this.
 */
function nodeBuiltin<T>(name: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ `node:${name}`) as Promise<T>;
}
