/*
 * split.c - frame parsing and the symmetric flow hash. Pure: no I/O, no state.
 *
 * Every read is preceded by a length check; a frame we cannot fully parse is
 * still classified (never dropped), so the caller can always pick a cell.
 */
#include <string.h>

#include "splitter.h"

#define ETH_HLEN_ 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86DD
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88A8
#define ETHERTYPE_QINQ_OLD 0x9100

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_ESP_ 50
#define IPPROTO_AH_ 51
#define IPPROTO_NONE_ 59
#define IPPROTO_DSTOPTS_ 60
#define IPPROTO_DCCP_ 33
#define IPPROTO_SCTP_ 132
#define IPPROTO_MH_ 135
#define IPPROTO_UDPLITE_ 136
#define IPPROTO_HIP_ 139
#define IPPROTO_SHIM6_ 140

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int proto_has_ports(uint8_t proto)
{
    return proto == IPPROTO_TCP_ || proto == IPPROTO_UDP_ || proto == IPPROTO_SCTP_ ||
           proto == IPPROTO_UDPLITE_ || proto == IPPROTO_DCCP_;
}

/* Reads the ports at l4 if the protocol has them; L4_SHORT if they are cut off. */
static enum splitter_parse_status parse_ports(const uint8_t *l4, size_t avail,
                                              struct splitter_pkt *pkt)
{
    if (!proto_has_ports(pkt->proto))
        return SPLITTER_PARSE_OK;
    if (avail < 4)
        return SPLITTER_PARSE_L4_SHORT;
    pkt->sport = rd16(l4);
    pkt->dport = rd16(l4 + 2);
    pkt->has_ports = 1;
    return SPLITTER_PARSE_OK;
}

static enum splitter_parse_status parse_ipv4(const uint8_t *ip, size_t avail,
                                             struct splitter_pkt *pkt)
{
    if (avail < 20)
        return SPLITTER_PARSE_TRUNCATED;
    if ((ip[0] >> 4) != 4)
        return SPLITTER_PARSE_MALFORMED;
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    size_t total = rd16(ip + 2);
    if (ihl < 20 || total < ihl)
        return SPLITTER_PARSE_MALFORMED;
    if (avail < ihl)
        return SPLITTER_PARSE_TRUNCATED;
    pkt->l3 = SPLITTER_L3_IPV4;
    pkt->proto = ip[9];
    memcpy(pkt->src, ip + 12, 4);
    memcpy(pkt->dst, ip + 16, 4);
    uint16_t frag = rd16(ip + 6);
    uint16_t offset = frag & 0x1fff;
    int more = (frag & 0x2000) != 0;
    if (offset != 0 || more) {
        pkt->is_fragment = 1;
        pkt->first_frag = offset == 0;
        pkt->frag_id = rd16(ip + 4);
        if (offset != 0)
            return SPLITTER_PARSE_OK; /* no L4 header in a non-first fragment */
    }
    /* Ethernet padding is not payload: bound L4 by the IP total length. */
    size_t end = total < avail ? total : avail;
    return parse_ports(ip + ihl, end - ihl, pkt);
}

static int ipv6_ext_header(uint8_t nh)
{
    return nh == IPPROTO_HOPOPTS_ || nh == IPPROTO_ROUTING_ || nh == IPPROTO_DSTOPTS_ ||
           nh == IPPROTO_AH_ || nh == IPPROTO_MH_ || nh == IPPROTO_HIP_ ||
           nh == IPPROTO_SHIM6_;
}

static enum splitter_parse_status parse_ipv6(const uint8_t *ip, size_t avail,
                                             struct splitter_pkt *pkt)
{
    if (avail < 40)
        return SPLITTER_PARSE_TRUNCATED;
    if ((ip[0] >> 4) != 6)
        return SPLITTER_PARSE_MALFORMED;
    pkt->l3 = SPLITTER_L3_IPV6;
    memcpy(pkt->src, ip + 8, 16);
    memcpy(pkt->dst, ip + 24, 16);
    size_t end = 40 + (size_t)rd16(ip + 4);
    if (end > avail)
        end = avail;
    uint8_t nh = ip[6];
    size_t off = 40;
    for (int i = 0; i < SPLITTER_MAX_IPV6_EXT; i++) {
        if (nh == IPPROTO_FRAGMENT_) {
            if (end - off < 8) {
                pkt->proto = nh;
                return SPLITTER_PARSE_L4_SHORT;
            }
            const uint8_t *fh = ip + off;
            uint16_t offset = rd16(fh + 2) >> 3;
            int more = fh[3] & 1;
            nh = fh[0];
            off += 8;
            if (offset == 0 && !more)
                continue; /* atomic fragment (RFC 6946): a whole datagram */
            pkt->is_fragment = 1;
            pkt->first_frag = offset == 0;
            pkt->frag_id = rd32(fh + 4);
            if (offset != 0) {
                pkt->proto = nh;
                return SPLITTER_PARSE_OK;
            }
            continue;
        }
        if (!ipv6_ext_header(nh))
            break;
        if (end - off < 2) {
            pkt->proto = nh;
            return SPLITTER_PARSE_L4_SHORT;
        }
        size_t hlen = nh == IPPROTO_AH_ ? ((size_t)ip[off + 1] + 2) * 4
                                        : ((size_t)ip[off + 1] + 1) * 8;
        nh = ip[off];
        if (end - off < hlen) {
            pkt->proto = nh;
            return SPLITTER_PARSE_L4_SHORT;
        }
        off += hlen;
    }
    pkt->proto = nh;
    if (ipv6_ext_header(nh) || nh == IPPROTO_FRAGMENT_)
        return SPLITTER_PARSE_MALFORMED; /* chain longer than we walk */
    if (nh == IPPROTO_NONE_ || nh == IPPROTO_ESP_)
        return SPLITTER_PARSE_OK;
    return parse_ports(ip + off, end - off, pkt);
}

