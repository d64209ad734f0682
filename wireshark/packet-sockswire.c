/*
 * packet-sockswire.c: a Wireshark 4.0 plug-in that decodes SOCKS4, SOCKS4a and SOCKS5 (with
 * Tor's extensions) through sockswire's C API (ffi/include/sockswire.h, linked statically).
 *
 * Protocol "sockswire"; display-filter fields sockswire.* named as Wireshark's socks.*
 * fields, one subtree per sockswire event. TCP: a heuristic driven by sockswire_probe, and a
 * port preference. Per conversation, one SwDissector is fed every segment in its direction on
 * the first pass (it reassembles split and byte-wise messages itself); the events of each
 * frame are copied into file-scoped memory and shown on every pass. UDP ASSOCIATE: the relay
 * announced by the reply gets a UDP conversation whose datagrams are decoded. Findings are
 * expert info. RFC 1929 passwords are shown only with the "show_passwords" preference.
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/conversation.h>
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/dissectors/packet-tcp.h>
#include <string.h>

#include "sockswire.h"
#include "sockswire-fields.h"

#ifndef PLUGIN_VERSION
#define PLUGIN_VERSION "0.2.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
WS_DLL_PUBLIC void plugin_register(void);

#define DEFAULT_PORTS "1080,9050,9150"
/* Bytes of each direction held while the probe cannot decide. */
#define PROBE_CAP 1024

int proto_sockswire = -1;
static gint ett_sockswire = -1, ett_event = -1;
static expert_field ei_anomaly = EI_INIT, ei_security = EI_INIT;
static dissector_handle_t tcp_handle, udp_handle;
static gboolean show_passwords = FALSE;
static range_t *tcp_ports;

typedef struct {
    SwDissector *d;
    address first;
    guint32 first_port;
    gboolean roles_known;
    address client;
    guint32 client_port;
    gboolean decided, socks;
    guint8 prefix[2][PROBE_CAP];
    guint prefix_len[2];
    guint64 fed[2];
    gboolean have_command;
    guint8 command;
} conv_t;

typedef struct {
    address relay;
    guint32 relay_port;
} udp_conv_t;

/* A frame's events, copied out of the dissector. */
typedef struct {
    guint n;
    ev_t *ev;
} frame_t;

static gboolean free_dissector(wmem_allocator_t *a _U_, wmem_cb_event_t e _U_, void *d) {
    sockswire_dissector_free((SwDissector *)d);
    return FALSE;
}

static guint8 *dup_bytes(const guint8 *p, size_t n) {
    return p ? (guint8 *)wmem_memdup(wmem_file_scope(), n ? p : (const guint8 *)"", n ? n : 1) : NULL;
}

static void copy_event(ev_t *o, const SwEvent *e, guint64 seg_start) {
    const SwMessage *m = &e->message;
    memset(o, 0, sizeof *o);
    o->e = *e;
    o->e.message.addr.name = dup_bytes(m->addr.name, m->addr.name_len);
    o->e.message.hostname = dup_bytes(m->hostname, m->hostname_len);
    o->e.message.user = dup_bytes(m->user, m->user_len);
    o->e.message.password = dup_bytes(m->password, m->password_len);
    o->e.message.bytes = dup_bytes(m->bytes, m->bytes_len);
    o->e.text = wmem_strdup(wmem_file_scope(), e->text);
    o->e.detail = wmem_strdup(wmem_file_scope(), e->detail);
    o->start = e->offset >= seg_start ? (gint)(e->offset - seg_start) : -1;
}

