/* harness_json.c: JSON lines as `sockswire dissect --json` writes them (src/cli/output.rs). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

void json_putc(Json *j, char c) {
    if (j->len + 1 >= j->cap) {
        j->cap = j->cap ? 2 * j->cap : 256;
        j->buf = xrealloc(j->buf, j->cap);
    }
    j->buf[j->len++] = c;
    j->buf[j->len] = 0;
}

void json_puts(Json *j, const char *s) {
    while (*s) json_putc(j, *s++);
}

void json_begin(Json *j) {
    j->buf = NULL;
    j->len = j->cap = 0;
    json_putc(j, '{');
}

void json_end(Json *j) { json_putc(j, '}'); }

void json_print(Json *j) { printf("%s\n", j->buf); }

void json_free(Json *j) {
    free(j->buf);
    j->buf = NULL;
}

void json_append(Json *j, const Json *other) { json_puts(j, other->buf); }

/* The Rust side's string escaping: ", \, \n, \r, \t by name, other controls as \u00XX. */
static void quote(Json *j, const uint8_t *s, size_t n) {
    char esc[8];
    json_putc(j, '"');
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        switch (c) {
        case '"': json_puts(j, "\\\""); break;
        case '\\': json_puts(j, "\\\\"); break;
        case '\n': json_puts(j, "\\n"); break;
        case '\r': json_puts(j, "\\r"); break;
        case '\t': json_puts(j, "\\t"); break;
        default:
            if (c < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", c);
                json_puts(j, esc);
            } else {
                json_putc(j, (char)c);
            }
        }
    }
    json_putc(j, '"');
}

void json_quoted(Json *j, const char *s) { quote(j, (const uint8_t *)s, strlen(s)); }

void json_raw_key(Json *j, const char *key) {
    if (j->len > 1) json_putc(j, ',');
    json_quoted(j, key);
    json_putc(j, ':');
}

void json_str(Json *j, const char *key, const char *value) {
    json_raw_key(j, key);
    json_quoted(j, value);
}

void json_u64(Json *j, const char *key, uint64_t v) {
    char n[24];
    snprintf(n, sizeof n, "%llu", (unsigned long long)v);
    json_raw_key(j, key);
    json_puts(j, n);
}

void json_ts(Json *j, double ts) {
    char n[40];
    snprintf(n, sizeof n, "%.6f", ts);
    json_raw_key(j, "ts");
    json_puts(j, n);
}

/* Rust's str::from_utf8: shortest forms only, no surrogates, nothing past U+10FFFF. */
static int utf8_valid(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t k;
        uint32_t min, cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i < k + 1) return 0;
        for (size_t m = 1; m <= k; m++) {
            if ((s[i + m] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + m] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        i += k + 1;
    }
    return 1;
}

/* Bytes as text when they are UTF-8, else as `<key>_hex`. */
void json_bytes(Json *j, const char *key, const uint8_t *p, size_t len) {
    if (utf8_valid(p, len)) {
        json_raw_key(j, key);
        quote(j, p, len);
        return;
    }
    char k[64], h[3];
    snprintf(k, sizeof k, "%s_hex", key);
    json_raw_key(j, k);
    json_putc(j, '"');
    for (size_t i = 0; i < len; i++) {
        snprintf(h, sizeof h, "%02x", p[i]);
        json_puts(j, h);
    }
    json_putc(j, '"');
}

static void check(int status, const char *what) {
    if (status != SW_OK) {
        fprintf(stderr, "harness: %s: %d\n", what, status);
        exit(2);
    }
}

void code_name(uint32_t set, uint8_t code, char *buf, size_t cap) {
    check(sockswire_code_name(set, code, buf, cap, NULL), "sockswire_code_name");
}

void host_port(const SwHostPort *hp, char *buf, size_t cap) {
    check(sockswire_format_host_port(hp, buf, cap, NULL), "sockswire_format_host_port");
}

