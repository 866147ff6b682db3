/**
 * Checks of a `tokenizer.json` that the Rust `tokenizers` library makes while deserializing and
 * tokenizers.js does not, where skipping them lets a hostile file blow up tokenization.
 */
import { AdapterFormatError } from '@adapters/core';

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deepest nesting accepted (real files nest fewer than 10 levels; deeper input overflows recursive code). */
const MAX_DEPTH = 64;

/** Rejects JSON nested deeper than {@link MAX_DEPTH} (checked without recursion). */
function checkDepth(json: unknown, source: string): void {
  const stack: [unknown, number, string][] = [[json, 0, '']];
  while (stack.length) {
    const [node, depth, path] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_DEPTH) throw new AdapterFormatError(source, `JSON nested deeper than ${MAX_DEPTH} levels`, path || 'root');
    if (Array.isArray(node)) {
      // Only containers matter; skip long runs of scalars (vocabularies) cheaply.
      for (let i = 0; i < node.length; i++) if (typeof node[i] === 'object' && node[i] !== null) stack.push([node[i], depth + 1, `${path}[${i}]`]);
    } else for (const [k, v] of Object.entries(node)) if (typeof v === 'object' && v !== null) stack.push([v, depth + 1, path ? `${path}.${k}` : k]);
  }
}

/**
 * The vocabulary types the Rust library requires (tokenizers.js would coerce e.g. a string into a
 * vocabulary of its characters): WordPiece/BPE/WordLevel map tokens to non-negative integer ids,
 * Unigram lists `[piece, score]` pairs with `unk_id` inside the list, BPE merges are `"a b"`
 * strings or `[a, b]` pairs.
 */
function checkModel(model: JsonObject, source: string): void {
  const fail = (message: string, where: string): never => {
    throw new AdapterFormatError(source, message, where);
  };
  const { type, vocab } = model;
  if (type !== undefined && type !== 'BPE' && type !== 'WordPiece' && type !== 'WordLevel' && type !== 'Unigram') {
    fail(`unsupported model type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}`, 'model.type');
  }
  if (type === 'Unigram' || (type === undefined && Array.isArray(vocab))) {
    if (!Array.isArray(vocab)) return fail('a Unigram vocabulary must be a list of [piece, score] pairs', 'model.vocab');
    vocab.forEach((e: unknown, i) => {
      if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || typeof e[1] !== 'number') fail('expected a [piece, score] pair', `model.vocab[${i}]`);
    });
    const unk = model.unk_id;
    if (unk !== undefined && unk !== null && !(Number.isInteger(unk) && (unk as number) >= 0 && (unk as number) < vocab.length)) {
      fail(`unk_id must be an index into the ${vocab.length}-piece vocabulary`, 'model.unk_id');
    }
    return;
  }
  if (vocab === undefined) return;
  if (!isObject(vocab)) return fail(`a ${typeof type === 'string' ? type : 'BPE/WordPiece'} vocabulary must be an object of token → id`, 'model.vocab');
  for (const [token, id] of Object.entries(vocab)) {
    if (!Number.isInteger(id) || (id as number) < 0) fail(`token ids must be non-negative integers`, `model.vocab[${JSON.stringify(token.slice(0, 40))}]`);
  }
  const merges = model.merges;
  if (type === 'BPE' && merges !== undefined) {
    if (!Array.isArray(merges)) return fail('BPE merges must be a list', 'model.merges');
    merges.forEach((m: unknown, i) => {
      const ok = typeof m === 'string' ? m.split(' ').length === 2 : Array.isArray(m) && m.length === 2 && m.every((x) => typeof x === 'string');
      if (!ok) fail('expected a merge "a b" or ["a", "b"]', `model.merges[${i}]`);
    });
  }
}

/**
 * Walks the normalizer / pre-tokenizer / decoder trees (including `Sequence`s) and throws an
 * {@link AdapterFormatError} naming the JSON path when a `Metaspace` component's `replacement` is
 * not exactly one character (a Rust `char`; a long string would be inserted for every space).
 */
export function checkTokenizerJson(json: JsonObject, source: string): void {
  checkDepth(json, source);
  if (isObject(json.model)) checkModel(json.model, source);
  const visit = (node: unknown, path: string, depth: number): void => {
    if (Array.isArray(node)) {
      node.forEach((x, i) => visit(x, `${path}[${i}]`, depth + 1));
      return;
    }
    if (!isObject(node)) return;
    if (node.type === 'Metaspace' && 'replacement' in node) {
      const r = node.replacement;
      if (typeof r !== 'string' || [...r].length !== 1) {
        const got = typeof r === 'string' ? `a string of ${[...r].length} characters` : typeof r;
        throw new AdapterFormatError(source, `Metaspace "replacement" must be a single character, got ${got}`, `${path}.replacement`);
      }
    }
    for (const key of ['normalizers', 'pretokenizers', 'decoders']) if (key in node) visit(node[key], `${path}.${key}`, depth + 1);
  };
  for (const key of ['normalizer', 'pre_tokenizer', 'decoder']) visit(json[key], key, 0);
}
