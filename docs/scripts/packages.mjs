// Workspace package discovery shared by the docs generators.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (absolute, trailing slash). */
export const root = fileURLToPath(new URL('../../', import.meta.url));
/** The docs folder (absolute, trailing slash). */
export const docsDir = fileURLToPath(new URL('../', import.meta.url));

/**
 * Public packages: `{ name, dir (relative), group ('core' | 'methods' | 'models' | 'tools'), manifest, built, readme }`.
 */
export function publicPackages() {
  const out = [];
  for (const [base, group] of [
    ['packages', 'tools'],
    ['packages/methods', 'methods'],
    ['packages/models', 'models'],
  ]) {
    for (const d of readdirSync(join(root, base)).sort()) {
      const pj = join(root, base, d, 'package.json');
      if (!existsSync(pj)) continue;
      const manifest = JSON.parse(readFileSync(pj, 'utf8'));
      if (manifest.private) continue;
      const dir = `${base}/${d}`;
      out.push({
        name: manifest.name,
        slug: d,
        dir,
        group: manifest.name === '@adapters/core' ? 'core' : group,
        manifest,
        built: existsSync(join(root, dir, 'dist', 'index.js')),
        readme: existsSync(join(root, dir, 'README.md')) ? readFileSync(join(root, dir, 'README.md'), 'utf8') : null,
      });
    }
  }
  return out;
}

/** Source entry points of a package (from its exports map's `@adapters/source` conditions). */
export function sourceEntries(pkg) {
  const entries = [];
  for (const [subpath, target] of Object.entries(pkg.manifest.exports ?? {})) {
    const source = target && typeof target === 'object' ? target['@adapters/source'] : undefined;
    // `{ browser, default }` under the source condition (@adapters/hub): document the default (Node) entry.
    const src = source && typeof source === 'object' ? source.default : source;
    if (typeof src === 'string') {
      const file = join(root, pkg.dir, src);
      if (existsSync(file) && !subpath.endsWith('/register')) entries.push({ subpath, file });
    }
  }
  return entries;
}
