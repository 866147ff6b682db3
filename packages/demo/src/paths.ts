import { fileURLToPath } from 'node:url';

/** `packages/demo/assets/` (the same from `src/` and `dist/`). */
export const ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

/** The pretrained tiny BERT folder (config, weights, tokenizer). */
export const MODEL_DIR = `${ASSETS_DIR}tiny-review-bert`;

/** The review-sentiment dataset folder (`train.jsonl`, `dev.jsonl`). */
export const DATA_DIR = `${ASSETS_DIR}reviews`;
