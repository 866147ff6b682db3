#!/usr/bin/env node
// `pnpm demo` launcher: builds the demo and the packages it uses when their dist/ is missing, then runs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const needed = ['core', 'models/bert', 'methods/lora', 'methods/bottleneck', 'heads', 'tokenizers', 'train', 'demo'];
const missing = needed.filter((p) => !existsSync(new URL(`../../${p}/dist/index.js`, import.meta.url)));
if (missing.length > 0) {
  process.stderr.write(`demo: building ${missing.join(', ')} (dist/ missing)…\n`);
  const r = spawnSync('pnpm', ['--filter', '@adapters/demo...', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.stderr.write('demo: build failed; run `pnpm build` and try again.\n');
    process.exit(1);
  }
}
await import('../dist/bin.js');
