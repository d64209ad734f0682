#!/usr/bin/env bash
# Long fuzzing runs on a shared machine: runs each given target for N *active* seconds, one
# after the other, and yields the CPU whenever someone asks for calm.
#
#   fuzz/campaign.sh ACTIVE_SECONDS TARGET...
#
# Each target runs its libFuzzer binary directly (fuzz/target/<host triple>/release/<target>,
# built beforehand by `cargo +nightly fuzz build -s none`; this script does not build) under
# `nice -n 19`, on the same corpus directories as fuzz/run.sh: the working corpus
# fuzz/corpus/<target>/ first (new inputs go there), then fuzz/seeds/<target>/,
# fuzz/regressions/<target>/ and fuzz/grown/<target>/ (read only), with -dict=fuzz/socks.dict,
# -print_final_stats=1 and crashes written to fuzz/artifacts/<target>/.
#
# Every 5 s (POLL) the script looks at the file $CALM_FILE (default /work/notes/CALM):
# - while it exists the fuzzer is stopped (SIGSTOP, by its PID) and the time does not count;
#   when it is gone, SIGCONT;
# - a pause longer than LONG_PAUSE seconds (default 20) ends the fuzzer: it gets SIGINT and is
#   continued only to exit (libFuzzer prints its final statistics and stops within
#   milliseconds), and a fresh process starts on the same corpus once the calm is over. This
#   is because libFuzzer's -timeout is wall-clock time: an input interrupted by a long stop
#   would be reported as a timeout. With pauses bounded by LONG_PAUSE, a -timeout of
#   TIMEOUT (default 60) seconds only catches real hangs.
# When the active time is reached, the fuzzer gets SIGINT. A crash, timeout or out-of-memory
# ends that process; its artifact is kept and the script starts the target again for the
# rest of its time (at most MAX_CRASHES, default 3, crashes per target).
#
# Wall-clock bounds: DEADLINE (a `date -d` string such as "18:20 UTC"; default none) stops
# everything there, wherever it is; no target runs longer than 3 x ACTIVE_SECONDS + 1800 s of
# wall time.
#
# Output: libFuzzer's log in fuzz/target/fuzz-logs/<target>.campaign.log (appended), and one
# tab-separated line per target appended to $SUMMARY (default
# fuzz/target/fuzz-logs/campaign.tsv):
#   date  target  active_s  paused_s  processes  executions  exec_per_active_s  cov  ft
#   corpus(libFuzzer's "corp: N/SIZE")  corpus_files  crashes  artifacts  end
# executions is the sum of stat::number_of_executed_units over the target's processes; cov,
# ft and corp are from the last status line (they change only with a new input, so the last
# line is the final state); active time includes loading the corpus.
set -uo pipefail
cd "$(dirname "$0")/.."

