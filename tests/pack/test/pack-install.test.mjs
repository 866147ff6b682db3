// SLOW (~1 min, needs the npm registry): the published-package path, end to end. Not part of `pnpm test`.
//
//   pnpm build && node --test tests/pack/test/pack-install.test.mjs
//
// Packs @adapters/core, @adapters/bert and @adapters/lora with `pnpm pack` (workspace: and catalog:
// specifiers resolved), creates a fresh npm project in a temp folder OUTSIDE the workspace, installs
// the three tarballs with npm (tfjs and fflate come from the registry), and runs a plain Node script
// (test/train-and-save.mjs) that trains a LoRA adapter on a random BERT, saves it in Python's format
// and reloads it. Set PACK_DIR to reuse tarballs (e.g. from `pnpm release:dry`), KEEP_PACK_PROJECT=1
// to keep the temp project.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = { '@adapters/core': 'packages/core', '@adapters/bert': 'packages/models/bert', '@adapters/lora': 'packages/methods/lora' };

function tarballs(dir) {
  const out = {};
  for (const [name, pkgDir] of Object.entries(PACKAGES)) {
    const prefix = `${name.replace('@', '').replace('/', '-')}-`;
    let file = readdirSync(dir).find((f) => f.startsWith(prefix) && /^\d/.test(f.slice(prefix.length)) && f.endsWith('.tgz'));
    if (!file) {
      assert.ok(existsSync(join(root, pkgDir, 'dist', 'index.js')), `${name} is not built: run pnpm build`);
      execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: join(root, pkgDir), stdio: 'pipe' });
      file = readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
    }
    assert.ok(file, `no tarball for ${name}`);
    out[name] = join(dir, file);
  }
  return out;
}

test('core + bert + lora tarballs install into a fresh npm project and train, save and reload an adapter', { timeout: 300_000 }, () => {
  const packDir = process.env.PACK_DIR ?? mkdtempSync(join(tmpdir(), 'adapters-tgz-'));
  const project = mkdtempSync(join(tmpdir(), 'adapters-fresh-'));
  assert.ok(!project.startsWith(root), 'the project must live outside the workspace');
  try {
    const tgz = tarballs(packDir);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'fresh-adapters-app', private: true, type: 'module' }, null, 2)}\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...Object.values(tgz)], { cwd: project, stdio: 'pipe', timeout: 240_000 });
    // Only the three tarballs come from the workspace; no workspace symlinks.
    for (const name of Object.keys(PACKAGES)) assert.ok(existsSync(join(project, 'node_modules', name, 'dist', 'index.js')), `${name} installed`);
    copyFileSync(fileURLToPath(new URL('./train-and-save.mjs', import.meta.url)), join(project, 'train.mjs'));
    const stdout = execFileSync(process.execPath, ['train.mjs'], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop());
    assert.equal(result.backend, 'cpu');
    assert.equal(result.trainable, 2 * 2 * 2, 'lora_A and lora_B on q and v in 2 layers');
    assert.ok(result.losses.at(-1) < result.losses[0], `loss decreases: ${result.losses.join(', ')}`);
    assert.deepEqual(result.files, ['adapter_config.json', 'adapter.safetensors']);
    assert.equal(result.reloadDiff, 0);
  } finally {
    if (!process.env.KEEP_PACK_PROJECT) rmSync(project, { recursive: true, force: true });
    if (!process.env.PACK_DIR) rmSync(packDir, { recursive: true, force: true });
  }
});
