#!/usr/bin/env bash
# CI for the WebAssembly build, the npm package and the playground (issue 17): installs what
# is missing (the wasm32 target, wasm-bindgen-cli of the version in Cargo.lock, Debian's
# Chromium, the pinned npm tools), builds the package and the page, and runs the Node tests
# (byte-for-byte parity with the native nestc, the packed tarball in a TypeScript consumer)
# and the browser test. Run from anywhere; needs the native nestc (built here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
target="${CARGO_TARGET_DIR:-$root/target}"

echo "== wasm toolchain"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
  # `--locked` when the registry has the CLI's locked dependencies; else the same version
  # resolved afresh (the CLI's own lock file pins a webpki-roots some mirrors lack).
  cargo install wasm-bindgen-cli --version "$want" --locked ||
    cargo install wasm-bindgen-cli --version "$want"
fi
wasm-bindgen --version

echo "== Chromium (Debian)"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium
fi
/usr/bin/chromium --version

echo "== npm tools (pinned in packages/package-lock.json)"
(cd packages && npm ci --no-audit --no-fund)

echo "== native nestc (the reference the package is compared with)"
cargo build -p nestc --locked
export NESTC="$target/debug/nestc"

echo "== the package: cargo (wasm32, release) + wasm-bindgen"
node packages/compiler/scripts/build.mjs

echo "== the playground"
node playground/build.mjs

echo "== Node tests (parity with nestc, the packed tarball)"
node --test packages/compiler/test/parity.test.mjs packages/compiler/test/pack.test.mjs

echo "== browser test (headless Chromium)"
node --test playground/test/browser.test.mjs

echo "== host build of the wasm crate and its native tests"
cargo test -p nest-wasm --locked
