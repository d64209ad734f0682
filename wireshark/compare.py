#!/usr/bin/env python3
"""Compares tshark's view of a capture with `sockswire dissect --json` (python3 stdlib only).

    compare.py WANT.jsonl PLUGIN.json STOCK.json NAME

WANT.jsonl: `sockswire dissect --json FILE`. PLUGIN.json: `tshark -r FILE -Y sockswire -T json
--no-duplicate-keys` with the plug-in. STOCK.json: the same with the stock `socks` dissector
forced on the SOCKS server ports (`-d tcp.port==P,socks`), filter `socks`.

Every event line of WANT except "transaction" rows and what only the end of a TCP stream
produces ("end" events and "truncated" findings: Wireshark calls a TCP sub-dissector only for
segments with payload) must appear, in order, as one `sockswire.event` subtree whose
`sockswire.<key>` fields equal the line's values (numeric codes: `command_code` is
`sockswire.command`; the name keys `command`, `results_name` and `auth_accepted_method_name`
come from the same library tables as the codes' value strings, so the codes are compared).

Prints one line: `NAME: P passed, F failed (...); content fields: plug-in X of C, stock socks
S of C`. Content fields are those with a `socks.*` counterpart; the stock dissector is
credited with all of an event's content fields when one frame shows every one of them with
the right values (lenient about position and extra fields), with none otherwise. Exit status
1 on any failure.
"""

import json
import sys

SKIP_KEYS = {"ts", "uid", "client", "client_port", "server", "server_port", "event",
             "command", "results_name", "auth_accepted_method_name"}
RENAME = {"command_code": "command"}
STOCK_NAME = {"gssapi_command": "gssapi.command", "gssapi_length": "gssapi.length"}
# Keys with a socks.* field in the stock dissector (its "content").
STOCK_KEYS = {"version", "command_code", "dst", "dstV6", "remote_name", "dstport", "port",
              "username", "password", "auth_method_count", "auth_method", "auth_accepted_method",
              "results", "reserved", "address_type", "auth_status", "subnegotiation_version",
              "v4a_dns_name", "gssapi_command", "gssapi_length", "fragment_number"}


def stock_name(e, key):
    """The stock field for a key (BIND's second reply keeps its port in remote_host_port)."""
    if e["event"] == "bind_second_reply" and key == "port":
        return "remote_host_port"
    return STOCK_NAME.get(key, RENAME.get(key, key))


def as_list(v):
    return v if isinstance(v, list) else [v]


def want_events(path):
    out = []
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            if e["event"] in ("transaction", "end") or e.get("anomaly") == "truncated":
                continue
            out.append(e)
    return out


def frames(path):
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text) if text else []


def plugin_events(path):
    out = []
    for fr in frames(path):
        layer = fr["_source"]["layers"].get("sockswire")
        for layer in as_list(layer) if layer else []:
            if not isinstance(layer, dict):
                continue  # a frame with nothing decoded yet
            names = as_list(layer.get("sockswire.event", []))
            trees = as_list(layer.get("sockswire.event_tree", []))
            out.extend(zip(names, trees))
    return out


def stock_values(path):
    """Per frame, every (field, value) the stock dissector shows in it."""
    out = []

    def walk(o):
        nonlocal seen
        if isinstance(o, dict):
            for k, v in o.items():
                if k.startswith("socks.") and not isinstance(v, (dict, list)):
                    seen.add((k, str(v)))
                elif k.startswith("socks.") and isinstance(v, list):
                    for x in v:
                        if not isinstance(x, (dict, list)):
                            seen.add((k, str(x)))
                        else:
                            walk(x)
                else:
                    walk(v)
        elif isinstance(o, list):
            for x in o:
                walk(x)

    for fr in frames(path):
        seen = set()
        walk(fr["_source"]["layers"])
        out.append(seen)
    return out


def main():
    want_path, plugin_path, stock_path, name = sys.argv[1:5]
    want = want_events(want_path)
    got = plugin_events(plugin_path)
    stock = stock_values(stock_path)
    passed = failed = stock_found = content = content_passed = 0
    problems = []
    for i, e in enumerate(want):
        g = got[i] if i < len(got) else None
        if g is None or g[0] != e["event"]:
            problems.append(f"event {i}: want {e['event']}, got {g[0] if g else 'nothing'}")
            g = None
        for key, value in e.items():
            if key in SKIP_KEYS:
                continue
            field = "sockswire." + RENAME.get(key, key)
            want_v = [str(v) for v in as_list(value)]
            got_v = [str(v) for v in as_list(g[1].get(field, []))] if g else []
            ok = want_v == got_v
            if ok:
                passed += 1
            else:
                failed += 1
                problems.append(f"event {i} ({e['event']}): {field} want {want_v} got {got_v}")
            if key in STOCK_KEYS:
                content += 1
                content_passed += ok
        # The stock dissector decodes an event if one frame shows all its content fields.
        pairs = {("socks." + stock_name(e, k), str(v))
                 for k, value in e.items() if k in STOCK_KEYS for v in as_list(value)}
        if pairs and any(pairs <= frame for frame in stock):
            stock_found += sum(1 for k in e if k in STOCK_KEYS)
    if len(got) > len(want):
        failed += 1
        problems.append(f"{len(got) - len(want)} events more than dissect --json: {got[len(want):][:3]}")
    for p in problems[:10]:
        print(f"  {name}: {p}")
    print(f"{name}: {passed} passed, {failed} failed ({len(want)} events); content fields: "
          f"plug-in {content_passed} of {content}, stock socks {stock_found} of {content}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
