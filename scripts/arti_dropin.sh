#!/usr/bin/env bash
# Proof 2 of the drop-in (not in CI: two Arti builds take minutes each). Builds Arti 2.7.0 from
# crates.io twice, with the real tor-socksproto 0.47.0 and with compat/tor-socksproto patched in
# ([patch.crates-io]), starts each one's SOCKS port offline (a network namespace with only
# loopback, a throw-away state and cache directory), drives it with curl and `sockswire probe`
# (SOCKS4a, SOCKS5 with and without user/pass, RESOLVE, RESOLVE_PTR, and refusals), and
# compares what each client saw: handshake bytes (probe prints every byte sent and received),
# replies, curl's outcome. Both Arti builds share one target directory, so the second build
# recompiles only tor-socksproto and the crates above it.
#
# usage: scripts/arti_dropin.sh [build|run|all]     (default all; needs root for unshare -n)
#        scripts/arti_dropin.sh drive real|dropin   (one variant's transcript only)
# `run` drives each variant whose transcript is missing, then compares the two.
# env:   WORK (default /tmp/arti_dropin), JOBS (cargo -j, default 2), WAIT (seconds a client
#        waits for an answer, default 8: offline, Arti holds a CONNECT until the bootstrap it
#        cannot finish, so most requests end in "no answer", the same in both builds)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/arti_dropin}"
JOBS="${JOBS:-2}"
WAIT="${WAIT:-8}"
TARGET_DIR="$WORK/target"
what="${1:-all}"
mkdir -p "$WORK"

scratch() { # $1 = variant (real | dropin)
  local dir="$WORK/$1"
  mkdir -p "$dir/src"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "arti-$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
arti = "=2.7.0"

[workspace]
TOML
  if [ "$1" = dropin ]; then
    cat >> "$dir/Cargo.toml" <<TOML

[patch.crates-io]
tor-socksproto = { path = "$REPO/compat/tor-socksproto" }
TOML
  fi
  echo 'fn main() { arti::main() }' > "$dir/src/main.rs"
}

build() { # $1 = variant
  scratch "$1"
  local start end
  start=$(date +%s)
  (cd "$WORK/$1" && CARGO_TARGET_DIR="$TARGET_DIR" nice -n 10 cargo build -j "$JOBS" --quiet)
  end=$(date +%s)
  echo "build $1: $((end - start)) s" | tee -a "$WORK/build_times.txt"
  # Which tor-socksproto went in.
  (cd "$WORK/$1" && cargo tree -i tor-socksproto --depth 0 2>/dev/null | head -1) \
    | tee "$WORK/$1.socksproto.txt"
}

