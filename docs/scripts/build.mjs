// The docs build (CI: `pnpm --filter @adapters/docs build`, after `pnpm build`):
//   1. generated pages from the built packages (support matrix, model and package pages, config tables,
//      parameter counts) and the benchmark tables,
//   2. the API reference from TSDoc (TypeDoc + typedoc-plugin-markdown → docs/api/),
//   3. vitepress build (fails on dead links itself),
//   4. our link checker over the built HTML (every internal href and #anchor resolves).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const docs = fileURLToPath(new URL('..', import.meta.url));
const steps = [
  ['generate', ['node', 'scripts/support-matrix.mjs']],
  ['benchmarks', ['node', 'scripts/benchmarks.mjs']],
  ['api', ['node', 'scripts/api.mjs']],
  ['vitepress', ['npx', '--no-install', 'vitepress', 'build']],
  ['links', ['node', 'scripts/check-links.mjs', '.vitepress/dist']],
];
const total = Date.now();
for (const [name, [cmd, ...args]] of steps) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: docs, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' } });
  if (r.status !== 0) {
    console.error(`[docs:build] step "${name}" failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  console.log(`[docs:build] ${name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
console.log(`[docs:build] done in ${((Date.now() - total) / 1000).toFixed(1)} s → docs/.vitepress/dist`);
