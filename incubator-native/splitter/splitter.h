/*
 * splitter.h - the cell incubator: a flow splitter in front of the SF-TAP cells.
 *
 * Frames arrive on one interface (a mirror port, or one side of an inline
 * bridge) and leave on one of N cell interfaces, chosen by a symmetric flow
 * hash so that both directions of a flow reach the same cell.
 *
 * Units and their dependencies:
 *   split.c   frame parsing and hashing             pure (libc only)
 *   frag.c    fragment table (late first fragment)  pure (libc only)
 *   route.c   parse + hash + fragment table -> cell pure (libc only)
 *   config.c  command line -> struct splitter_config pure (libc only)
 *   stats.c   counter report                        stdio
 *   backend_*.c  capture and transmit (Linux AF_PACKET, netmap, AF_XDP)
 *   main.c    args, signals, threads, reporting loop
 */
#ifndef SPLITTER_H
#define SPLITTER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SPLITTER_MAX_CELLS 64
#define SPLITTER_IFNAME_MAX 16 /* IFNAMSIZ */
#define SPLITTER_MAX_VLAN_TAGS 8
#define SPLITTER_MAX_IPV6_EXT 16

/* ------------------------------------------------------------------ */
/* split.c: parsing and hashing                                        */
/* ------------------------------------------------------------------ */

enum splitter_l3 {
    SPLITTER_L3_NONE = 0, /* not IP: ARP, LLDP, MPLS, ... */
    SPLITTER_L3_IPV4 = 4,
    SPLITTER_L3_IPV6 = 6,
};

enum splitter_parse_status {
    SPLITTER_PARSE_OK = 0,
    SPLITTER_PARSE_NON_IP,      /* ethertype is not IPv4/IPv6 (after VLAN tags) */
    SPLITTER_PARSE_TRUNCATED,   /* IP header cut short: treated like non-IP */
    SPLITTER_PARSE_MALFORMED,   /* IP header inconsistent: treated like non-IP */
    SPLITTER_PARSE_L4_SHORT,    /* IP header fine, L4 ports cut short: addresses only */
};

/* Everything the splitter needs to know about one frame. */
struct splitter_pkt {
    uint8_t l3;          /* enum splitter_l3 */
    uint8_t proto;       /* L4 protocol (last next-header for IPv6) */
    uint8_t has_ports;   /* sport/dport valid */
    uint8_t vlan_tags;   /* VLAN tags walked in the frame */
    uint8_t is_fragment; /* part of a fragmented datagram (not an atomic fragment) */
    uint8_t first_frag;  /* is_fragment and offset 0 */
    uint16_t l3_offset;  /* byte offset of the IP header */
    uint16_t sport, dport;
    uint32_t frag_id;    /* IPv4 identification or IPv6 fragment id */
    uint8_t src[16];     /* IPv4: first 4 bytes, rest zero */
    uint8_t dst[16];
};

/* Parses one Ethernet frame. Never reads beyond len. */
enum splitter_parse_status splitter_parse(const uint8_t *frame, size_t len,
                                          struct splitter_pkt *pkt);

/* Symmetric hash over (min endpoint, max endpoint, proto); ports are 0 when absent. */
uint64_t splitter_flow_hash(const struct splitter_pkt *pkt, uint64_t seed);

/* Symmetric hash over (min address, max address) only. */
uint64_t splitter_addr_hash(const struct splitter_pkt *pkt, uint64_t seed);

/* Maps a 64-bit hash onto [0, ncells) without a division bias worth noticing. */
static inline unsigned splitter_hash_to_cell(uint64_t hash, unsigned ncells)
{
    return (unsigned)(((hash >> 32) * (uint64_t)ncells) >> 32);
}

const char *splitter_parse_status_name(enum splitter_parse_status st);

/* A received frame. The outermost VLAN tag may have been stripped by the kernel. */
struct splitter_frame {
    const uint8_t *data;
    uint32_t len;
    uint8_t has_tag;  /* tag below must be re-inserted after the MAC addresses */
    uint16_t tag_tpid;
    uint16_t tag_tci;
};

/* Copies a frame into buf with its stripped tag re-inserted; returns the length. */
uint32_t splitter_frame_linearize(const struct splitter_frame *f, uint8_t *buf);

/* ------------------------------------------------------------------ */
/* frag.c: fragment table                                              */
/* ------------------------------------------------------------------ */

/* Identifies one fragmented datagram. IPv6 uses proto 0 (RFC 8200 key is src, dst, id). */
struct splitter_frag_key {
    uint8_t l3;
    uint8_t proto;
    uint32_t id;
    uint8_t src[16];
    uint8_t dst[16];
};

