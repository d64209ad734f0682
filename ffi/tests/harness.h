/* harness.h: what the C harness's files share (see harness.c). */
#ifndef HARNESS_H
#define HARNESS_H
#include <stddef.h>
#include <stdint.h>

#include "sockswire.h"

#define PROBE_CAP 4096
#define MAX_PENDING (1u << 20)

typedef struct {
    uint8_t v6;
    uint8_t ip[16];
    uint16_t port;
} Endpoint;

typedef struct Pending {
    uint32_t seq;
    uint8_t *data;
    size_t len;
    struct Pending *next;
} Pending;

typedef struct {
    int have_next;
    uint32_t next;
    Pending *pending;
    size_t pending_bytes;
    int fin;
} Reasm;

typedef struct Held {
    int sender;
    uint8_t *data; /* NULL: a gap of `len` */
    size_t len;
    struct Held *next;
} Held;

enum { UNDECIDED, SOCKS, SKIPPED };

typedef struct {
    char uid[19];
    double ts;
    Endpoint first, client, server, key_a, key_b;
    int roles_known, verdict, ended;
    Held *held, **held_tail;
    uint8_t prefix[2][PROBE_CAP];
    size_t prefix_len[2];
    int frozen[2];
    Reasm reasm[2];
    SwDissector *d;
    int have_tx_ts;
    double tx_ts;
    int have_command;
    uint8_t command;
} Flow;

typedef struct {
    Endpoint relay;
    char uid[19];
} Relay;

extern Flow **flows;
extern size_t n_flows, cap_flows;
extern Relay *relays;
extern size_t n_relays, cap_relays;

void *xrealloc(void *p, size_t n);
int ep_cmp(const Endpoint *a, const Endpoint *b);
int ep_eq(const Endpoint *a, const Endpoint *b);
void ip_text(const Endpoint *e, char *buf, size_t cap);
void zeek_uid(const Endpoint *a, const Endpoint *b, double ts, char out[19]);
void drain(Flow *f, double ts, int status);

/* harness_json.c */
typedef struct {
    char *buf;
    size_t len, cap;
} Json;
void json_begin(Json *j);
void json_end(Json *j);
void json_print(Json *j);
void json_free(Json *j);
void json_putc(Json *j, char c);
void json_puts(Json *j, const char *s);
void json_append(Json *j, const Json *other);
void json_raw_key(Json *j, const char *key);
void json_quoted(Json *j, const char *s);
void json_str(Json *j, const char *key, const char *value);
void json_bytes(Json *j, const char *key, const uint8_t *p, size_t len);
void json_u64(Json *j, const char *key, uint64_t v);
void json_ts(Json *j, double ts);
void code_name(uint32_t set, uint8_t code, char *buf, size_t cap);
void host_port(const SwHostPort *hp, char *buf, size_t cap);
void event_fields(Json *j, const SwEvent *e);

/* harness_flow.c */
void tcp_segment(double ts, const Endpoint *src, const Endpoint *dst, uint32_t seq, int syn, int ack,
                 int fin, int rst, const uint8_t *payload, size_t len);
void finish_all(double last_ts);
void flow_free(Flow *f);

/* harness_pcap.c */
int read_capture(const char *path, double *last_ts);
void udp_datagram(double ts, const Endpoint *src, const Endpoint *dst, const uint8_t *payload,
                  size_t len);
#endif
