// Builds benchmarks/device/out/: one ESM bundle (methods benchmark + every package + tfjs) and the
// `webgpu` package (Dawn's dawn.node for linux-x64) beside it. Run: node benchmarks/device/build.mjs
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(here, 'entry.mjs')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: path.join(out, 'bench.mjs'),
  external: ['webgpu', '@tensorflow/tfjs-node'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
const req = createRequire(path.join(here, '../../packages/core/package.json'));
const webgpuDir = path.dirname(req.resolve('webgpu/package.json'));
const dest = path.join(out, 'node_modules', 'webgpu');
mkdirSync(path.join(dest, 'dist'), { recursive: true });
for (const f of ['package.json', 'index.js']) cpSync(path.join(webgpuDir, f), path.join(dest, f));
cpSync(path.join(webgpuDir, 'dist', 'linux-x64'), path.join(dest, 'dist', 'linux-x64'), { recursive: true });
console.log(`built ${out}`);
