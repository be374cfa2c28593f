/* test_split.c - parsing (VLAN, QinQ, IPv6 extension headers, fragments, truncation) and hashing. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "frames.h"
#include "splitter.h"

static uint8_t buf[2048];

static enum splitter_parse_status parse_spec(const struct frame_spec *s, struct splitter_pkt *p,
                                             size_t *len)
{
    size_t n = frame_build(buf, s);
    if (len != NULL)
        *len = n;
    return splitter_parse(buf, n, p);
}

static void parsesIpv4TcpPortsAndAddresses(void)
{
    struct frame_spec s = {0};
    frame_v4(&s, "10.0.0.1", "192.168.1.2", 6, 1234, 80);
    struct splitter_pkt p;
    CHECK_EQ(parse_spec(&s, &p, NULL), SPLITTER_PARSE_OK);
    CHECK_EQ(p.l3, SPLITTER_L3_IPV4);
    CHECK_EQ(p.proto, 6);
    CHECK(p.has_ports);
    CHECK_EQ(p.sport, 1234);
    CHECK_EQ(p.dport, 80);
    CHECK_EQ(p.src[0], 10);
    CHECK_EQ(p.dst[3], 2);
    CHECK_EQ(p.l3_offset, 14);
    CHECK(!p.is_fragment);
}

/* Table: tag stacks the parser must walk. */
static void walksVlanAndStackedQinQTags(void)
{
    static const struct {
        uint16_t tpid[4];
        int n;
    } cases[] = {
        {{0x8100}, 1},
        {{0x88a8, 0x8100}, 2},
        {{0x9100, 0x8100}, 2},
        {{0x88a8, 0x8100, 0x8100, 0x8100}, 4},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct frame_spec s = {0};
        frame_v4(&s, "10.1.0.1", "10.1.0.2", 17, 53, 5353);
        memcpy(s.tpid, cases[i].tpid, sizeof(s.tpid));
        s.ntags = cases[i].n;
        struct splitter_pkt p;
        CHECK_EQ(parse_spec(&s, &p, NULL), SPLITTER_PARSE_OK);
        CHECK_EQ(p.vlan_tags, cases[i].n);
        CHECK_EQ(p.l3_offset, 14 + 4 * cases[i].n);
        CHECK_EQ(p.sport, 53);
        CHECK_EQ(p.dport, 5353);
    }
}

static void tooManyVlanTagsIsNonIp(void)
{
    size_t off = 12;
    memset(buf, 0, sizeof(buf));
    for (int i = 0; i < SPLITTER_MAX_VLAN_TAGS + 1; i++, off += 4) {
        buf[off] = 0x81;
        buf[off + 1] = 0x00;
    }
    buf[off] = 0x08;
    struct splitter_pkt p;
    CHECK_EQ(splitter_parse(buf, off + 2 + 40, &p), SPLITTER_PARSE_NON_IP);
}

static void nonIpEthertypeIsNonIp(void)
{
    memset(buf, 0, 64);
    buf[12] = 0x08;
    buf[13] = 0x06; /* ARP */
    struct splitter_pkt p;
    CHECK_EQ(splitter_parse(buf, 60, &p), SPLITTER_PARSE_NON_IP);
    CHECK_EQ(p.l3, SPLITTER_L3_NONE);
}

static void walksIpv6ExtensionHeadersToPorts(void)
{
    static const struct {
        uint8_t ext[4];
        int n;
    } cases[] = {
        {{0}, 1},            /* hop-by-hop */
        {{0, 60}, 2},        /* hop-by-hop, destination options */
        {{0, 43, 60}, 3},    /* ..., routing, destination options */
        {{60, 60, 60, 60}, 4},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct frame_spec s = {0};
        frame_v6(&s, "2001:db8::1", "2001:db8::2", 6, 40000, 443);
        memcpy(s.ext, cases[i].ext, sizeof(s.ext));
        s.next = cases[i].n;
        s.ntags = 1;
        s.tpid[0] = 0x8100;
        struct splitter_pkt p;
        CHECK_EQ(parse_spec(&s, &p, NULL), SPLITTER_PARSE_OK);
        CHECK_EQ(p.l3, SPLITTER_L3_IPV6);
        CHECK_EQ(p.proto, 6);
        CHECK_EQ(p.sport, 40000);
        CHECK_EQ(p.dport, 443);
        CHECK_EQ(p.src[15], 1);
        CHECK_EQ(p.dst[15], 2);
    }
}

