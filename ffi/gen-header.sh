#!/usr/bin/env bash
# Writes ffi/include/sockswire.h from ffi/src with cbindgen (ffi/cbindgen.toml).
#   ffi/gen-header.sh            regenerate the committed header
#   ffi/gen-header.sh --check    fail if the committed header differs by a byte
# Needs cbindgen on PATH (`cargo install cbindgen --locked`, version pinned below).
set -euo pipefail
cd "$(dirname "$0")"
want=0.29.4
if ! command -v cbindgen >/dev/null 2>&1; then
    echo "cbindgen not found: cargo install cbindgen --locked --version $want" >&2
    exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cbindgen --config cbindgen.toml --crate sockswire-ffi --output "$out" --quiet .
if [ "${1:-}" = "--check" ]; then
    if ! cmp -s "$out" include/sockswire.h; then
        diff -u include/sockswire.h "$out" | head -40 >&2 || true
        echo "ffi/include/sockswire.h is stale: run ffi/gen-header.sh and commit it" >&2
        exit 1
    fi
    echo "ffi/include/sockswire.h is up to date"
else
    cp "$out" include/sockswire.h
    echo "wrote ffi/include/sockswire.h"
fi
