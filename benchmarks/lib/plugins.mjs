// The method packages benchmarked, imported statically so that a bundle (benchmarks/device) carries
// them and every package shares one @adapters/core. Add new method packages here.
import { bottleneck } from '@adapters/bottleneck';
import { compacter } from '@adapters/compacter';
import { invertible } from '@adapters/invertible';
import { reft } from '@adapters/reft';
import { ia3 } from '@adapters/ia3';
import { dora, lora, vera } from '@adapters/lora';
import { prefixTuning } from '@adapters/prefix-tuning';
import { promptTuning } from '@adapters/prompt-tuning';

const CASES = [
  { id: 'lora', config: 'lora[r=8,alpha=8]', mergeable: true },
  { id: 'ia3', config: 'ia3', mergeable: true },
  { id: 'seq_bn', config: 'seq_bn' },
  { id: 'par_bn', config: 'par_bn' },
  { id: 'double_seq_bn', config: 'double_seq_bn' },
  { id: 'prefix_tuning', config: 'prefix_tuning' },
  { id: 'prompt_tuning', config: 'prompt_tuning' },
  { id: 'compacter', config: 'compacter' },
  { id: 'seq_bn_inv', config: 'seq_bn_inv' },
  { id: 'loreft', config: 'loreft' },
  { id: 'vera', config: 'vera' },
  { id: 'dora', config: 'dora' },
];

/** The method objects and the benchmark cases. */
export async function loadMethods() {
  return { methods: [lora, ia3, vera, dora, bottleneck, compacter, invertible, prefixTuning, promptTuning, reft], cases: CASES };
}
