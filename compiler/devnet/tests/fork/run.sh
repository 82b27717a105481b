#!/usr/bin/env bash
# Installs the pinned local node (Hardhat, exactly as package-lock.json says) and runs
# against it the ignored tests that need one: nest-devnet's fork-mode and doctor tests
# (modules fork:: and doctor:: of its test binary `it`) and nestc's audit tests (audit::).
# Each test starts its own node on a free port of 127.0.0.1, waits at most 90 s for it,
# and kills it when done; nothing leaves the machine.
# With NEST_FORK_URL set, the tests use that node instead (it needs unlocked, funded accounts).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ -z "${NEST_FORK_URL:-}" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
export HARDHAT_DISABLE_TELEMETRY_PROMPT=true

cd "$here/../../../.."
cargo test -p nest-devnet --test it --locked -- --ignored --test-threads=1 fork:: doctor::
cargo test -p nestc --test it --locked -- --ignored --test-threads=1 audit::
