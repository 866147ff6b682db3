// Writes the three tiny tokenizer.json fixtures under ../fixtures/ (run: node scripts/build-fixtures.mjs).
// Hand-made vocabularies, small enough to derive every expected id by hand (see test/*.test.ts).
import { writeFileSync } from 'node:fs';

const out = new URL('../fixtures/', import.meta.url);
const added = (id, content) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
const write = (name, json) => writeFileSync(new URL(name, out), `${JSON.stringify(json, null, 2)}\n`);

// 1. WordPiece, BERT style (bert-base-uncased layout: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4).
const wordpieceVocab = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', // 0-4
  'the', 'cafe', 'naive', 'hello', 'world', // 5-9
  '##s', 'un', '##aff', '##able', '中', // 10-14
  '文', ',', '!', '.', 'a', // 15-19
  'is', 'good', '##ly', // 20-22
];
write('wordpiece-bert.json', {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t, i) => added(i, t)),
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
      '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
      '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
    },
  },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: {
    type: 'WordPiece',
    unk_token: '[UNK]',
    continuing_subword_prefix: '##',
    max_input_chars_per_word: 100,
    vocab: Object.fromEntries(wordpieceVocab.map((t, i) => [t, i])),
  },
});

// 2. Byte-level BPE, GPT-2 style. Ids 0-255 are GPT-2's byte symbols in GPT-2's order
// (bytes_to_unicode): printable bytes 33-126, 161-172, 174-255 first (ids 0-187, symbol = the byte
// as a Latin-1 character), then the other bytes 0-32, 127-160, 173 (ids 188-255, symbol = U+0100+n).
const bs = [];
for (let b = 33; b <= 126; b++) bs.push(b);
for (let b = 161; b <= 172; b++) bs.push(b);
for (let b = 174; b <= 255; b++) bs.push(b);
const symbols = bs.map((b) => String.fromCharCode(b));
let n = 0;
for (let b = 0; b < 256; b++) {
  if (!bs.includes(b)) {
    bs.push(b);
    symbols.push(String.fromCharCode(256 + n++));
  }
}
const merges = ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'o r', 'Ġw or', 'Ġwor l', 'Ġworl d', 'Ġ t', 'Ġt he'];
const bpeVocab = [...symbols, ...merges.map((m) => m.replace(' ', ''))]; // merged tokens: ids 256-266
write('bpe-gpt2.json', {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [added(bpeVocab.length, '<|endoftext|>')], // id 267
  normalizer: null,
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
  post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
  decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
  model: {
    type: 'BPE',
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: '',
    end_of_word_suffix: '',
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab: Object.fromEntries([...bpeVocab, '<|endoftext|>'].map((t, i) => [t, i])),
    merges,
  },
});

// 3. Unigram + Metaspace, T5 / SentencePiece style (<pad>=0 </s>=1 <unk>=2; scores are log-probs).
const unigramVocab = [
  ['<pad>', 0], ['</s>', 0], ['<unk>', 0], ['▁', -2], ['▁hello', -3], // 0-4
  ['▁world', -3.5], ['▁he', -4], ['llo', -4.5], ['▁wor', -5], ['ld', -5], // 5-9
  ['s', -3], ['▁the', -2.5], ['▁caf', -5], ['é', -6], ['▁na', -5], // 10-14
  ['ï', -6], ['ve', -5], ['▁中', -4], ['文', -4.5], ['▁a', -3], // 15-19
  ['!', -4], [',', -4], // 20-21
];
write('unigram-t5.json', {
  version: '1.0',
  truncation: null,
  padding: { strategy: 'BatchLongest', direction: 'Right', pad_to_multiple_of: null, pad_id: 0, pad_type_id: 0, pad_token: '<pad>' },
  added_tokens: [added(0, '<pad>'), added(1, '</s>'), added(2, '<unk>')],
  normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] },
  pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
    pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
    special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
  },
  decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
  model: { type: 'Unigram', unk_id: 2, vocab: unigramVocab, byte_fallback: false },
});
