import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, it } from 'vitest';
import { t5 } from '../src';
import { checkArchFixture } from './fixtures';

const def = t5 as never;

describe('T5 / mT5 match transformers + adapters (architectures/{t5,mt5}, cpu, ≤ 1e-5)', () => {
  for (const arch of ['t5', 'mt5']) {
    it(`${arch}: base model = expected.safetensors`, async () => {
      console.log(`${arch} base`, await checkArchFixture(def, arch, null));
    });
    it(`${arch}: LoRA (q, v of self- and cross-attention) = expected-lora, keys = saved_keys`, async () => {
      console.log(`${arch} lora`, await checkArchFixture(def, arch, 'lora', [lora]));
    });
    it(`${arch}: seq_bn (FF sub-layers) = expected-seq_bn, keys = saved_keys`, async () => {
      console.log(`${arch} seq_bn`, await checkArchFixture(def, arch, 'seq_bn', [bottleneck]));
    });
  }
});
