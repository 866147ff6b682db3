// Writes tests/matrix/matrix.json from test/table.ts (the same table the matrix test runs), for the
// docs to render. Usage: `pnpm --filter @adapters/tests-matrix export` (or `node scripts/export-matrix.mjs`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const { outputFiles } = await build({
  entryPoints: [fileURLToPath(new URL('test/table.ts', root))],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
});
const code = outputFiles[0].text;
const table = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
const out = fileURLToPath(new URL('matrix.json', root));
writeFileSync(out, `${JSON.stringify(table.matrixJson(), null, 2)}\n`);
console.log(`wrote ${out}`);
