#!/usr/bin/env bash
# Release dry run (CI-usable): applies the pending changesets (`changeset version`) to a temporary
# copy of the repository and runs `pnpm pack` for every public package there. The working tree is
# never modified. Needs `pnpm install` and `pnpm build` first (the tarballs contain dist/).
#
#   bash scripts/release-dry-run.sh            # tarballs go to a temp folder, printed at the end
#   RELEASE_DRY_OUT=out/packs bash scripts/release-dry-run.sh
#   RELEASE_DRY_ALLOW_UNBUILT=1 …              # skip (with a warning) packages that have no dist/
#
# Checks, failing the run: every public package packs; no tarball's package.json keeps a `workspace:`
# or `catalog:` specifier. Reported, not failing: version jumps from 0.x to >= 1.0.0 (changesets turns
# a bump of a peer dependency into a major bump of its dependents).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${RELEASE_DRY_OUT:-$(mktemp -d -t adapters-packs.XXXXXX)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d -t adapters-release.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

log() { printf '[release:dry] %s\n' "$*"; }

# 1. A copy of the workspace without VCS data and large build byproducts. Package-level node_modules are
# pnpm's symlinks (to sibling packages, relative, and into the root store): copied as links; the root
# node_modules (the store) is linked, not copied. `pnpm pack` resolves `workspace:` through them.
log "copying the workspace to $WORK"
tar -C "$ROOT" \
  --exclude=./.git --exclude=./node_modules \
  --exclude=./benchmarks/device/out --exclude=./docs/.vitepress/dist --exclude=./docs/.vitepress/cache \
  --exclude=./docs/api --exclude=./.tmp \
  -cf - . | tar -C "$WORK" -xf -
# changesets and its changelog generator resolve from the copy's root as well.
ln -s "$ROOT/node_modules" "$WORK/node_modules"

# 2. Versions before, `changeset version`, versions after.
versions() {
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    const dirs = JSON.parse(process.argv[1]);
    const out = {};
    for (const d of dirs) { const p = JSON.parse(readFileSync(d + "/package.json", "utf8")); out[p.name] = p.version; }
    console.log(JSON.stringify(out));
  ' "$1"
}
PUBLIC_DIRS=$(cd "$WORK" && node --input-type=module -e '
  import { existsSync, readFileSync, readdirSync } from "node:fs";
  const dirs = [];
  for (const base of ["packages", "packages/methods", "packages/models"]) {
    for (const d of readdirSync(base)) {
      const pj = `${base}/${d}/package.json`;
      if (!existsSync(pj)) continue;
      const p = JSON.parse(readFileSync(pj, "utf8"));
      if (!p.private) dirs.push(`${base}/${d}`);
    }
  }
  console.log(JSON.stringify(dirs.sort()));
')
BEFORE=$(cd "$WORK" && versions "$PUBLIC_DIRS")
PENDING=$(find "$WORK/.changeset" -maxdepth 1 -name '*.md' ! -name README.md | wc -l | tr -d ' ')
log "changeset version ($PENDING pending changesets)"
(cd "$WORK" && node "$ROOT/node_modules/@changesets/cli/bin.js" version >"$WORK/.changeset-version.log" 2>&1) || {
  cat "$WORK/.changeset-version.log"
  exit 1
}
AFTER=$(cd "$WORK" && versions "$PUBLIC_DIRS")

# 3. pnpm pack every public package (resolves workspace: and catalog: specifiers).
log "packing $(node -e 'console.log(JSON.parse(process.argv[1]).length)' "$PUBLIC_DIRS") public packages into $OUT"
for d in $(node -e 'console.log(JSON.parse(process.argv[1]).join(" "))' "$PUBLIC_DIRS"); do
  if [ ! -d "$WORK/$d/dist" ]; then
    if [ "${RELEASE_DRY_ALLOW_UNBUILT:-0}" = 1 ]; then
      log "WARNING: $d has no dist/: skipped (RELEASE_DRY_ALLOW_UNBUILT=1)"
      continue
    fi
    log "ERROR: $d has no dist/ (run pnpm build first)"
    exit 1
  fi
  (cd "$WORK/$d" && pnpm pack --pack-destination "$OUT" >/dev/null)
done

# 4. Report, and check the packed manifests.
node --input-type=module - "$OUT" "$BEFORE" "$AFTER" <<'NODE'
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
const [out, beforeJson, afterJson] = process.argv.slice(2);
const before = JSON.parse(beforeJson);
const after = JSON.parse(afterJson);
let failed = false;
const rows = [];
const majors = [];
for (const file of readdirSync(out).filter((f) => f.endsWith('.tgz')).sort()) {
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', join(out, file), 'package/package.json'], { encoding: 'utf8' }));
  const name = manifest.name;
  const bad = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog):/.test(String(spec))) bad.push(`${field}.${dep}=${spec}`);
    }
  }
  if (bad.length) {
    failed = true;
    console.error(`[release:dry] ERROR: ${file} still has ${bad.join(', ')}`);
  }
  const from = before[name];
  const to = after[name];
  if (from && to && from.startsWith('0.') && !to.startsWith('0.')) majors.push(`${name} ${from} -> ${to}`);
  const files = execFileSync('tar', ['-tzf', join(out, file)], { encoding: 'utf8' }).trim().split('\n').length;
  rows.push(`| ${name} | ${from} | ${to}${from === to ? '' : ' *'} | ${files} | ${file} |`);
}
console.log('\n| package | version | after changeset version | files | tarball |\n|---|---|---|---|---|');
console.log(rows.join('\n'));
if (majors.length) {
  console.log(`\n[release:dry] WARNING: ${majors.length} package(s) would leave 0.x:\n  ${majors.join('\n  ')}`);
  console.log('[release:dry] (changesets bumps dependents of a bumped peer dependency to a major version; see docs/contributing/releasing.md)');
}
process.exit(failed ? 1 : 0);
NODE
log "done: tarballs in $OUT (working tree untouched)"
