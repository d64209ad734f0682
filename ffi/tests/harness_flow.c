/* harness_flow.c: TCP connections as the CLI handles them (src/cli/tcp.rs, dissect.rs,
 * dissect/flow.rs): reassembly per direction, detection with sockswire_probe, the bytes held
 * until it decides, and the dissector calls. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static int32_t ahead(uint32_t a, uint32_t b) { return (int32_t)(b - a); }

/* ---- delivery --------------------------------------------------------------------- */

static uint8_t dir_of(const Flow *f, int i) {
    const Endpoint *other = ep_eq(&f->first, &f->client) ? &f->server : &f->client;
    const Endpoint *src = i == 0 ? &f->first : other;
    return ep_eq(src, &f->client) ? SW_DIR_C2S : SW_DIR_S2C;
}

static void feed(Flow *f, int i, double ts, const uint8_t *data, size_t len) {
    size_t n;
    uint8_t dir = dir_of(f, i);
    int s = data ? sockswire_dissector_feed(f->d, dir, data, len, &n)
                 : sockswire_dissector_gap(f->d, dir, len, &n);
    drain(f, ts, s);
}

static void held_clear(Flow *f) {
    Held *h = f->held;
    while (h) {
        Held *next = h->next;
        free(h->data);
        free(h);
        h = next;
    }
    f->held = NULL;
    f->held_tail = &f->held;
}

/* Replays what was held, once the flow is SOCKS. */
static void replay(Flow *f, double ts) {
    Held *h = f->held;
    f->held = NULL;
    f->held_tail = &f->held;
    while (h) {
        Held *next = h->next;
        feed(f, h->sender, ts, h->data, h->len);
        free(h->data);
        free(h);
        h = next;
    }
}

static int skip(Flow *f) {
    f->verdict = SKIPPED;
    held_clear(f);
    return 0;
}

/* flow.rs `decide`: 1 when the held chunks are to be replayed. */
static int decide(Flow *f, int i, int at_end) {
    if (f->prefix_len[i] == 0) return 0;
    int full = at_end || f->frozen[i] || f->prefix_len[i] >= PROBE_CAP;
    SwProbe p;
    if (sockswire_probe(f->prefix[i], f->prefix_len[i], f->prefix[1 - i], f->prefix_len[1 - i], &p) !=
        SW_OK) {
        fprintf(stderr, "harness: sockswire_probe failed\n");
        exit(2);
    }
    if (p.verdict == SW_PROBE_SOCKS) {
        if (p.dir != dir_of(f, i)) {
            if (f->roles_known) return full ? skip(f) : 0;
            Endpoint t = f->client;
            f->client = f->server;
            f->server = t;
        }
        f->verdict = SOCKS;
        f->prefix_len[0] = f->prefix_len[1] = 0;
        return 1;
    }
    if (p.verdict == SW_PROBE_NOT_SOCKS) return skip(f);
    return full ? skip(f) : 0;
}

static void deliver(Flow *f, int i, double ts, const uint8_t *data, size_t len) {
    if (f->verdict == SOCKS) {
        feed(f, i, ts, data, len);
        return;
    }
    if (f->verdict == SKIPPED) return;
    Held *h = xrealloc(NULL, sizeof *h);
    h->sender = i;
    h->len = len;
    h->data = NULL;
    h->next = NULL;
    if (data) {
        if (!f->frozen[i]) {
            size_t room = PROBE_CAP - f->prefix_len[i];
            size_t n = len < room ? len : room;
            memcpy(f->prefix[i] + f->prefix_len[i], data, n);
            f->prefix_len[i] += n;
        }
        h->data = xrealloc(NULL, len);
        memcpy(h->data, data, len);
    } else {
        f->frozen[i] = 1;
    }
    *f->held_tail = h;
    f->held_tail = &h->next;
    if (decide(f, i, 0)) replay(f, ts);
}

/* ---- reassembly (tcp.rs) ------------------------------------------------------------- */

static void drain_pending(Flow *f, int i, double ts) {
    Reasm *r = &f->reasm[i];
    for (;;) {
        Pending **pp = &r->pending;
        while (*pp && ahead(r->next, (*pp)->seq) > 0) pp = &(*pp)->next;
        Pending *p = *pp;
        if (!p) return;
        *pp = p->next;
        r->pending_bytes -= p->len;
        size_t skipn = (size_t)ahead(p->seq, r->next);
        if (skipn < p->len) {
            deliver(f, i, ts, p->data + skipn, p->len - skipn);
            r->next += (uint32_t)(p->len - skipn);
        }
        free(p->data);
        free(p);
    }
}

static void skip_hole(Flow *f, int i, double ts) {
    Reasm *r = &f->reasm[i];
    Pending *first = NULL;
    for (Pending *p = r->pending; p; p = p->next)
        if (!first || ahead(r->next, p->seq) < ahead(r->next, first->seq)) first = p;
    if (!first) return;
    int32_t gap = ahead(r->next, first->seq);
    deliver(f, i, ts, NULL, gap > 0 ? (size_t)gap : 0);
    r->next = first->seq;
    drain_pending(f, i, ts);
}