/* A non-first fragment held until its first fragment shows up. */
struct splitter_held {
    struct splitter_held *next;
    uint64_t arrived_ns;
    int fallback_cell; /* where it goes if its first fragment never arrives */
    int cell;          /* set when released: learned cell or fallback_cell */
    uint32_t len;
    uint8_t data[];
};

struct splitter_frag_limits {
    uint32_t max_entries;    /* datagrams tracked at once */
    uint32_t max_held;       /* held fragments, all datagrams together */
    uint64_t max_held_bytes; /* bytes of held fragments, all datagrams together */
    uint64_t entry_ttl_ns;   /* how long a learned datagram -> cell mapping lives */
    uint64_t hold_ns;        /* how long a fragment waits for its first fragment */
};

struct splitter_frag_table; /* opaque: see frag.c */

enum splitter_frag_verdict {
    SPLITTER_FRAG_SEND = 0, /* send to *cell now */
    SPLITTER_FRAG_HELD,     /* copied into the table; the caller must not send it */
    SPLITTER_FRAG_OVERFLOW, /* no room to hold it: send to the fallback cell now */
};

struct splitter_frag_stats {
    uint64_t entries;    /* datagrams tracked now */
    uint64_t held;       /* fragments held now */
    uint64_t held_bytes; /* their bytes */
    uint64_t evicted;    /* entries dropped early because the table was full */
};

struct splitter_frag_table *splitter_frag_new(const struct splitter_frag_limits *lim);
void splitter_frag_free(struct splitter_frag_table *t);

/*
 * A first fragment was routed to cell: remember it, and move every held fragment
 * of the same datagram onto *released (cell set), oldest first.
 */
void splitter_frag_learn(struct splitter_frag_table *t, const struct splitter_frag_key *k,
                         int cell, uint64_t now_ns, struct splitter_held **released);

/*
 * A non-first fragment: if its datagram is known, *cell is set and SEND returned;
 * otherwise the frame is copied and held (HELD), or OVERFLOW if the limits forbid.
 */
enum splitter_frag_verdict splitter_frag_lookup(struct splitter_frag_table *t,
                                                const struct splitter_frag_key *k,
                                                const struct splitter_frame *f,
                                                int fallback_cell, uint64_t now_ns,
                                                int *cell);

/* Drops expired mappings and releases fragments held too long (cell = fallback_cell). */
void splitter_frag_expire(struct splitter_frag_table *t, uint64_t now_ns,
                          struct splitter_held **released);

void splitter_frag_get_stats(const struct splitter_frag_table *t, struct splitter_frag_stats *s);
void splitter_frag_key_from_pkt(const struct splitter_pkt *pkt, struct splitter_frag_key *k);

/* Frees a list returned through a released pointer. */
void splitter_held_free_list(struct splitter_held *h);

/* ------------------------------------------------------------------ */
/* counters (written by one worker, read by the reporter)              */
/* ------------------------------------------------------------------ */

/* Reason counters; the order matches splitter_reason_names in stats.c. */
enum splitter_reason {
    SPLITTER_R_RX = 0,
    SPLITTER_R_IPV4,
    SPLITTER_R_IPV6,
    SPLITTER_R_NON_IP,
    SPLITTER_R_TRUNCATED,
    SPLITTER_R_MALFORMED,
    SPLITTER_R_L4_SHORT,
    SPLITTER_R_FRAGMENTS,
    SPLITTER_R_FRAGMENTS_HELD,
    SPLITTER_R_FRAGMENTS_RELEASED,
    SPLITTER_R_FRAGMENTS_TIMED_OUT,
    SPLITTER_R_FRAGMENTS_HOLD_OVERFLOW,
    SPLITTER_R_SNAP_TRUNCATED, /* frame bigger than the capture slot */
    SPLITTER_R_SEND_ERRORS,
    SPLITTER_R_BRIDGE_SEND_ERRORS,
    SPLITTER_R_COUNT
};

/* One worker's counters. Single writer; readers use relaxed atomic loads. */
struct splitter_counters {
    uint64_t reason[SPLITTER_R_COUNT];
    uint64_t cell_frames[SPLITTER_MAX_CELLS];
    uint64_t cell_bytes[SPLITTER_MAX_CELLS];
    uint64_t bridge_frames[2]; /* inline: [0] IN->OUT, [1] OUT->IN */
    uint64_t bridge_bytes[2];
};

/* Single-writer increment: no lock prefix, but tear-free for the reader. */
#define SPLITTER_COUNT_ADD(field, n) \
    __atomic_store_n(&(field), __atomic_load_n(&(field), __ATOMIC_RELAXED) + (n), \
                     __ATOMIC_RELAXED)
