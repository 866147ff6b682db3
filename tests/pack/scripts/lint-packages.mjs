// Packaging lint for every public workspace package (packages/*, packages/methods/*, packages/models/*):
//
//  - README.md present (reported; not failing),
//  - package.json: `exports` map with `types` before every runtime condition, `sideEffects` declared,
//    `files` declared, `type: module`,
//  - publint on the `pnpm pack` file list (strict: warnings fail),
//  - are-the-types-wrong on the tarball (`--profile esm-only`: the packages are ESM only).
//
// Usage (after `pnpm build`): node tests/pack/scripts/lint-packages.mjs [--json out.json] [name-filter]
// Exit code 1 when any package fails a check. Packages without dist/ fail (build first).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const filter = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--json');

/** Public package directories, relative to the root. */
export function publicPackageDirs() {
  const dirs = [];
  for (const base of ['packages', 'packages/methods', 'packages/models']) {
    for (const d of readdirSync(join(root, base))) {
      const pj = join(root, base, d, 'package.json');
      if (!existsSync(pj)) continue;
      const p = JSON.parse(readFileSync(pj, 'utf8'));
      if (!p.private) dirs.push(`${base}/${d}`);
    }
  }
  return dirs.sort();
}

const RUNTIME_CONDITIONS = new Set(['import', 'require', 'default', 'node', 'browser', 'module']);

/** Structural package.json checks: returns error strings. */
function manifestProblems(p) {
  const problems = [];
  if (p.type !== 'module') problems.push('type is not "module"');
  if (p.sideEffects === undefined) problems.push('sideEffects not declared');
  if (!Array.isArray(p.files)) problems.push('files not declared');
  if (!p.exports || typeof p.exports !== 'object') problems.push('no exports map');
  else {
    for (const [subpath, target] of Object.entries(p.exports)) {
      if (typeof target !== 'object' || target === null) continue;
      const keys = Object.keys(target);
      const t = keys.indexOf('types');
      if (subpath === './package.json') continue;
      if (t < 0) problems.push(`exports["${subpath}"] has no types condition`);
      const firstRuntime = keys.findIndex((k) => RUNTIME_CONDITIONS.has(k));
      if (t >= 0 && firstRuntime >= 0 && t > firstRuntime) problems.push(`exports["${subpath}"]: types must come before ${keys[firstRuntime]}`);
      if (keys.includes('default') && keys.indexOf('default') !== keys.length - 1) problems.push(`exports["${subpath}"]: default must be last`);
    }
  }
  return problems;
}

const packDir = mkdtempSync(join(tmpdir(), 'adapters-lint-'));
const attwBin = join(here, 'node_modules', '.bin', 'attw');
const results = [];
try {
  for (const dir of publicPackageDirs()) {
    const pkgDir = join(root, dir);
    const p = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    if (filter && !p.name.includes(filter)) continue;
    const r = { name: p.name, dir, readme: existsSync(join(pkgDir, 'README.md')), manifest: manifestProblems(p), publint: [], attw: [], error: null };
    results.push(r);
    if (!existsSync(join(pkgDir, 'dist'))) {
      r.error = 'no dist/ (run pnpm build)';
      continue;
    }
    const out = execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: pkgDir, encoding: 'utf8' });
    const tgz = out.trim().split('\n').filter((l) => l.endsWith('.tgz')).pop();
    if (!tgz) {
      r.error = `pnpm pack printed no tarball: ${out}`;
      continue;
    }
    // publint packs with pnpm itself: it then tells files that exist but are not published from missing ones.
    const { messages, pkg } = await publint({ pkgDir, pack: 'pnpm', level: 'suggestion', strict: true });
    r.publint = messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`);
    const attw = spawnSync(attwBin, [tgz, '--profile', 'esm-only', '--format', 'json'], { encoding: 'utf8' });
    try {
      const report = JSON.parse(attw.stdout);
      // The JSON report lists every resolution mode; the esm-only profile ignores node10 and CommonJS require.
      const ignored = new Set(['node10', 'node16-cjs']);
      const problems = (report.analysis?.problems ?? []).filter((pr) => !ignored.has(pr.resolutionKind));
      r.attw = problems.map((pr) => `${pr.kind}${pr.entrypoint ? ` (${pr.entrypoint}${pr.resolutionKind ? `, ${pr.resolutionKind}` : ''})` : ''}`);
    } catch {
      r.attw = [`attw failed: ${attw.stderr || attw.stdout}`.slice(0, 500)];
    }
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

const failing = (r) => r.error !== null || r.manifest.length > 0 || r.publint.some((m) => !m.startsWith('suggestion')) || r.attw.length > 0;
console.log('| package | README | package.json | publint | attw (esm-only) |\n|---|---|---|---|---|');
for (const r of results) {
  const cell = (xs) => (xs.length === 0 ? 'ok' : xs.join('; '));
  console.log(`| ${r.name} | ${r.readme ? 'yes' : '**missing**'} | ${r.error ?? cell(r.manifest)} | ${cell(r.publint)} | ${cell(r.attw)} |`);
}
const missing = results.filter((r) => !r.readme).map((r) => r.name);
if (missing.length) console.log(`\nREADME missing: ${missing.join(', ')}`);
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
const bad = results.filter(failing);
console.log(bad.length ? `\n${bad.length} package(s) fail: ${bad.map((r) => r.name).join(', ')}` : `\nall ${results.length} packages pass`);
process.exit(bad.length ? 1 : 0);
