// "Every package works in browsers": the main entry of every workspace package bundles for the
// browser platform without Node built-ins (esbuild, sources via the @adapters/source condition).
// Node-only entry points live in `/node` subpaths (`@adapters/core/node`, `@adapters/train/node`, …);
// a package whose main entry differs in browsers (`@adapters/hub`) names it with the `browser`
// condition, which is the entry bundled here.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Packages that are Node programs or Node services by design, with the reason. */
const NODE_ONLY: Readonly<Record<string, string>> = {
  '@adapters/cli': 'the command-line tool',
  '@adapters/demo': 'builds and runs the embedded demo from files on disk',
};

interface Entry {
  name: string;
  file: string;
}

function mainEntries(): Entry[] {
  const out: Entry[] = [];
  for (const base of ['packages', 'packages/methods', 'packages/models']) {
    for (const d of readdirSync(path.join(ROOT, base))) {
      const pkgFile = path.join(ROOT, base, d, 'package.json');
      if (!existsSync(pkgFile)) continue;
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name: string; exports?: Record<string, unknown> };
      const main = pkg.exports?.['.'] as Record<string, string | Record<string, string>> | undefined;
      const source = main?.['@adapters/source'];
      // `{ browser, default }` under the source condition: the browser one, as bundlers pick it.
      const src = typeof source === 'object' ? (source.browser ?? source.default) : source;
      if (src) out.push({ name: pkg.name, file: path.join(ROOT, base, d, src) });
    }
  }
  return out;
}

/** The Node built-ins a browser bundle of `file` would need (empty when it bundles). */
async function nodeImports(file: string): Promise<string[]> {
  try {
    await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      conditions: ['@adapters/source'],
      logLevel: 'silent',
      // Third-party packages are the application's bundler's business (tfjs ships browser builds).
      external: ['@tensorflow/*', '@huggingface/*', 'fflate'],
    });
    return [];
  } catch (e) {
    const errors = (e as { errors?: { text: string }[] }).errors ?? [{ text: String(e) }];
    return [...new Set(errors.map((x) => x.text))];
  }
}

describe('browser-safe main entries', () => {
  const entries = mainEntries();

  it('finds the workspace packages', () => {
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(['@adapters/core', '@adapters/heads', '@adapters/hub', '@adapters/train', '@adapters/tokenizers', '@adapters/bert', '@adapters/lora']));
  });

  it('every package except the Node programs bundles for the browser', async () => {
    const failures: string[] = [];
    for (const e of entries) {
      if (e.name in NODE_ONLY) continue;
      const missing = await nodeImports(e.file);
      if (missing.length > 0) failures.push(`${e.name}: ${missing.slice(0, 3).join('; ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('the Node-only list is accurate (each listed package really needs Node)', async () => {
    for (const name of Object.keys(NODE_ONLY)) {
      const e = entries.find((x) => x.name === name);
      if (!e) continue;
      expect((await nodeImports(e.file)).join(' '), name).toMatch(/node:/);
    }
  });
});
