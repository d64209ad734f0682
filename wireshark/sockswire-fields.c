/* sockswire-fields.c: the plug-in's fields (named as Wireshark's socks.* fields, plus Tor's
 * commands and codes through the library's own code tables) and the tree for each event. */
#include "sockswire-fields.h"

#include <stdio.h>
#include <string.h>

static int hf_event, hf_dir, hf_offset, hf_version, hf_command, hf_dstport, hf_dst, hf_dstv6,
    hf_remote_name, hf_v4a_dns_name, hf_username, hf_password, hf_password_len, hf_results,
    hf_method_count, hf_method, hf_accepted_method, hf_subneg_version, hf_auth_status, hf_gssapi_command,
    hf_gssapi_length, hf_reserved, hf_address_type, hf_port, hf_anomaly, hf_detail, hf_payload_bytes,
    hf_fragment, hf_target, hf_from, hf_to;
static expert_field *ei_anomaly, *ei_security;
static gint ett_event;

/* Code names from the library (Tor's RESOLVE, RESOLVE_PTR and 0xF0 to 0xF7 included). */
static value_string commands[257], replies[257], methods[257];

static void fill(value_string *vs, guint32 set, guint32 set2) {
    int n = 0;
    for (int c = 0; c < 256; c++) {
        char buf[64];
        guint32 sets[2] = {set, set2};
        for (int s = 0; s < 2 && sets[s]; s++) {
            if (sockswire_code_name(sets[s], (uint8_t)c, buf, sizeof buf, NULL) == SW_OK && strncmp(buf, "0x", 2)) {
                vs[n].value = (guint32)c;
                vs[n++].strptr = g_strdup(buf);
                break;
            }
        }
    }
    vs[n].value = 0;
    vs[n].strptr = NULL;
}