if (($# < 2)) || ! [[ $1 =~ ^[0-9]+$ ]] || (($1 < 1)); then
    echo "usage: fuzz/campaign.sh ACTIVE_SECONDS TARGET..." >&2
    exit 2
fi
active_goal=$1
shift

calm=${CALM_FILE:-/work/notes/CALM}
poll=${POLL:-5}
long_pause=${LONG_PAUSE:-20}
timeout=${TIMEOUT:-60}
max_crashes=${MAX_CRASHES:-3}
summary=${SUMMARY:-fuzz/target/fuzz-logs/campaign.tsv}
deadline=
if [[ -n ${DEADLINE:-} ]]; then
    deadline=$(date -d "$DEADLINE" +%s) || exit 2
fi
triple=$(rustc -vV | sed -n 's/^host: //p')
mkdir -p fuzz/target/fuzz-logs "$(dirname "$summary")"

pid=
# Never leave a fuzzer behind (stopped or running) if this script is ended.
cleanup() {
    if [[ -n $pid ]] && alive "$pid"; then
        kill -INT "$pid" 2>/dev/null
        kill -CONT "$pid" 2>/dev/null
        sleep 1
        kill -KILL "$pid" 2>/dev/null
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s; }
# True while the fuzzer exists and is not a zombie (kill -0 succeeds on a zombie).
alive() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
    [[ -n $state && $state != Z ]]
}
past_deadline() { [[ -n $deadline ]] && (($(now) >= deadline)); }

# Ends the current fuzzer (stopped or not) and waits for it; sets rc.
stop_fuzzer() {
    kill -INT "$pid" 2>/dev/null
    kill -CONT "$pid" 2>/dev/null
    local i
    for ((i = 0; i < 60; i++)); do
        alive "$pid" || break
        sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    pid=
}

for t in "$@"; do
    bin=fuzz/target/$triple/release/$t
    if [[ ! -x $bin ]]; then
        echo "campaign: $bin missing (cargo +nightly fuzz build -s none $t); skipped" >&2
        printf '%s\t%s\t0\t0\t0\t0\t0\t\t\t\t0\t0\t-\tno-binary\n' "$(date -u '+%F %T')" "$t" >>"$summary"
        continue
    fi
    corpus=fuzz/corpus/$t
    artifacts=fuzz/artifacts/$t
    log=fuzz/target/fuzz-logs/$t.campaign.log
    mkdir -p "$corpus" "$artifacts"
    dirs=("$corpus")
    for d in fuzz/seeds/$t fuzz/regressions/$t fuzz/grown/$t; do
        [[ -d $d ]] && dirs+=("$d")
    done
    before=$(find "$artifacts" -type f | sort)
    echo "=== $(date -u '+%F %T') campaign $t: $active_goal active s" >>"$log"
    started=$(now)
    active=0
    paused=0
    procs=0
    crashes=0
    end=done
    execs_total=0
    status=
    while :; do
        # Wait out a calm before starting a process.
        while [[ -e $calm ]] && ! past_deadline; do
            sleep "$poll"
            paused=$((paused + poll))
        done
        if past_deadline; then end=deadline; break; fi
        if ((active >= active_goal)); then break; fi
        if (($(now) - started > 3 * active_goal + 1800)); then end=wall-limit; break; fi
        seg_log=$(mktemp)
        nice -n 19 "$bin" "${dirs[@]}" -dict=fuzz/socks.dict -print_final_stats=1 \
            -timeout="$timeout" -artifact_prefix="$artifacts/" >"$seg_log" 2>&1 &
        pid=$!
        procs=$((procs + 1))
        last=$(now)
        stopped=0
        stop_since=0
        rc=
        while :; do
            left=$((active_goal - active))
            if ((left <= 0)) || past_deadline; then
                stop_fuzzer
                past_deadline && end=deadline
                break
            fi
            sleep $((left < poll ? left : poll))
            t_now=$(now)
            if ((stopped)); then
                paused=$((paused + t_now - last))
            else
                active=$((active + t_now - last))
            fi
            last=$t_now
            if ! alive "$pid"; then
                wait "$pid"
                rc=$?
                pid=
                break
            fi
            if [[ -e $calm ]]; then
                if ((!stopped)); then
                    kill -STOP "$pid"
                    stopped=1
                    stop_since=$t_now
                elif ((t_now - stop_since >= long_pause)); then
                    # End it; a fresh process starts once the calm is over.
                    stop_fuzzer
                    rc=interrupted
                    break
                fi
            elif ((stopped)); then
                kill -CONT "$pid"
                stopped=0
            fi
        done
        cat "$seg_log" >>"$log"
        e=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$seg_log" | tail -n 1)
        if [[ -z $e ]]; then
            e=$(grep -E '^#[0-9]+' "$seg_log" | tail -n 1 | sed -nE 's/^#([0-9]+).*/\1/p')
        fi
        execs_total=$((execs_total + ${e:-0}))
        st=$(grep -E '^#[0-9]+' "$seg_log" | tail -n 1)
        [[ -n $st ]] && status=$st
        rm -f "$seg_log"
        if [[ $rc != interrupted ]] && [[ $rc != 0 ]] && [[ $rc != 72 ]] && [[ $rc != 130 ]]; then
            # libFuzzer exits 1 on a crash/timeout/oom (72 is its -interrupted exit code).
            crashes=$((crashes + 1))
            echo "=== campaign $t: process ended with $rc (crash $crashes)" >>"$log"
            if ((crashes >= max_crashes)); then end=crashes; break; fi
        fi
        [[ $end == deadline ]] && break
    done
    field() { sed -nE "s#.* $1:? ([^ ]+).*#\1#p" <<<"${status:-}"; }
    files=$(find "$corpus" -type f | wc -l)
    new=$(comm -13 <(echo "$before") <(find "$artifacts" -type f | sort) | grep . | tr '\n' ' ')
    eps=0
    ((active > 0)) && eps=$((execs_total / active))
    line=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' \
        "$(date -u '+%F %T')" "$t" "$active" "$paused" "$procs" "$execs_total" "$eps" \
        "$(field cov)" "$(field ft)" "$(field corp)" "$files" "$crashes" "${new:--}" "$end")
    echo "$line" >>"$summary"
    echo "$line"
    status=
    [[ $end == deadline ]] && break
done
