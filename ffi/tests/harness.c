/*
 * harness.c: `sockswire dissect --json` again, in C, through the C API alone
 * (ffi/include/sockswire.h), to show the API is enough for an analyser and to run the
 * library under valgrind.
 *
 *   harness FILE.pcap|FILE.pcapng    JSON lines on stdout, byte for byte what
 *                                    `sockswire dissect --json FILE` prints
 *
 * It reads classic pcap (micro- and nanosecond) and pcapng itself (Ethernet with VLAN tags,
 * Linux cooked v1 and v2, BSD loopback, raw IP; IPv4 and IPv6), reassembles TCP per
 * direction (order, retransmissions, holes as gaps), tells SOCKS from other traffic with
 * sockswire_probe exactly as the CLI does (flow.rs), feeds each direction to a
 * SwDissector, and writes events, transactions and UDP ASSOCIATE datagrams with the CLI's
 * field names. Not reproduced: fragmented UDP datagrams (FRAG != 0; the C API has no UDP
 * reassembler yet, so they are written as "fragment N" without the queue's verdict) and
 * --ports; neither occurs in samples/.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

Flow **flows;
size_t n_flows, cap_flows;
Relay *relays;
size_t n_relays, cap_relays;

void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        perror("harness");
        exit(2);
    }
    return q;
}

int ep_cmp(const Endpoint *a, const Endpoint *b) {
    if (a->v6 != b->v6) return a->v6 < b->v6 ? -1 : 1;
    int c = memcmp(a->ip, b->ip, a->v6 ? 16 : 4);
    if (c) return c < 0 ? -1 : 1;
    return a->port < b->port ? -1 : a->port > b->port;
}

int ep_eq(const Endpoint *a, const Endpoint *b) { return ep_cmp(a, b) == 0; }

void ip_text(const Endpoint *e, char *buf, size_t cap) {
    inet_ntop(e->v6 ? AF_INET6 : AF_INET, e->ip, buf, (socklen_t)cap);
}

/* The CLI's zeek_uid: FNV-1a twice over both endpoints and the first packet's time. */
void zeek_uid(const Endpoint *a, const Endpoint *b, double ts, char out[19]) {
    uint8_t bytes[64];
    size_t n = 0;
    const Endpoint *eps[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        size_t l = eps[i]->v6 ? 16 : 4;
        memcpy(bytes + n, eps[i]->ip, l);
        n += l;
        bytes[n++] = (uint8_t)(eps[i]->port >> 8);
        bytes[n++] = (uint8_t)eps[i]->port;
    }
    int64_t us = (int64_t)round(ts * 1e6);
    for (int i = 7; i >= 0; i--) bytes[n++] = (uint8_t)((uint64_t)us >> (8 * i));
    uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x84222325cbf29ce4ull;
    for (size_t i = 0; i < n; i++) {
        h1 = (h1 ^ bytes[i]) * 0x100000001b3ull;
        h2 = (h2 ^ bytes[i]) * 0x100000001b3ull;
    }
    unsigned __int128 v = ((unsigned __int128)h1 << 32) ^ h2;
    v &= (((unsigned __int128)1) << 96) - 1;
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    out[0] = 'C';
    for (int i = 1; i <= 17; i++) {
        out[i] = digits[(int)(v % 62)];
        v /= 62;
    }
    out[18] = 0;
}

/* ---- events out ------------------------------------------------------------------ */

static void flow_head(Json *j, const Flow *f, double ts) {
    char ip[64];
    json_ts(j, ts);
    json_str(j, "uid", f->uid);
    ip_text(&f->client, ip, sizeof ip);
    json_str(j, "client", ip);
    json_u64(j, "client_port", f->client.port);
    ip_text(&f->server, ip, sizeof ip);
    json_str(j, "server", ip);
    json_u64(j, "server_port", f->server.port);
}

