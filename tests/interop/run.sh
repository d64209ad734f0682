#!/usr/bin/env bash
# Interop checks for `sockswire proxy` and `sockswire probe` against software nobody here
# wrote, all on loopback.
#
#   bash tests/interop/run.sh            # builds the binary if needed
#   SOCKSWIRE_BIN=path bash tests/interop/run.sh
#   SOCKSWIRE_EXAMPLES=dir  # where blocking_client, tokio_client, tokio_proxy are
#                           # (default: built with --features tokio into target/debug/examples)
#
# * curl (--socks4, --socks4a, --socks5, --socks5-hostname, --proxy-user), ncat, socat,
#   proxychains4, PySocks and tor-resolve as clients of `sockswire proxy`, to a local
#   python http.server, including failures (refused port, unknown host, bad password, no
#   acceptable method, unsupported command), each with the message the client prints.
# * `sockswire probe` against ssh -D (a private sshd with a generated key), danted,
#   microsocks and tor's SocksPort, offline (RESOLVE of an IP literal answers without a
#   network; onion-address errors come back as extended codes).
# * The socket adapters' examples (`sockswire::io`): blocking_client and tokio_client
#   through ssh -D, dante, microsocks, tor and sockswire proxy, including a server-first
#   target (sshd's banner) whose first bytes may come with the proxy's reply; curl in all
#   four SOCKS modes through the tokio_proxy example.
#
# As root it installs the missing packages with apt-get and re-runs itself in a new
# network namespace (unshare --net) that has only a loopback interface; otherwise it uses
# the host's loopback and skips what is missing. Every server and client runs under
# `timeout`, and everything it starts is killed on exit. One line per check, then
# "N passed, M failed"; the exit status is non-zero if any check failed. A program that is
# missing is reported as skipped, not failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CONF="$ROOT/samples/conf"

# Debian packages per program (python3-socks is PySocks).
PKGS="curl ncat socat proxychains4 python3-socks dante-server microsocks openssh-server openssh-client tor"

if [[ "${SWX_INTEROP_INNER:-}" != 1 ]]; then
    if [[ $(id -u) == 0 && "${SKIP_INSTALL:-}" != 1 ]]; then
        missing=""
        for p in $PKGS; do
            dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
                || missing="$missing $p"
        done
        if [[ -n "$missing" ]]; then
            echo "installing:$missing"
            # Keep the packages' services (tor, sshd, danted) from starting: a system tor
            # would reach out to the Tor network. policy-rc.d exit 101 means "do not start".
            made_policy=0
            if [[ ! -e /usr/sbin/policy-rc.d ]]; then
                printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
                chmod +x /usr/sbin/policy-rc.d
                made_policy=1
            fi
            (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq --no-install-recommends $missing >/dev/null) \
                || echo "warning: apt-get could not install everything; those checks will be skipped"
            [[ $made_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d
        fi
    fi
    BIN=${SOCKSWIRE_BIN:-}
    if [[ -z "$BIN" ]]; then
        (cd "$ROOT" && cargo build -q --features cli) || { echo "cargo build failed"; exit 1; }
        BIN="$ROOT/target/debug/sockswire"
    fi
    EXAMPLES=${SOCKSWIRE_EXAMPLES:-}
    if [[ -z "$EXAMPLES" ]]; then
        (cd "$ROOT" && cargo build -q --features tokio --examples) || { echo "cargo build --examples failed"; exit 1; }
        EXAMPLES="$ROOT/target/debug/examples"
    fi
    export SOCKSWIRE_BIN=$BIN SOCKSWIRE_EXAMPLES=$EXAMPLES SWX_INTEROP_INNER=1
    if [[ $(id -u) == 0 ]] && unshare --net true 2>/dev/null; then
        mkdir -p /run/sshd
        export SWX_IN_NETNS=1
        exec timeout -k 5 300 unshare --net bash "${BASH_SOURCE[0]}" "$@"
    fi
    echo "note: not in a network namespace (needs root and unshare); using the host's loopback"
    exec timeout -k 5 300 bash "${BASH_SOURCE[0]}" "$@"
fi

# ------------------------------------------------------------------ inside
if [[ $(id -u) == 0 ]]; then ip link set lo up 2>/dev/null || true; fi

BIN=$SOCKSWIRE_BIN
EX=$SOCKSWIRE_EXAMPLES
TMP=$(mktemp -d /tmp/sockswire-interop.XXXXXX)
PIDS=()
PASS=0 FAIL=0 SKIP=0
SRV_T=240   # lifetime bound of every server

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    sleep 0.3
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ "${KEEP_TMP:-}" == 1 ]]; then echo "logs kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