static void ipv4FragmentsCarryIdAndPortsOnlyInFirst(void)
{
    struct frame_spec s = {0};
    frame_v4(&s, "10.0.0.1", "10.0.0.2", 17, 1000, 2000);
    s.frag = 1;
    s.more = 1;
    s.id = 0xbeef;
    s.payload = 64;
    struct splitter_pkt p;
    CHECK_EQ(parse_spec(&s, &p, NULL), SPLITTER_PARSE_OK);
    CHECK(p.is_fragment && p.first_frag && p.has_ports);
    CHECK_EQ(p.frag_id, 0xbeef);
    CHECK_EQ(p.sport, 1000);

    s.frag_off8 = 9;
    CHECK_EQ(parse_spec(&s, &p, NULL), SPLITTER_PARSE_OK);
    CHECK(p.is_fragment && !p.first_frag && !p.has_ports);
    CHECK_EQ(p.frag_id, 0xbeef);
    CHECK_EQ(p.proto, 17);

    s.more = 0; /* last fragment */
    CHECK_EQ(parse_spec(&s, &p, NULL), SPLITTER_PARSE_OK);
    CHECK(p.is_fragment && !p.first_frag);
}

static void ipv6FragmentHeaderAfterExtensionHeaders(void)
{
    struct frame_spec s = {0};
    frame_v6(&s, "2001:db8::a", "2001:db8::b", 17, 5000, 6000);
    s.ext[0] = 0;
    s.next = 1;
    s.frag = 1;
    s.more = 1;
    s.id = 0x12345678;
    s.payload = 100;
    struct splitter_pkt p;
    CHECK_EQ(parse_spec(&s, &p, NULL), SPLITTER_PARSE_OK);
    CHECK(p.is_fragment && p.first_frag && p.has_ports);
    CHECK_EQ(p.frag_id, 0x12345678);
    CHECK_EQ(p.proto, 17);
    CHECK_EQ(p.dport, 6000);

    s.frag_off8 = 14;
    CHECK_EQ(parse_spec(&s, &p, NULL), SPLITTER_PARSE_OK);
    CHECK(p.is_fragment && !p.first_frag && !p.has_ports);
    CHECK_EQ(p.frag_id, 0x12345678);
}

static void ipv6AtomicFragmentIsAWholeDatagram(void)
{
    struct frame_spec s = {0};
    frame_v6(&s, "2001:db8::a", "2001:db8::b", 6, 5000, 6000);
    s.frag = 1; /* offset 0, M = 0 (RFC 6946) */
    struct splitter_pkt p;
    CHECK_EQ(parse_spec(&s, &p, NULL), SPLITTER_PARSE_OK);
    CHECK(!p.is_fragment);
    CHECK(p.has_ports);
    CHECK_EQ(p.sport, 5000);
}

/* Every prefix of a valid frame parses without reading past it, with the right status. */
static void truncatedFramesAreClassifiedNeverOverread(void)
{
    struct frame_spec specs[3] = {{0}, {0}, {0}};
    frame_v4(&specs[0], "10.0.0.1", "10.0.0.2", 6, 1, 2);
    frame_v6(&specs[1], "2001:db8::1", "2001:db8::2", 17, 1, 2);
    specs[1].ext[0] = 0;
    specs[1].next = 1;
    frame_v4(&specs[2], "10.0.0.1", "10.0.0.2", 17, 1, 2);
    specs[2].ntags = 2;
    specs[2].tpid[0] = 0x88a8;
    specs[2].tpid[1] = 0x8100;
    for (int k = 0; k < 3; k++) {
        size_t full = frame_build(buf, &specs[k]);
        size_t l3 = 14 + 4 * (size_t)specs[k].ntags;
        size_t iph = specs[k].v6 ? 40 : 20;
        size_t l4 = l3 + iph + (specs[k].v6 ? 8 : 0);
        for (size_t len = 0; len <= full; len++) {
            /* Copy to a heap block of exactly len bytes so an over-read is visible to tools. */
            uint8_t *copy = malloc(len ? len : 1);
            memcpy(copy, buf, len);
            struct splitter_pkt p;
            enum splitter_parse_status st = splitter_parse(copy, len, &p);
            enum splitter_parse_status want = len < l3 ? SPLITTER_PARSE_NON_IP
                                             : len < l3 + iph ? SPLITTER_PARSE_TRUNCATED
                                             : len < l4 + 4 ? SPLITTER_PARSE_L4_SHORT
                                                            : SPLITTER_PARSE_OK;
            if (st != want)
                printf("  case %d len %zu: got %s want %s\n", k, len,
                       splitter_parse_status_name(st), splitter_parse_status_name(want));
            CHECK_EQ(st, want);
            free(copy);
        }
    }
}

