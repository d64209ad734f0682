#!/usr/bin/env bash
# Keeps what a long run found: copies into fuzz/grown/<target>/ only the inputs of the working
# corpus fuzz/corpus/<target>/ that add coverage beyond the committed seeds and grown inputs.
#
#   fuzz/grow.sh TARGET...
#
# Per target: a scratch directory gets copies of fuzz/seeds/<target>/ and fuzz/grown/<target>/,
# libFuzzer's `-merge=1` merges the working corpus into it (it adds only inputs that raise
# coverage or features over what the directory already holds, minimised to the smallest such
# set), and the files it added are copied to fuzz/grown/<target>/ (named by the SHA-1 of their
# bytes, as libFuzzer names them). Uses the binaries `cargo +nightly fuzz build -s none`
# leaves in fuzz/target/<host triple>/release/, runs under `nice -n 19`, waits while
# $CALM_FILE (default /work/notes/CALM) exists, and gives each merge at most 600 s.
# Prints per target: inputs added and their bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

calm=${CALM_FILE:-/work/notes/CALM}
triple=$(rustc -vV | sed -n 's/^host: //p')
for t in "$@"; do
    bin=fuzz/target/$triple/release/$t
    [[ -x $bin ]] || { echo "$t: no binary $bin" >&2; exit 2; }
    [[ -d fuzz/corpus/$t ]] || { echo "$t: no working corpus"; continue; }
    scratch=$(mktemp -d)
    for d in fuzz/seeds/$t fuzz/grown/$t; do
        [[ -d $d ]] && find "$d" -maxdepth 1 -type f -exec cp {} "$scratch/" \;
    done
    find "$scratch" -type f -printf '%f\n' | sort >"$scratch.before"
    while [[ -e $calm ]]; do sleep 5; done
    timeout 600 nice -n 19 "$bin" -merge=1 "$scratch" "fuzz/corpus/$t" >"$scratch.log" 2>&1 || {
        echo "$t: merge failed, see $scratch.log" >&2
        exit 1
    }
    mapfile -t added < <(comm -13 "$scratch.before" <(find "$scratch" -type f -printf '%f\n' | sort))
    bytes=0
    if ((${#added[@]} > 0)); then
        mkdir -p "fuzz/grown/$t"
        for f in "${added[@]}"; do
            cp "$scratch/$f" "fuzz/grown/$t/$f"
            bytes=$((bytes + $(stat -c %s "$scratch/$f")))
        done
    fi
    echo "$t: ${#added[@]} inputs added ($bytes bytes)"
    rm -rf "$scratch" "$scratch.before" "$scratch.log"
done
