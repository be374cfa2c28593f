/*
 * frag.c - the fragment table: which cell each fragmented datagram went to.
 *
 * Pure (libc only, time passed in). One entry per datagram, keyed by
 * (l3, src, dst, proto, id). An entry is either
 *   KNOWN:   its first fragment was routed; later fragments follow it, or
 *   PENDING: non-first fragments came first; they are held (copied) until the
 *            first fragment arrives or hold_ns passes.
 * Bounded: max_entries datagrams, max_held fragments, max_held_bytes bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "splitter.h"

#define NIL 0u /* list and chain links are index + 1; 0 is the end */

struct entry {
    struct splitter_frag_key key;
    uint32_t chain;         /* next entry in the same hash bucket */
    uint32_t prev, next;    /* neighbours in known_list or pending_list */
    uint64_t expires_ns;
    int cell;               /* -1 while PENDING */
    uint32_t nheld;
    uint64_t held_bytes;
    struct splitter_held *held_head, *held_tail; /* oldest first; empty when KNOWN */
};

struct list {
    uint32_t head, tail; /* head is the oldest, so expiry walks from the head */
};

struct splitter_frag_table {
    struct splitter_frag_limits lim;
    struct entry *entries; /* max_entries slots */
    uint32_t *buckets;     /* nbuckets heads */
    uint32_t nbuckets;     /* power of two */
    uint32_t free_head;    /* free slots, linked through next */
    /* Invariant: every used slot is in exactly one of the two lists and in one chain;
     * within each list expires_ns is non-decreasing from head to tail (both lists
     * use a fixed lifetime and entries move to the tail when refreshed). */
    struct list known_list;
    struct list pending_list;
    struct splitter_frag_stats stats;
};

static struct entry *at(struct splitter_frag_table *t, uint32_t link)
{
    return &t->entries[link - 1];
}

static uint32_t key_bucket(const struct splitter_frag_table *t, const struct splitter_frag_key *k)
{
    uint64_t h = (uint64_t)k->id * 0x9E3779B97F4A7C15ULL ^ (uint64_t)k->proto << 8 ^ k->l3;
    for (int i = 0; i < 16; i += 4) {
        uint32_t s, d;
        memcpy(&s, k->src + i, 4);
        memcpy(&d, k->dst + i, 4);
        h = (h ^ s) * 0xff51afd7ed558ccdULL;
        h = (h ^ d) * 0xc4ceb9fe1a85ec53ULL;
    }
    h ^= h >> 29;
    return (uint32_t)h & (t->nbuckets - 1);
}

static int key_eq(const struct splitter_frag_key *a, const struct splitter_frag_key *b)
{
    return a->id == b->id && a->l3 == b->l3 && a->proto == b->proto &&
           memcmp(a->src, b->src, 16) == 0 && memcmp(a->dst, b->dst, 16) == 0;
}

static void list_unlink(struct splitter_frag_table *t, struct list *l, uint32_t i)
{
    struct entry *e = at(t, i);
    if (e->prev != NIL)
        at(t, e->prev)->next = e->next;
    else
        l->head = e->next;
    if (e->next != NIL)
        at(t, e->next)->prev = e->prev;
    else
        l->tail = e->prev;
    e->prev = e->next = NIL;
}

static void list_append(struct splitter_frag_table *t, struct list *l, uint32_t i)
{
    struct entry *e = at(t, i);
    e->next = NIL;
    e->prev = l->tail;
    if (l->tail != NIL)
        at(t, l->tail)->next = i;
    else
        l->head = i;
    l->tail = i;
}

struct splitter_frag_table *splitter_frag_new(const struct splitter_frag_limits *lim)
{
    if (lim->max_entries == 0 || lim->max_entries > (1u << 26))
        return NULL;
    struct splitter_frag_table *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return NULL;
    t->lim = *lim;
    t->nbuckets = 1;
    while (t->nbuckets < lim->max_entries * 2)
        t->nbuckets <<= 1;
    t->entries = calloc(lim->max_entries, sizeof(*t->entries));
    t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
    if (t->entries == NULL || t->buckets == NULL) {
        splitter_frag_free(t);
        return NULL;
    }
    for (uint32_t i = lim->max_entries; i >= 1; i--) {
        t->entries[i - 1].next = t->free_head;
        t->free_head = i;
    }
    return t;
}

void splitter_held_free_list(struct splitter_held *h)
{
    while (h != NULL) {
        struct splitter_held *n = h->next;
        free(h);
        h = n;
    }
}

void splitter_frag_free(struct splitter_frag_table *t)
{
    if (t == NULL)
        return;
    if (t->entries != NULL) {
        for (uint32_t i = 0; i < t->lim.max_entries; i++)
            splitter_held_free_list(t->entries[i].held_head);
    }
    free(t->entries);
    free(t->buckets);
    free(t);
}

static uint32_t find(struct splitter_frag_table *t, const struct splitter_frag_key *k)
{
    for (uint32_t i = t->buckets[key_bucket(t, k)]; i != NIL; i = at(t, i)->chain) {
        if (key_eq(&at(t, i)->key, k))
            return i;
    }
    return NIL;
}

/* Appends the entry's held fragments to *released, each sent to cell (or its fallback if cell < 0). */
static void release_held(struct splitter_frag_table *t, struct entry *e, int cell,
                         struct splitter_held **released)
{
    if (e->held_head == NULL)
        return;
    for (struct splitter_held *h = e->held_head; h != NULL; h = h->next)
        h->cell = cell >= 0 ? cell : h->fallback_cell;
    struct splitter_held **tail = released;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = e->held_head;
    t->stats.held -= e->nheld;
    t->stats.held_bytes -= e->held_bytes;
    e->held_head = e->held_tail = NULL;
    e->nheld = 0;
    e->held_bytes = 0;
}

