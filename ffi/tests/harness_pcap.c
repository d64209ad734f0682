/* harness_pcap.c: classic pcap and pcapng, down to TCP and UDP (src/cli/capture.rs), and
 * the UDP ASSOCIATE datagrams (src/cli/dissect/sink.rs). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t rd32(const uint8_t *p, int swap) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return swap ? __builtin_bswap32(v) : v;
}
static uint16_t rd16(const uint8_t *p, int swap) {
    uint16_t v = (uint16_t)(p[0] | p[1] << 8);
    return swap ? __builtin_bswap16(v) : v;
}

void udp_datagram(double ts, const Endpoint *src, const Endpoint *dst, const uint8_t *payload,
                  size_t len) {
    const char *uid = NULL, *dir = NULL;
    for (size_t i = 0; i < n_relays && !uid; i++)
        if (ep_eq(&relays[i].relay, dst)) uid = relays[i].uid, dir = "c2s";
    for (size_t i = 0; i < n_relays && !uid; i++)
        if (ep_eq(&relays[i].relay, src)) uid = relays[i].uid, dir = "s2c";
    if (!uid) return;
    SwMessage m;
    SwParseResult r;
    if (sockswire_parse_socks5_udp_datagram(payload, len, &m, &r) != SW_OK) return;
    Json j;
    char ip[64], text[600];
    json_begin(&j);
    json_ts(&j, ts);
    json_str(&j, "uid", uid);
    json_str(&j, "event", "udp_datagram");
    json_str(&j, "dir", dir);
    const Endpoint *eps[2] = {src, dst};
    const char *keys[2] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        ip_text(eps[i], ip, sizeof ip);
        snprintf(text, sizeof text, "%s:%u", ip, eps[i]->port);
        json_str(&j, keys[i], text);
    }
    json_u64(&j, "reserved", m.reserved16);
    json_u64(&j, "fragment_number", m.code);
    json_u64(&j, "address_type", m.atyp);
    host_port(&m.addr, text, sizeof text);
    json_str(&j, "target", text);
    json_u64(&j, "dstport", m.addr.port);
    if (m.code == 0)
        snprintf(text, sizeof text, "%zu payload bytes", m.bytes_len);
    else
        snprintf(text, sizeof text, "fragment %u", m.code & 0x7F);
    json_str(&j, "detail", text);
    json_end(&j);
    json_print(&j);
    json_free(&j);
}

/* capture.rs `decode`. */
static int packet(uint32_t linktype, double ts, const uint8_t *d, size_t n) {
    uint16_t et;
    const uint8_t *ip;
    size_t iplen;
    switch (linktype) {
    case 1: { /* Ethernet, with 802.1Q / 802.1ad tags */
        if (n < 14) return 0;
        et = be16(d + 12);
        size_t at = 14;
        while (et == 0x8100 || et == 0x88A8) {
            if (n < at + 4) return 0;
            et = be16(d + at + 2);
            at += 4;
        }
        ip = d + at, iplen = n - at;
        break;
    }
    case 113: /* Linux cooked v1 */
        if (n < 16) return 0;
        et = be16(d + 14), ip = d + 16, iplen = n - 16;
        break;
    case 276: /* Linux cooked v2 */
        if (n < 20) return 0;
        et = be16(d), ip = d + 20, iplen = n - 20;
        break;
    case 0:
    case 108: { /* BSD loopback */
        if (n < 4) return 0;
        uint32_t fam = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
        if (fam > 0xFFFF) fam = __builtin_bswap32(fam);
        et = fam == 2 ? 0x0800 : 0x86DD, ip = d + 4, iplen = n - 4;
        break;
    }
    case 101:
    case 228:
    case 229: /* raw IP */
        if (n < 1) return 0;
        et = (d[0] >> 4) == 4 ? 0x0800 : 0x86DD, ip = d, iplen = n;
        break;
    default: return 0;
    }
    Endpoint src, dst;
    memset(&src, 0, sizeof src);
    memset(&dst, 0, sizeof dst);
    uint8_t proto;
    const uint8_t *l4;
    size_t l4len;
    if (et == 0x0800) {
        if (iplen < 20) return 0;
        size_t ihl = (size_t)(ip[0] & 0x0F) * 4, total = be16(ip + 2);
        if (be16(ip + 6) & 0x1FFF) return 0;
        memcpy(src.ip, ip + 12, 4);
        memcpy(dst.ip, ip + 16, 4);
        size_t end = total < iplen ? total : iplen;
        if (end < ihl) end = ihl;
        if (ihl > iplen) return 0;
        proto = ip[9], l4 = ip + ihl, l4len = end - ihl;
    } else if (et == 0x86DD) {
        if (iplen < 40) return 0;
        size_t end = 40 + (size_t)be16(ip + 4);
        if (end > iplen) end = iplen;
        src.v6 = dst.v6 = 1;
        memcpy(src.ip, ip + 8, 16);
        memcpy(dst.ip, ip + 24, 16);
        proto = ip[6], l4 = ip + 40, l4len = end - 40;
    } else {
        return 0;
    }
    if (l4len < 4) return 0;
    src.port = be16(l4), dst.port = be16(l4 + 2);
    if (proto == 6) {
        if (l4len < 14) return 0;
        size_t off = (size_t)(l4[12] >> 4) * 4;
        uint8_t fl = l4[13];
        if (off > l4len) return 0;
        tcp_segment(ts, &src, &dst, be32(l4 + 4), !!(fl & 2), !!(fl & 0x10), fl & 1, !!(fl & 4), l4 + off,
                    l4len - off);
        return 1;
    }
    if (proto == 17) {
        if (l4len < 8) return 0;
        udp_datagram(ts, &src, &dst, l4 + 8, l4len - 8);
        return 1;
    }
    return 0;
}

