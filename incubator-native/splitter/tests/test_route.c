/* test_route.c - the per-frame decision: built frames through parse, hash and fragment table. */
#include <string.h>

#include "check.h"
#include "frames.h"
#include "splitter.h"

#define MS 1000000ull

static int locks, unlocks;

static void count_lock(void *arg)
{
    (void)arg;
    locks++;
}

static void count_unlock(void *arg)
{
    (void)arg;
    unlocks++;
}

static struct splitter_router router(unsigned ncells)
{
    struct splitter_frag_limits l = {
        .max_entries = 128,
        .max_held = 64,
        .max_held_bytes = 1 << 20,
        .entry_ttl_ns = 1000 * MS,
        .hold_ns = 100 * MS,
    };
    struct splitter_router rt = {
        .ncells = ncells,
        .non_ip_cell = ncells - 1,
        .seed = 0,
        .frags = splitter_frag_new(&l),
        .lock = count_lock,
        .unlock = count_unlock,
    };
    return rt;
}

static int route(struct splitter_router *rt, const struct frame_spec *s, uint64_t now,
                 struct splitter_counters *c, struct splitter_held **rel)
{
    static uint8_t buf[2048];
    struct splitter_frame f = {.data = buf, .len = (uint32_t)frame_build(buf, s)};
    return splitter_route_frame(rt, &f, now, c, rel);
}

static void nonIpAndBrokenIpGoToTheNonIpCell(void)
{
    struct splitter_router rt = router(4);
    struct splitter_counters c = {0};
    uint8_t arp[60] = {0};
    arp[12] = 0x08;
    arp[13] = 0x06;
    struct splitter_frame f = {.data = arp, .len = 60};
    struct splitter_held *rel = NULL;
    CHECK_EQ(splitter_route_frame(&rt, &f, 0, &c, &rel), 3);
    arp[13] = 0x00; /* IPv4 ethertype, zero header: malformed */
    CHECK_EQ(splitter_route_frame(&rt, &f, 0, &c, &rel), 3);
    f.len = 20; /* IPv4 ethertype, 6 bytes of header: truncated */
    CHECK_EQ(splitter_route_frame(&rt, &f, 0, &c, &rel), 3);
    CHECK_EQ(c.reason[SPLITTER_R_NON_IP], 1);
    CHECK_EQ(c.reason[SPLITTER_R_MALFORMED], 1);
    CHECK_EQ(c.reason[SPLITTER_R_TRUNCATED], 1);
    CHECK_EQ(c.reason[SPLITTER_R_RX], 3);
    splitter_frag_free(rt.frags);
}

static void bothDirectionsAndVlanVariantsReachOneCell(void)
{
    struct splitter_router rt = router(8);
    struct splitter_counters c = {0};
    struct splitter_held *rel = NULL;
    unsigned used = 0;
    for (int i = 0; i < 200; i++) {
        struct frame_spec s = {0};
        char src[32];
        snprintf(src, sizeof(src), "10.0.%d.%d", i / 250, i % 250 + 1);
        frame_v4(&s, src, "192.0.2.1", i % 2 ? 6 : 17, (uint16_t)(1024 + i), 80);
        int fwd = route(&rt, &s, 0, &c, &rel);
        frame_reverse(&s);
        s.ntags = 2; /* the return path may carry other tags: the hash ignores them */
        s.tpid[0] = 0x88a8;
        s.tpid[1] = 0x8100;
        CHECK_EQ(route(&rt, &s, 0, &c, &rel), fwd);
        used |= 1u << fwd;
    }
    CHECK(__builtin_popcount(used) >= 6); /* 200 flows over 8 cells use most of them */
    splitter_frag_free(rt.frags);
}

static void fragmentsFollowTheirFlowAlsoWhenTheFirstComesLate(void)
{
    struct splitter_router rt = router(16);
    struct splitter_counters c = {0};
    struct splitter_held *rel = NULL;
    struct frame_spec s = {0};
    frame_v6(&s, "2001:db8::10", "2001:db8::20", 17, 7000, 7001);
    int flow_cell = route(&rt, &s, 0, &c, &rel);

    s.frag = 1;
    s.id = 99;
    s.more = 1;
    s.frag_off8 = 100;
    CHECK_EQ(route(&rt, &s, 1 * MS, &c, &rel), -1); /* held: first fragment not seen yet */
    s.more = 0;
    s.frag_off8 = 200;
    CHECK_EQ(route(&rt, &s, 2 * MS, &c, &rel), -1);
    CHECK(rel == NULL);
    s.frag_off8 = 0;
    s.more = 1;
    CHECK_EQ(route(&rt, &s, 3 * MS, &c, &rel), flow_cell); /* the first fragment */
    CHECK(rel != NULL && rel->cell == flow_cell);
    CHECK(rel != NULL && rel->next != NULL && rel->next->cell == flow_cell);
    CHECK_EQ(c.reason[SPLITTER_R_FRAGMENTS], 3);
    CHECK_EQ(c.reason[SPLITTER_R_FRAGMENTS_HELD], 2);
    CHECK_EQ(c.reason[SPLITTER_R_FRAGMENTS_RELEASED], 2);
    splitter_held_free_list(rel);
    rel = NULL;
    /* A duplicate of a later fragment now goes straight to the flow's cell. */
    s.frag_off8 = 100;
    CHECK_EQ(route(&rt, &s, 4 * MS, &c, &rel), flow_cell);
    CHECK_EQ(locks, unlocks);
    CHECK(locks > 0);
    splitter_frag_free(rt.frags);
}

static void heldFragmentsTimeOutToTheAddressHash(void)
{
    struct splitter_router rt = router(16);
    struct splitter_counters c = {0};
    struct splitter_held *rel = NULL;
    struct frame_spec s = {0};
    frame_v4(&s, "198.51.100.7", "203.0.113.9", 17, 1, 2);
    s.frag = 1;
    s.id = 4242;
    s.frag_off8 = 185;
    CHECK_EQ(route(&rt, &s, 0, &c, &rel), -1);
    splitter_route_expire(&rt, 99 * MS, &c, &rel);
    CHECK(rel == NULL);
    splitter_route_expire(&rt, 100 * MS, &c, &rel);
    CHECK(rel != NULL);
    struct splitter_pkt p;
    uint8_t buf[2048];
    splitter_parse(buf, frame_build(buf, &s), &p);
    int want = (int)splitter_hash_to_cell(splitter_addr_hash(&p, 0), 16);
    CHECK(rel != NULL && rel->cell == want);
    CHECK_EQ(c.reason[SPLITTER_R_FRAGMENTS_TIMED_OUT], 1);
    splitter_held_free_list(rel);
    splitter_frag_free(rt.frags);
}

static void icmpHashesOnAddressesBothWays(void)
{
    struct splitter_router rt = router(16);
    struct splitter_counters c = {0};
    struct splitter_held *rel = NULL;
    struct frame_spec s = {0};
    frame_v4(&s, "10.0.0.1", "10.0.0.2", 1, 0, 0);
    int a = route(&rt, &s, 0, &c, &rel);
    frame_reverse(&s);
    CHECK_EQ(route(&rt, &s, 0, &c, &rel), a);
    splitter_frag_free(rt.frags);
}

void test_route_all(void)
{
    RUN(nonIpAndBrokenIpGoToTheNonIpCell);
    RUN(bothDirectionsAndVlanVariantsReachOneCell);
    RUN(fragmentsFollowTheirFlowAlsoWhenTheFirstComesLate);
    RUN(heldFragmentsTimeOutToTheAddressHash);
    RUN(icmpHashesOnAddressesBothWays);
}
