/* frames.h - builds test frames (Ethernet, VLAN tags, IPv4/IPv6, ext headers, fragments). */
#ifndef FRAMES_H
#define FRAMES_H

#include <stddef.h>
#include <stdint.h>

/* What to build. Zero-initialise, then fill in; addresses via frame_v4()/frame_v6(). */
struct frame_spec {
    int v6;
    uint16_t tpid[4]; /* VLAN tags, outermost first (0x8100, 0x88a8, ...) */
    int ntags;
    uint8_t src[16], dst[16];
    uint8_t proto;
    uint16_t sport, dport;
    int frag;           /* emit as a fragment (IPv4 flags / IPv6 fragment header) */
    uint16_t frag_off8; /* offset in 8-byte units; non-zero: no L4 header */
    int more;           /* MF / M flag */
    uint32_t id;
    uint8_t ext[4];     /* IPv6 extension headers before the fragment header / L4 */
    int next;
    uint16_t payload;   /* bytes after the L4 header */
};

void frame_v4(struct frame_spec *s, const char *src, const char *dst, uint8_t proto,
              uint16_t sport, uint16_t dport);
void frame_v6(struct frame_spec *s, const char *src, const char *dst, uint8_t proto,
              uint16_t sport, uint16_t dport);

/* Writes the frame into buf (at least 2048 bytes); returns its length. */
size_t frame_build(uint8_t *buf, const struct frame_spec *s);

/* Swaps source and destination (addresses and ports): the reverse direction. */
void frame_reverse(struct frame_spec *s);

#endif