static void relay_conversation(packet_info *pinfo, conv_t *c, const SwHostPort *a) {
    address relay;
    static const guint8 zero[16];
    udp_conv_t *u = wmem_new0(wmem_file_scope(), udp_conv_t);
    if (a->kind == SW_ADDR_IPV4 && memcmp(a->ip, zero, 4) != 0)
        set_address(&relay, AT_IPv4, 4, a->ip);
    else if (a->kind == SW_ADDR_IPV6 && memcmp(a->ip, zero, 16) != 0)
        set_address(&relay, AT_IPv6, 16, a->ip);
    else /* 0.0.0.0: the proxy's own address */
        copy_address_shallow(&relay, addresses_equal(&pinfo->src, &c->client) ? &pinfo->dst : &pinfo->src);
    copy_address_wmem(wmem_file_scope(), &u->relay, &relay);
    u->relay_port = a->port;
    conversation_t *conv = conversation_new(pinfo->num, &u->relay, NULL, CONVERSATION_UDP, a->port, 0,
                                            NO_ADDR2 | NO_PORT2);
    conversation_add_proto_data(conv, proto_sockswire, u);
    conversation_set_dissector(conv, udp_handle);
}

/* Feeds one segment (first pass) and keeps its events for every pass. */
static frame_t *feed(packet_info *pinfo, conv_t *c, guint8 dir, const guint8 *data, size_t len) {
    frame_t *f = wmem_new0(wmem_file_scope(), frame_t);
    GArray *evs = g_array_new(FALSE, TRUE, sizeof(ev_t));
    size_t n = 0;
    guint64 start = c->fed[dir];
    if (sockswire_dissector_feed(c->d, dir, data, len, &n) == SW_OK) {
        SwEvent e;
        while (sockswire_dissector_next_event(c->d, &e) == SW_OK) {
            ev_t o;
            copy_event(&o, &e, start);
            g_array_append_val(evs, o);
            if (e.message.kind == SW_KIND_SOCKS5_REQUEST) {
                c->have_command = TRUE;
                c->command = e.message.code;
            } else if (e.message.kind == SW_KIND_SOCKS5_REPLY && c->have_command && c->command == 3) {
                relay_conversation(pinfo, c, &e.message.addr);
            }
        }
        SwTransaction t;
        while (sockswire_dissector_next_transaction(c->d, &t) == SW_OK) {
        }
    }
    c->fed[dir] += len;
    f->n = evs->len;
    f->ev = evs->len ? (ev_t *)wmem_memdup(wmem_file_scope(), evs->data, sizeof(ev_t) * evs->len) : NULL;
    g_array_free(evs, TRUE);
    return f;
}

static guint8 direction(packet_info *pinfo, const conv_t *c) {
    return addresses_equal(&pinfo->src, &c->client) && pinfo->srcport == c->client_port ? SW_DIR_C2S
                                                                                         : SW_DIR_S2C;
}

static conv_t *conv_data(packet_info *pinfo) {
    conversation_t *conv = find_or_create_conversation(pinfo);
    conv_t *c = (conv_t *)conversation_get_proto_data(conv, proto_sockswire);
    if (!c) {
        c = wmem_new0(wmem_file_scope(), conv_t);
        c->d = sockswire_dissector_new(show_passwords ? 1 : 0);
        wmem_register_callback(wmem_file_scope(), free_dissector, c->d);
        conversation_add_proto_data(conv, proto_sockswire, c);
    }
    return c;
}

