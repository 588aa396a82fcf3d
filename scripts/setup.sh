#!/usr/bin/env bash
# Installs what `npm start` and the e2e tests need outside node_modules. Idempotent and quick when
# everything is present; it says what it installs.
#   - Debian packages: chromium (e2e browser), libkrb5-dev (code-server's kerberos module), ripgrep
#     (code-server's search; also seeds the ripgrep download cache so code-server's install stays offline)
#   - code-server (VS Code for the web) into a cache folder outside the project
# Environment: SWB_CACHE_DIR (default ~/.cache/sentinel-workbench), CODE_SERVER_VERSION (default 4.100.3).
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE_DIR="${SWB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sentinel-workbench}"
CS_PREFIX="$CACHE_DIR/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_PREFIX/node_modules/.bin/code-server"

say() { printf 'setup: %s\n' "$*"; }

# 1. Debian packages.
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then missing+=(libkrb5-dev); fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "missing system packages: ${missing[*]}"
    say "install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

# 2. Seed the ripgrep cache that @vscode/ripgrep's postinstall consults, so it never downloads.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TGZ" ]; then
  say "seeding ripgrep cache $RG_TGZ from $(command -v rg)"
  mkdir -p "$RG_CACHE"
  tmp="$(mktemp -d)"
  cp "$(command -v rg)" "$tmp/rg"
  tar -czf "$RG_TGZ" -C "$tmp" rg
  rm -rf "$tmp"
fi

# 3. code-server, outside the project's dependency tree.
if [ -x "$CS_BIN" ] && "$CS_BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  say "code-server $CODE_SERVER_VERSION present"
else
  say "installing code-server@$CODE_SERVER_VERSION into $CS_PREFIX (about a minute)"
  mkdir -p "$CS_PREFIX"
  npm_config_yes=true npm install --prefix "$CS_PREFIX" --unsafe-perm --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" >/dev/null
  "$CS_BIN" --version >/dev/null
fi
say "code-server: $CS_BIN"