static void remove_entry(struct splitter_frag_table *t, uint32_t i, struct splitter_held **released)
{
    struct entry *e = at(t, i);
    release_held(t, e, -1, released);
    list_unlink(t, e->cell >= 0 ? &t->known_list : &t->pending_list, i);
    uint32_t *link = &t->buckets[key_bucket(t, &e->key)];
    while (*link != i)
        link = &at(t, *link)->chain;
    *link = e->chain;
    memset(e, 0, sizeof(*e));
    e->next = t->free_head;
    t->free_head = i;
    t->stats.entries--;
}

/* Takes a free slot; if none, evicts the oldest KNOWN entry, and PENDING only if allowed. */
static uint32_t alloc_entry(struct splitter_frag_table *t, const struct splitter_frag_key *k,
                            struct splitter_held **released)
{
    if (t->free_head == NIL) {
        uint32_t victim = t->known_list.head;
        if (victim == NIL && released != NULL)
            victim = t->pending_list.head;
        if (victim == NIL)
            return NIL;
        remove_entry(t, victim, released);
        t->stats.evicted++;
    }
    uint32_t i = t->free_head;
    struct entry *e = at(t, i);
    t->free_head = e->next;
    memset(e, 0, sizeof(*e));
    e->key = *k;
    uint32_t b = key_bucket(t, k);
    e->chain = t->buckets[b];
    t->buckets[b] = i;
    t->stats.entries++;
    return i;
}

void splitter_frag_learn(struct splitter_frag_table *t, const struct splitter_frag_key *k,
                         int cell, uint64_t now_ns, struct splitter_held **released)
{
    uint32_t i = find(t, k);
    if (i == NIL) {
        i = alloc_entry(t, k, released);
        if (i == NIL)
            return;
        at(t, i)->cell = cell;
    } else {
        struct entry *e = at(t, i);
        list_unlink(t, e->cell >= 0 ? &t->known_list : &t->pending_list, i);
        e->cell = cell;
        release_held(t, e, cell, released);
    }
    at(t, i)->expires_ns = now_ns + t->lim.entry_ttl_ns;
    list_append(t, &t->known_list, i);
}

enum splitter_frag_verdict splitter_frag_lookup(struct splitter_frag_table *t,
                                                const struct splitter_frag_key *k,
                                                const struct splitter_frame *f,
                                                int fallback_cell, uint64_t now_ns, int *cell)
{
    uint32_t i = find(t, k);
    if (i != NIL && at(t, i)->cell >= 0) {
        struct entry *e = at(t, i);
        *cell = e->cell;
        e->expires_ns = now_ns + t->lim.entry_ttl_ns;
        list_unlink(t, &t->known_list, i);
        list_append(t, &t->known_list, i);
        return SPLITTER_FRAG_SEND;
    }
    *cell = fallback_cell;
    /* The held copy carries any stripped VLAN tag: it is sent later from the copy. */
    uint32_t len = f->has_tag ? f->len + 4 : f->len;
    if (t->stats.held + 1 > t->lim.max_held || t->stats.held_bytes + len > t->lim.max_held_bytes)
        return SPLITTER_FRAG_OVERFLOW;
    if (i == NIL) {
        i = alloc_entry(t, k, NULL); /* never evict held fragments to hold another */
        if (i == NIL)
            return SPLITTER_FRAG_OVERFLOW;
        at(t, i)->cell = -1;
        at(t, i)->expires_ns = now_ns + t->lim.hold_ns;
        list_append(t, &t->pending_list, i);
    }
    struct splitter_held *h = malloc(sizeof(*h) + len);
    if (h == NULL)
        return SPLITTER_FRAG_OVERFLOW;
    h->next = NULL;
    h->arrived_ns = now_ns;
    h->fallback_cell = fallback_cell;
    h->cell = -1;
    h->len = splitter_frame_linearize(f, h->data);
    struct entry *e = at(t, i);
    if (e->held_tail != NULL)
        e->held_tail->next = h;
    else
        e->held_head = h;
    e->held_tail = h;
    e->nheld++;
    e->held_bytes += len;
    t->stats.held++;
    t->stats.held_bytes += len;
    return SPLITTER_FRAG_HELD;
}

void splitter_frag_expire(struct splitter_frag_table *t, uint64_t now_ns,
                          struct splitter_held **released)
{
    while (t->pending_list.head != NIL && at(t, t->pending_list.head)->expires_ns <= now_ns)
        remove_entry(t, t->pending_list.head, released);
    while (t->known_list.head != NIL && at(t, t->known_list.head)->expires_ns <= now_ns)
        remove_entry(t, t->known_list.head, released);
}

void splitter_frag_get_stats(const struct splitter_frag_table *t, struct splitter_frag_stats *s)
{
    *s = t->stats;
}

void splitter_frag_key_from_pkt(const struct splitter_pkt *pkt, struct splitter_frag_key *k)
{
    memset(k, 0, sizeof(*k));
    k->l3 = pkt->l3;
    k->proto = pkt->l3 == SPLITTER_L3_IPV4 ? pkt->proto : 0;
    k->id = pkt->frag_id;
    memcpy(k->src, pkt->src, 16);
    memcpy(k->dst, pkt->dst, 16);
}
