/* test_frag.c - the fragment table: late first fragment, timeouts, bounds. */
#include <string.h>

#include "check.h"
#include "splitter.h"

#define MS 1000000ull

static struct splitter_frag_limits limits(void)
{
    struct splitter_frag_limits l = {
        .max_entries = 16,
        .max_held = 8,
        .max_held_bytes = 4096,
        .entry_ttl_ns = 1000 * MS,
        .hold_ns = 100 * MS,
    };
    return l;
}

static struct splitter_frag_key key(uint32_t id)
{
    struct splitter_frag_key k;
    memset(&k, 0, sizeof(k));
    k.l3 = SPLITTER_L3_IPV4;
    k.proto = 17;
    k.id = id;
    k.src[0] = 10;
    k.dst[0] = 11;
    return k;
}

static struct splitter_frame frame(const uint8_t *data, uint32_t len)
{
    struct splitter_frame f = {.data = data, .len = len};
    return f;
}

static int list_len(const struct splitter_held *h)
{
    int n = 0;
    for (; h != NULL; h = h->next)
        n++;
    return n;
}

static void lateFirstFragmentReleasesHeldFragmentsInOrder(void)
{
    struct splitter_frag_limits l = limits();
    struct splitter_frag_table *t = splitter_frag_new(&l);
    struct splitter_frag_key k = key(1);
    uint8_t a[100], b[200];
    memset(a, 'a', sizeof(a));
    memset(b, 'b', sizeof(b));
    struct splitter_frame fa = frame(a, sizeof(a)), fb = frame(b, sizeof(b));
    int cell = 99;
    CHECK_EQ(splitter_frag_lookup(t, &k, &fa, 0, 10 * MS, &cell), SPLITTER_FRAG_HELD);
    CHECK_EQ(splitter_frag_lookup(t, &k, &fb, 0, 20 * MS, &cell), SPLITTER_FRAG_HELD);
    struct splitter_frag_stats st;
    splitter_frag_get_stats(t, &st);
    CHECK_EQ(st.held, 2);
    CHECK_EQ(st.held_bytes, 300);

    struct splitter_held *rel = NULL;
    splitter_frag_learn(t, &k, 3, 30 * MS, &rel);
    CHECK_EQ(list_len(rel), 2);
    CHECK(rel != NULL && rel->cell == 3 && rel->len == 100 && rel->data[0] == 'a');
    CHECK(rel != NULL && rel->next != NULL && rel->next->cell == 3 && rel->next->data[0] == 'b');
    splitter_held_free_list(rel);

    /* Fragments after the first one follow it directly. */
    CHECK_EQ(splitter_frag_lookup(t, &k, &fa, 0, 40 * MS, &cell), SPLITTER_FRAG_SEND);
    CHECK_EQ(cell, 3);
    splitter_frag_get_stats(t, &st);
    CHECK_EQ(st.held, 0);
    CHECK_EQ(st.held_bytes, 0);
    CHECK_EQ(st.entries, 1);
    splitter_frag_free(t);
}

static void heldFragmentsTimeOutToTheirFallbackCell(void)
{
    struct splitter_frag_limits l = limits();
    struct splitter_frag_table *t = splitter_frag_new(&l);
    struct splitter_frag_key k = key(2);
    uint8_t a[64] = {0};
    struct splitter_frame fa = frame(a, sizeof(a));
    int cell;
    CHECK_EQ(splitter_frag_lookup(t, &k, &fa, 1, 0, &cell), SPLITTER_FRAG_HELD);
    struct splitter_held *rel = NULL;
    splitter_frag_expire(t, 100 * MS - 1, &rel);
    CHECK(rel == NULL);
    splitter_frag_expire(t, 100 * MS, &rel);
    CHECK_EQ(list_len(rel), 1);
    CHECK(rel != NULL && rel->cell == 1);
    splitter_held_free_list(rel);
    struct splitter_frag_stats st;
    splitter_frag_get_stats(t, &st);
    CHECK_EQ(st.entries, 0);
    CHECK_EQ(st.held, 0);
    splitter_frag_free(t);
}

static void learnedDatagramIsForgottenAfterTtl(void)
{
    struct splitter_frag_limits l = limits();
    struct splitter_frag_table *t = splitter_frag_new(&l);
    struct splitter_frag_key k = key(3);
    struct splitter_held *rel = NULL;
    splitter_frag_learn(t, &k, 2, 0, &rel);
    uint8_t a[64] = {0};
    struct splitter_frame fa = frame(a, sizeof(a));
    int cell;
    CHECK_EQ(splitter_frag_lookup(t, &k, &fa, 0, 500 * MS, &cell), SPLITTER_FRAG_SEND);
    CHECK_EQ(cell, 2);
    /* The lookup refreshed it: still known just before 500 ms + ttl. */
    splitter_frag_expire(t, 1499 * MS, &rel);
    CHECK_EQ(splitter_frag_lookup(t, &k, &fa, 0, 1499 * MS, &cell), SPLITTER_FRAG_SEND);
    splitter_frag_expire(t, 2499 * MS, &rel);
    CHECK(rel == NULL);
    CHECK_EQ(splitter_frag_lookup(t, &k, &fa, 0, 2500 * MS, &cell), SPLITTER_FRAG_HELD);
    CHECK_EQ(cell, 0);
    splitter_frag_free(t);
}