static void address(Json *j, const SwHostPort *a) {
    char ip[64];
    switch (a->kind) {
    case SW_ADDR_IPV6:
        inet_ntop(AF_INET6, a->ip, ip, sizeof ip);
        json_str(j, "dstV6", ip);
        break;
    case SW_ADDR_DOMAIN: json_bytes(j, "remote_name", a->name, a->name_len); break;
    default: /* IPv4, and C Tor's ATYP 0 written the same way */
        inet_ntop(AF_INET, a->ip, ip, sizeof ip);
        json_str(j, "dst", ip);
    }
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

/* The CLI's event_fields (src/cli/output.rs), from the C structs. */
void event_fields(Json *j, const SwEvent *e) {
    const SwMessage *m = &e->message;
    char text[600], ip[64];
    json_str(j, "event", kind_name(m->kind));
    json_str(j, "dir", e->dir == SW_DIR_C2S ? "c2s" : "s2c");
    json_u64(j, "offset", e->offset);
    switch (m->kind) {
    case SW_KIND_SOCKS4_REQUEST:
        json_u64(j, "version", 4);
        code_name(SW_CODES_COMMAND, m->code, text, sizeof text);
        json_str(j, "command", text);
        json_u64(j, "command_code", m->code);
        json_u64(j, "dstport", m->addr.port);
        inet_ntop(AF_INET, m->addr.ip, ip, sizeof ip);
        json_str(j, "dst", ip);
        if (m->hostname) json_bytes(j, "v4a_dns_name", m->hostname, m->hostname_len);
        if (m->user_len) json_bytes(j, "username", m->user, m->user_len);
        break;
    case SW_KIND_SOCKS4_REPLY:
    case SW_KIND_SOCKS4_BIND_SECOND_REPLY:
        json_u64(j, "version", m->version);
        json_u64(j, "results", m->code);
        code_name(SW_CODES_SOCKS4_STATUS, m->code, text, sizeof text);
        json_str(j, "results_name", text);
        inet_ntop(AF_INET, m->addr.ip, ip, sizeof ip);
        json_str(j, "dst", ip);
        json_u64(j, "dstport", m->addr.port);
        break;
    case SW_KIND_GREETING:
        json_u64(j, "version", 5);
        json_u64(j, "auth_method_count", m->bytes_len);
        json_raw_key(j, "auth_method");
        json_putc(j, '[');
        for (size_t i = 0; i < m->bytes_len; i++) {
            snprintf(text, sizeof text, i ? ",%u" : "%u", m->bytes[i]);
            json_puts(j, text);
        }
        json_putc(j, ']');
        break;
    case SW_KIND_METHOD_CHOICE:
        json_u64(j, "version", 5);
        json_u64(j, "auth_accepted_method", m->code);
        code_name(SW_CODES_METHOD, m->code, text, sizeof text);
        json_str(j, "auth_accepted_method_name", text);
        break;
    case SW_KIND_USERPASS_REQUEST:
        json_u64(j, "subnegotiation_version", 1);
        json_bytes(j, "username", m->user, m->user_len);
        if (m->password)
            json_bytes(j, "password", m->password, m->password_len);
        else
            json_u64(j, "password_len", m->password_len);
        break;
    case SW_KIND_USERPASS_REPLY: json_u64(j, "auth_status", m->code); break;
    case SW_KIND_GSSAPI:
        json_u64(j, "gssapi_command", m->code);
        json_u64(j, "gssapi_length", m->bytes_len);
        break;
    case SW_KIND_SOCKS5_REQUEST:
    case SW_KIND_SOCKS5_REPLY:
    case SW_KIND_BIND_SECOND_REPLY:
        json_u64(j, "version", 5);
        if (m->kind == SW_KIND_SOCKS5_REQUEST) {
            code_name(SW_CODES_COMMAND, m->code, text, sizeof text);
            json_str(j, "command", text);
            json_u64(j, "command_code", m->code);
        } else {
            json_u64(j, "results", m->code);
            code_name(SW_CODES_REPLY, m->code, text, sizeof text);
            json_str(j, "results_name", text);
        }
        json_u64(j, "reserved", m->reserved);
        json_u64(j, "address_type", m->atyp);
        address(j, &m->addr);
        json_u64(j, "port", m->addr.port);
        break;
    case SW_KIND_ANOMALY:
        json_str(j, "anomaly", sockswire_anomaly_name(e->anomaly));
        json_str(j, "detail", e->detail);
        if (e->anomaly == SW_ANOMALY_NONSTANDARD_ADDRESS_TYPE) json_u64(j, "address_type", e->value);
        break;
    case SW_KIND_END: json_u64(j, "payload_bytes", e->value); break;
    default: break;
    }
}
