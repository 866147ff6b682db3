import type { AdapterMethod } from '@adapters/core';
import { bottleneck } from '@adapters/bottleneck';
import { compacter } from '@adapters/compacter';
import { ia3 } from '@adapters/ia3';
import { invertible } from '@adapters/invertible';
import { lora } from '@adapters/lora';
import { reft } from '@adapters/reft';
import { prefixTuning } from '@adapters/prefix-tuning';
import { promptTuning } from '@adapters/prompt-tuning';

/**
 * Every method package under test. Method packages add themselves here (and to package.json) as
 * they land; fixture cases whose configs no listed method accepts are reported as not covered.
 */
export const METHODS: AdapterMethod[] = [lora, ia3, bottleneck, prefixTuning, promptTuning, compacter, invertible, reft];
