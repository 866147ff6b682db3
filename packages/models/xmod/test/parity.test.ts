import { bottleneck } from '@adapters/bottleneck';
import { describe, it } from 'vitest';
import { xmod, xmodWithLanguageAdapters } from '../src';
import { checkArchFixture } from './fixtures';

const report = (what: string, d: Record<string, number>): void => {
  console.log(`xmod ${what}: ${JSON.stringify(d)}`);
};
const noLang = { dropInputs: ['lang_ids'] };

describe('X-MOD, Python adapters behaviour (default): matches architectures/xmod (cpu, ≤ 1e-5)', () => {
  it('no adapter: expected-adapters-init (language adapters removed, every row post-norm like BERT, plus the layer LayerNorm)', async () => {
    report('adapters-init', await checkArchFixture(xmod as never, 'xmod', null, [], { ...noLang, expectedFile: 'expected-adapters-init.safetensors' }));
  });
  it('LoRA (query, value) loaded from the Python adapter', async () => {
    const { lora } = await import('@adapters/lora');
    report('lora', await checkArchFixture(xmod as never, 'xmod', 'lora', [lora], noLang));
  });
  it('seq_bn (output) loaded from the Python adapter', async () => {
    report('seq_bn', await checkArchFixture(xmod as never, 'xmod', 'seq_bn', [bottleneck], noLang));
  });
});

describe('X-MOD, transformers behaviour (xmodWithLanguageAdapters)', () => {
  it('with lang_ids [en_XX, de_DE]: expected.safetensors (last_hidden_state, pooler_output)', async () => {
    report('transformers', await checkArchFixture(xmodWithLanguageAdapters as never, 'xmod', null));
  });
});
