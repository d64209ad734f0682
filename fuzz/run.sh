#!/usr/bin/env bash
# Runs the cargo-fuzz targets, one at a time, each for a fixed time, and prints one summary
# line per target.
#
#   fuzz/run.sh [SECONDS_PER_TARGET=60] [TARGET...]     (default: every target)
#
# Needs the nightly toolchain; installs cargo-fuzz if missing. Each target fuzzes the working
# corpus fuzz/corpus/<target>/ (gitignored; new inputs go there) together with the committed
# seeds in fuzz/seeds/<target>/, past crashes in fuzz/regressions/<target>/ and the inputs
# earlier long runs found in fuzz/grown/<target>/ (all read only). Crashes land in fuzz/artifacts/<target>/; keep
# each as fuzz/regressions/<target>/<what> plus a named test in tests/fuzz_corpus.rs.
# Logs go to fuzz/target/fuzz-logs/<target>.log. Exits non-zero if any target crashed or
# failed to run.
#
# Environment: FUZZ_SANITIZER (default none: the crate forbids unsafe code, and without ASan
# libFuzzer runs about twice as many inputs; set "address" to use ASan), FUZZ_ARGS (extra
# libFuzzer flags, e.g. "-max_len=512").
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-60}
shift || true
if ! [[ $secs =~ ^[0-9]+$ ]] || ((secs < 1)); then
    echo "usage: fuzz/run.sh [SECONDS_PER_TARGET=60] [TARGET...]" >&2
    exit 2
fi
sanitizer=${FUZZ_SANITIZER:-none}
read -r -a extra <<<"${FUZZ_ARGS:-}"

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    start=$SECONDS
    cargo install cargo-fuzz --locked
    echo "== cargo-fuzz installed in $((SECONDS - start)) s"
fi

if (($# > 0)); then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# One build up front (debug assertions and overflow checks on, as `cargo fuzz run` does), so
# the time per target is spent fuzzing.
echo "== building ${#targets[@]} targets (sanitizer: $sanitizer)"
start=$SECONDS
if (($# > 0)); then
    for t in "${targets[@]}"; do
        timeout 3600 cargo +nightly fuzz build -s "$sanitizer" "$t"
    done
else
    timeout 3600 cargo +nightly fuzz build -s "$sanitizer"
fi
echo "== built in $((SECONDS - start)) s"

mkdir -p fuzz/target/fuzz-logs
summary=()
failed=0
for t in "${targets[@]}"; do
    corpus=fuzz/corpus/$t
    seeds=fuzz/seeds/$t
    artifacts=fuzz/artifacts/$t
    log=fuzz/target/fuzz-logs/$t.log
    mkdir -p "$corpus" "$seeds" "$artifacts"
    # Read-only inputs beside the seeds: past crashes, and what earlier long runs grew.
    read_only=()
    [[ -d fuzz/regressions/$t ]] && read_only+=("fuzz/regressions/$t")
    [[ -d fuzz/grown/$t ]] && read_only+=("fuzz/grown/$t")
    before=$(find "$artifacts" -type f | sort)
    echo "== $t: ${secs} s"
    rc=0
    # The outer timeout bounds a hung run; libFuzzer stops itself at -max_total_time.
    timeout --kill-after=30 $((secs + 300)) \
        cargo +nightly fuzz run -s "$sanitizer" "$t" "$corpus" "$seeds" "${read_only[@]}" -- \
        -max_total_time="$secs" -print_final_stats=1 "${extra[@]}" >"$log" 2>&1 || rc=$?
    # libFuzzer's last status line: "#N  DONE  cov: C ft: F corp: K/SIZE ... exec/s: E".
    status=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    field() { sed -nE "s#.* $1:? ([^ ]+).*#\1#p" <<<"$status"; }
    execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
    [[ -n $execs ]] || execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$status")
    cov=$(field cov)
    ft=$(field ft)
    corp=$(field corp)
    eps=$(field exec/s)
    files=$(find "$corpus" -type f | wc -l)
    new=$(comm -13 <(echo "$before") <(find "$artifacts" -type f | sort) | grep . || true)
    if ((rc == 0)); then
        verdict=ok
    elif [[ -n $new ]]; then
        verdict="CRASHED: $(tr '\n' ' ' <<<"$new")"
        failed=1
    else
        verdict="FAILED (exit $rc, see $log)"
        failed=1
    fi
    line=$(printf '%-30s execs %10s  exec/s %6s  cov %5s  ft %6s  corpus %s (%s files)  %s' \
        "$t" "${execs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$files" "$verdict")
    echo "$line"
    summary+=("$line")
done

echo
echo "== summary (${secs} s per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
