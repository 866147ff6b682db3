import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, defaultClientConditions, defineConfig } from 'vite';

/**
 * The embedded default model and dataset live in @adapters/demo (packages/demo/assets). They are
 * served from there by the dev server and copied into dist/ by the build, at
 * `models/tiny-review-bert/*` and `data/reviews/*`.
 */
const demoAssets = path.join(path.dirname(createRequire(import.meta.url).resolve('@adapters/demo/package.json')), 'assets');
const ASSETS: Readonly<Record<string, { dir: string; files: readonly string[] }>> = {
  'models/tiny-review-bert': {
    dir: path.join(demoAssets, 'tiny-review-bert'),
    files: ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt'],
  },
  'data/reviews': { dir: path.join(demoAssets, 'reviews'), files: ['train.jsonl', 'dev.jsonl'] },
};

/** Absolute path of an HTML entry next to this file. */
function page(file: string): string {
  return fileURLToPath(new URL(file, import.meta.url));
}

function assetFiles(): { url: string; file: string }[] {
  return Object.entries(ASSETS).flatMap(([url, { dir, files }]) => files.map((f) => ({ url: `${url}/${f}`, file: path.join(dir, f) })));
}

function embeddedAssets(): Plugin {
  return {
    name: 'adapters-embedded-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = decodeURIComponent((req.url ?? '').split('?')[0]!).replace(/^\//, '');
        const hit = assetFiles().find((a) => a.url === url);
        if (!hit) return next();
        res.setHeader('Content-Type', hit.file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.end(readFileSync(hit.file));
      });
    },
    generateBundle() {
      for (const a of assetFiles()) this.emitFile({ type: 'asset', fileName: a.url, source: readFileSync(a.file) });
    },
  };
}

export default defineConfig({
  // Relative URLs: dist/ works from any path (a static server, GitHub Pages, a sub-folder).
  base: './',
  plugins: [embeddedAssets()],
  resolve: {
    // Workspace packages resolve to their TypeScript sources, as in the tests.
    conditions: ['@adapters/source', ...defaultClientConditions],
    dedupe: ['@tensorflow/tfjs-core'],
  },
  worker: { format: 'es' },
  // Dev server: scan the worker too and pre-bundle every tfjs entry up front, so that the first
  // start needs no second optimizer pass (which reloads the page and restarts the worker).
  optimizeDeps: {
    entries: ['index.html', 'parity.html', 'src/worker.ts'],
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-webgpu',
    ],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    sourcemap: true,
    // Two pages: the demo and the backend-parity page driven by test/parity.test.ts.
    rolldownOptions: { input: { main: page('index.html'), parity: page('parity.html') } },
  },
});