/* The first pass: probe until decided, then feed. NULL when this frame shows nothing. */
static frame_t *first_pass(tvbuff_t *tvb, packet_info *pinfo, conv_t *c, gboolean heuristic) {
    guint len = tvb_captured_length(tvb);
    const guint8 *data = tvb_get_ptr(tvb, 0, len);
    if (!c->decided) {
        /* Index 0 is the side that spoke first. The client is the side that sent the SYN
         * when TCP saw it (roles known), else the first speaker until the probe says
         * otherwise: the rules of the CLI (src/cli/dissect/flow.rs). */
        if (c->prefix_len[0] == 0 && c->prefix_len[1] == 0 && !c->first.type) {
            copy_address_wmem(wmem_file_scope(), &c->first, &pinfo->src);
            c->first_port = pinfo->srcport;
            struct tcp_analysis *tcpd = get_tcp_conversation_data(find_or_create_conversation(pinfo), pinfo);
            c->roles_known = tcpd && tcpd->server_port && pinfo->srcport != pinfo->destport &&
                             (tcpd->server_port == pinfo->srcport || tcpd->server_port == pinfo->destport);
            gboolean src_is_client = !c->roles_known || tcpd->server_port == pinfo->destport;
            copy_address_wmem(wmem_file_scope(), &c->client, src_is_client ? &pinfo->src : &pinfo->dst);
            c->client_port = src_is_client ? pinfo->srcport : pinfo->destport;
        }
        int i = addresses_equal(&pinfo->src, &c->first) && pinfo->srcport == c->first_port ? 0 : 1;
        guint room = PROBE_CAP - c->prefix_len[i], n = len < room ? len : room;
        memcpy(c->prefix[i] + c->prefix_len[i], data, n);
        c->prefix_len[i] += n;
        gboolean full = c->prefix_len[i] >= PROBE_CAP;
        SwProbe p;
        sockswire_probe(c->prefix[i], c->prefix_len[i], c->prefix[1 - i], c->prefix_len[1 - i], &p);
        guint8 dir_i = direction(pinfo, c);
        if (p.verdict == SW_PROBE_SOCKS && p.dir != dir_i) {
            if (c->roles_known && !full) return NULL; /* the content contradicts the SYN: wait */
            if (c->roles_known) {
                p.verdict = SW_PROBE_NOT_SOCKS;
            } else { /* the first speaker is the server */
                copy_address_wmem(wmem_file_scope(), &c->client, &pinfo->dst);
                c->client_port = pinfo->destport;
                dir_i = direction(pinfo, c);
            }
        }
        if (p.verdict == SW_PROBE_NEED_MORE && !full) return NULL;
        c->decided = TRUE;
        c->socks = p.verdict == SW_PROBE_SOCKS || !heuristic;
        if (!c->socks) return NULL;
        /* Replay what was held (the other side's prefix first). */
        frame_t *f = NULL;
        if (c->prefix_len[1 - i] > 0) feed(pinfo, c, (guint8)(1 - dir_i), c->prefix[1 - i], c->prefix_len[1 - i]);
        if (c->prefix_len[i] > len) {
            f = feed(pinfo, c, dir_i, c->prefix[i], c->prefix_len[i] - len);
        }
        frame_t *g = feed(pinfo, c, dir_i, data, len);
        if (f && f->n) { /* events of held bytes are shown in this frame too */
            ev_t *all = wmem_alloc_array(wmem_file_scope(), ev_t, f->n + g->n);
            memcpy(all, f->ev, f->n * sizeof(ev_t));
            for (guint k = 0; k < f->n; k++) all[k].start = -1;
            memcpy(all + f->n, g->ev, g->n * sizeof(ev_t));
            g->ev = all;
            g->n += f->n;
        }
        return g;
    }
    if (!c->socks) return NULL;
    return feed(pinfo, c, direction(pinfo, c), data, len);
}

static int dissect_tcp_common(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, gboolean heuristic) {
    conv_t *c = conv_data(pinfo);
    frame_t *f = (frame_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_sockswire, 0);
    if (!f && !PINFO_FD_VISITED(pinfo)) {
        f = first_pass(tvb, pinfo, c, heuristic);
        if (f) p_add_proto_data(wmem_file_scope(), pinfo, proto_sockswire, 0, f);
    }
    if (!c->socks && c->decided) return 0;
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "sockswire");
    if (!f) {
        col_set_str(pinfo->cinfo, COL_INFO, "SOCKS (waiting for more bytes)");
        proto_tree_add_item(tree, proto_sockswire, tvb, 0, -1, ENC_NA);
        return tvb_captured_length(tvb);
    }
    show_events(tvb, pinfo, tree, f->ev, f->n);
    return tvb_captured_length(tvb);
}

