#!/usr/bin/env bash
# The C API's end-to-end test: builds libsockswire_ffi.a and the C harness
# (ffi/tests/harness*.c, gcc, nothing but ffi/include/sockswire.h), runs the harness on
# every capture in samples/pcap/ under valgrind (--error-exitcode=1, --leak-check=full:
# any invalid read or write, any leaked block, fails), and compares its output byte for
# byte with `sockswire dissect --json` on the same file. Prints "N passed, N failed".
#
#   ffi/test.sh            (from anywhere; builds in target/)
# Environment: VALGRIND=0 runs the harness without valgrind (faster, for a quick look).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/ffi
mkdir -p "$out"

need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "ffi/test.sh: $1 not found${2:+ ($2)}" >&2
        exit 1
    fi
}
need gcc
use_valgrind=${VALGRIND:-1}
[ "$use_valgrind" = 1 ] && need valgrind "apt-get install valgrind"

cargo build --quiet -p sockswire-ffi
cargo build --quiet --features cli --bin sockswire
gcc -std=c11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -I ffi/include \
    ffi/tests/harness.c ffi/tests/harness_json.c ffi/tests/harness_flow.c ffi/tests/harness_pcap.c \
    target/debug/libsockswire_ffi.a -lpthread -ldl -lm -o "$out/harness"

passed=0
failed=0
for pcap in samples/pcap/*.pcap samples/pcap/*.pcapng; do
    name=$(basename "$pcap")
    target/debug/sockswire dissect --json --quiet "$pcap" >"$out/$name.want.json"
    if [ "$use_valgrind" = 1 ]; then
        run=(valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect,possible
            --errors-for-leak-kinds=definite,indirect,possible --log-file="$out/$name.valgrind")
    else
        run=()
    fi
    if ! "${run[@]}" "$out/harness" "$pcap" >"$out/$name.got.json" 2>"$out/$name.stderr"; then
        echo "FAIL $name: the harness failed (see $out/$name.stderr, $out/$name.valgrind)"
        cat "$out/$name.valgrind" 2>/dev/null | head -30 || true
        failed=$((failed + 1))
        continue
    fi
    if ! cmp -s "$out/$name.want.json" "$out/$name.got.json"; then
        echo "FAIL $name: output differs from sockswire dissect --json"
        diff "$out/$name.want.json" "$out/$name.got.json" | head -10 || true
        failed=$((failed + 1))
        continue
    fi
    lines=$(wc -l <"$out/$name.got.json")
    echo "ok   $name ($lines JSON lines)"
    passed=$((passed + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