static void holdingIsBoundedByCountAndBytes(void)
{
    struct splitter_frag_limits l = limits();
    l.max_held = 2;
    l.max_held_bytes = 250;
    struct splitter_frag_table *t = splitter_frag_new(&l);
    uint8_t a[100] = {0};
    struct splitter_frame fa = frame(a, sizeof(a)), fsmall = frame(a, 10);
    int cell;
    struct splitter_frag_key k1 = key(10), k2 = key(11), k3 = key(12);
    CHECK_EQ(splitter_frag_lookup(t, &k1, &fa, 1, 0, &cell), SPLITTER_FRAG_HELD);
    CHECK_EQ(splitter_frag_lookup(t, &k2, &fa, 1, 0, &cell), SPLITTER_FRAG_HELD);
    /* Count limit: a third fragment, however small, is not held but sent to its fallback. */
    CHECK_EQ(splitter_frag_lookup(t, &k3, &fsmall, 1, 0, &cell), SPLITTER_FRAG_OVERFLOW);
    CHECK_EQ(cell, 1);
    splitter_frag_free(t);

    l.max_held = 100;
    t = splitter_frag_new(&l);
    CHECK_EQ(splitter_frag_lookup(t, &k1, &fa, 1, 0, &cell), SPLITTER_FRAG_HELD);
    CHECK_EQ(splitter_frag_lookup(t, &k1, &fa, 1, 0, &cell), SPLITTER_FRAG_HELD);
    /* Byte limit: 200 held, 100 more would exceed 250. */
    CHECK_EQ(splitter_frag_lookup(t, &k1, &fa, 1, 0, &cell), SPLITTER_FRAG_OVERFLOW);
    CHECK_EQ(splitter_frag_lookup(t, &k1, &fsmall, 1, 0, &cell), SPLITTER_FRAG_HELD);
    splitter_frag_free(t);
}

static void fullTableEvictsOldestLearnedEntryButNeverHeldFragments(void)
{
    struct splitter_frag_limits l = limits();
    l.max_entries = 2;
    struct splitter_frag_table *t = splitter_frag_new(&l);
    struct splitter_held *rel = NULL;
    struct splitter_frag_key a = key(1), b = key(2), c = key(3), d = key(4);
    splitter_frag_learn(t, &a, 0, 0, &rel);
    splitter_frag_learn(t, &b, 1, 1, &rel);
    splitter_frag_learn(t, &c, 1, 2, &rel); /* evicts a, the oldest */
    struct splitter_frag_stats st;
    splitter_frag_get_stats(t, &st);
    CHECK_EQ(st.entries, 2);
    CHECK_EQ(st.evicted, 1);
    uint8_t x[60] = {0};
    struct splitter_frame fx = frame(x, sizeof(x));
    int cell;
    CHECK_EQ(splitter_frag_lookup(t, &c, &fx, 0, 3, &cell), SPLITTER_FRAG_SEND);
    CHECK_EQ(cell, 1);
    /* Holding a fragment may evict a learned entry (b)... */
    CHECK_EQ(splitter_frag_lookup(t, &a, &fx, 0, 4, &cell), SPLITTER_FRAG_HELD);
    /* ...and c, but once only held fragments remain, a new one is not held. */
    CHECK_EQ(splitter_frag_lookup(t, &b, &fx, 0, 5, &cell), SPLITTER_FRAG_HELD);
    CHECK_EQ(splitter_frag_lookup(t, &d, &fx, 0, 6, &cell), SPLITTER_FRAG_OVERFLOW);
    /* A first fragment still gets in: it evicts the oldest pending entry, releasing it. */
    splitter_frag_learn(t, &d, 1, 7, &rel);
    CHECK_EQ(list_len(rel), 1);
    CHECK(rel != NULL && rel->cell == 0); /* a's fragment, to its fallback cell */
    splitter_held_free_list(rel);
    splitter_frag_free(t);
}

