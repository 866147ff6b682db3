// Generates the API reference (docs/api/, not committed) from the TSDoc of every public package's
// source entry points, with TypeDoc + typedoc-plugin-markdown: one page per entry point.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Application } from 'typedoc';
import { docsDir, publicPackages, root, sourceEntries } from './packages.mjs';

const started = Date.now();
const out = join(docsDir, 'api');
rmSync(out, { recursive: true, force: true });
const entries = publicPackages().flatMap((pkg) => sourceEntries(pkg).map((e) => ({ ...e, pkg })));
const app = await Application.bootstrapWithPlugins({
  entryPoints: entries.map((e) => e.file),
  entryPointStrategy: 'resolve',
  tsconfig: join(root, 'tsconfig.json'),
  plugin: ['typedoc-plugin-markdown'],
  out,
  readme: 'none',
  name: 'API reference',
  outputFileStrategy: 'modules',
  entryFileName: 'index',
  hidePageHeader: true,
  hideBreadcrumbs: true,
  useCodeBlocks: true,
  // Explicit anchors: VitePress slugifies headings differently from the plugin's link targets.
  useHTMLAnchors: true,
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  disableSources: true,
  skipErrorChecking: true,
  validation: { notExported: false, invalidLink: false, notDocumented: false, unusedMergeModuleWith: false },
  logLevel: 'Error',
});
const project = await app.convert();
if (!project) throw new Error('TypeDoc failed to convert the project');
// Module names: the package name (and export subpath) instead of TypeDoc's path-based names such as
// `methods/lora/src` (the path of the entry relative to the common base `packages/`).
const byPath = new Map(
  entries.map((e) => [
    relative(join(root, 'packages'), e.file).replace(/\/index\.ts$/, '').replace(/\.ts$/, ''),
    e.subpath === '.' ? e.pkg.name : `${e.pkg.name}/${e.subpath.replace(/^\.\//, '')}`,
  ]),
);
for (const mod of project.children ?? []) {
  const name = byPath.get(mod.name);
  if (name) mod.name = name;
}
await app.generateOutputs(project);
mkdirSync(out, { recursive: true });
// URL paths without `@`: api/@adapters/core.md → api/core.md (links between module pages are relative
// within that folder, so only the index needs rewriting).
cpSync(join(out, '@adapters'), out, { recursive: true });
rmSync(join(out, '@adapters'), { recursive: true, force: true });
const indexFile = join(out, 'index.md');
writeFileSync(indexFile, readFileSync(indexFile, 'utf8').replaceAll('](@adapters/', ']('));
const pages = readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith('.md'));
writeFileSync(join(out, '.pages.json'), `${JSON.stringify(pages.map(String).sort())}\n`);
console.log(`[docs:api] ${entries.length} entry points → ${pages.length} pages in ${relative(root, out)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