static void transaction_out(Flow *f, const SwTransaction *t) {
    Json j;
    char text[600];
    double ts = f->have_tx_ts ? f->tx_ts : f->ts;
    f->have_tx_ts = 0;
    json_begin(&j);
    flow_head(&j, f, ts);
    json_str(&j, "event", "transaction");
    if (t->version) json_u64(&j, "version", t->version);
    if (t->has_method) {
        code_name(SW_CODES_METHOD, t->method, text, sizeof text);
        json_str(&j, "method", text);
    }
    static const char *auth[] = {NULL, "NotNeeded", "Accepted", "Refused", "NoAcceptableMethod"};
    if (t->auth == SW_AUTH_REFUSED) {
        snprintf(text, sizeof text, "Refused(%u)", t->auth_status);
        json_str(&j, "auth", text);
    } else if (t->auth > 0 && t->auth <= SW_AUTH_NO_ACCEPTABLE_METHOD) {
        json_str(&j, "auth", auth[t->auth]);
    }
    if (t->user) json_bytes(&j, "user", t->user, t->user_len);
    if (t->password) json_bytes(&j, "password", t->password, t->password_len);
    if (t->has_command) {
        code_name(SW_CODES_COMMAND, t->command, text, sizeof text);
        json_str(&j, "command", text);
    }
    if (t->target.kind != SW_ADDR_NONE) {
        host_port(&t->target, text, sizeof text);
        json_str(&j, "target", text);
    }
    if (t->has_request_offset) json_u64(&j, "request_offset", t->request_offset);
    json_raw_key(&j, "replies");
    json_putc(&j, '[');
    for (size_t i = 0; i < t->replies_len; i++) {
        Json r;
        json_begin(&r);
        json_u64(&r, "status", t->replies[i].status);
        host_port(&t->replies[i].bound, text, sizeof text);
        json_str(&r, "bound", text);
        json_u64(&r, "offset", t->replies[i].offset);
        json_end(&r);
        if (i) json_putc(&j, ',');
        json_append(&j, &r);
        json_free(&r);
    }
    json_putc(&j, ']');
    json_raw_key(&j, "anomalies");
    json_putc(&j, '[');
    for (size_t i = 0; i < t->anomalies_len; i++) {
        if (i) json_putc(&j, ',');
        json_quoted(&j, sockswire_anomaly_name(t->anomalies[i].anomaly));
    }
    json_putc(&j, ']');
    json_raw_key(&j, "complete");
    json_puts(&j, t->complete ? "true" : "false");
    json_end(&j);
    json_print(&j);
    json_free(&j);
}

static void relay_add(Flow *f, const SwEvent *e) {
    const SwHostPort *a = &e->message.addr;
    Endpoint r;
    memset(&r, 0, sizeof r);
    static const uint8_t zero[16];
    if (a->kind == SW_ADDR_IPV4 && memcmp(a->ip, zero, 4) != 0) {
        memcpy(r.ip, a->ip, 4);
    } else if (a->kind == SW_ADDR_IPV6 && memcmp(a->ip, zero, 16) != 0) {
        r.v6 = 1;
        memcpy(r.ip, a->ip, 16);
    } else {
        r = f->server;
    }
    r.port = a->port;
    for (size_t i = 0; i < n_relays; i++) {
        if (ep_eq(&relays[i].relay, &r)) {
            memcpy(relays[i].uid, f->uid, sizeof f->uid);
            return;
        }
    }
    if (n_relays == cap_relays) {
        cap_relays = cap_relays ? 2 * cap_relays : 8;
        relays = xrealloc(relays, cap_relays * sizeof *relays);
    }
    relays[n_relays].relay = r;
    memcpy(relays[n_relays++].uid, f->uid, sizeof f->uid);
}

static void event_out(Flow *f, double ts, const SwEvent *e) {
    const SwMessage *m = &e->message;
    if (m->kind != SW_KIND_ANOMALY && m->kind != SW_KIND_PAYLOAD_START && m->kind != SW_KIND_END &&
        !f->have_tx_ts) {
        f->have_tx_ts = 1;
        f->tx_ts = ts;
    }
    if (m->kind == SW_KIND_SOCKS5_REQUEST) {
        f->have_command = 1;
        f->command = m->code;
    } else if (m->kind == SW_KIND_SOCKS5_REPLY && f->have_command && f->command == 3) {
        relay_add(f, e);
    }
    Json j;
    json_begin(&j);
    flow_head(&j, f, ts);
    event_fields(&j, e);
    json_end(&j);
    json_print(&j);
    json_free(&j);
}

/* Reads every event (and the transactions they complete) of the last call on `f->d`. */
void drain(Flow *f, double ts, int status) {
    if (status != SW_OK) {
        fprintf(stderr, "harness: dissector call failed: %d\n", status);
        exit(2);
    }
    SwEvent e;
    SwTransaction t;
    while (sockswire_dissector_next_event(f->d, &e) == SW_OK) {
        event_out(f, ts, &e);
        if (e.completes_transaction && sockswire_dissector_next_transaction(f->d, &t) == SW_OK)
            transaction_out(f, &t);
    }
    while (sockswire_dissector_next_transaction(f->d, &t) == SW_OK) transaction_out(f, &t);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: harness FILE.pcap|FILE.pcapng\n");
        return 2;
    }
    double last_ts = 0;
    int ok = read_capture(argv[1], &last_ts);
    finish_all(last_ts);
    for (size_t i = 0; i < n_flows; i++) flow_free(flows[i]);
    free(flows);
    free(relays);
    fflush(stdout);
    return ok ? 0 : 1;
}
