/**
 * `pnpm demo [--quick] [--backend wasm|cpu] [--threads N] [--json FILE] [--out DIR]`: trains a LoRA
 * and a bottleneck adapter on the embedded tiny BERT + review-sentiment set and prints the dev
 * accuracy before and after. `ADAPTERS_DEMO_QUICK=1` is the same as `--quick`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BackendName } from '@adapters/core';
import { runDemo } from './demo';

const BACKENDS = ['wasm', 'cpu', 'webgpu', 'tensorflow'];
let values;
try {
  ({ values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      json: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (e) {
  process.stderr.write(`demo: ${(e as Error).message}. Accepted options: --quick, --backend, --threads, --json, --out\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write('Usage: pnpm demo [--quick] [--backend wasm|cpu|webgpu|tensorflow] [--threads N] [--json FILE] [--out DIR]\n');
  process.exit(0);
}
if (values.backend !== undefined && !BACKENDS.includes(values.backend)) {
  process.stderr.write(`demo: --backend must be one of ${BACKENDS.join(', ')} (got "${values.backend}")\n`);
  process.exit(2);
}
const threads = values.threads === undefined ? undefined : Number(values.threads);
if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
  process.stderr.write(`demo: --threads must be a positive integer (got "${values.threads}")\n`);
  process.exit(2);
}
const quick = values.quick === true || ['1', 'true'].includes(process.env.ADAPTERS_DEMO_QUICK ?? '');
const result = await runDemo({
  quick,
  ...(values.backend ? { backend: values.backend as BackendName } : {}),
  ...(threads ? { threads } : {}),
  ...(values.out ? { outputDir: values.out } : {}),
});
if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
