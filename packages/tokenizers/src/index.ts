/**
 * `@adapters/tokenizers`: `tokenizer.json` tokenizers (WordPiece, BPE, Unigram) for Adapters for
 * TypeScript — a thin layer over `@huggingface/tokenizers` adding batching, truncation, padding,
 * pair handling with `token_type_ids` and tfjs tensors, with Hugging Face `transformers` semantics.
 *
 * @example
 * ```ts
 * import { Tokenizer } from '@adapters/tokenizers';
 * const tok = await Tokenizer.fromFile('path/to/model'); // reads tokenizer.json (+ tokenizer_config.json)
 * const { input_ids, attention_mask, token_type_ids } = tok.encodeBatch(['a text', ['a question', 'a context']], {
 *   padding: 'longest', truncation: true, maxLength: 128, returnTensors: true,
 * });
 * ```
 *
 * @packageDocumentation
 */
export {
  type BatchEncodeOptions,
  type BatchEncoding,
  type EncodeOptions,
  type Encoding,
  type PaddingStrategy,
  type TensorBatchEncoding,
  type TextInput,
  Tokenizer,
  type TokenizerLoadOptions,
} from './tokenizer';
export { type Seq, type TruncationRule, type TruncationStrategy, truncateSequences } from './truncation';