void register_fields(int proto) {
    fill(commands, SW_CODES_COMMAND, 0);
    fill(replies, SW_CODES_REPLY, SW_CODES_SOCKS4_STATUS);
    fill(methods, SW_CODES_METHOD, 0);
    static hf_register_info hf[] = {
        {&hf_event, {"Event", "sockswire.event", FT_STRING, BASE_NONE, NULL, 0, "What sockswire reports", HFILL}},
        {&hf_dir, {"Direction", "sockswire.dir", FT_STRING, BASE_NONE, NULL, 0, "c2s or s2c", HFILL}},
        {&hf_offset, {"Stream offset", "sockswire.offset", FT_UINT64, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_version, {"Version", "sockswire.version", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_command, {"Command", "sockswire.command", FT_UINT8, BASE_DEC, VALS(commands), 0, NULL, HFILL}},
        {&hf_dstport, {"Remote Port", "sockswire.dstport", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_dst, {"Remote Address", "sockswire.dst", FT_IPv4, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_dstv6, {"Remote Address(ipv6)", "sockswire.dstV6", FT_IPv6, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_remote_name, {"Remote Name", "sockswire.remote_name", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_v4a_dns_name, {"SOCKS v4a Remote Domain Name", "sockswire.v4a_dns_name", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_username, {"User Name", "sockswire.username", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_password, {"Password", "sockswire.password", FT_STRING, BASE_NONE, NULL, 0, "Shown only with the show_passwords preference", HFILL}},
        {&hf_password_len, {"Password length", "sockswire.password_len", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_results, {"Results", "sockswire.results", FT_UINT8, BASE_DEC, VALS(replies), 0, NULL, HFILL}},
        {&hf_method_count, {"Authentication Method Count", "sockswire.auth_method_count", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_method, {"Method", "sockswire.auth_method", FT_UINT8, BASE_DEC, VALS(methods), 0, NULL, HFILL}},
        {&hf_accepted_method, {"Accepted Auth Method", "sockswire.auth_accepted_method", FT_UINT8, BASE_DEC, VALS(methods), 0, NULL, HFILL}},
        {&hf_subneg_version, {"Subnegotiation Version", "sockswire.subnegotiation_version", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_auth_status, {"Status", "sockswire.auth_status", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_gssapi_command, {"Command", "sockswire.gssapi_command", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_gssapi_length, {"Length", "sockswire.gssapi_length", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_reserved, {"Reserved", "sockswire.reserved", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_address_type, {"Address Type", "sockswire.address_type", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_port, {"Port", "sockswire.port", FT_UINT16, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_anomaly, {"Anomaly", "sockswire.anomaly", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_detail, {"Detail", "sockswire.detail", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_payload_bytes, {"Payload bytes", "sockswire.payload_bytes", FT_UINT64, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_fragment, {"Fragment Number", "sockswire.fragment_number", FT_UINT8, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_target, {"Target", "sockswire.target", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_from, {"From", "sockswire.from", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_to, {"To", "sockswire.to", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
    };
    proto_register_field_array(proto, hf, array_length(hf));
}

void set_expert_fields(expert_field *anomaly, expert_field *security, gint ett) {
    ei_anomaly = anomaly;
    ei_security = security;
    ett_event = ett;
}

static const char *kind_name(SwKind k) {
    switch (k) {
    case SW_KIND_SOCKS4_REQUEST: return "socks4_request";
    case SW_KIND_SOCKS4_REPLY: return "socks4_reply";
    case SW_KIND_GREETING: return "greeting";
    case SW_KIND_METHOD_CHOICE: return "method_choice";
    case SW_KIND_USERPASS_REQUEST: return "auth_request";
    case SW_KIND_USERPASS_REPLY: return "auth_reply";
    case SW_KIND_GSSAPI: return "gssapi";
    case SW_KIND_SOCKS5_REQUEST: return "socks5_request";
    case SW_KIND_SOCKS5_REPLY: return "socks5_reply";
    case SW_KIND_BIND_SECOND_REPLY:
    case SW_KIND_SOCKS4_BIND_SECOND_REPLY: return "bind_second_reply";
    case SW_KIND_PAYLOAD_START: return "payload_start";
    case SW_KIND_ANOMALY: return "anomaly";
    case SW_KIND_END: return "end";
    default: return "other";
    }
}

static char *text(const guint8 *p, size_t n) {
    return p ? (char *)wmem_strndup(wmem_packet_scope(), (const char *)p, n) : (char *)"";
}

static void add_address(proto_tree *t, tvbuff_t *tvb, gint at, const SwHostPort *a) {
    switch (a->kind) {
    case SW_ADDR_IPV6: proto_tree_add_ipv6(t, hf_dstv6, tvb, at, 0, (const ws_in6_addr *)a->ip); break;
    case SW_ADDR_DOMAIN: proto_tree_add_string(t, hf_remote_name, tvb, at, 0, text(a->name, a->name_len)); break;
    default: {
        guint32 v4;
        memcpy(&v4, a->ip, 4);
        proto_tree_add_ipv4(t, hf_dst, tvb, at, 0, v4);
    }
    }
}

static void fields(proto_tree *t, tvbuff_t *tvb, gint at, const SwEvent *e) {
    const SwMessage *m = &e->message;
    guint32 v4;
    proto_tree_add_string(t, hf_dir, tvb, at, 0, e->dir == SW_DIR_C2S ? "c2s" : "s2c");
    proto_tree_add_uint64(t, hf_offset, tvb, at, 0, e->offset);
    switch (m->kind) {
    case SW_KIND_SOCKS4_REQUEST:
        proto_tree_add_uint(t, hf_version, tvb, at, 0, 4);
        proto_tree_add_uint(t, hf_command, tvb, at, 0, m->code);
        proto_tree_add_uint(t, hf_dstport, tvb, at, 0, m->addr.port);
        memcpy(&v4, m->addr.ip, 4);
        proto_tree_add_ipv4(t, hf_dst, tvb, at, 0, v4);
        if (m->hostname) proto_tree_add_string(t, hf_v4a_dns_name, tvb, at, 0, text(m->hostname, m->hostname_len));
        if (m->user_len) proto_tree_add_string(t, hf_username, tvb, at, 0, text(m->user, m->user_len));
        break;
    case SW_KIND_SOCKS4_REPLY:
    case SW_KIND_SOCKS4_BIND_SECOND_REPLY:
        proto_tree_add_uint(t, hf_version, tvb, at, 0, m->version);
        proto_tree_add_uint(t, hf_results, tvb, at, 0, m->code);
        memcpy(&v4, m->addr.ip, 4);
        proto_tree_add_ipv4(t, hf_dst, tvb, at, 0, v4);
        proto_tree_add_uint(t, hf_dstport, tvb, at, 0, m->addr.port);
        break;
    case SW_KIND_GREETING:
        proto_tree_add_uint(t, hf_version, tvb, at, 0, 5);
        proto_tree_add_uint(t, hf_method_count, tvb, at, 0, (guint32)m->bytes_len);
        for (size_t i = 0; i < m->bytes_len; i++) proto_tree_add_uint(t, hf_method, tvb, at, 0, m->bytes[i]);
        break;
    case SW_KIND_METHOD_CHOICE:
        proto_tree_add_uint(t, hf_version, tvb, at, 0, 5);
        proto_tree_add_uint(t, hf_accepted_method, tvb, at, 0, m->code);
        break;
    case SW_KIND_USERPASS_REQUEST:
        proto_tree_add_uint(t, hf_subneg_version, tvb, at, 0, 1);
        proto_tree_add_string(t, hf_username, tvb, at, 0, text(m->user, m->user_len));
        if (m->password)
            proto_tree_add_string(t, hf_password, tvb, at, 0, text(m->password, m->password_len));
        else
            proto_tree_add_uint(t, hf_password_len, tvb, at, 0, (guint32)m->password_len);
        break;
    case SW_KIND_USERPASS_REPLY: proto_tree_add_uint(t, hf_auth_status, tvb, at, 0, m->code); break;
    case SW_KIND_GSSAPI:
        proto_tree_add_uint(t, hf_gssapi_command, tvb, at, 0, m->code);
        proto_tree_add_uint(t, hf_gssapi_length, tvb, at, 0, (guint32)m->bytes_len);
        break;
    case SW_KIND_SOCKS5_REQUEST:
    case SW_KIND_SOCKS5_REPLY:
    case SW_KIND_BIND_SECOND_REPLY:
        proto_tree_add_uint(t, hf_version, tvb, at, 0, 5);
        proto_tree_add_uint(t, m->kind == SW_KIND_SOCKS5_REQUEST ? hf_command : hf_results, tvb, at, 0, m->code);
        proto_tree_add_uint(t, hf_reserved, tvb, at, 0, m->reserved);
        proto_tree_add_uint(t, hf_address_type, tvb, at, 0, m->atyp);
        add_address(t, tvb, at, &m->addr);
        proto_tree_add_uint(t, hf_port, tvb, at, 0, m->addr.port);
        break;
    case SW_KIND_ANOMALY:
        proto_tree_add_string(t, hf_anomaly, tvb, at, 0, sockswire_anomaly_name(e->anomaly));
        proto_tree_add_string(t, hf_detail, tvb, at, 0, e->detail);
        if (e->anomaly == SW_ANOMALY_NONSTANDARD_ADDRESS_TYPE)
            proto_tree_add_uint(t, hf_address_type, tvb, at, 0, (guint32)e->value);
        break;
    case SW_KIND_END: proto_tree_add_uint64(t, hf_payload_bytes, tvb, at, 0, e->value); break;
    default: break;
    }
}

void show_events(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const ev_t *ev, guint n) {
    proto_item *root = proto_tree_add_item(tree, proto_sockswire, tvb, 0, -1, ENC_NA);
    proto_tree *st = proto_item_add_subtree(root, ett_event);
    col_clear(pinfo->cinfo, COL_INFO);
    if (n == 0) col_set_str(pinfo->cinfo, COL_INFO, "SOCKS (payload or an incomplete message)");
    for (guint k = 0; k < n; k++) {
        const SwEvent *e = &ev[k].e;
        gint at = ev[k].start >= 0 && (guint)ev[k].start <= tvb_captured_length(tvb) ? ev[k].start : 0;
        proto_item *it = proto_tree_add_string_format(st, hf_event, tvb, at, 0, kind_name(e->message.kind), "%s",
                                                      e->text);
        proto_tree *t = proto_item_add_subtree(it, ett_event);
        fields(t, tvb, at, e);
        col_append_sep_str(pinfo->cinfo, COL_INFO, "; ", e->text);
        if (e->message.kind == SW_KIND_ANOMALY) {
            gboolean sec = e->anomaly == SW_ANOMALY_DNS_LEAK_RISK || e->anomaly == SW_ANOMALY_CLEARTEXT_CREDENTIALS ||
                           e->anomaly == SW_ANOMALY_NO_AUTH_DESPITE_USERPASS;
            expert_add_info_format(pinfo, it, sec ? ei_security : ei_anomaly, "%s", e->detail);
        }
    }
}

void show_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const SwMessage *m, gboolean c2s,
              guint header_len) {
    char buf[600], ep[128];
    proto_item *root = proto_tree_add_item(tree, proto_sockswire, tvb, 0, -1, ENC_NA);
    proto_tree *st = proto_item_add_subtree(root, ett_event);
    sockswire_format_host_port(&m->addr, buf, sizeof buf, NULL);
    proto_item *it = proto_tree_add_string_format(st, hf_event, tvb, 0, header_len, "udp_datagram",
                                                  "SOCKS5 UDP datagram for %s, %zu payload bytes", buf,
                                                  m->bytes_len);
    proto_tree *t = proto_item_add_subtree(it, ett_event);
    proto_tree_add_string(t, hf_dir, tvb, 0, 0, c2s ? "c2s" : "s2c");
    address_to_str_buf(&pinfo->src, ep, sizeof ep);
    proto_tree_add_string(t, hf_from, tvb, 0, 0, wmem_strdup_printf(wmem_packet_scope(), "%s:%u", ep, pinfo->srcport));
    address_to_str_buf(&pinfo->dst, ep, sizeof ep);
    proto_tree_add_string(t, hf_to, tvb, 0, 0, wmem_strdup_printf(wmem_packet_scope(), "%s:%u", ep, pinfo->destport));
    proto_tree_add_uint(t, hf_reserved, tvb, 0, 2, m->reserved16);
    proto_tree_add_uint(t, hf_fragment, tvb, 2, 1, m->code);
    proto_tree_add_uint(t, hf_address_type, tvb, 3, 1, m->atyp);
    proto_tree_add_string(t, hf_target, tvb, 4, header_len - 4, buf);
    proto_tree_add_uint(t, hf_dstport, tvb, header_len - 2, 2, m->addr.port);
    if (m->code)
        snprintf(buf, sizeof buf, "fragment %u", (unsigned)(m->code & 0x7F));
    else
        snprintf(buf, sizeof buf, "%zu payload bytes", m->bytes_len);
    proto_tree_add_string(t, hf_detail, tvb, 0, 0, buf);
    col_add_fstr(pinfo->cinfo, COL_INFO, "SOCKS5 UDP %s, %s", c2s ? "c2s" : "s2c", buf);
}
