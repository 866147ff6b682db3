export { promptTuning, createPromptTuning, promptKey, isPromptTuningConfig, type PromptTuningMethodOptions, type PromptShared } from './prompt-tuning';
export { createPromptModule } from './prompt-module';
export { promptTuningOptions, type PromptTuningOptions, type PromptInit, type PromptCombine } from './options';
export { promptTokenIds, findWordEmbeddings, embeddingRows, WORD_EMBEDDING_KEYS, type PromptTokenizer } from './init';
