import type { ModelDefinition } from '@adapters/core';
import type { HeadType } from './head-config';

const ENCODER_HEADS: readonly HeadType[] = [
  'classification',
  'multilabel_classification',
  'tagging',
  'multiple_choice',
  'question_answering',
  'masked_lm',
  'causal_lm',
];
const DECODER_HEADS: readonly HeadType[] = ['classification', 'multilabel_classification', 'tagging', 'question_answering', 'causal_lm'];

/** Python `head_types` of each `<Model>AdapterModel` (dependency parsing is not implemented). */
const HEAD_TYPES_BY_MODEL: Readonly<Record<string, readonly HeadType[]>> = {
  bert: ENCODER_HEADS,
  roberta: ENCODER_HEADS,
  'xlm-roberta': ENCODER_HEADS,
  xmod: ENCODER_HEADS,
  electra: ENCODER_HEADS,
  distilbert: ENCODER_HEADS,
  albert: ['classification', 'multilabel_classification', 'tagging', 'multiple_choice', 'question_answering', 'masked_lm'],
  deberta: ['classification', 'multilabel_classification', 'tagging', 'question_answering', 'multiple_choice', 'masked_lm'],
  'deberta-v2': ['classification', 'multilabel_classification', 'tagging', 'question_answering', 'multiple_choice', 'masked_lm'],
  'bert-generation': ['masked_lm', 'causal_lm'],
  gpt2: DECODER_HEADS,
  gptj: DECODER_HEADS,
  llama: DECODER_HEADS,
  mistral: DECODER_HEADS,
  vit: ['image_classification'],
  beit: ['image_classification'],
};

/** Python class-name prefixes (`<Prefix>AdapterModel`). */
const CLASS_PREFIX: Readonly<Record<string, string>> = {
  bert: 'Bert',
  roberta: 'Roberta',
  'xlm-roberta': 'XLMRoberta',
  xmod: 'Xmod',
  electra: 'Electra',
  distilbert: 'DistilBert',
  albert: 'Albert',
  deberta: 'Deberta',
  'deberta-v2': 'DebertaV2',
  'bert-generation': 'BertGeneration',
  gpt2: 'GPT2',
  gptj: 'GPTJ',
  llama: 'Llama',
  mistral: 'Mistral',
  vit: 'ViT',
  beit: 'Beit',
  t5: 'T5',
  bart: 'Bart',
};

/** The head types Python's AdapterModel class for `modelType` supports (all implemented ones when unknown). */
export function headTypesFor(modelType: string): readonly HeadType[] {
  return HEAD_TYPES_BY_MODEL[modelType] ?? [...ENCODER_HEADS, 'image_classification'];
}

/** Python's flex-head class name for a model type, e.g. `BertAdapterModel`. */
export function adapterModelClassName(modelType: string): string {
  const prefix =
    CLASS_PREFIX[modelType] ??
    modelType
      .split(/[-_]/)
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('');
  return `${prefix}AdapterModel`;
}

/** Known names of the input word-embedding matrix (`[vocab, hidden]`), which LM heads tie to. */
const EMBEDDING_KEYS = ['embeddings.word_embeddings.weight', 'wte.weight', 'embed_tokens.weight', 'shared.weight'];

/** The base weight key of the input word embeddings, found among the model's weight specs. */
export function inputEmbeddingKey<Cfg>(def: ModelDefinition<Cfg>, config: Cfg): string | null {
  const names = new Set(def.weightSpecs(config).map((s) => s.name));
  for (const k of EMBEDDING_KEYS) if (names.has(k)) return k;
  for (const n of names) if (/(^|\.)word_embeddings\.weight$/.test(n)) return n;
  return null;
}
