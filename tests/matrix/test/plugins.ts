import { bottleneck } from '@adapters/bottleneck';
import { compacter } from '@adapters/compacter';
import type { AdapterMethod } from '@adapters/core';
import { ia3 } from '@adapters/ia3';
import { invertible } from '@adapters/invertible';
import { dora, lora, vera } from '@adapters/lora';
import { prefixTuning } from '@adapters/prefix-tuning';
import { promptTuning } from '@adapters/prompt-tuning';
import { reft } from '@adapters/reft';

/** Every method plugin under test, passed explicitly to each model (no global registration). */
export const METHODS: readonly AdapterMethod[] = [lora, vera, dora, ia3, bottleneck, compacter, invertible, prefixTuning, promptTuning, reft];