static void datagramsWithDifferentKeysDoNotMix(void)
{
    struct splitter_frag_limits l = limits();
    struct splitter_frag_table *t = splitter_frag_new(&l);
    struct splitter_frag_key k1 = key(5), k2 = key(5), k3 = key(5);
    k2.proto = 6;  /* IPv4: protocol is part of the key */
    k3.dst[1] = 1; /* other destination */
    uint8_t x[60] = {0};
    struct splitter_frame fx = frame(x, sizeof(x));
    int cell;
    struct splitter_held *rel = NULL;
    CHECK_EQ(splitter_frag_lookup(t, &k2, &fx, 0, 0, &cell), SPLITTER_FRAG_HELD);
    CHECK_EQ(splitter_frag_lookup(t, &k3, &fx, 0, 0, &cell), SPLITTER_FRAG_HELD);
    splitter_frag_learn(t, &k1, 1, 0, &rel);
    CHECK(rel == NULL);
    struct splitter_frag_stats st;
    splitter_frag_get_stats(t, &st);
    CHECK_EQ(st.entries, 3);
    CHECK_EQ(st.held, 2);
    splitter_frag_free(t); /* frees held fragments too (checked under valgrind/ASan) */
}

static void ipv6KeyIgnoresNextHeader(void)
{
    struct splitter_pkt p = {0}, q;
    p.l3 = SPLITTER_L3_IPV6;
    p.proto = 17;
    p.frag_id = 77;
    p.src[0] = 0x20;
    q = p;
    q.proto = 60; /* RFC 8200: fragments of one datagram may differ here */
    struct splitter_frag_key a, b;
    splitter_frag_key_from_pkt(&p, &a);
    splitter_frag_key_from_pkt(&q, &b);
    CHECK(memcmp(&a, &b, sizeof(a)) == 0);
    p.l3 = q.l3 = SPLITTER_L3_IPV4;
    splitter_frag_key_from_pkt(&p, &a);
    splitter_frag_key_from_pkt(&q, &b);
    CHECK(a.proto != b.proto);
}

static void heldCopyKeepsTheStrippedVlanTag(void)
{
    struct splitter_frag_limits l = limits();
    struct splitter_frag_table *t = splitter_frag_new(&l);
    struct splitter_frag_key k = key(9);
    uint8_t x[60];
    memset(x, 0x11, sizeof(x));
    struct splitter_frame f = {.data = x, .len = 60, .has_tag = 1, .tag_tpid = 0x8100,
                               .tag_tci = 42};
    int cell;
    CHECK_EQ(splitter_frag_lookup(t, &k, &f, 0, 0, &cell), SPLITTER_FRAG_HELD);
    struct splitter_held *rel = NULL;
    splitter_frag_learn(t, &k, 1, 1, &rel);
    CHECK(rel != NULL && rel->len == 64 && rel->data[12] == 0x81 && rel->data[15] == 42);
    splitter_held_free_list(rel);
    splitter_frag_free(t);
}

static void manyDatagramsChurnWithoutLeakingSlots(void)
{
    struct splitter_frag_limits l = limits();
    l.max_entries = 64;
    l.max_held = 1000;
    l.max_held_bytes = 1 << 20;
    struct splitter_frag_table *t = splitter_frag_new(&l);
    uint8_t x[60] = {0};
    struct splitter_frame fx = frame(x, sizeof(x));
    uint64_t now = 0;
    int released = 0, held = 0;
    for (uint32_t i = 0; i < 5000; i++, now += MS) {
        struct splitter_frag_key k = key(i);
        struct splitter_held *rel = NULL;
        int cell;
        if (splitter_frag_lookup(t, &k, &fx, 0, now, &cell) == SPLITTER_FRAG_HELD)
            held++;
        if (i % 3 != 0) /* two thirds get their first fragment late */
            splitter_frag_learn(t, &k, 1, now, &rel);
        splitter_frag_expire(t, now, &rel);
        released += list_len(rel);
        splitter_held_free_list(rel);
    }
    struct splitter_held *rel = NULL;
    splitter_frag_expire(t, UINT64_MAX, &rel);
    released += list_len(rel);
    splitter_held_free_list(rel);
    CHECK_EQ(released, held); /* every held fragment came back exactly once */
    struct splitter_frag_stats st;
    splitter_frag_get_stats(t, &st);
    CHECK_EQ(st.entries, 0);
    CHECK_EQ(st.held, 0);
    splitter_frag_free(t);
}

void test_frag_all(void)
{
    RUN(lateFirstFragmentReleasesHeldFragmentsInOrder);
    RUN(heldFragmentsTimeOutToTheirFallbackCell);
    RUN(learnedDatagramIsForgottenAfterTtl);
    RUN(holdingIsBoundedByCountAndBytes);
    RUN(fullTableEvictsOldestLearnedEntryButNeverHeldFragments);
    RUN(datagramsWithDifferentKeysDoNotMix);
    RUN(ipv6KeyIgnoresNextHeader);
    RUN(heldCopyKeepsTheStrippedVlanTag);
    RUN(manyDatagramsChurnWithoutLeakingSlots);
}