static void reasm_segment(Flow *f, int i, double ts, uint32_t seq, int syn, int fin,
                          const uint8_t *payload, size_t len) {
    Reasm *r = &f->reasm[i];
    uint32_t data_seq = syn ? seq + 1 : seq;
    if (!r->have_next) {
        r->have_next = 1;
        r->next = data_seq;
    }
    if (fin) r->fin = 1;
    if (len == 0) return;
    int32_t off = ahead(r->next, data_seq);
    if (off <= 0) {
        size_t skipn = (size_t)(-(int64_t)off);
        if (skipn < len) {
            deliver(f, i, ts, payload + skipn, len - skipn);
            r->next += (uint32_t)(len - skipn);
            drain_pending(f, i, ts);
        }
        return;
    }
    if (r->pending_bytes + len > MAX_PENDING) {
        skip_hole(f, i, ts);
        reasm_segment(f, i, ts, seq, syn, 0, payload, len);
        return;
    }
    for (Pending *p = r->pending; p; p = p->next)
        if (p->seq == data_seq) return;
    Pending *p = xrealloc(NULL, sizeof *p);
    p->seq = data_seq;
    p->len = len;
    p->data = xrealloc(NULL, len);
    memcpy(p->data, payload, len);
    p->next = r->pending;
    r->pending = p;
    r->pending_bytes += len;
}

/* ---- connections ---------------------------------------------------------------------- */

static Flow *flow_new(double ts, const Endpoint *src, const Endpoint *dst, int syn, int ack) {
    Flow *f = xrealloc(NULL, sizeof *f);
    memset(f, 0, sizeof *f);
    f->ts = ts;
    f->first = *src;
    f->client = syn && ack ? *dst : *src;
    f->server = syn && ack ? *src : *dst;
    f->roles_known = syn;
    if (ep_cmp(src, dst) <= 0) {
        f->key_a = *src, f->key_b = *dst;
    } else {
        f->key_a = *dst, f->key_b = *src;
    }
    zeek_uid(&f->key_a, &f->key_b, ts, f->uid);
    f->held_tail = &f->held;
    f->d = sockswire_dissector_new(0);
    if (!f->d) {
        fprintf(stderr, "harness: sockswire_dissector_new failed\n");
        exit(2);
    }
    return f;
}

void flow_free(Flow *f) {
    held_clear(f);
    for (int i = 0; i < 2; i++) {
        Pending *p = f->reasm[i].pending;
        while (p) {
            Pending *next = p->next;
            free(p->data);
            free(p);
            p = next;
        }
    }
    if (sockswire_dissector_free(f->d) != SW_OK) {
        fprintf(stderr, "harness: sockswire_dissector_free failed\n");
        exit(2);
    }
    free(f);
}

/* dissect.rs `finish`: what the reassemblers hold, a last decision, the end events. */
static void flow_finish(Flow *f, double ts) {
    if (f->ended) return;
    for (int i = 0; i < 2; i++)
        while (f->reasm[i].pending) skip_hole(f, i, ts);
    if (f->verdict == UNDECIDED) {
        int decided = 0;
        for (int i = 0; i < 2 && !decided; i++) {
            if (decide(f, i, 1)) {
                replay(f, ts);
                decided = 1;
            } else if (f->verdict != UNDECIDED) {
                decided = 1;
            }
        }
        if (!decided) skip(f);
    }
    if (f->verdict == SOCKS) {
        size_t n;
        drain(f, ts, sockswire_dissector_finish(f->d, SW_DIR_C2S, &n));
        drain(f, ts, sockswire_dissector_finish(f->d, SW_DIR_S2C, &n));
    }
    f->ended = 1;
}

static Flow *find(const Endpoint *a, const Endpoint *b) {
    for (size_t k = n_flows; k > 0; k--) {
        Flow *f = flows[k - 1];
        if ((ep_eq(&f->key_a, a) && ep_eq(&f->key_b, b)) || (ep_eq(&f->key_a, b) && ep_eq(&f->key_b, a)))
            return f;
    }
    return NULL;
}

void tcp_segment(double ts, const Endpoint *src, const Endpoint *dst, uint32_t seq, int syn, int ack,
                 int fin, int rst, const uint8_t *payload, size_t len) {
    Flow *f = find(src, dst);
    if (f && f->ended && syn && !ack) f = NULL; /* a new connection on the same ports */
    if (!f) {
        f = flow_new(ts, src, dst, syn, ack);
        if (n_flows == cap_flows) {
            cap_flows = cap_flows ? 2 * cap_flows : 16;
            flows = xrealloc(flows, cap_flows * sizeof *flows);
        }
        flows[n_flows++] = f;
    }
    if (f->ended) return;
    int i = !ep_eq(src, &f->first);
    if (f->verdict == SKIPPED) len = 0;
    reasm_segment(f, i, ts, seq, syn, fin, payload, len);
    if (rst || (f->reasm[0].fin && f->reasm[1].fin)) flow_finish(f, ts);
}

/* At the end of the capture: the connections still open, oldest first. */
void finish_all(double last_ts) {
    for (;;) {
        Flow *oldest = NULL;
        for (size_t k = 0; k < n_flows; k++)
            if (!flows[k]->ended && (!oldest || flows[k]->ts < oldest->ts)) oldest = flows[k];
        if (!oldest) return;
        flow_finish(oldest, last_ts);
    }
}
