#!/usr/bin/env bash
# CI machine setup for Adapters for TypeScript. Idempotent: safe to run again on a ready machine.
#
#  1. Mesa >= 25 (lavapipe Vulkan driver) from bookworm-backports, so that WebGPU works in Node
#     through the `webgpu` package (Dawn). Mesa 22 from plain bookworm yields no WebGPU adapter; the
#     WebGPU tests then skip. Backports are enabled by adding the suite to the existing apt sources
#     file (no repository host is written anywhere).
#  2. Chromium (Debian's `chromium` package) for the browser demo test
#     (examples/browser/test/browser.test.ts, driven by playwright-core); the test skips without it.
#  3. pnpm 12.4.2 (the version in package.json's packageManager field).
#  4. Workspace dependencies from the lockfile.
#
# Set ADAPTERS_SKIP_APT=1 to skip steps 1 and 2 (e.g. on non-Debian machines).
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
PNPM_VERSION=12.4.2
MESA_MIN=25
SOURCES=/etc/apt/sources.list.d/debian.sources

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[install] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    return 1
  fi
}

mesa_ok() {
  local v
  v=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
  [ -n "$v" ] && dpkg --compare-versions "$v" ge "$MESA_MIN" && dpkg-query -W libvulkan1 >/dev/null 2>&1
}

install_mesa() {
  if [ "${ADAPTERS_SKIP_APT:-0}" = 1 ]; then
    log "ADAPTERS_SKIP_APT=1: skipping Mesa (WebGPU tests will skip without an adapter)"
    return 0
  fi
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    log "no apt/dpkg: skipping Mesa (WebGPU tests will skip without an adapter)"
    return 0
  fi
  if mesa_ok; then
    log "Mesa $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) already installed"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    log "not root and no sudo: skipping Mesa (WebGPU tests will skip without an adapter)"
    return 0
  fi
  if [ ! -f "$SOURCES" ]; then
    log "$SOURCES not found (not Debian bookworm?): skipping Mesa"
    return 0
  fi
  if ! grep -Eq '^Suites:.*[[:space:]]bookworm-backports([[:space:]]|$)' "$SOURCES"; then
    log "enabling bookworm-backports in $SOURCES"
    as_root sed -i 's/^Suites: bookworm bookworm-updates$/& bookworm-backports/' "$SOURCES"
  fi
  if ! grep -Eq '^Suites:.*[[:space:]]bookworm-backports([[:space:]]|$)' "$SOURCES"; then
    log "could not enable bookworm-backports (unexpected Suites line): skipping Mesa"
    return 0
  fi
  log "installing mesa-vulkan-drivers and libvulkan1 from bookworm-backports"
  as_root apt-get update -q
  as_root apt-get install -y -q -t bookworm-backports mesa-vulkan-drivers libvulkan1
  mesa_ok || { log "Mesa >= $MESA_MIN still missing after install"; return 1; }
}

install_chromium() {
  if [ "${ADAPTERS_SKIP_APT:-0}" = 1 ]; then
    log "ADAPTERS_SKIP_APT=1: skipping Chromium (the browser demo test will skip)"
    return 0
  fi
  if command -v chromium >/dev/null 2>&1 && dpkg-query -W chromium >/dev/null 2>&1; then
    log "Chromium $(dpkg-query -W -f='${Version}' chromium) already installed"
    return 0
  fi
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    log "no apt/dpkg: skipping Chromium (the browser demo test will skip)"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    log "not root and no sudo: skipping Chromium (the browser demo test will skip)"
    return 0
  fi
  log "installing chromium"
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends chromium
  command -v chromium >/dev/null 2>&1 || { log "chromium still missing after install"; return 1; }
}

install_pnpm() {
  local current=""
  if command -v pnpm >/dev/null 2>&1; then current=$(pnpm --version 2>/dev/null || true); fi
  if [ "$current" != "$PNPM_VERSION" ]; then
    log "installing pnpm@$PNPM_VERSION (found: ${current:-none})"
    if [ -w "$(npm prefix -g)" ]; then npm i -g "pnpm@$PNPM_VERSION"; else as_root npm i -g "pnpm@$PNPM_VERSION"; fi
  else
    log "pnpm $current already installed"
  fi
}

install_mesa
install_chromium
install_pnpm
log "pnpm install --frozen-lockfile"
pnpm install --frozen-lockfile
log "done"
