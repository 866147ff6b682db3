import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, isBuilt, owningPackage, repoRoot } from './bundle';

/** Public method packages: directory → package name and its @adapters dependencies. */
const METHOD_DIRS = readdirSync(join(repoRoot, 'packages/methods')).filter((d) => {
  try {
    readFileSync(join(repoRoot, 'packages/methods', d, 'package.json'));
    return true;
  } catch {
    return false;
  }
});
const manifest = (dir: string): { name: string; deps: string[] } => {
  const p = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  return { name: p.name, deps: Object.keys({ ...p.dependencies, ...p.peerDependencies }).filter((d) => d.startsWith('@adapters/')) };
};
const METHOD_PACKAGES = METHOD_DIRS.map((d) => manifest(`packages/methods/${d}`).name);

/** Workspace packages (`@adapters/*`) the inputs come from; third-party dependencies (fflate) are not counted. */
const packagesOf = (inputs: readonly string[]): Set<string> =>
  new Set(inputs.map(owningPackage).filter((n): n is string => n !== null && n.startsWith('@adapters/')));

describe('tree shaking (esbuild, minified, from dist/)', () => {
  it.runIf(isBuilt('packages/methods/lora'))("import { lora } from '@adapters/lora' contains no code of other method packages", async () => {
    const { code, inputs } = await bundle("import { lora } from '@adapters/lora';\nconsole.log(lora.name);\n");
    const pkgs = packagesOf(inputs);
    expect(pkgs.has('@adapters/lora')).toBe(true);
    expect([...pkgs].filter((p) => p !== '@adapters/lora' && p !== '@adapters/core')).toEqual([]);
    // Parameter names that only the other method packages' code uses (core holds every config class as data,
    // so config-class names and container names are no markers): bottleneck, prefix tuning, prompt tuning, ReFT.
    for (const marker of ['adapter_down', 'control_trans', 'prompt_embedding', 'learned_source']) {
      expect(code.includes(marker), marker).toBe(false);
    }
    expect(code.includes('loras')).toBe(true);
  });

  it.runIf(isBuilt('packages/methods/bottleneck'))('the markers are real: a bottleneck bundle contains adapter_down', async () => {
    const { code } = await bundle("import { bottleneck } from '@adapters/bottleneck';\nconsole.log(bottleneck);\n");
    expect(code.includes('adapter_down')).toBe(true);
  });

  it.runIf(isBuilt('packages/models/bert'))("import { bert } from '@adapters/bert' contains no method package", async () => {
    const { inputs } = await bundle("import { bert } from '@adapters/bert';\nconsole.log(bert.name);\n");
    expect([...packagesOf(inputs)].sort()).toEqual(['@adapters/bert', '@adapters/core']);
  });

  for (const dir of METHOD_DIRS) {
    const { name, deps } = manifest(`packages/methods/${dir}`);
    it.runIf(isBuilt(`packages/methods/${dir}`))(`${name} pulls in only its declared @adapters dependencies`, async () => {
      const { inputs } = await bundle(`export * from '${name}';\n`);
      const others = [...packagesOf(inputs)].filter((p) => p !== name && !deps.includes(p));
      expect(others).toEqual([]);
      for (const p of packagesOf(inputs)) if (p !== name && METHOD_PACKAGES.includes(p)) expect(deps, `${name} → ${p}`).toContain(p);
    });
  }
});