enum splitter_parse_status splitter_parse(const uint8_t *frame, size_t len,
                                          struct splitter_pkt *pkt)
{
    memset(pkt, 0, sizeof(*pkt));
    if (len < ETH_HLEN_)
        return SPLITTER_PARSE_NON_IP;
    size_t off = 12;
    uint16_t type = rd16(frame + off);
    while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
        if (pkt->vlan_tags == SPLITTER_MAX_VLAN_TAGS || len < off + 4 + 2)
            return SPLITTER_PARSE_NON_IP;
        pkt->vlan_tags++;
        off += 4;
        type = rd16(frame + off);
    }
    off += 2;
    pkt->l3_offset = (uint16_t)off;
    enum splitter_parse_status st;
    if (type == ETHERTYPE_IPV4)
        st = parse_ipv4(frame + off, len - off, pkt);
    else if (type == ETHERTYPE_IPV6)
        st = parse_ipv6(frame + off, len - off, pkt);
    else
        return SPLITTER_PARSE_NON_IP;
    if (st == SPLITTER_PARSE_TRUNCATED || st == SPLITTER_PARSE_MALFORMED)
        pkt->l3 = SPLITTER_L3_NONE;
    return st;
}

const char *splitter_parse_status_name(enum splitter_parse_status st)
{
    switch (st) {
    case SPLITTER_PARSE_OK: return "ok";
    case SPLITTER_PARSE_NON_IP: return "non_ip";
    case SPLITTER_PARSE_TRUNCATED: return "truncated";
    case SPLITTER_PARSE_MALFORMED: return "malformed";
    case SPLITTER_PARSE_L4_SHORT: return "l4_short";
    }
    return "?";
}

uint32_t splitter_frame_linearize(const struct splitter_frame *f, uint8_t *buf)
{
    if (!f->has_tag || f->len < 12) {
        memcpy(buf, f->data, f->len);
        return f->len;
    }
    memcpy(buf, f->data, 12);
    buf[12] = (uint8_t)(f->tag_tpid >> 8);
    buf[13] = (uint8_t)f->tag_tpid;
    buf[14] = (uint8_t)(f->tag_tci >> 8);
    buf[15] = (uint8_t)f->tag_tci;
    memcpy(buf + 16, f->data + 12, f->len - 12);
    return f->len + 4;
}

/* ------------------------------------------------------------------ */
/* hashing                                                             */
/* ------------------------------------------------------------------ */

/* xxHash64 round and avalanche constants: a cheap mixer with good diffusion. */
#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL

static uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t absorb(uint64_t acc, uint64_t w)
{
    acc += w * P2;
    acc = rotl64(acc, 31);
    return acc * P1;
}

static uint64_t avalanche(uint64_t h)
{
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t absorb_addr(uint64_t acc, const uint8_t *a)
{
    return absorb(absorb(acc, load64(a)), load64(a + 8));
}

/* Orders the endpoints so that (a, b) and (b, a) hash alike. */
static int endpoint_cmp(const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp)
{
    int c = memcmp(a, b, 16);
    if (c != 0)
        return c;
    return (int)ap - (int)bp;
}

uint64_t splitter_flow_hash(const struct splitter_pkt *pkt, uint64_t seed)
{
    uint16_t sp = pkt->has_ports ? pkt->sport : 0;
    uint16_t dp = pkt->has_ports ? pkt->dport : 0;
    const uint8_t *lo = pkt->src, *hi = pkt->dst;
    uint16_t lop = sp, hip = dp;
    if (endpoint_cmp(pkt->src, sp, pkt->dst, dp) > 0) {
        lo = pkt->dst;
        hi = pkt->src;
        lop = dp;
        hip = sp;
    }
    uint64_t acc = seed + P3;
    acc = absorb_addr(acc, lo);
    acc = absorb_addr(acc, hi);
    acc = absorb(acc, (uint64_t)lop << 32 | (uint64_t)hip << 16 | pkt->proto);
    return avalanche(acc);
}

uint64_t splitter_addr_hash(const struct splitter_pkt *pkt, uint64_t seed)
{
    const uint8_t *lo = pkt->src, *hi = pkt->dst;
    if (memcmp(lo, hi, 16) > 0) {
        lo = pkt->dst;
        hi = pkt->src;
    }
    uint64_t acc = seed + P1;
    acc = absorb_addr(acc, lo);
    acc = absorb_addr(acc, hi);
    return avalanche(acc);
}
