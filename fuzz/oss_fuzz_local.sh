#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh here, as ClusterFuzzLite would inside its Docker image, then
# checks its output: every `cargo fuzz list` target has its binary, a non-empty
# <target>_seed_corpus.zip and <target>.dict in $OUT, and every zip replays through its binary
# (libFuzzer -runs=0: each input once, no mutation) with the dictionary loaded. Exits non-zero
# on any missing file, crash or dictionary error.
#
#   fuzz/oss_fuzz_local.sh [OUT_DIR]     (default: fuzz/target/oss-fuzz/out)
#
# Environment: SANITIZER (default address, as ClusterFuzzLite builds; none is faster).
# Needs nightly Rust; installs cargo-fuzz if missing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$repo/fuzz/target/oss-fuzz
out=${1:-$work/out}
export SANITIZER=${SANITIZER:-address}

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    start=$SECONDS
    cargo install cargo-fuzz --locked
    echo "== cargo-fuzz installed in $((SECONDS - start)) s"
fi

# The layout build.sh expects: the checkout at $SRC/sockswire.
mkdir -p "$work/src"
ln -sfn "$repo" "$work/src/sockswire"
rm -rf "$out"
mkdir -p "$out"

echo "== build.sh (SANITIZER=$SANITIZER)"
start=$SECONDS
# build.sh calls plain `cargo fuzz`, which needs nightly: the builder image's default.
SRC=$work/src OUT=$out RUSTUP_TOOLCHAIN=nightly timeout 3600 bash "$repo/.clusterfuzzlite/build.sh"
echo "== build.sh took $((SECONDS - start)) s"

cd "$repo"
mapfile -t targets < <(cargo +nightly fuzz list)
failed=0
start=$SECONDS
for t in "${targets[@]}"; do
    for f in "$t" "${t}_seed_corpus.zip" "$t.dict"; do
        if [[ ! -s $out/$f ]]; then
            echo "MISSING $out/$f"
            failed=1
        fi
    done
    [[ -s $out/${t}_seed_corpus.zip ]] || continue
    corpus=$work/replay/$t
    rm -rf "$corpus"
    mkdir -p "$corpus"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
        "$out/${t}_seed_corpus.zip" "$corpus"
    files=$(find "$corpus" -type f | wc -l)
    log=$work/replay/$t.log
    if timeout 600 "$out/$t" -runs=0 -dict="$out/$t.dict" "$corpus" >"$log" 2>&1; then
        printf '%-30s %5s inputs replayed  %s\n' "$t" "$files" \
            "$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)"
    else
        echo "FAILED $t (see $log):"
        tail -n 20 "$log"
        failed=1
    fi
done
echo "== replayed ${#targets[@]} targets in $((SECONDS - start)) s"
exit "$failed"
