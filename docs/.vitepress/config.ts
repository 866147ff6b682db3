import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';

// Pages generated before the build (docs/scripts/support-matrix.mjs, docs/scripts/api.mjs).
type Item = { text: string; link: string };
const generated = (rel: string): string => fileURLToPath(new URL(`../${rel}`, import.meta.url));
const sidebarFile = generated('parts/generated/sidebar.json');
const pagesFile = generated('api/.pages.json');
const gen: { models: Item[]; packages: Item[] } = existsSync(sidebarFile)
  ? JSON.parse(readFileSync(sidebarFile, 'utf8'))
  : { models: [], packages: [] };
const apiPages: string[] = existsSync(pagesFile) ? JSON.parse(readFileSync(pagesFile, 'utf8')) : [];
const api: Item[] = apiPages
  .filter((p) => p !== 'index.md')
  .map((p) => ({ text: `@adapters/${p.replace(/\.md$/, '')}`, link: `/api/${p.replace(/\.md$/, '')}` }));

export default defineConfig({
  title: 'Adapters for TypeScript',
  description: 'Parameter-efficient transfer learning on TensorFlow.js — a port of the Python adapters library.',
  lang: 'en-US',
  // Partials (included into pages) and the data files are not pages.
  srcExclude: ['parts/**', 'README.md', 'benchmarks/**'],
  cleanUrls: false,
  lastUpdated: false,
  markdown: { math: false },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started-node' },
      { text: 'Methods', link: '/methods/' },
      { text: 'Models', link: '/models/bert' },
      { text: 'Support matrix', link: '/reference/support-matrix' },
      { text: 'API', link: '/api/' },
    ],
    search: {
      provider: 'local',
      options: {
        // The generated API reference is large; keep it out of the search index.
        _render(src: string, env: { relativePath: string }, md: { render: (s: string, e: unknown) => string }) {
          return env.relativePath.startsWith('api/') ? '' : md.render(src, env);
        },
      },
    } as never,
    outline: [2, 3],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started (Node)', link: '/guide/getting-started-node' },
          { text: 'Getting started (browser)', link: '/guide/getting-started-browser' },
          { text: 'Browser demo and storages', link: '/guide/browser' },
          { text: 'Training', link: '/guide/training' },
          { text: 'Saving, loading and the Hub', link: '/guide/saving-loading' },
          { text: 'PEFT interop', link: '/guide/peft' },
          { text: 'Backends and performance', link: '/performance' },
          { text: 'Migrating from Python adapters', link: '/guide/migrating-from-python' },
          { text: 'Security', link: '/security' },
        ],
      },
      {
        text: 'Concepts',
        items: [
          { text: 'Hook points and sites', link: '/concepts/hook-points' },
          { text: 'Composition', link: '/concepts/composition' },
          { text: 'Configs', link: '/concepts/configs' },
        ],
      },
      {
        text: 'Methods',
        collapsed: false,
        items: [
          { text: 'Overview', link: '/methods/' },
          { text: 'LoRA', link: '/methods/lora' },
          { text: 'VeRA, DoRA, DvoRA', link: '/methods/vera-dora' },
          { text: '(IA)³', link: '/methods/ia3' },
          { text: 'Bottleneck adapters and AdapterFusion', link: '/methods/bottleneck' },
          { text: 'Compacter', link: '/methods/compacter' },
          { text: 'Invertible adapters', link: '/methods/invertible' },
          { text: 'Prefix tuning', link: '/methods/prefix-tuning' },
          { text: 'Prompt tuning', link: '/methods/prompt-tuning' },
          { text: 'ReFT', link: '/methods/reft' },
          { text: 'LoHa (example plugin)', link: '/methods/loha' },
        ],
      },
      { text: 'Models', collapsed: true, items: gen.models },
      { text: 'Packages', collapsed: true, items: gen.packages },
      {
        text: 'Reference',
        items: [
          { text: 'Support matrix', link: '/reference/support-matrix' },
          { text: 'API reference', link: '/api/', collapsed: true, items: api } as never,
        ],
      },
      {
        text: 'Contributing',
        items: [
          { text: 'Adding a method', link: '/contributing/adding-a-method' },
          { text: 'Adding a model', link: '/contributing/adding-a-model' },
          { text: 'Releasing', link: '/contributing/releasing' },
        ],
      },
    ],
  },
});
