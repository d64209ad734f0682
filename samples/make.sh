#!/usr/bin/env bash
# Remake the sample SOCKS captures in samples/pcap/ and the extracted byte
# streams in samples/streams/.
#
#   sudo bash samples/make.sh            # installs the Debian packages first
#   SKIP_INSTALL=1 bash samples/make.sh  # when they are already installed
#
# Needs root (apt-get, tcpdump, unshare).  Everything after the install runs
# inside a fresh network namespace made with `unshare --net`, which has only
# a loopback interface: no packet can leave the machine, and no other traffic
# on the host's loopback ends up in the captures.  Every server and client is
# wrapped in `timeout`, the whole capture phase is bounded by `timeout 600`,
# and every process started is killed on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

PKGS="tcpdump tshark dante-server openssh-server openssh-client microsocks tor ncat socat curl python3"

if [[ "${SWX_IN_NETNS:-}" != 1 ]]; then
    if [[ $(id -u) != 0 ]]; then
        echo "make.sh: run as root" >&2
        exit 1
    fi
    if [[ "${SKIP_INSTALL:-}" != 1 ]]; then
        apt-get update -q
        # tshark asks whether non-root users may capture; answer no.
        echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PKGS
    fi
    mkdir -p /run/sshd   # sshd's privilege-separation directory
    exec timeout -k 5 600 unshare --net env SWX_IN_NETNS=1 bash "${BASH_SOURCE[0]}" "$@"
fi

# ---------------------------------------------------------------- inside netns
ip link set lo up

PY=python3
TOOLS="$HERE/tools"
CONF="$HERE/conf"
PCAP="$HERE/pcap"
STREAMS="$HERE/streams"
TMP=$(mktemp -d /tmp/sockswire-samples.XXXXXX)
SRV_T=300          # lifetime bound of every server
PIDS=()

cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    sleep 0.5
    for p in "${PIDS[@]}"; do
        kill -KILL "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$PCAP" "$STREAMS"