# Ports, all on loopback.
HTTP=28080       # python http.server on 127.0.0.1 and on ::1
SW=21080         # sockswire proxy, profile arti, no auth
SW_AUTH=21081    # sockswire proxy, --user alice --password s3cret
SW_CTOR=21082    # sockswire proxy, profile ctor
SW_RFC=21083     # sockswire proxy, profile rfc1928
SW_SLOW=21084    # sockswire proxy, --connect-timeout 1
SW_OPEN=21085    # sockswire proxy on 0.0.0.0, --allow-client 127.0.0.0/8
BLACKHOLE=21299  # a listener whose accept queue is full: connects to it time out
DANTE=21180      # danted, no auth
MICRO=21182      # microsocks -u alice -P s3cret
SSHD=21222       # sshd
SSH_D=21183      # ssh -D
TOR=21150        # tor SocksPort, ExtendedErrors
TOKIO_PROXY=21090  # the tokio_proxy example

have() { command -v "$1" >/dev/null 2>&1; }

pass() { PASS=$((PASS + 1)); printf 'ok    %-44s %s\n' "$1" "$2"; }
fail() { FAIL=$((FAIL + 1)); printf 'FAIL  %-44s %s\n' "$1" "$2"; }
skip() { SKIP=$((SKIP + 1)); printf 'skip  %-44s %s\n' "$1" "$2"; }

oneline() { tr '\n\r\0' '   ' | sed 's/  */ /g' | cut -c1-${1:-220}; }

# expect NAME REGEX CMD...: pass when CMD's output (stdout and stderr) has a line matching
# REGEX; the detail shown is that line (for failures: the client's own message).
expect() {
    local name=$1 re=$2 out line
    shift 2
    out=$(timeout -k 1 20 "$@" 2>&1 | tr -d '\0')
    line=$(grep -aE -m1 -- "$re" <<<"$out")
    if [[ -n "$line" ]]; then
        pass "$name" "$(oneline <<<"$line")"
    else
        fail "$name" "wanted /$re/, got: $(oneline <<<"$out")"
    fi
}

# expect_probe NAME EXIT REGEX PROBE-ARGS...: run sockswire probe, check exit status and
# output; the detail is the reply line and the bytes received.
expect_probe() {
    local name=$1 want=$2 re=$3 out rc
    shift 3
    out=$(timeout -k 1 20 "$BIN" probe --timeout 10 "$@" 2>&1)
    rc=$?
    local got
    got="$(grep -aE '^(<|reply|resolved|refused)' <<<"$out" | oneline 200)"
    if [[ $rc == "$want" ]] && grep -qaE -- "$re" <<<"$out"; then
        pass "$name" "$got"
    else
        fail "$name" "exit $rc (wanted $want), wanted /$re/, got: $(oneline 300 <<<"$out")"
    fi
}

# expect_client NAME EXIT REGEX CLIENT PROXY-URL TARGET [INPUT]: run an adapter example
# (blocking_client, tokio_client) with INPUT on stdin (held open CLIENT_IN_DELAY seconds
# more); check exit status and output.
expect_client() {
    local name=$1 want=$2 re=$3 client=$4 out rc
    shift 4
    printf "${3:-}" >"$TMP/client.in"
    out=$({ cat "$TMP/client.in"; sleep "${CLIENT_IN_DELAY:-0}"; } |
        timeout -k 1 20 "$EX/$client" "$1" "$2" 2>&1 | tr -d '\0'; exit "${PIPESTATUS[1]}")
    rc=$?
    local line
    line=$(grep -aE -m1 -- "$re" <<<"$out")
    if [[ $rc == "$want" && -n "$line" ]]; then
        pass "$name" "$(oneline <<<"$line")"
    else
        fail "$name" "exit $rc (wanted $want), wanted /$re/, got: $(oneline 300 <<<"$out")"
    fi
}

start() {  # start NAME CMD...: a bounded background server
    local name=$1
    shift
    timeout -k 2 "$SRV_T" "$@" >"$TMP/$name.log" 2>&1 &
    PIDS+=($!)
}

