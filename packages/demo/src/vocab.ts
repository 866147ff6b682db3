/** Special tokens, at the ids the fixtures' BERT tokenizers use. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Lower-cases, strips accents and splits into words and single punctuation marks, as BERT's normalizer + pre-tokenizer. */
export function bertWords(text: string): string[] {
  const t = text.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
  return t.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
}

/**
 * A WordPiece vocabulary for a corpus: the special tokens, every character seen (alone and as a
 * `##` continuation, so any word of these characters can be spelled), then every word occurring at
 * least `minCount` times, most frequent first (ties alphabetical).
 */
export function buildWordPieceVocab(texts: Iterable<string>, minCount = 1): string[] {
  const counts = new Map<string, number>();
  const chars = new Set<string>();
  for (const text of texts) {
    for (const w of bertWords(text)) {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const c of w) chars.add(c);
    }
  }
  const charList = [...chars].sort();
  const vocab: string[] = [...SPECIAL_TOKENS, ...charList, ...charList.map((c) => `##${c}`)];
  const seen = new Set(vocab);
  const words = [...counts].filter(([w, c]) => c >= minCount && !seen.has(w)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [w] of words) vocab.push(w);
  return vocab;
}

const added = (id: number, content: string): Record<string, unknown> => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** A `tokenizer.json` (Hugging Face `tokenizers` format) for a BERT-style uncased WordPiece vocabulary. */
export function wordPieceTokenizerJson(vocab: readonly string[]): Record<string, unknown> {
  const id = (t: string): number => vocab.indexOf(t);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((t) => added(id(t), t)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

/** `tokenizer_config.json` of that tokenizer. */
export function tokenizerConfigJson(modelMaxLength: number): Record<string, unknown> {
  return {
    do_lower_case: true,
    model_max_length: modelMaxLength,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
    padding_side: 'right',
    tokenizer_class: 'BertTokenizer',
  };
}
