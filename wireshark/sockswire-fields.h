/* sockswire-fields.h: the plug-in's display-filter fields and how events become tree items. */
#ifndef SOCKSWIRE_FIELDS_H
#define SOCKSWIRE_FIELDS_H
#include <wireshark.h>

#include <epan/expert.h>
#include <epan/to_str.h>
#include <epan/packet.h>

#include "sockswire.h"

/* One event kept for a frame: the C API's event with its bytes copied into file scope, and
 * where it starts in this frame's bytes (-1: in an earlier frame). */
typedef struct {
    SwEvent e;
    gint start;
} ev_t;

extern int proto_sockswire;

void register_fields(int proto);
void set_expert_fields(expert_field *anomaly, expert_field *security, gint ett_event);
void show_events(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const ev_t *ev, guint n);
void show_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const SwMessage *m, gboolean c2s,
              guint header_len);
#endif