static void malformedIpv4HeaderIsRejected(void)
{
    struct frame_spec s = {0};
    frame_v4(&s, "10.0.0.1", "10.0.0.2", 6, 1, 2);
    size_t n = frame_build(buf, &s);
    struct splitter_pkt p;
    buf[14] = 0x44; /* IHL 4 < 5 */
    CHECK_EQ(splitter_parse(buf, n, &p), SPLITTER_PARSE_MALFORMED);
    buf[14] = 0x65; /* version 6 in an IPv4 ethertype */
    CHECK_EQ(splitter_parse(buf, n, &p), SPLITTER_PARSE_MALFORMED);
    CHECK_EQ(p.l3, SPLITTER_L3_NONE);
}

static void ethernetPaddingIsNotReadAsPorts(void)
{
    struct frame_spec s = {0};
    frame_v4(&s, "10.0.0.1", "10.0.0.2", 17, 7, 9);
    size_t n = frame_build(buf, &s);
    buf[16] = 0;
    buf[17] = 22; /* total length 22: the UDP header lies beyond the datagram */
    struct splitter_pkt p;
    CHECK_EQ(splitter_parse(buf, n, &p), SPLITTER_PARSE_L4_SHORT);
    CHECK(!p.has_ports);
}

static uint32_t rng_state = 12345;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void random_pkt(struct splitter_pkt *p, int v6)
{
    memset(p, 0, sizeof(*p));
    p->l3 = v6 ? SPLITTER_L3_IPV6 : SPLITTER_L3_IPV4;
    for (int i = 0; i < (v6 ? 16 : 4); i++) {
        p->src[i] = (uint8_t)rnd();
        p->dst[i] = (uint8_t)rnd();
    }
    p->proto = rnd() % 2 ? 6 : 17;
    p->has_ports = 1;
    p->sport = (uint16_t)rnd();
    p->dport = (uint16_t)rnd();
}

static void reverse_pkt(const struct splitter_pkt *p, struct splitter_pkt *r)
{
    *r = *p;
    memcpy(r->src, p->dst, 16);
    memcpy(r->dst, p->src, 16);
    r->sport = p->dport;
    r->dport = p->sport;
}

static void bothDirectionsOfAFlowHashAlike(void)
{
    for (int i = 0; i < 20000; i++) {
        struct splitter_pkt p, r;
        random_pkt(&p, i & 1);
        if (i % 7 == 0)
            memcpy(p.dst, p.src, 16); /* same host, different ports */
        reverse_pkt(&p, &r);
        CHECK_EQ(splitter_flow_hash(&p, 42) == splitter_flow_hash(&r, 42), 1);
        CHECK_EQ(splitter_addr_hash(&p, 42) == splitter_addr_hash(&r, 42), 1);
    }
}

static void builtFramesHashAlikeInBothDirections(void)
{
    struct frame_spec s = {0};
    frame_v6(&s, "2001:db8::1:5", "2001:db8::9", 6, 33000, 443);
    s.ntags = 1;
    s.tpid[0] = 0x8100;
    struct splitter_pkt a, b;
    parse_spec(&s, &a, NULL);
    frame_reverse(&s);
    parse_spec(&s, &b, NULL);
    CHECK(splitter_flow_hash(&a, 0) == splitter_flow_hash(&b, 0));
    /* The ports matter: another flow between the same hosts hashes differently. */
    s.sport = 33001;
    parse_spec(&s, &b, NULL);
    CHECK(splitter_flow_hash(&a, 0) != splitter_flow_hash(&b, 0));
}

