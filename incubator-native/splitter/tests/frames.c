/* frames.c - test frame builder; see frames.h. */
#include "frames.h"

#include <arpa/inet.h>
#include <string.h>

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

void frame_v4(struct frame_spec *s, const char *src, const char *dst, uint8_t proto,
              uint16_t sport, uint16_t dport)
{
    s->v6 = 0;
    memset(s->src, 0, 16);
    memset(s->dst, 0, 16);
    inet_pton(AF_INET, src, s->src);
    inet_pton(AF_INET, dst, s->dst);
    s->proto = proto;
    s->sport = sport;
    s->dport = dport;
}

void frame_v6(struct frame_spec *s, const char *src, const char *dst, uint8_t proto,
              uint16_t sport, uint16_t dport)
{
    s->v6 = 1;
    inet_pton(AF_INET6, src, s->src);
    inet_pton(AF_INET6, dst, s->dst);
    s->proto = proto;
    s->sport = sport;
    s->dport = dport;
}

void frame_reverse(struct frame_spec *s)
{
    uint8_t t[16];
    memcpy(t, s->src, 16);
    memcpy(s->src, s->dst, 16);
    memcpy(s->dst, t, 16);
    uint16_t p = s->sport;
    s->sport = s->dport;
    s->dport = p;
}

static size_t l4_header(uint8_t *p, const struct frame_spec *s)
{
    switch (s->proto) {
    case 6: /* TCP */
        memset(p, 0, 20);
        put16(p, s->sport);
        put16(p + 2, s->dport);
        p[12] = 5 << 4;
        return 20;
    case 17: /* UDP */
    case 132: /* SCTP: ports at the same place */
        memset(p, 0, 8);
        put16(p, s->sport);
        put16(p + 2, s->dport);
        put16(p + 4, (uint16_t)(8 + s->payload));
        return 8;
    case 1:
    case 58: /* ICMP, ICMPv6 echo */
        memset(p, 0, 8);
        p[0] = s->proto == 1 ? 8 : 128;
        return 8;
    default:
        return 0;
    }
}

size_t frame_build(uint8_t *buf, const struct frame_spec *s)
{
    static const uint8_t dmac[6] = {0x02, 0, 0, 0, 0, 2}, smac[6] = {0x02, 0, 0, 0, 0, 1};
    memcpy(buf, dmac, 6);
    memcpy(buf + 6, smac, 6);
    size_t off = 12;
    for (int i = 0; i < s->ntags; i++) {
        put16(buf + off, s->tpid[i]);
        put16(buf + off + 2, (uint16_t)(100 + i));
        off += 4;
    }
    put16(buf + off, s->v6 ? 0x86DD : 0x0800);
    off += 2;
    uint8_t *ip = buf + off;
    int with_l4 = !(s->frag && s->frag_off8 != 0);
    size_t hl;
    if (!s->v6) {
        hl = 20;
        memset(ip, 0, 20);
        ip[0] = 0x45;
        put16(ip + 4, (uint16_t)s->id);
        put16(ip + 6, (uint16_t)((s->more ? 0x2000 : 0) | (s->frag ? s->frag_off8 : 0)));
        ip[8] = 64;
        ip[9] = s->proto;
        memcpy(ip + 12, s->src, 4);
        memcpy(ip + 16, s->dst, 4);
    } else {
        memset(ip, 0, 40);
        ip[0] = 0x60;
        ip[7] = 64;
        memcpy(ip + 8, s->src, 16);
        memcpy(ip + 24, s->dst, 16);
        hl = 40;
        uint8_t *nh = ip + 6;
        for (int i = 0; i < s->next; i++) {
            *nh = s->ext[i];
            memset(ip + hl, 0, 8);
            nh = ip + hl;
            hl += 8; /* hdr ext len 0: 8 bytes */
        }
        if (s->frag) {
            *nh = 44;
            memset(ip + hl, 0, 8);
            nh = ip + hl;
            put16(ip + hl + 2, (uint16_t)(s->frag_off8 << 3 | (s->more ? 1 : 0)));
            put32(ip + hl + 4, s->id);
            hl += 8;
        }
        *nh = s->proto;
    }
    size_t l4 = with_l4 ? l4_header(ip + hl, s) : 0;
    memset(ip + hl + l4, 0xab, s->payload);
    size_t iplen = hl + l4 + s->payload;
    if (!s->v6)
        put16(ip + 2, (uint16_t)iplen);
    else
        put16(ip + 4, (uint16_t)(iplen - 40));
    return off + iplen;
}