# Runs inside `unshare -n`: loopback only, so Arti's bootstrap fails at once, the same way in
# both builds. $1 = variant, $2 = output file.
drive_one() {
  local variant="$1" out="$2" port=19150 dir="$WORK/run-$1"
  ip link set lo up
  rm -rf "$dir" && mkdir -p "$dir/state" "$dir/cache"
  cat > "$dir/arti.toml" <<TOML
[proxy]
socks_listen = "127.0.0.1:$port"
[storage]
state_dir = "$dir/state"
cache_dir = "$dir/cache"
[storage.permissions]
dangerously_trust_everyone = true
[logging]
console = "warn"
[application]
# This script runs as root (for unshare -n); Arti refuses that otherwise.
allow_running_as_root = true
TOML
  "$TARGET_DIR/debug/arti-$variant" proxy -c "$dir/arti.toml" >"$dir/arti.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
    sleep 0.2
  done
  local sw="$REPO/target/debug/sockswire" p="127.0.0.1:$port"
  {
    probe() { echo "== probe $*"; timeout $((WAIT + 20)) "$sw" probe --timeout "$WAIT" "$@" 2>&1; echo "exit $?"; }
    raw() { # $1 = label, $2 = hex bytes: sends them, prints the hex of all that comes back
      echo "== raw $1: $2"
      timeout $((WAIT + 20)) python3 - "$p" "$2" "$WAIT" <<'PY' 2>&1; echo "exit $?"
import socket, sys
host, port = sys.argv[1].rsplit(":", 1)
s = socket.create_connection((host, int(port)), timeout=float(sys.argv[3]))
s.sendall(bytes.fromhex(sys.argv[2]))
got = b""
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
except socket.timeout:
    got += b"<timeout>"
print("got", got.hex())
PY
    }
    probe --proxy "socks4a://$p" example.com:80
    probe --proxy "socks4a://$p" --user isolation-1 example.com:443
    probe --proxy "socks4://$p" 192.0.2.1:80
    probe --proxy "socks5h://$p" example.com:80
    probe --proxy "socks5h://$p" --user alice --password secret example.com:80
    probe --proxy "socks5h://$p" '[2001:db8::1]:443'
    probe --proxy "socks5h://$p" --resolve example.com
    probe --proxy "socks5h://$p" --resolve 192.0.2.7
    probe --proxy "socks5h://$p" --resolve-ptr 192.0.2.7
    probe --proxy "socks4a://$p" --resolve example.com
    probe --proxy "socks5h://$p" --optimistic example.com:80
    # Refusals: BIND, a greeting without an acceptable method, an unknown ATYP, HTTP.
    raw "SOCKS5 BIND" "050100""0502000103030303""0050"
    raw "SOCKS5 no acceptable method" "050103"
    raw "SOCKS5 ATYP 0x23" "050100""05010023"
    raw "SOCKS4 CONNECT port 0" "04010000c000020100"
    raw "SOCKS5 pipelined data after the request" "050100""050100010a000001005047455420"
    raw "HTTP GET" "474554202f20485454502f312e310d0a0d0a"
    for url in socks5h://$p socks5://$p socks4a://$p; do
      echo "== curl -x $url http://example.com/"
      timeout $((WAIT + 20)) curl -sS -o /dev/null --max-time "$WAIT" -x "$url" http://example.com/ 2>&1
      echo "exit $?"
    done
    echo "== curl -x socks5h://user:pw@$p http://example.com/"
    timeout $((WAIT + 20)) curl -sS -o /dev/null --max-time "$WAIT" -x "socks5h://user:pw@$p" http://example.com/ 2>&1
    echo "exit $?"
  } > "$out"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

drive() { # $1 = variant: its transcript, in a fresh network namespace
  [ -x "$REPO/target/debug/sockswire" ] || (cd "$REPO" && cargo build --quiet --features cli --bin sockswire)
  export -f drive_one
  export REPO WORK TARGET_DIR WAIT
  unshare -n bash -c "drive_one $1 '$WORK/$1.transcript'"
}

run() {
  [ -s "$WORK/real.transcript" ] || drive real
  [ -s "$WORK/dropin.transcript" ] || drive dropin
  # Timings vary from run to run; nothing else may.
  for v in real dropin; do
    sed -E -e 's/ \([0-9.]+ m?s\)$//' -e 's/after [0-9]+ milliseconds/after N milliseconds/' \
      "$WORK/$v.transcript" > "$WORK/$v.normalised"
  done
  if diff -u "$WORK/real.normalised" "$WORK/dropin.normalised" > "$WORK/transcript.diff"; then
    echo "IDENTICAL: Arti with the drop-in answered every client exactly as with tor-socksproto 0.47"
    echo "($(grep -c '^== ' "$WORK/real.transcript") exchanges; transcript: $WORK/real.transcript)"
  else
    echo "DIFFERENT (see $WORK/transcript.diff)"; cat "$WORK/transcript.diff"; return 1
  fi
}

case "$what" in
  build) build real; build dropin ;;
  run) run ;;
  drive) drive "${2:?real or dropin}" ;;
  all) rm -f "$WORK"/*.transcript; build real; build dropin; run ;;
  *) echo "usage: $0 [build|run|all]" >&2; exit 2 ;;
esac