static int dissect_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_) {
    return dissect_tcp_common(tvb, pinfo, tree, FALSE);
}

static gboolean dissect_heur(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_) {
    conversation_t *conv = find_or_create_conversation(pinfo);
    conv_t *c = (conv_t *)conversation_get_proto_data(conv, proto_sockswire);
    if (c && c->decided && !c->socks) return FALSE;
    if (!c) {
        /* Only a possible SOCKS start makes a conversation. */
        SwProbe p;
        guint len = tvb_captured_length(tvb);
        sockswire_probe(tvb_get_ptr(tvb, 0, len), len, NULL, 0, &p);
        if (p.verdict == SW_PROBE_NOT_SOCKS) return FALSE;
    }
    dissect_tcp_common(tvb, pinfo, tree, TRUE);
    c = (conv_t *)conversation_get_proto_data(conv, proto_sockswire);
    if (c && c->decided && c->socks) conversation_set_dissector(conv, tcp_handle);
    return c && (!c->decided || c->socks);
}

static int dissect_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_) {
    conversation_t *conv = find_conversation_pinfo(pinfo, 0);
    udp_conv_t *u = conv ? (udp_conv_t *)conversation_get_proto_data(conv, proto_sockswire) : NULL;
    guint len = tvb_captured_length(tvb);
    SwMessage m;
    SwParseResult r;
    if (!u || sockswire_parse_socks5_udp_datagram(tvb_get_ptr(tvb, 0, len), len, &m, &r) != SW_OK) return 0;
    gboolean c2s = addresses_equal(&pinfo->dst, &u->relay) && pinfo->destport == u->relay_port;
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "sockswire");
    show_udp(tvb, pinfo, tree, &m, c2s, len - m.bytes_len);
    return len;
}

static void apply_prefs(void) {
    dissector_delete_uint_range("tcp.port", tcp_ports, tcp_handle);
    tcp_ports = prefs_get_range_value("sockswire", "tcp.port");
    dissector_add_uint_range("tcp.port", tcp_ports, tcp_handle);
}

static void proto_register_sockswire(void) {
    static gint *ett[] = {&ett_sockswire, &ett_event};
    static ei_register_info ei[] = {
        {&ei_anomaly, {"sockswire.expert", PI_PROTOCOL, PI_WARN, "SOCKS anomaly", EXPFILL}},
        {&ei_security, {"sockswire.expert.security", PI_SECURITY, PI_WARN, "SOCKS security finding", EXPFILL}},
    };
    proto_sockswire = proto_register_protocol("SOCKS (sockswire)", "sockswire", "sockswire");
    register_fields(proto_sockswire);
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *em = expert_register_protocol(proto_sockswire);
    expert_register_field_array(em, ei, array_length(ei));
    module_t *m = prefs_register_protocol(proto_sockswire, apply_prefs);
    prefs_register_bool_preference(m, "show_passwords", "Show RFC 1929 passwords",
                                   "Show username/password authentication passwords in clear "
                                   "(they are hidden by default: only their length is shown)",
                                   &show_passwords);
    tcp_handle = register_dissector("sockswire", dissect_tcp, proto_sockswire);
    udp_handle = register_dissector("sockswire.udp", dissect_udp, proto_sockswire);
    set_expert_fields(&ei_anomaly, &ei_security, ett_event);
}

static void proto_reg_handoff_sockswire(void) {
    heur_dissector_add("tcp", dissect_heur, "SOCKS over TCP (sockswire)", "sockswire_tcp", proto_sockswire,
                       HEURISTIC_ENABLE);
    dissector_add_uint_range_with_preference("tcp.port", DEFAULT_PORTS, tcp_handle);
    apply_prefs();
}

void plugin_register(void) {
    static proto_plugin plug;
    plug.register_protoinfo = proto_register_sockswire;
    plug.register_handoff = proto_reg_handoff_sockswire;
    proto_register_plugin(&plug);
}