static void firstFragmentHashesLikeItsFlow(void)
{
    struct frame_spec s = {0};
    frame_v4(&s, "10.9.0.1", "10.9.0.2", 17, 4000, 4001);
    struct splitter_pkt whole, first;
    parse_spec(&s, &whole, NULL);
    s.frag = 1;
    s.more = 1;
    s.id = 7;
    parse_spec(&s, &first, NULL);
    CHECK(splitter_flow_hash(&whole, 3) == splitter_flow_hash(&first, 3));
}

/* Table: many random flows spread evenly over 2, 3, 4 and 7 cells (within 3%). */
static void randomFlowsSpreadEvenlyAcrossCells(void)
{
    static const unsigned ncells[] = {2, 3, 4, 7};
    const int flows = 140000;
    for (size_t k = 0; k < sizeof(ncells) / sizeof(ncells[0]); k++) {
        unsigned count[8] = {0};
        for (int i = 0; i < flows; i++) {
            struct splitter_pkt p;
            random_pkt(&p, i & 1);
            count[splitter_hash_to_cell(splitter_flow_hash(&p, 0), ncells[k])]++;
        }
        double expect = (double)flows / ncells[k];
        for (unsigned c = 0; c < ncells[k]; c++) {
            double dev = (count[c] - expect) / expect;
            if (dev > 0.03 || dev < -0.03)
                printf("  %u cells: cell %u got %u, expected ~%.0f\n", ncells[k], c, count[c],
                       expect);
            CHECK(dev <= 0.03 && dev >= -0.03);
        }
    }
}

/* Sequential addresses and ports (a scan) must spread too, not only random ones. */
static void sequentialFlowsSpreadEvenly(void)
{
    unsigned count[4] = {0};
    for (uint32_t i = 0; i < 40000; i++) {
        struct splitter_pkt p = {0};
        p.l3 = SPLITTER_L3_IPV4;
        p.proto = 6;
        p.has_ports = 1;
        p.src[0] = 10;
        p.src[3] = (uint8_t)(i >> 8);
        p.dst[0] = 10;
        p.dst[3] = 1;
        p.sport = (uint16_t)(1024 + i);
        p.dport = 80;
        count[splitter_hash_to_cell(splitter_flow_hash(&p, 0), 4)]++;
    }
    for (int c = 0; c < 4; c++)
        CHECK(count[c] > 9500 && count[c] < 10500);
}

static void linearizeReinsertsTheStrippedTag(void)
{
    uint8_t in[20], out[24];
    for (int i = 0; i < 20; i++)
        in[i] = (uint8_t)i;
    struct splitter_frame f = {.data = in, .len = 20, .has_tag = 1, .tag_tpid = 0x88a8,
                               .tag_tci = 0x0123};
    CHECK_EQ(splitter_frame_linearize(&f, out), 24);
    CHECK(memcmp(out, in, 12) == 0);
    CHECK(out[12] == 0x88 && out[13] == 0xa8 && out[14] == 0x01 && out[15] == 0x23);
    CHECK(memcmp(out + 16, in + 12, 8) == 0);
}

void test_split_all(void)
{
    RUN(parsesIpv4TcpPortsAndAddresses);
    RUN(walksVlanAndStackedQinQTags);
    RUN(tooManyVlanTagsIsNonIp);
    RUN(nonIpEthertypeIsNonIp);
    RUN(walksIpv6ExtensionHeadersToPorts);
    RUN(ipv4FragmentsCarryIdAndPortsOnlyInFirst);
    RUN(ipv6FragmentHeaderAfterExtensionHeaders);
    RUN(ipv6AtomicFragmentIsAWholeDatagram);
    RUN(truncatedFramesAreClassifiedNeverOverread);
    RUN(malformedIpv4HeaderIsRejected);
    RUN(ethernetPaddingIsNotReadAsPorts);
    RUN(bothDirectionsOfAFlowHashAlike);
    RUN(builtFramesHashAlikeInBothDirections);
    RUN(firstFragmentHashesLikeItsFlow);
    RUN(randomFlowsSpreadEvenlyAcrossCells);
    RUN(sequentialFlowsSpreadEvenly);
    RUN(linearizeReinsertsTheStrippedTag);
}
