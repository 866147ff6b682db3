// Loads whichever method packages are built, and the benchmark cases for them.
const CANDIDATES = [
  { pkg: '@adapters/lora', exports: ['lora'], cases: [{ id: 'lora', config: 'lora[r=8,alpha=8]', mergeable: true }] },
  { pkg: '@adapters/ia3', exports: ['ia3'], cases: [{ id: 'ia3', config: 'ia3', mergeable: true }] },
  { pkg: '@adapters/bottleneck', exports: ['bottleneck'], cases: [{ id: 'seq_bn', config: 'seq_bn' }, { id: 'par_bn', config: 'par_bn' }, { id: 'double_seq_bn', config: 'double_seq_bn' }] },
  { pkg: '@adapters/compacter', exports: ['compacter'], cases: [{ id: 'compacter', config: 'compacter' }] },
  { pkg: '@adapters/prefix-tuning', exports: ['prefixTuning'], cases: [{ id: 'prefix_tuning', config: 'prefix_tuning' }] },
  { pkg: '@adapters/prompt-tuning', exports: ['promptTuning'], cases: [{ id: 'prompt_tuning', config: 'prompt_tuning' }] },
  { pkg: '@adapters/reft', exports: ['reft'], cases: [{ id: 'loreft', config: 'loreft' }] },
];

/** Imports every available method package; returns the method objects and the benchmark cases. */
export async function loadMethods() {
  const methods = [];
  const cases = [];
  for (const c of CANDIDATES) {
    let mod;
    try {
      mod = await import(c.pkg);
    } catch {
      continue;
    }
    for (const e of c.exports) if (mod[e]) methods.push(mod[e]);
    if (c.exports.every((e) => mod[e])) cases.push(...c.cases);
  }
  return { methods, cases };
}
