/* harness_cid.c: Community ID v1 (SHA-1, base64), as src/cli/dissect/community_id.rs. */
#include <string.h>

#include "harness.h"

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

/* SHA-1 (FIPS 180-4) of a short message (under 120 bytes: one or two blocks). */
static void sha1(const uint8_t *msg, size_t n, uint8_t out[20]) {
    uint8_t buf[128];
    size_t total = ((n + 8) / 64 + 1) * 64;
    memset(buf, 0, sizeof buf);
    memcpy(buf, msg, n);
    buf[n] = 0x80;
    uint64_t bits = (uint64_t)n * 8;
    for (int i = 0; i < 8; i++) buf[total - 1 - i] = (uint8_t)(bits >> (8 * i));
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    for (size_t off = 0; off < total; off += 64) {
        uint32_t w[80];
        for (int t = 0; t < 16; t++)
            w[t] = (uint32_t)buf[off + 4 * t] << 24 | (uint32_t)buf[off + 4 * t + 1] << 16 |
                   (uint32_t)buf[off + 4 * t + 2] << 8 | buf[off + 4 * t + 3];
        for (int t = 16; t < 80; t++) w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int t = 0; t < 80; t++) {
            uint32_t f, k;
            if (t < 20) f = (b & c) | (~b & d), k = 0x5A827999;
            else if (t < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
            else if (t < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
            else f = b ^ c ^ d, k = 0xCA62C1D6;
            uint32_t tmp = rol(a, 5) + f + e + k + w[t];
            e = d, d = c, c = rol(b, 30), b = a, a = tmp;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++) out[4 * i + j] = (uint8_t)(h[i] >> (24 - 8 * j));
}

void community_id(uint8_t proto, const Endpoint *a, const Endpoint *b, char out[40]) {
    const Endpoint *lo = ep_cmp(a, b) <= 0 ? a : b, *hi = lo == a ? b : a;
    uint8_t m[64];
    size_t n = 0, l = lo->v6 ? 16 : 4;
    m[n++] = 0, m[n++] = 0; /* seed 0 */
    memcpy(m + n, lo->ip, l), n += l;
    memcpy(m + n, hi->ip, l), n += l;
    m[n++] = proto, m[n++] = 0;
    m[n++] = (uint8_t)(lo->port >> 8), m[n++] = (uint8_t)lo->port;
    m[n++] = (uint8_t)(hi->port >> 8), m[n++] = (uint8_t)hi->port;
    uint8_t d[20];
    sha1(m, n, d);
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *o = out;
    *o++ = '1', *o++ = ':';
    for (int i = 0; i < 20; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < 20 ? (uint32_t)d[i + 1] << 8 : 0) | (i + 2 < 20 ? d[i + 2] : 0);
        *o++ = abc[v >> 18 & 63], *o++ = abc[v >> 12 & 63];
        *o++ = i + 1 < 20 ? abc[v >> 6 & 63] : '=';
        *o++ = i + 2 < 20 ? abc[v & 63] : '=';
    }
    *o = 0;
}