#define SPLITTER_COUNT(c, r) SPLITTER_COUNT_ADD((c)->reason[(r)], 1)

/* ------------------------------------------------------------------ */
/* route.c: the decision for one frame                                 */
/* ------------------------------------------------------------------ */

/* Shared by all workers; the fragment table is the only mutable part. */
struct splitter_router {
    unsigned ncells;
    unsigned non_ip_cell;
    uint64_t seed;
    struct splitter_frag_table *frags;
    /* Optional: guard the fragment table when several workers share it. */
    void (*lock)(void *arg);
    void (*unlock)(void *arg);
    void *lock_arg;
};

/*
 * Decides the cell for one frame. Returns the cell, or -1 when the frame was held
 * (it will come back through *released later). Fragments released by this frame
 * are appended to *released with their cell set; the caller sends and frees them.
 */
int splitter_route_frame(struct splitter_router *rt, const struct splitter_frame *f,
                         uint64_t now_ns, struct splitter_counters *c,
                         struct splitter_held **released);

/* Releases fragments held past their time (counted as timed out). */
void splitter_route_expire(struct splitter_router *rt, uint64_t now_ns,
                           struct splitter_counters *c, struct splitter_held **released);

/* ------------------------------------------------------------------ */
/* config.c: command line                                              */
/* ------------------------------------------------------------------ */

enum splitter_backend_kind {
    SPLITTER_BACKEND_LINUX = 0,
    SPLITTER_BACKEND_NETMAP,
    SPLITTER_BACKEND_XDP,
};

struct splitter_config {
    char in_if[SPLITTER_IFNAME_MAX];
    char out_if[SPLITTER_IFNAME_MAX]; /* empty unless --inline */
    char cell_if[SPLITTER_MAX_CELLS][SPLITTER_IFNAME_MAX];
    unsigned ncells;
    uint8_t cell_mac[SPLITTER_MAX_CELLS][6];
    uint8_t cell_mac_set[SPLITTER_MAX_CELLS];
    enum splitter_backend_kind backend;
    unsigned threads;        /* 0: one per online CPU */
    unsigned non_ip_cell;
    double stats_interval_s; /* 0: only on SIGUSR1 and at exit */
    uint64_t seed;
    unsigned ring_mb;        /* per worker and per receiving interface */
    unsigned frag_hold_ms;
    unsigned frag_ttl_s;
    unsigned frag_max_entries;
    unsigned frag_max_held;
    uint64_t frag_max_held_bytes;
    int help;
};

/*
 * Fills cfg from argv. Returns 0, or -1 with a one-line reason in err.
 * Checks syntax and ranges only; interfaces are checked by the backend.
 */
int splitter_config_parse(struct splitter_config *cfg, int argc, char **argv, char *err,
                          size_t errlen);
void splitter_config_usage(FILE *out, const char *prog);
const char *splitter_backend_name(enum splitter_backend_kind b);

/* ------------------------------------------------------------------ */
/* the running process                                                 */
/* ------------------------------------------------------------------ */

/* One context for the whole process (samplicator style). */
struct splitter_ctx {
    struct splitter_config cfg;
    struct splitter_router router;
    unsigned nworkers;
    struct splitter_counters *counters; /* nworkers entries, one per worker */
    volatile int force_quit;            /* set by main on SIGINT/SIGTERM */
    uint64_t started_ns;
    void *backend_state;
};

/* A capture/transmit backend. */
struct splitter_backend {
    const char *name;
    /* Opens the interfaces and starts ctx->nworkers workers; prints why and returns -1 on failure. */
    int (*start)(struct splitter_ctx *ctx);
    /* Waits for the workers (after force_quit is set) and closes everything. */
    void (*stop)(struct splitter_ctx *ctx);
    /* Frames the kernel dropped because a receive ring was full, since start. */
    uint64_t (*kernel_drops)(struct splitter_ctx *ctx);
};

/* Each returns the backend, or NULL and sets *why (the build decides what exists). */
const struct splitter_backend *splitter_backend_linux(const char **why);
const struct splitter_backend *splitter_backend_netmap(const char **why);
const struct splitter_backend *splitter_backend_xdp(const char **why);
extern const char *const splitter_netmap_status;
extern const char *const splitter_xdp_status;

uint64_t splitter_now_ns(void);

/* stats.c: the counter report; kernel_drops is the backend's figure. */
void splitter_stats_print(FILE *out, struct splitter_ctx *ctx, const char *label,
                          uint64_t kernel_drops);

#endif /* SPLITTER_H */
