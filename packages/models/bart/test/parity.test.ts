import { bottleneck } from '@adapters/bottleneck';
import { lora } from '@adapters/lora';
import { describe, it } from 'vitest';
import { bart } from '../src';
import { checkArchFixture } from './fixtures';

const def = bart as never;

describe('BART / mBART / PLBart match transformers + adapters (architectures/{bart,mbart,plbart}, cpu, ≤ 1e-5)', () => {
  for (const arch of ['bart', 'mbart', 'plbart']) {
    it(`${arch}: base model = expected.safetensors`, async () => {
      console.log(`${arch} base`, await checkArchFixture(def, arch, null));
    });
    it(`${arch}: LoRA (q, v of self- and cross-attention) = expected-lora, keys = saved_keys`, async () => {
      console.log(`${arch} lora`, await checkArchFixture(def, arch, 'lora', [lora]));
    });
    it(`${arch}: seq_bn (output_adapters) = expected-seq_bn, keys = saved_keys`, async () => {
      console.log(`${arch} seq_bn`, await checkArchFixture(def, arch, 'seq_bn', [bottleneck]));
    });
  }
});
