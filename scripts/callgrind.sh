#!/usr/bin/env bash
# Instructions per operation, under callgrind, for every bench case (or those matching a
# filter): sockswire next to tor-socksproto and the hand-written floor. Instruction counts
# are repeatable, so they show regressions a noisy machine hides from criterion.
#
# Each case runs twice in benches/callgrind.rs: N iterations and 0 iterations; the
# difference over N is the cost of one operation, without process start-up and setup.
#
#   scripts/callgrind.sh [FILTER]           # table of every case whose name contains FILTER
#   scripts/callgrind.sh --annotate CASE    # callgrind_annotate of one case (hot functions)
#
# Environment: ITERS (default 10000; streams run STREAM_ITERS, default 5), OUT (directory for
# the callgrind files and results.tsv, default target/callgrind), CARGO_TARGET_DIR as usual.
# The runner is built with line tables for sockswire (cargo --config), so annotations can
# point at source lines; that does not change the generated code.
set -euo pipefail

cd "$(dirname "$0")/.."

ITERS=${ITERS:-10000}
STREAM_ITERS=${STREAM_ITERS:-5}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
OUT=${OUT:-$TARGET_DIR/callgrind}
mkdir -p "$OUT"

if ! command -v valgrind >/dev/null; then
    echo "valgrind is missing; installing it with apt" >&2
    if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y valgrind
    else
        sudo apt-get install -y valgrind
    fi
fi

runner=$(
    cargo bench --bench callgrind --no-run --message-format=json \
        --config 'profile.bench.package.sockswire.debug="line-tables-only"' 2>/dev/null |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1
)
if [ -z "$runner" ] || [ ! -x "$runner" ]; then
    echo "could not build benches/callgrind.rs; run 'cargo bench --bench callgrind --no-run'" >&2
    exit 1
fi

# Total instructions of `runner run CASE N`; the callgrind file is kept as $OUT/<tag>.out.
instructions() {
    local case=$1 iters=$2 tag=$3
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$tag.out" \
        "$runner" run "$case" "$iters" 2>"$OUT/$tag.log" >/dev/null
    sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$OUT/$tag.out"
}

# Exclusive instructions per function and source file, one line per "file:function", from
# callgrind_annotate; inlined code is charged to the file it comes from.
per_function() {
    callgrind_annotate --auto=no --threshold=100 "$1" 2>/dev/null |
        sed -n 's/^ *\([0-9,][0-9,]*\) *\(([^)]*)\)\{0,1\} *\([^ ].*\)$/\1\t\3/p' |
        sed 's/ \[[^]]*\]$//' | awk -F'\t' -v OFS='\t' '{ gsub(/,/, "", $1); print }'
}

if [ "${1:-}" = "--annotate" ]; then
    case=${2:?usage: scripts/callgrind.sh --annotate CASE}
    tag=$(printf '%s' "$case" | tr '/' '.')
    base=$(instructions "$case" 0 "$tag.annotate0")
    full=$(instructions "$case" "$ITERS" "$tag.annotate")
    echo "$case: $(( (full - base) / ITERS )) instructions per operation"
    echo
    # Per operation: the N-iteration profile minus the 0-iteration one, over N.
    {
        per_function "$OUT/$tag.annotate0.out" | sed 's/^/0\t/'
        per_function "$OUT/$tag.annotate.out" | sed 's/^/1\t/'
    } | awk -F'\t' -v n="$ITERS" '
        { ir = $2 + 0; if ($1 == 1) { v[$3] += ir } else { v[$3] -= ir }
          fn = $3; sub(/^[^:]*:/, "", fn); if ($1 == 1) { f[fn] += ir } else { f[fn] -= ir } }
        END {
            print "instr/op  by function (inlined code included)"
            for (k in f) if (f[k] / n >= 0.5) printf "%8.1f  %s\n", f[k] / n, k | "sort -rn | head -25"
            close("sort -rn | head -25")
            print ""
            print "instr/op  by source file:function (where inlined code comes from)"
            for (k in v) if (v[k] / n >= 0.5) printf "%8.1f  %s\n", v[k] / n, k | "sort -rn | head -45"
        }'
    exit 0
fi

filter=${1:-}
results=$OUT/results.tsv
: >"$results"
printf '%-58s %12s %12s\n' "case (group/scenario/impl)" "instr/op" "instr/msg"
"$runner" list | while IFS=$'\t' read -r case units _bytes; do
    [[ -n "$filter" && "$case" != *"$filter"* ]] && continue
    n=$ITERS
    [ "$units" -gt 1 ] && n=$STREAM_ITERS
    tag=$(printf '%s' "$case" | tr '/' '.')
    base=$(instructions "$case" 0 "$tag.0")
    full=$(instructions "$case" "$n" "$tag.$n")
    per_op=$(( (full - base + n / 2) / n ))
    per_msg=$(( (per_op + units / 2) / units ))
    printf '%-58s %12d %12d\n' "$case" "$per_op" "$per_msg"
    printf '%s\t%d\t%d\n' "$case" "$per_op" "$per_msg" >>"$results"
done

# Side by side, per scenario.
echo
printf '%-46s %9s %9s %9s %9s %9s\n' "scenario (instr per message)" ours tor floor tor/ours ours/floor
awk -F'\t' '
    {
        n = split($1, p, "/"); key = p[1] "/" p[2]; imp = p[3];
        if (!(key in seen)) { seen[key] = 1; order[++k] = key }
        v[key, imp] = $3
    }
    END {
        for (i = 1; i <= k; i++) {
            key = order[i]; o = v[key, "ours"]; t = v[key, "tor"]; f = v[key, "floor"];
            printf "%-46s %9s %9s %9s %9s %9s\n", key, o, (t == "" ? "-" : t), (f == "" ? "-" : f),
                (t == "" || o == 0 ? "-" : sprintf("%.1fx", t / o)),
                (f == "" || f == 0 ? "-" : sprintf("%.2fx", o / f))
        }
    }' "$results"
echo
echo "raw numbers: $results"
