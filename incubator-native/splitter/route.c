/*
 * route.c - the decision for one frame: parse, hash, consult the fragment table.
 *
 * Pure (libc only): the optional lock hooks let the Linux backend share one
 * fragment table between workers, so fragments of a datagram find each other
 * whichever worker the kernel's fanout hands them to.
 *
 * Routing rules:
 *   not IP (or IP header unusable)   -> non_ip_cell
 *   unfragmented IP                  -> flow hash (addresses, ports, proto)
 *   first fragment                   -> flow hash; learned for its datagram
 *   later fragment, datagram known   -> the learned cell
 *   later fragment, datagram unknown -> held until its first fragment arrives;
 *                                       on timeout or overflow -> address hash
 */
#include "splitter.h"

static void lock(struct splitter_router *rt)
{
    if (rt->lock != NULL)
        rt->lock(rt->lock_arg);
}

static void unlock(struct splitter_router *rt)
{
    if (rt->unlock != NULL)
        rt->unlock(rt->lock_arg);
}

static int count_released(struct splitter_held *h)
{
    int n = 0;
    for (; h != NULL; h = h->next)
        n++;
    return n;
}

static int route_fragment(struct splitter_router *rt, const struct splitter_frame *f,
                          const struct splitter_pkt *pkt, uint64_t now_ns,
                          struct splitter_counters *c, struct splitter_held **released)
{
    struct splitter_frag_key key;
    splitter_frag_key_from_pkt(pkt, &key);
    SPLITTER_COUNT(c, SPLITTER_R_FRAGMENTS);
    if (pkt->first_frag) {
        int cell = (int)splitter_hash_to_cell(splitter_flow_hash(pkt, rt->seed), rt->ncells);
        struct splitter_held *rel = NULL;
        lock(rt);
        splitter_frag_learn(rt->frags, &key, cell, now_ns, &rel);
        unlock(rt);
        SPLITTER_COUNT_ADD(c->reason[SPLITTER_R_FRAGMENTS_RELEASED], count_released(rel));
        struct splitter_held **tail = released;
        while (*tail != NULL)
            tail = &(*tail)->next;
        *tail = rel;
        return cell;
    }
    int fallback = (int)splitter_hash_to_cell(splitter_addr_hash(pkt, rt->seed), rt->ncells);
    int cell;
    lock(rt);
    enum splitter_frag_verdict v =
        splitter_frag_lookup(rt->frags, &key, f, fallback, now_ns, &cell);
    unlock(rt);
    if (v == SPLITTER_FRAG_HELD) {
        SPLITTER_COUNT(c, SPLITTER_R_FRAGMENTS_HELD);
        return -1;
    }
    if (v == SPLITTER_FRAG_OVERFLOW)
        SPLITTER_COUNT(c, SPLITTER_R_FRAGMENTS_HOLD_OVERFLOW);
    return cell;
}

int splitter_route_frame(struct splitter_router *rt, const struct splitter_frame *f,
                         uint64_t now_ns, struct splitter_counters *c,
                         struct splitter_held **released)
{
    struct splitter_pkt pkt;
    enum splitter_parse_status st = splitter_parse(f->data, f->len, &pkt);
    SPLITTER_COUNT(c, SPLITTER_R_RX);
    switch (st) {
    case SPLITTER_PARSE_NON_IP:
        SPLITTER_COUNT(c, SPLITTER_R_NON_IP);
        return (int)rt->non_ip_cell;
    case SPLITTER_PARSE_TRUNCATED:
        SPLITTER_COUNT(c, SPLITTER_R_TRUNCATED);
        return (int)rt->non_ip_cell;
    case SPLITTER_PARSE_MALFORMED:
        SPLITTER_COUNT(c, SPLITTER_R_MALFORMED);
        return (int)rt->non_ip_cell;
    case SPLITTER_PARSE_L4_SHORT:
        SPLITTER_COUNT(c, SPLITTER_R_L4_SHORT);
        break;
    case SPLITTER_PARSE_OK:
        break;
    }
    SPLITTER_COUNT(c, pkt.l3 == SPLITTER_L3_IPV4 ? SPLITTER_R_IPV4 : SPLITTER_R_IPV6);
    if (pkt.is_fragment && rt->frags != NULL)
        return route_fragment(rt, f, &pkt, now_ns, c, released);
    return (int)splitter_hash_to_cell(splitter_flow_hash(&pkt, rt->seed), rt->ncells);
}

void splitter_route_expire(struct splitter_router *rt, uint64_t now_ns,
                           struct splitter_counters *c, struct splitter_held **released)
{
    if (rt->frags == NULL)
        return;
    struct splitter_held *rel = NULL;
    lock(rt);
    splitter_frag_expire(rt->frags, now_ns, &rel);
    unlock(rt);
    SPLITTER_COUNT_ADD(c->reason[SPLITTER_R_FRAGMENTS_TIMED_OUT], count_released(rel));
    struct splitter_held **tail = released;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = rel;
}
