// release:check — every public package changed since the base ref has a pending changeset.
//
//   node scripts/release-check.mjs [--base <ref>]      (default: $RELEASE_BASE, else origin/<baseBranch>, else <baseBranch>)
//
// Changed packages: files changed between the merge base and the working tree (committed, staged,
// unstaged and untracked), mapped to the public workspace package that contains them (files outside
// `src/`, `package.json` and `README.md` — tests, fixtures — do not need a changeset). Changesets: the
// `.changeset/*.md` files added or edited since the merge base. Then `changeset status --since=<base>` runs too.
//
// Fresh clones: a shallow clone without the base ref is deepened with `git fetch` when a remote exists;
// when the base still cannot be resolved (no remote, no network, a tarball without .git), the check
// prints why and passes — it cannot know what changed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (m) => console.log(`[release:check] ${m}`);
const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
const argv = process.argv.slice(2);
const config = JSON.parse(readFileSync(join(root, '.changeset/config.json'), 'utf8'));
const baseBranch = config.baseBranch ?? 'main';

if (git('rev-parse', '--is-inside-work-tree').status !== 0) {
  log('not a git work tree: cannot tell which packages changed; skipping');
  process.exit(0);
}
const resolves = (ref) => git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`).status === 0;
const hasRemote = git('remote').stdout.trim().split('\n').includes('origin');
const candidates = [
  argv.includes('--base') ? argv[argv.indexOf('--base') + 1] : undefined,
  process.env.RELEASE_BASE,
  hasRemote ? `origin/${baseBranch}` : undefined,
  baseBranch,
].filter(Boolean);
let base = candidates.find(resolves);
if (!base && hasRemote) {
  // Shallow CI clones: fetch the base branch (depth is enough for a merge base in most pull requests).
  log(`fetching origin/${baseBranch} to find the merge base`);
  git('fetch', '--quiet', '--depth=200', 'origin', `${baseBranch}:refs/remotes/origin/${baseBranch}`);
  base = candidates.find(resolves);
}
if (!base) {
  log(`no base ref (${candidates.join(', ')}) in this clone and none could be fetched: skipping`);
  process.exit(0);
}
let mergeBase = git('merge-base', base, 'HEAD').stdout.trim();
if (!mergeBase && git('rev-parse', '--is-shallow-repository').stdout.trim() === 'true' && hasRemote) {
  git('fetch', '--quiet', '--unshallow');
  mergeBase = git('merge-base', base, 'HEAD').stdout.trim();
}
if (!mergeBase) {
  log(`no merge base between ${base} and HEAD (shallow history): skipping`);
  process.exit(0);
}

// Public workspace packages by directory.
const packages = [];
for (const dir of ['packages', 'packages/methods', 'packages/models']) {
  for (const d of readdirSync(join(root, dir))) {
    const pj = join(root, dir, d, 'package.json');
    if (!existsSync(pj)) continue;
    const p = JSON.parse(readFileSync(pj, 'utf8'));
    if (!p.private) packages.push({ name: p.name, dir: `${dir}/${d}/` });
  }
}
const changedFiles = new Set(
  [
    git('diff', '--name-only', mergeBase).stdout,
    git('ls-files', '--others', '--exclude-standard').stdout,
  ]
    .join('\n')
    .split('\n')
    .filter(Boolean),
);
const releaseRelevant = (rel) => rel.startsWith('src/') || rel === 'package.json' || rel === 'README.md';
const changed = packages.filter((p) => [...changedFiles].some((f) => f.startsWith(p.dir) && releaseRelevant(f.slice(p.dir.length))));

// Changesets added or edited since the merge base (older pending ones cover older changes): frontmatter
// lines `"@adapters/x": minor`.
const covered = new Set();
const changesetDir = join(root, '.changeset');
const fresh = (n) => changedFiles.has(`.changeset/${n}`);
for (const f of readdirSync(changesetDir).filter((n) => n.endsWith('.md') && n !== 'README.md' && fresh(n))) {
  const text = readFileSync(join(changesetDir, f), 'utf8');
  const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  for (const m of front.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)) covered.add(m[1]);
}
const missing = changed.filter((p) => !covered.has(p.name));
log(`base ${base} (merge base ${mergeBase.slice(0, 10)}); changed public packages: ${changed.map((p) => p.name).join(', ') || 'none'}`);
if (missing.length) {
  log(`ERROR: no changeset added since the merge base mentions ${missing.map((p) => p.name).join(', ')}. Run \`pnpm changeset\`.`);
  process.exit(1);
}

// The official check as well (it fails when packages changed and there is no changeset at all).
const bin = join(root, 'node_modules/@changesets/cli/bin.js');
const status = spawnSync(process.execPath, [bin, 'status', `--since=${mergeBase}`], { cwd: root, encoding: 'utf8' });
if (status.status !== 0) {
  process.stdout.write(status.stdout);
  process.stderr.write(status.stderr);
  log('ERROR: changeset status failed');
  process.exit(1);
}
log(`ok: ${changed.length} changed package(s), all covered by changesets added since the merge base (${relative(root, changesetDir)}/)`);