rm -f "$PCAP"/*.pcap "$PCAP"/*.pcapng "$STREAMS"/*.bin

# Ports (all on loopback)
DANTE=11080        # danted, no auth: SOCKS4 and SOCKS5, CONNECT/BIND/UDP ASSOCIATE
MICRO=11082        # microsocks with username/password
SSHD=12222         # sshd
SSHD_SOCKS=11083   # ssh -D dynamic forward
TOR=19050          # tor SocksPort
HTTP4=18080        # python http.server on 127.0.0.1
HTTP6=18081        # python http.server on ::1
UDPECHO=19999      # UDP echo server

start() {  # start NAME CMD...: run a bounded background server
    local name=$1; shift
    timeout -k 2 "$SRV_T" "$@" >"$TMP/$name.log" 2>&1 &
    PIDS+=($!)
}

wait_listen() {  # wait_listen tcp|udp PORT
    local proto=$1 port=$2 i
    for i in $(seq 100); do
        if ss -lnH "--$proto" "sport = :$port" | grep -q .; then return 0; fi
        sleep 0.1
    done
    echo "make.sh: nothing listening on $proto port $port" >&2
    return 1
}

# cap NAME FILTER PROXYPORT CMD...: record CMD's traffic into pcap/NAME.pcap,
# then extract the SOCKS streams (connections to PROXYPORT) into streams/.
# (--immediate-mode: without it packets still in the kernel ring block are
# lost when tcpdump is stopped a moment after a short conversation.)
cap() {
    local name=$1 filter=$2 pport=$3; shift 3
    local out="$PCAP/$name.pcap" i rc=0
    timeout -k 2 60 tcpdump -i lo -n -s 0 -U --immediate-mode -Z root -w "$out" "$filter" \
        >"$TMP/tcpdump.$name.log" 2>&1 &
    local tpid=$!
    for i in $(seq 100); do
        grep -q 'listening on' "$TMP/tcpdump.$name.log" && break
        sleep 0.1
    done
    echo "== $name: $*"
    "$@" >"$TMP/client.$name.out" 2>"$TMP/client.$name.err" || rc=$?
    [[ $rc == 0 ]] || echo "   client exited $rc (expected for error scenarios)"
    sed 's/^/   | /' "$TMP/client.$name.err" | head -40
    sleep 0.5
    kill -TERM "$tpid" 2>/dev/null || true
    wait "$tpid" 2>/dev/null || true
    $PY "$TOOLS/pcap2streams.py" "$out" "$STREAMS" "$name" "$pport" | sed 's/^/   /'
}

CURL=(timeout -k 1 15 curl -sS --max-time 10)
CLIENT=(timeout -k 1 30 $PY "$TOOLS/socks_client.py")

# ---------------------------------------------------------------- targets
mkdir -p "$TMP/www"
printf 'hi\n' >"$TMP/www/a.txt"
start http4 $PY -m http.server --bind 127.0.0.1 --directory "$TMP/www" $HTTP4
start http6 $PY -m http.server --bind ::1 --directory "$TMP/www" $HTTP6
start udpecho $PY "$TOOLS/udp_echo.py" 127.0.0.1 $UDPECHO $SRV_T

# ---------------------------------------------------------------- proxies
start danted danted -f "$CONF/danted.conf" -p "$TMP/danted.pid"
start microsocks microsocks -i 127.0.0.1 -p $MICRO -u alice -P s3cret

ssh-keygen -q -t ed25519 -N '' -f "$TMP/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/id_ed25519"
cp "$TMP/id_ed25519.pub" "$TMP/authorized_keys"
sed "s#@DIR@#$TMP#g" "$CONF/sshd_config" >"$TMP/sshd_config"
start sshd /usr/sbin/sshd -D -e -f "$TMP/sshd_config"

mkdir -m 700 "$TMP/tor-data"
sed "s#@DIR@#$TMP#g" "$CONF/torrc" >"$TMP/torrc"
start tor tor -f "$TMP/torrc"

wait_listen tcp $HTTP4
wait_listen tcp $HTTP6
wait_listen udp $UDPECHO
wait_listen tcp $DANTE
wait_listen tcp $MICRO
wait_listen tcp $SSHD
start ssh-D ssh -F /dev/null -N -D 127.0.0.1:$SSHD_SOCKS -i "$TMP/id_ed25519" \
    -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o ExitOnForwardFailure=yes -p $SSHD root@127.0.0.1
wait_listen tcp $SSHD_SOCKS
wait_listen tcp $TOR

# ---------------------------------------------------------------- scenarios
U4="http://127.0.0.1:$HTTP4/a.txt"
UH="http://localhost:$HTTP4/a.txt"
U6="http://[::1]:$HTTP6/a.txt"

# 1. SOCKS4 CONNECT
cap socks4_connect_curl_dante "tcp port $DANTE" $DANTE \
    "${CURL[@]}" --socks4 127.0.0.1:$DANTE "$U4"
# 2. SOCKS4a CONNECT with a host name (dante has no SOCKS4a: ssh -D does)
cap socks4a_connect_hostname_curl_ssh "tcp port $SSHD_SOCKS" $SSHD_SOCKS \
    "${CURL[@]}" --socks4a 127.0.0.1:$SSHD_SOCKS "$UH"
#    ... and what dante does with SOCKS4a (it takes 0.0.0.1 literally)
cap socks4a_connect_rejected_curl_dante "tcp port $DANTE" $DANTE \
    "${CURL[@]}" --socks4a 127.0.0.1:$DANTE "$UH"
# 3. SOCKS5 CONNECT IPv4
cap socks5_connect_ipv4_curl_dante "tcp port $DANTE" $DANTE \
    "${CURL[@]}" --socks5 127.0.0.1:$DANTE "$U4"
# 4. SOCKS5 CONNECT domain name
cap socks5_connect_domain_curl_dante "tcp port $DANTE" $DANTE \
    "${CURL[@]}" --socks5-hostname 127.0.0.1:$DANTE "$UH"
# 5. SOCKS5 CONNECT IPv6 target
cap socks5_connect_ipv6_curl_dante "tcp port $DANTE" $DANTE \
    "${CURL[@]}" --socks5 127.0.0.1:$DANTE "$U6"
# 6./7. username/password (RFC 1929)
cap socks5_userpass_ok_curl_microsocks "tcp port $MICRO" $MICRO \
    "${CURL[@]}" --socks5 alice:s3cret@127.0.0.1:$MICRO "$U4"
cap socks5_userpass_badpass_curl_microsocks "tcp port $MICRO" $MICRO \
    "${CURL[@]}" --socks5 alice:wrong@127.0.0.1:$MICRO "$U4"
# 8. error replies: CONNECT to a closed port
cap socks5_connect_refused_curl_dante "tcp port $DANTE" $DANTE \
    "${CURL[@]}" --socks5 127.0.0.1:$DANTE "http://127.0.0.1:1/"
cap socks4_connect_refused_curl_dante "tcp port $DANTE" $DANTE \
    "${CURL[@]}" --socks4 127.0.0.1:$DANTE "http://127.0.0.1:1/"
cap socks5_connect_refused_curl_microsocks "tcp port $MICRO" $MICRO \
    "${CURL[@]}" --socks5 alice:s3cret@127.0.0.1:$MICRO "http://127.0.0.1:1/"
# 9. Tor extensions: RESOLVE (0xF0) and RESOLVE_PTR (0xF1); tor is offline
cap tor_resolve_socks5_torresolve_tor "tcp port $TOR" $TOR \
    timeout -k 1 20 tor-resolve -5 127.0.0.5 127.0.0.1:$TOR
cap tor_resolve_socks4a_torresolve_tor "tcp port $TOR" $TOR \
    timeout -k 1 20 tor-resolve -4 127.0.0.5 127.0.0.1:$TOR
cap tor_resolve_ipv6_socks5_python_tor "tcp port $TOR" $TOR \
    "${CLIENT[@]}" resolve5 127.0.0.1:$TOR ::1
cap tor_resolve_error_socks5_python_tor "tcp port $TOR" $TOR \
    "${CLIENT[@]}" resolve5 127.0.0.1:$TOR localhost
cap tor_resolve_ptr_error_socks5_torresolve_tor "tcp port $TOR" $TOR \
    timeout -k 1 20 tor-resolve -x 127.0.0.5 127.0.0.1:$TOR
# 10. UDP ASSOCIATE (TCP control connection and the UDP datagrams)
cap socks5_udp_associate_python_dante "tcp port $DANTE or udp" $DANTE \
    "${CLIENT[@]}" udp 127.0.0.1:$DANTE 127.0.0.1 $UDPECHO
# 11. byte-by-byte client
cap socks5_bytewise_python_dante "tcp port $DANTE" $DANTE \
    "${CLIENT[@]}" bytewise 127.0.0.1:$DANTE localhost $HTTP4 /a.txt
# 12. a non-SOCKS client on the proxy port
cap nonsocks_http_curl_dante "tcp port $DANTE" $DANTE \
    "${CURL[@]}" --max-time 5 "http://127.0.0.1:$DANTE/"
cap nonsocks_http_curl_tor "tcp port $TOR" $TOR \
    "${CURL[@]}" --max-time 5 "http://127.0.0.1:$TOR/"
# 13. ssh -D as the SOCKS5 server
cap socks5_connect_domain_curl_ssh "tcp port $SSHD_SOCKS" $SSHD_SOCKS \
    "${CURL[@]}" --socks5-hostname 127.0.0.1:$SSHD_SOCKS "$UH"
# other clients: ncat (SOCKS5, remote DNS) and socat (SOCKS4 and SOCKS4a)
REQ='GET /a.txt HTTP/1.0\r\nHost: localhost\r\n\r\n'
cap socks5_connect_domain_ncat_dante "tcp port $DANTE" $DANTE \
    bash -c "printf '$REQ' | timeout -k 1 10 ncat --proxy 127.0.0.1:$DANTE --proxy-type socks5 --proxy-dns remote localhost $HTTP4"
cap socks4_connect_socat_dante "tcp port $DANTE" $DANTE \
    bash -c "printf '$REQ' | timeout -k 1 10 socat - SOCKS4:127.0.0.1:127.0.0.1:$HTTP4,socksport=$DANTE"
cap socks4a_connect_hostname_socat_ssh "tcp port $SSHD_SOCKS" $SSHD_SOCKS \
    bash -c "printf '$REQ' | timeout -k 1 10 socat - SOCKS4A:127.0.0.1:localhost:$HTTP4,socksport=$SSHD_SOCKS"
# 14. BIND (the second TCP connection, peer -> bound port, is in the pcap too)
cap socks5_bind_python_dante "tcp and not port $HTTP4 and not port $HTTP6 and not port $SSHD" $DANTE \
    "${CLIENT[@]}" bind 127.0.0.1:$DANTE

# one capture in pcapng format as well
editcap -F pcapng "$PCAP/socks5_connect_domain_curl_dante.pcap" \
    "$PCAP/socks5_connect_domain_curl_dante.pcapng"

# ---------------------------------------------------------------- record
{
    echo "# versions of the programs that made these samples (dpkg -l)"
    dpkg-query -W -f '${Package} ${Version}\n' $PKGS
    echo "python3 on PATH: $($PY --version 2>&1)"
    echo
    echo "# capinfos (link type, sizes)"
    capinfos -t -E -c -F "$PCAP"/*.pcap "$PCAP"/*.pcapng 2>&1
} >"$HERE/versions.txt"
$PY "$TOOLS/handshakes.py" "$STREAMS" >"$HERE/handshakes.txt"

echo "== server logs"
for f in "$TMP"/*.log; do
    case $f in */tcpdump.*) continue ;; esac
    echo "--- $(basename "$f")"
    tail -n 15 "$f"
done
echo "done: $(ls "$PCAP" | wc -l) capture files, $(ls "$STREAMS" | wc -l) stream files"