listening() {
    if have ss; then
        ss -lnHt "sport = :$1" 2>/dev/null | grep -q .
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

wait_listen() {  # wait_listen PORT NAME: true once something listens on PORT
    local i
    for i in $(seq 100); do
        listening "$1" && return 0
        sleep 0.1
    done
    echo "note: $2 is not listening on port $1; see its log:" >&2
    tail -n 5 "$TMP/$2.log" >&2 2>/dev/null
    return 1
}

# ------------------------------------------------------------------ targets
mkdir -p "$TMP/www"
printf 'hi\n' >"$TMP/www/a.txt"
PY=python3
start http4 $PY -m http.server --bind 127.0.0.1 --directory "$TMP/www" $HTTP
HAVE_V6=0
if $PY -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    start http6 $PY -m http.server --bind ::1 --directory "$TMP/www" $HTTP
    HAVE_V6=1
fi
REFUSED=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
U4="http://127.0.0.1:$HTTP/a.txt"
UH="http://localhost:$HTTP/a.txt"
U6="http://[::1]:$HTTP/a.txt"
UR="http://127.0.0.1:$REFUSED/"
# Listen with a backlog of 0 and never accept; once the queue is full, SYNs are dropped.
cat >"$TMP/blackhole.py" <<'EOF'
import socket, sys, time
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", int(sys.argv[1])))
l.listen(0)
fill = []
for _ in range(4):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(l.getsockname())
    except BlockingIOError:
        pass
    fill.append(c)
time.sleep(float(sys.argv[2]))
EOF
start blackhole $PY "$TMP/blackhole.py" $BLACKHOLE $SRV_T

# ------------------------------------------------------------------ sockswire proxies
start sw "$BIN" proxy --listen 127.0.0.1:$SW
start sw_auth "$BIN" proxy --listen 127.0.0.1:$SW_AUTH --user alice --password s3cret
start sw_ctor "$BIN" proxy --listen 127.0.0.1:$SW_CTOR --profile ctor
start sw_rfc "$BIN" proxy --listen 127.0.0.1:$SW_RFC --profile rfc1928
start sw_slow "$BIN" proxy --listen 127.0.0.1:$SW_SLOW --connect-timeout 1
start sw_open "$BIN" proxy --listen 0.0.0.0:$SW_OPEN --allow-client 127.0.0.0/8
start tokio_proxy "$EX/tokio_proxy" 127.0.0.1:$TOKIO_PROXY

# ------------------------------------------------------------------ other SOCKS servers
HAVE_DANTE=0 HAVE_MICRO=0 HAVE_SSH=0 HAVE_TOR=0
if have danted && [[ $(id -u) == 0 ]]; then
    sed "s/port = 11080/port = $DANTE/" "$CONF/danted.conf" >"$TMP/danted.conf"
    start danted danted -f "$TMP/danted.conf" -p "$TMP/danted.pid"
    HAVE_DANTE=1
fi
if have microsocks; then
    start microsocks microsocks -i 127.0.0.1 -p $MICRO -u alice -P s3cret
    HAVE_MICRO=1
fi
SSHD_BIN=$(command -v sshd || echo /usr/sbin/sshd)
if [[ -x $SSHD_BIN ]] && have ssh && have ssh-keygen; then
    ssh-keygen -q -t ed25519 -N '' -f "$TMP/ssh_host_ed25519_key"
    ssh-keygen -q -t ed25519 -N '' -f "$TMP/id_ed25519"
    cp "$TMP/id_ed25519.pub" "$TMP/authorized_keys"
    sed -e "s#@DIR@#$TMP#g" -e "s/^Port .*/Port $SSHD/" "$CONF/sshd_config" >"$TMP/sshd_config"
    start sshd "$SSHD_BIN" -D -e -f "$TMP/sshd_config"
    HAVE_SSH=1
fi
if have tor; then
    mkdir -m 700 "$TMP/tor-data"
    sed -e "s#@DIR@#$TMP#g" -e "s/^SocksPort .*/SocksPort 127.0.0.1:$TOR ExtendedErrors/" \
        "$CONF/torrc" >"$TMP/torrc"
    start tor tor -f "$TMP/torrc"
    HAVE_TOR=1
fi

wait_listen $HTTP http4 || { echo "no HTTP server"; exit 1; }
for p in $SW:sw $SW_AUTH:sw_auth $SW_CTOR:sw_ctor $SW_RFC:sw_rfc $SW_SLOW:sw_slow $SW_OPEN:sw_open; do
    wait_listen "${p%%:*}" "${p#*:}" || { echo "sockswire proxy did not start"; exit 1; }
done
wait_listen $TOKIO_PROXY tokio_proxy || { echo "the tokio_proxy example did not start"; exit 1; }
[[ $HAVE_DANTE == 1 ]] && { wait_listen $DANTE danted || HAVE_DANTE=0; }
[[ $HAVE_MICRO == 1 ]] && { wait_listen $MICRO microsocks || HAVE_MICRO=0; }
if [[ $HAVE_SSH == 1 ]]; then
    if wait_listen $SSHD sshd; then
        start ssh-D ssh -F /dev/null -N -D 127.0.0.1:$SSH_D -i "$TMP/id_ed25519" \
            -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
            -o ExitOnForwardFailure=yes -p $SSHD "$(id -un)@127.0.0.1"
        wait_listen $SSH_D ssh-D || HAVE_SSH=0
    else
        HAVE_SSH=0
    fi
fi
[[ $HAVE_TOR == 1 ]] && { wait_listen $TOR tor || HAVE_TOR=0; }

echo "== curl $(curl --version | head -1 | cut -d' ' -f2) through sockswire proxy"
C=(curl -sS --max-time 10)
PX=127.0.0.1:$SW
for f in socks4 socks4a socks5 socks5-hostname; do
    expect "curl --$f 127.0.0.1" '^hi$' "${C[@]}" --$f $PX "$U4"
    expect "curl --$f localhost" '^hi$' "${C[@]}" --$f $PX "$UH"
done
if [[ $HAVE_V6 == 1 ]]; then
    expect "curl --socks5 [::1]" '^hi$' "${C[@]}" --socks5 $PX "$U6"
    expect "curl --socks5-hostname [::1]" '^hi$' "${C[@]}" --socks5-hostname $PX "$U6"
    expect "curl --socks5h via proxy on [::1]" '^hi$' \
        bash -c "timeout 5 '$BIN' proxy --listen '[::1]:$((SW + 10))' 2>/dev/null & sleep 0.5; \
                 curl -sS --max-time 5 --socks5-hostname '[::1]:$((SW + 10))' '$UH'; kill %1"
else
    skip "curl over IPv6" "no ::1"
fi
expect "curl --socks5 --proxy-user (any accepted)" '^hi$' "${C[@]}" --socks5 $PX --proxy-user x:y "$U4"
expect "curl --socks4 --proxy-user (user-id)" '^hi$' "${C[@]}" --socks4 $PX --proxy-user someone "$U4"
expect "curl socks5h:// URL form" '^hi$' "${C[@]}" -x socks5h://$PX "$UH"
for f in socks4 socks4a socks5 socks5-hostname; do
    expect "curl --$f refused port" '^curl: \(97\)' "${C[@]}" --$f $PX "$UR"
done
if [[ "${SWX_IN_NETNS:-}" == 1 ]]; then
    # No DNS server is reachable in the namespace: the lookup fails at once, and no query
    # leaves the machine.
    expect "curl --socks5-hostname unknown host" '^curl: \(97\)' \
        "${C[@]}" --socks5-hostname $PX "http://nxd.invalid/"
    expect "curl --socks4a unknown host" '^curl: \(97\)' \
        "${C[@]}" --socks4a $PX "http://nxd.invalid/"
else
    skip "curl unknown host" "only inside the network namespace (a DNS query)"
fi
expect "curl --socks5-hostname port 0" '^curl: \(97\)' \
    "${C[@]}" --socks5-hostname $PX "http://localhost:0/"
if wait_listen $BLACKHOLE blackhole; then
    expect "curl --socks5 connect timeout" '^curl: \(97\)' \
        "${C[@]}" --socks5 127.0.0.1:$SW_SLOW "http://127.0.0.1:$BLACKHOLE/"
    expect "curl --socks4 connect timeout" '^curl: \(97\)' \
        "${C[@]}" --socks4 127.0.0.1:$SW_SLOW "http://127.0.0.1:$BLACKHOLE/"
else
    skip "curl connect timeout" "no blackhole listener"
fi
if [[ "${SWX_IN_NETNS:-}" == 1 ]]; then
    # Only loopback exists in the namespace: any other address has no route.
    expect "curl --socks5 no route (netns)" '^curl: \(97\)' \
        "${C[@]}" --socks5 $PX "http://10.255.255.1/"
else
    skip "curl no route" "only inside the network namespace"
fi

echo "== curl, username/password required (--user alice --password s3cret)"
PA=127.0.0.1:$SW_AUTH
expect "curl --socks5 good password" '^hi$' "${C[@]}" --socks5 $PA --proxy-user alice:s3cret "$U4"
expect "curl --socks5-hostname good password" '^hi$' \
    "${C[@]}" --socks5-hostname $PA --proxy-user alice:s3cret "$UH"
expect "curl --socks5 bad password" '^curl: \(97\)' "${C[@]}" --socks5 $PA --proxy-user alice:wrong "$U4"
expect "curl --socks5 no credentials" '^curl: \(97\)' "${C[@]}" --socks5 $PA "$U4"
expect "curl --socks4 (cannot authenticate)" '^curl: \(97\)' \
    "${C[@]}" --socks4 $PA --proxy-user alice "$U4"
expect "curl --socks4a (cannot authenticate)" '^curl: \(97\)' "${C[@]}" --socks4a $PA "$UH"

echo "== curl, access policy (refusals: 05 02 / 5B)"
for f in socks4 socks4a socks5 socks5-hostname; do
    expect "curl --$f to the proxy itself" '^curl: \(97\)' \
        "${C[@]}" --$f $PX "http://127.0.0.1:$SW/"
done
expect "curl --socks5-hostname to localhost:proxy" '^curl: \(97\)' \
    "${C[@]}" --socks5-hostname $PX "http://localhost:$SW/"
expect "curl --socks5 ::ffff:127.0.0.1:proxy" '^curl: \(97\)' \
    "${C[@]}" --socks5 $PX "http://[::ffff:127.0.0.1]:$SW/"
PO=127.0.0.1:$SW_OPEN
for f in socks4 socks4a socks5 socks5-hostname; do
    expect "curl --$f loopback via 0.0.0.0 listener" '^curl: \(97\)' "${C[@]}" --$f $PO "$UH"
done
ONION=2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion
expect "curl --socks5-hostname .onion (answered, no DNS)" '^curl: \(97\)' \
    "${C[@]}" --socks5-hostname $PX "http://$ONION/"
expect "curl --socks4a .onion (answered, no DNS)" '^curl: \(97\)' \
    "${C[@]}" --socks4a $PX "http://$ONION/"
expect "proxy on 0.0.0.0 without --user/--allow-client" 'allow-client' \
    "$BIN" proxy --listen 0.0.0.0:$((SW_OPEN + 10))

echo "== curl, other profiles"
for p in $SW_CTOR:ctor $SW_RFC:rfc1928; do
    for f in socks4 socks4a socks5 socks5-hostname; do
        expect "curl --$f profile ${p#*:}" '^hi$' "${C[@]}" --$f "127.0.0.1:${p%%:*}" "$UH"
    done
done
expect "curl as an HTTP proxy, profile ctor" '501 Tor is not an HTTP Proxy' \
    "${C[@]}" -i "http://127.0.0.1:$SW_CTOR/"
expect "curl as an HTTP proxy, profile arti" '^curl: \(52\)' \
    "${C[@]}" -i "http://127.0.0.1:$SW/"

echo "== other clients through sockswire proxy"
REQ='GET /a.txt HTTP/1.0\r\nHost: localhost\r\n\r\n'
if have ncat; then
    expect "ncat socks5 remote DNS" '^hi$' bash -c \
        "printf '$REQ' | ncat --proxy $PX --proxy-type socks5 --proxy-dns remote localhost $HTTP"
    expect "ncat socks4" '^hi$' bash -c \
        "printf '$REQ' | ncat --proxy $PX --proxy-type socks4 127.0.0.1 $HTTP"
    expect "ncat socks5 --proxy-auth" '^hi$' bash -c \
        "printf '$REQ' | ncat --proxy $PA --proxy-type socks5 --proxy-auth alice:s3cret 127.0.0.1 $HTTP"
    expect "ncat socks5 bad password" 'Ncat: .*' bash -c \
        "printf '$REQ' | ncat --proxy $PA --proxy-type socks5 --proxy-auth alice:wrong 127.0.0.1 $HTTP"
    expect "ncat socks5 refused port" 'Ncat: .*' bash -c \
        "printf '$REQ' | ncat --proxy $PX --proxy-type socks5 127.0.0.1 $REFUSED"
else
    skip "ncat" "not installed"
fi
if have socat; then
    expect "socat SOCKS4" '^hi$' bash -c \
        "printf '$REQ' | socat - SOCKS4:127.0.0.1:127.0.0.1:$HTTP,socksport=$SW"
    expect "socat SOCKS4A hostname" '^hi$' bash -c \
        "printf '$REQ' | socat - SOCKS4A:127.0.0.1:localhost:$HTTP,socksport=$SW"
    expect "socat SOCKS4 refused port" 'socks.*(reject|fail)' bash -c \
        "printf '$REQ' | socat - SOCKS4:127.0.0.1:127.0.0.1:$REFUSED,socksport=$SW"
else
    skip "socat" "not installed"
fi
if have proxychains4; then
    for kind in socks4 socks5; do
        printf 'strict_chain\nproxy_dns\nremote_dns_subnet 224\ntcp_read_time_out 8000\ntcp_connect_time_out 5000\n[ProxyList]\n%s 127.0.0.1 %s\n' \
            "$kind" "$SW" >"$TMP/proxychains.$kind.conf"
        expect "proxychains4 $kind (proxy_dns)" '^hi$' \
            proxychains4 -q -f "$TMP/proxychains.$kind.conf" curl -sS --max-time 10 "$UH"
    done
    printf 'strict_chain\n[ProxyList]\nsocks5 127.0.0.1 %s alice s3cret\n' "$SW_AUTH" \
        >"$TMP/proxychains.auth.conf"
    expect "proxychains4 socks5 user/pass" '^hi$' \
        proxychains4 -q -f "$TMP/proxychains.auth.conf" curl -sS --max-time 10 "$U4"
else
    skip "proxychains4" "not installed"
fi

# PySocks: any python3 on PATH or the system one that can import it.
PYSOCKS=""
for py in python3 /usr/bin/python3; do
    if have "$py" && "$py" -c 'import socks' 2>/dev/null; then PYSOCKS=$py; break; fi
done
if [[ -n "$PYSOCKS" ]]; then
    cat >"$TMP/pysocks_get.py" <<'EOF'
import sys, socks
kind, port, host, tport = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
user = sys.argv[5] if len(sys.argv) > 5 else None
pw = sys.argv[6] if len(sys.argv) > 6 else None
s = socks.socksocket()
s.settimeout(10)
s.set_proxy(getattr(socks, kind), "127.0.0.1", port, rdns=True, username=user, password=pw)
try:
    s.connect((host, tport))
    s.sendall(b"GET /a.txt HTTP/1.0\r\nHost: localhost\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    print(data.decode().split("\r\n\r\n", 1)[1], end="")
except Exception as e:
    print(f"{type(e).__name__}: {e}")
EOF
    PG=("$PYSOCKS" "$TMP/pysocks_get.py")
    expect "PySocks SOCKS5 rdns" '^hi$' "${PG[@]}" SOCKS5 $SW localhost $HTTP
    expect "PySocks SOCKS4a (rdns)" '^hi$' "${PG[@]}" SOCKS4 $SW localhost $HTTP
    expect "PySocks SOCKS5 user/pass" '^hi$' "${PG[@]}" SOCKS5 $SW_AUTH 127.0.0.1 $HTTP alice s3cret
    expect "PySocks SOCKS5 bad password" 'Error' "${PG[@]}" SOCKS5 $SW_AUTH 127.0.0.1 $HTTP alice wrong
    expect "PySocks SOCKS5 refused port" 'Error' "${PG[@]}" SOCKS5 $SW 127.0.0.1 $REFUSED
    expect "PySocks SOCKS4 refused port" 'Error' "${PG[@]}" SOCKS4 $SW 127.0.0.1 $REFUSED
else
    skip "PySocks" "python3 cannot import socks"
fi
if have tor-resolve; then
    expect "tor-resolve -5 localhost (RESOLVE)" '^127\.0\.0\.1$' tor-resolve -5 localhost 127.0.0.1:$SW
    expect "tor-resolve -4 localhost (SOCKS4a RESOLVE)" '^127\.0\.0\.1$' tor-resolve -4 localhost 127.0.0.1:$SW
    expect "tor-resolve -5 127.0.0.5 (IP literal)" '^127\.0\.0\.5$' tor-resolve -5 127.0.0.5 127.0.0.1:$SW
    expect "tor-resolve -x 127.0.0.1 (RESOLVE_PTR)" '^localhost' tor-resolve -x 127.0.0.1 127.0.0.1:$SW
    if [[ "${SWX_IN_NETNS:-}" == 1 ]]; then
        expect "tor-resolve -5 unknown host" 'warn|rror' tor-resolve -5 nxd.invalid 127.0.0.1:$SW
    fi
    expect "tor-resolve, profile rfc1928 (unsupported)" 'warn|rror' \
        tor-resolve -5 localhost 127.0.0.1:$SW_RFC
    expect "tor-resolve -x, profile ctor" '^localhost' \
        tor-resolve -x 127.0.0.1 127.0.0.1:$SW_CTOR
    expect "tor-resolve, user/pass required" 'warn|err' tor-resolve -5 localhost 127.0.0.1:$SW_AUTH
else
    skip "tor-resolve" "not installed"
fi

echo "== sockswire probe against other SOCKS servers"
expect_probe "probe sockswire socks5h CONNECT" 0 'reply: 00 SUCCEEDED' \
    --proxy socks5h://127.0.0.1:$SW localhost:$HTTP
expect_probe "probe sockswire socks4a relay" 0 '^hi$' \
    --proxy socks4a://127.0.0.1:$SW --relay localhost:$HTTP <<<"$(printf "$REQ")"
expect_probe "probe sockswire user/pass" 0 'reply: 00 SUCCEEDED' \
    --proxy socks5h://alice:s3cret@127.0.0.1:$SW_AUTH localhost:$HTTP
expect_probe "probe sockswire connect timeout" 1 'reply: 06 TTL_EXPIRED' \
    --proxy socks5://127.0.0.1:$SW_SLOW 127.0.0.1:$BLACKHOLE
expect_probe "probe sockswire ctor RESOLVE_PTR of a name" 1 'reply: 08 ADDRTYPE_NOT_SUPPORTED' \
    --proxy socks5h://127.0.0.1:$SW_CTOR --resolve-ptr localhost
if [[ "${SWX_IN_NETNS:-}" == 1 ]]; then
    expect_probe "probe sockswire no route (netns)" 1 'reply: 03 NETWORK_UNREACHABLE' \
        --proxy socks5://127.0.0.1:$SW 10.255.255.1:80
fi
if [[ $HAVE_SSH == 1 ]]; then
    S=127.0.0.1:$SSH_D
    expect_probe "probe ssh -D socks5h CONNECT" 0 'reply: 00 SUCCEEDED' --proxy socks5h://$S localhost:$HTTP
    expect_probe "probe ssh -D socks5 CONNECT" 0 'reply: 00 SUCCEEDED' --proxy socks5://$S 127.0.0.1:$HTTP
    expect_probe "probe ssh -D socks4a CONNECT" 0 'reply: 5A GRANTED' --proxy socks4a://$S localhost:$HTTP
    expect_probe "probe ssh -D socks4 CONNECT" 0 'reply: 5A GRANTED' --proxy socks4://$S 127.0.0.1:$HTTP
    expect_probe "probe ssh -D relay" 0 '^hi$' --proxy socks5h://$S --relay localhost:$HTTP <<<"$(printf "$REQ")"
    # ssh -D reports the failed connect by closing: no reply at all.
    expect_probe "probe ssh -D refused port" 3 'EOF' --proxy socks5://$S 127.0.0.1:$REFUSED
    expect_probe "probe ssh -D RESOLVE" 3 'EOF|reply' --proxy socks5h://$S --resolve localhost
else
    skip "probe ssh -D" "sshd/ssh not available"
fi
if [[ $HAVE_DANTE == 1 ]]; then
    D=127.0.0.1:$DANTE
    expect_probe "probe dante socks5h CONNECT" 0 'reply: 00 SUCCEEDED' --proxy socks5h://$D localhost:$HTTP
    expect_probe "probe dante socks4 CONNECT" 0 'reply: 5A GRANTED' --proxy socks4://$D 127.0.0.1:$HTTP
    expect_probe "probe dante socks5 refused port" 1 'reply: 05 CONNECTION_REFUSED' \
        --proxy socks5://$D 127.0.0.1:$REFUSED
    expect_probe "probe dante socks4 refused port" 1 'reply: 5B REJECTED' \
        --proxy socks4://$D 127.0.0.1:$REFUSED
    expect_probe "probe dante socks4a (not implemented)" 1 'reply: 5B REJECTED' \
        --proxy socks4a://$D localhost:$HTTP
    # dante closes the connection on a command it does not know.
    expect_probe "probe dante RESOLVE (unknown to dante)" 3 'EOF' \
        --proxy socks5h://$D --resolve localhost
    expect_probe "probe dante --optimistic" 0 'reply: 00 SUCCEEDED' \
        --proxy socks5h://$D --optimistic localhost:$HTTP
else
    skip "probe danted" "danted not available (needs root)"
fi
if [[ $HAVE_MICRO == 1 ]]; then
    M=127.0.0.1:$MICRO
    expect_probe "probe microsocks good password" 0 'reply: 00 SUCCEEDED' \
        --proxy socks5://alice:s3cret@$M 127.0.0.1:$HTTP
    expect_probe "probe microsocks bad password" 1 'refused: the proxy rejected our credentials' \
        --proxy socks5://$M --user alice --password wrong 127.0.0.1:$HTTP
    expect_probe "probe microsocks no credentials" 1 'refused: .*NO_ACCEPTABLE' \
        --proxy socks5://$M 127.0.0.1:$HTTP
    expect_probe "probe microsocks refused port" 1 'reply: 05 CONNECTION_REFUSED' \
        --proxy socks5://alice:s3cret@$M 127.0.0.1:$REFUSED
    # microsocks 1.0.3 drops what follows the greeting in the same read: it waits forever.
    expect_probe "probe microsocks --optimistic (stalls)" 3 'no answer from the proxy' \
        --proxy socks5h://alice:s3cret@$M --optimistic --timeout 1 localhost:$HTTP
else
    skip "probe microsocks" "microsocks not installed"
fi
if [[ $HAVE_TOR == 1 ]]; then
    T=127.0.0.1:$TOR
    expect_probe "probe tor RESOLVE 127.0.0.5" 0 'resolved: 127\.0\.0\.5' \
        --proxy socks5h://$T --resolve 127.0.0.5
    expect_probe "probe tor socks4a RESOLVE 127.0.0.5" 0 'resolved: 127\.0\.0\.5' \
        --proxy socks4a://$T --resolve 127.0.0.5
    expect_probe "probe tor RESOLVE [::1]" 0 'resolved: ::1' --proxy socks5h://$T --resolve '[::1]'
    # A name needs a circuit: offline, tor answers when its SocksTimeout (10 s) passes.
    expect_probe "probe tor RESOLVE localhost (SocksTimeout)" 1 'reply: 04 HOST_UNREACHABLE' \
        --proxy socks5h://$T --timeout 15 --resolve localhost
    expect_probe "probe tor RESOLVE_PTR offline" 1 'reply: 04 HOST_UNREACHABLE' \
        --proxy socks5h://$T --resolve-ptr 127.0.0.5
    expect_probe "probe tor bad onion address (extended)" 1 'reply: F6 HS_BAD_ADDRESS' \
        --proxy socks5h://$T aaaa.onion:80
    expect_probe "probe tor user/pass (isolation, extended)" 1 'reply: F6 HS_BAD_ADDRESS' \
        --proxy socks5h://$T --user iso --password 1 bbbb.onion:80
else
    skip "probe tor" "tor not available"
fi

echo "== the adapters' examples (sockswire::io) through other SOCKS servers"
# $REQ gets an HTTP answer ending in "hi"; empty input to sshd's port gets its banner, which
# a target sends first, so it may arrive with the proxy's reply (leftover bytes).
for c in blocking_client tokio_client; do
    expect_client "$c sockswire socks5h" 0 '^hi$' $c socks5h://127.0.0.1:$SW localhost:$HTTP "$REQ"
    expect_client "$c sockswire socks4a" 0 '^hi$' $c socks4a://127.0.0.1:$SW localhost:$HTTP "$REQ"
    expect_client "$c sockswire user/pass" 0 '^hi$' $c socks5://alice:s3cret@127.0.0.1:$SW_AUTH 127.0.0.1:$HTTP "$REQ"
    expect_client "$c sockswire refused port" 1 'CONNECTION_REFUSED' $c socks5://127.0.0.1:$SW 127.0.0.1:$REFUSED
    if [[ $HAVE_SSH == 1 ]]; then
        S=127.0.0.1:$SSH_D
        expect_client "$c ssh -D socks5h" 0 '^hi$' $c socks5h://$S localhost:$HTTP "$REQ"
        expect_client "$c ssh -D socks4" 0 '^hi$' $c socks4://$S 127.0.0.1:$HTTP "$REQ"
        expect_client "$c ssh -D to sshd (server first)" 0 '^SSH-2\.0-' $c socks5h://$S localhost:$SSHD
        expect_client "$c sockswire to sshd (server first)" 0 '^SSH-2\.0-' $c socks5://127.0.0.1:$SW 127.0.0.1:$SSHD
        # ssh -D reports a failed connect by closing: no reply at all.
        expect_client "$c ssh -D refused port" 2 'peer closed' $c socks5://$S 127.0.0.1:$REFUSED
    else
        skip "$c ssh -D" "sshd/ssh not available"
    fi
    if [[ $HAVE_DANTE == 1 ]]; then
        D=127.0.0.1:$DANTE
        expect_client "$c dante socks5h" 0 '^hi$' $c socks5h://$D localhost:$HTTP "$REQ"
        expect_client "$c dante socks4" 0 '^hi$' $c socks4://$D 127.0.0.1:$HTTP "$REQ"
        expect_client "$c dante refused port" 1 'CONNECTION_REFUSED' $c socks5://$D 127.0.0.1:$REFUSED
        [[ $HAVE_SSH == 1 ]] && expect_client "$c dante to sshd (server first)" 0 '^SSH-2\.0-' \
            $c socks5://$D 127.0.0.1:$SSHD
    else
        skip "$c dante" "danted not available (needs root)"
    fi
    if [[ $HAVE_MICRO == 1 ]]; then
        M=127.0.0.1:$MICRO
        # microsocks 1.0.3 closes both directions when the client half-closes, so the
        # answer to a request sent with EOF is lost: check the handshake here, and the relay
        # with the banner below (which arrives while the client still holds its input open).
        expect_client "$c microsocks user/pass" 0 '^reply: SUCCEEDED' $c socks5://alice:s3cret@$M 127.0.0.1:$HTTP "$REQ"
        expect_client "$c microsocks bad password" 2 'rejected our credentials' \
            $c socks5://alice:wrong@$M 127.0.0.1:$HTTP
        [[ $HAVE_SSH == 1 ]] && CLIENT_IN_DELAY=1 expect_client "$c microsocks to sshd (server first)" \
            0 '^SSH-2\.0-' $c socks5://alice:s3cret@$M 127.0.0.1:$SSHD
    else
        skip "$c microsocks" "microsocks not installed"
    fi
    if [[ $HAVE_TOR == 1 ]]; then
        # Offline, tor still answers a malformed onion address at once, with an extended code.
        expect_client "$c tor bad onion (extended)" 1 'HS_BAD_ADDRESS' $c socks5h://127.0.0.1:$TOR aaaa.onion:80
    else
        skip "$c tor" "tor not available"
    fi
done

echo "== curl through the tokio_proxy example"
PT=127.0.0.1:$TOKIO_PROXY
for f in socks4 socks4a socks5 socks5-hostname; do
    expect "curl --$f via tokio_proxy" '^hi$' "${C[@]}" --$f $PT "$UH"
    expect "curl --$f via tokio_proxy, refused" '^curl: \(97\)' "${C[@]}" --$f $PT "$UR"
done
[[ $HAVE_V6 == 1 ]] && expect "curl --socks5 [::1] via tokio_proxy" '^hi$' "${C[@]}" --socks5 $PT "$U6"

echo "== sockswire proxy log (last lines)"
tail -n 4 "$TMP/sw.log" | sed 's/^/   | /'
grep -c '^#' "$TMP"/sw*.log | sed 's/^/   connections logged: /'
if grep -aqiE 'panicked|RUST_BACKTRACE' "$TMP"/sw*.log "$TMP"/tokio_proxy.log; then
    fail "sockswire proxy did not panic" "$(grep -aiE -m1 panicked "$TMP"/sw*.log "$TMP"/tokio_proxy.log)"
else
    pass "sockswire proxy did not panic" "$(cat "$TMP"/sw*.log | grep -c '^#') connections"
fi

echo "$SKIP skipped"
echo "$PASS passed, $FAIL failed"
[[ $FAIL == 0 ]]
