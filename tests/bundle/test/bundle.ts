import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Metafile, build } from 'esbuild';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** This workspace (bundles resolve packages from here). */
const here = fileURLToPath(new URL('..', import.meta.url));

/** Result of bundling one entry: the code and the input files it came from (absolute paths). */
export interface BundleResult {
  readonly code: string;
  readonly inputs: readonly string[];
}

/**
 * Bundles `source` (an ES module text) for the browser with esbuild, minified and tree-shaken as an app
 * bundler would, with tfjs external. Fails when a workspace package has no dist/ (run `pnpm build`).
 */
export async function bundle(source: string): Promise<BundleResult> {
  const result = await build({
    stdin: { contents: source, resolveDir: here, sourcefile: 'entry.mjs', loader: 'js' },
    absWorkingDir: here,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    minify: true,
    treeShaking: true,
    metafile: true,
    logLevel: 'silent',
    external: ['@tensorflow/*', 'node:*'],
  });
  const meta: Metafile = result.metafile;
  return {
    code: result.outputFiles[0]!.text,
    inputs: Object.keys(meta.inputs)
      .filter((p) => p !== 'entry.mjs')
      .map((p) => join(here, p)),
  };
}

/** Workspace package that owns a file (nearest package.json name), or null outside the workspace. */
export function owningPackage(file: string): string | null {
  let dir = dirname(file);
  while (dir.startsWith(repoRoot) && dir.length >= repoRoot.length - 1) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) return (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name ?? null;
    dir = dirname(dir);
  }
  return null;
}

/** Whether `pkg` has a built dist/ (bundles use the published entry points). */
export function isBuilt(pkgDir: string): boolean {
  return existsSync(join(repoRoot, pkgDir, 'dist', 'index.js'));
}
