#!/usr/bin/env bash
# What the tor-socksproto drop-in costs beside tor-socksproto 0.47 and sockswire's own API, on
# equal work (compat/tor-socksproto/examples/dropin_cost.rs): allocations per handshake, and
# instructions per handshake counted by callgrind as (Ir(N) - Ir(0)) / N, in one run each.
# usage: scripts/dropin_cost.sh [N]   (default 2000; needs valgrind)
set -euo pipefail
cd "$(dirname "$0")/../compat/tor-socksproto"
N="${1:-2000}"
nice -n 10 cargo build --quiet --release --example dropin_cost
bin=../../target/release/examples/dropin_cost
"$bin" allocs
ir() { # total instructions of one run
  local out
  out=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" run "$@" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  rm -f "$out"
}
echo
echo "| case | facade | tor-socksproto 0.47 | sockswire | (instructions per handshake, N=$N)"
echo "|---|---|---|---|"
for c in socks5 socks4a; do
  row="| $c |"
  for imp in facade real sockswire; do
    base=$(ir "$imp" "$c" 0)
    full=$(ir "$imp" "$c" "$N")
    row="$row $(( (full - base) / N )) |"
  done
  echo "$row"
done