static uint8_t *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len == cap) buf = xrealloc(buf, cap = cap ? 2 * cap : 65536);
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    *n = len;
    return buf;
}

/* Returns 1 when the whole file was read. */
int read_capture(const char *path, double *last_ts) {
    size_t n;
    uint8_t *b = slurp(path, &n);
    if (!b || n < 24) {
        fprintf(stderr, "harness: cannot read %s\n", path);
        free(b);
        return 0;
    }
    int ok = 1;
    uint32_t magic = rd32(b, 0);
    if (magic == 0x0A0D0D0A) { /* pcapng */
        uint32_t linktypes[64];
        double units[64];
        size_t n_if = 0, at = 0;
        int swap = 0;
        while (at + 12 <= n) {
            uint32_t type = rd32(b + at, swap), len;
            if (type == 0x0A0D0D0A) {
                swap = rd32(b + at + 8, 0) != 0x1A2B3C4D;
                n_if = 0;
            }
            len = rd32(b + at + 4, swap);
            if (len < 12 || at + len > n) {
                ok = 0;
                break;
            }
            const uint8_t *blk = b + at;
            if (type == 1 && len >= 20 && n_if < 64) { /* IDB, with if_tsresol */
                double unit = 1e-6;
                size_t o = 16;
                while (o + 4 <= len - 4) {
                    uint16_t code = rd16(blk + o, swap), olen = rd16(blk + o + 2, swap);
                    if (code == 0) break;
                    if (code == 9 && olen >= 1) {
                        uint8_t v = blk[o + 4];
                        unit = v & 0x80 ? 1.0 / (double)(1ull << (v & 0x7F)) : 1.0 / pow(10, v);
                    }
                    o += 4 + ((olen + 3u) & ~3u);
                }
                linktypes[n_if] = rd16(blk + 8, swap);
                units[n_if++] = unit;
            } else if (type == 6 && len >= 32) { /* EPB */
                uint32_t id = rd32(blk + 8, swap), caplen = rd32(blk + 20, swap);
                uint64_t ticks = (uint64_t)rd32(blk + 12, swap) << 32 | rd32(blk + 16, swap);
                if (caplen > len - 32) caplen = len - 32;
                uint32_t lt = id < n_if ? linktypes[id] : 1;
                double ts = (double)ticks * (id < n_if ? units[id] : 1e-6);
                if (packet(lt, ts, blk + 28, caplen)) *last_ts = ts;
            }
            at += len;
        }
    } else { /* classic pcap */
        int swap = magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1;
        int nano = magic == 0xA1B23C4D || magic == 0x4D3CB2A1;
        if (!swap && magic != 0xA1B2C3D4 && !nano) {
            fprintf(stderr, "harness: %s: not a capture\n", path);
            free(b);
            return 0;
        }
        uint32_t lt = rd32(b + 20, swap) & 0x0FFFFFFF;
        size_t at = 24;
        while (at + 16 <= n) {
            uint32_t sec = rd32(b + at, swap), frac = rd32(b + at + 4, swap), caplen = rd32(b + at + 8, swap);
            if (at + 16 + caplen > n) {
                ok = 0;
                break;
            }
            double ts = (double)sec + (double)frac * (nano ? 1e-9 : 1e-6);
            if (packet(lt, ts, b + at + 16, caplen)) *last_ts = ts;
            at += 16 + caplen;
        }
    }
    free(b);
    return ok;
}
