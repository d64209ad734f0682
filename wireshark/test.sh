#!/usr/bin/env bash
# Builds the Wireshark plug-in (target/wireshark/sockswire.so, against Debian's wireshark-dev
# 4.0, linking libsockswire_ffi.a), installs it into a temporary HOME's personal plug-in
# folder, checks that `tshark -G protocols` lists it, then runs tshark with it over every
# capture in samples/pcap/ and compares every field with `sockswire dissect --json`
# (wireshark/compare.py), beside the stock socks dissector's figure. Prints
# "N passed, N failed" (fields) and exits non-zero on any mismatch.
#
#   wireshark/test.sh
# Needs: gcc, pkg-config, tshark, wireshark-dev, libwireshark-dev, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/wireshark
mkdir -p "$out"
for tool in gcc pkg-config tshark python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "wireshark/test.sh: $tool not found" >&2; exit 1; }
done
pkg-config --exists wireshark || { echo "wireshark/test.sh: wireshark-dev not installed" >&2; exit 1; }

cargo build --quiet --release -p sockswire-ffi
cargo build --quiet --features cli --bin sockswire
# shellcheck disable=SC2046
gcc -shared -fPIC -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers \
    -DWIRESHARK_PLUGIN $(pkg-config --cflags wireshark) -I ffi/include \
    wireshark/packet-sockswire.c wireshark/sockswire-fields.c \
    target/release/libsockswire_ffi.a $(pkg-config --libs wireshark) -lpthread -ldl -lm \
    -Wl,--exclude-libs,ALL -o "$out/sockswire.so"
echo "built $out/sockswire.so"

major_minor=$(tshark --version | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
plugdir="$home/.local/lib/wireshark/plugins/$major_minor/epan"
mkdir -p "$plugdir"
cp "$out/sockswire.so" "$plugdir/"
chmod -R a+rX "$home"
# Wireshark loads no personal plug-in when run as root: run tshark as nobody then.
run=(env HOME="$home" XDG_CONFIG_HOME="$home/.config")
if [ "$(id -u)" = 0 ]; then
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups "${run[@]}")
fi
tshark_bin=$(command -v tshark)
tshark() { "${run[@]}" "$tshark_bin" "$@"; }
if ! tshark -G protocols 2>"$out/load.err" | grep -q "	sockswire	sockswire$"; then
    echo "FAIL: tshark -G protocols does not list sockswire" >&2
    cat "$out/load.err" >&2
    exit 1
fi
echo "tshark -G protocols lists sockswire (Wireshark $major_minor)"

status=0
passed=0
failed=0
stock=0
content=0
for pcap in samples/pcap/*.pcap samples/pcap/*.pcapng; do
    name=$(basename "$pcap")
    target/debug/sockswire dissect --json --quiet "$pcap" >"$out/$name.want.json"
    tshark -r "$pcap" -Y sockswire -T json --no-duplicate-keys >"$out/$name.plugin.json" 2>"$out/$name.tshark.err"
    # The stock dissector, forced on every SOCKS server port the CLI found.
    ports=$(python3 -c 'import json,sys
print(" ".join(sorted({str(json.loads(l)["server_port"]) for l in open(sys.argv[1]) if "server_port" in l})))' "$out/$name.want.json")
    decode=()
    for p in $ports; do decode+=(-d "tcp.port==$p,socks"); done
    tshark -r "$pcap" --disable-protocol sockswire "${decode[@]}" -Y socks -T json \
        --no-duplicate-keys >"$out/$name.stock.json" 2>>"$out/$name.tshark.err" || true
    line=$(python3 wireshark/compare.py "$out/$name.want.json" "$out/$name.plugin.json" "$out/$name.stock.json" "$name") || status=1
    echo "$line"
    set -- $(echo "$line" | tail -1 | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*plug-in ([0-9]+) of ([0-9]+), stock socks ([0-9]+) of.*/\1 \2 \3 \4 \5/')
    passed=$((passed + $1)); failed=$((failed + $2)); content=$((content + $4)); stock=$((stock + $5))
done
echo "$passed passed, $failed failed (stock socks dissector: $stock of $content content fields)"
exit $status
