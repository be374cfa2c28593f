/*
 * backend_linux.c - the AF_PACKET backend: works on any Linux kernel >= 3.2.
 *
 * Receive: per worker and per receiving interface, one AF_PACKET socket with a
 * TPACKET_V3 mmap ring; the sockets of one interface form a PACKET_FANOUT_HASH
 * group, so the kernel spreads flows over the workers (this only spreads load:
 * the cell is chosen by our own symmetric hash, whichever worker sees a frame).
 * Transmit: per worker one bound AF_PACKET socket per destination, fed with
 * sendmmsg() batches whose iovecs point into the receive ring; a ring block is
 * handed back to the kernel only after every batch referring to it is sent.
 *
 * The kernel strips the outermost VLAN tag before AF_PACKET sees a frame and
 * reports it in the ring header; we put it back on transmit, so cells and the
 * bridge see the frame as it was on the wire.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "splitter.h"

#define PROG "sftap-incubator"
#define BLOCK_SIZE (1u << 20)
#define FRAME_SIZE 2048u
#define BLOCK_TIMEOUT_MS 10
#define POLL_MS 10
#define EXPIRE_EVERY_NS 5000000ull
#define BATCH 32
#define MAX_DEST (SPLITTER_MAX_CELLS + 2)
#define DEST_BRIDGE(dir) (SPLITTER_MAX_CELLS + (dir)) /* dir 0: frames from IN go to OUT */

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif
#ifndef TP_STATUS_VLAN_TPID_VALID
#define TP_STATUS_VLAN_TPID_VALID (1 << 6)
#endif

/* One receive ring. */
struct rx_ring {
    int fd;
    uint8_t *map;
    size_t map_len;
    unsigned nblocks;
    unsigned next_block; /* the kernel fills blocks in order; we consume in order */
    int dir;             /* 0: frames arriving on IN, 1: on OUT (inline only) */
};

/* Frames waiting to go out of one interface. iov entries point into rx blocks or held copies. */
struct tx_batch {
    int fd;
    unsigned n;
    struct mmsghdr msg[BATCH];
    struct iovec iov[BATCH][4];
    uint8_t hdr[BATCH][16]; /* rewritten destination MAC and/or re-inserted VLAN tag */
};

struct splitter_worker {
    struct splitter_ctx *ctx;
    unsigned id;
    pthread_t thread;
    int started;
    struct rx_ring rx[2];
    unsigned nrx;
    struct tx_batch *tx[MAX_DEST]; /* NULL where there is no such destination */
    struct splitter_counters *c;
    struct splitter_held *sent_held; /* released fragments in the batches, freed after flush */
    uint64_t next_expire_ns;
};

struct linux_state {
    struct splitter_worker *workers;
    int ifindex_in, ifindex_out;
    int ifindex_cell[SPLITTER_MAX_CELLS];
    uint64_t kernel_drops;
};

static void die_errno_hint(const char *what, const char *ifname, int err)
{
    if (err == EPERM || err == EACCES)
        fprintf(stderr,
                PROG ": %s on '%s': permission denied: AF_PACKET needs CAP_NET_RAW "
                "(run as root, or: setcap cap_net_raw,cap_net_admin+ep sftap-incubator)\n",
                what, ifname);
    else
        fprintf(stderr, PROG ": %s on '%s': %s\n", what, ifname, strerror(err));
}

static int lookup_if(const char *name, const char *role)
{
    unsigned idx = if_nametoindex(name);
    if (idx == 0) {
        fprintf(stderr, PROG ": interface '%s' (%s) not found\n", name, role);
        return -1;
    }
    return (int)idx;
}

static void warn_if_down(const char *name)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        return;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP))
        fprintf(stderr, PROG ": warning: interface '%s' is down\n", name);
    close(fd);
}

/* Opens one rx socket with a TPACKET_V3 ring on ifindex, in fanout group `group`. */
static int open_rx(struct splitter_ctx *ctx, struct rx_ring *r, const char *ifname, int ifindex,
                   int group)
{
    r->fd = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: receive nothing until bound */
    if (r->fd < 0) {
        die_errno_hint("opening an AF_PACKET socket", ifname, errno);
        return -1;
    }
    int v = TPACKET_V3;
    if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) != 0) {
        fprintf(stderr, PROG ": TPACKET_V3 is not supported by this kernel (needs Linux >= 3.2): %s\n",
                strerror(errno));
        return -1;
    }
    struct tpacket_req3 req;
    memset(&req, 0, sizeof(req));
    req.tp_block_size = BLOCK_SIZE;
    req.tp_block_nr = ctx->cfg.ring_mb * ((1u << 20) / BLOCK_SIZE);
    req.tp_frame_size = FRAME_SIZE;
    req.tp_frame_nr = req.tp_block_nr * (BLOCK_SIZE / FRAME_SIZE);
    req.tp_retire_blk_tov = BLOCK_TIMEOUT_MS;
    if (setsockopt(r->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) != 0) {
        fprintf(stderr, PROG ": cannot set up a %u MiB receive ring on '%s': %s (try a smaller --ring-mb)\n",
                ctx->cfg.ring_mb, ifname, strerror(errno));
        return -1;
    }
    r->nblocks = req.tp_block_nr;
    r->map_len = (size_t)req.tp_block_nr * req.tp_block_size;
    r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, r->fd, 0);
    if (r->map == MAP_FAILED) /* MAP_LOCKED may exceed RLIMIT_MEMLOCK: retry without it */
        r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
    if (r->map == MAP_FAILED) {
        r->map = NULL;
        fprintf(stderr, PROG ": mmap of the receive ring on '%s' failed: %s\n", ifname,
                strerror(errno));
        return -1;
    }
    int one = 1;
    /* Our own transmissions must not loop back; the pkttype check below covers old kernels. */
    (void)setsockopt(r->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof(sll));
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = ifindex;
    if (bind(r->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
        die_errno_hint("binding the receive socket", ifname, errno);
        return -1;
    }
    struct packet_mreq mr;
    memset(&mr, 0, sizeof(mr));
    mr.mr_ifindex = ifindex;
    mr.mr_type = PACKET_MR_PROMISC; /* a mirror port carries frames for other MACs */
    if (setsockopt(r->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) != 0)
        fprintf(stderr, PROG ": warning: cannot set '%s' promiscuous: %s\n", ifname,
                strerror(errno));
    if (ctx->nworkers > 1) {
        int fanout = (group & 0xffff) | (PACKET_FANOUT_HASH << 16);
        if (setsockopt(r->fd, SOL_PACKET, PACKET_FANOUT, &fanout, sizeof(fanout)) != 0) {
            fprintf(stderr, PROG ": PACKET_FANOUT on '%s' failed: %s\n", ifname, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static struct tx_batch *open_tx(const char *ifname, int ifindex)
{
    struct tx_batch *b = calloc(1, sizeof(*b));
    if (b == NULL) {
        fprintf(stderr, PROG ": out of memory\n");
        return NULL;
    }
    b->fd = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: transmit only */
    if (b->fd < 0) {
        die_errno_hint("opening an AF_PACKET socket", ifname, errno);
        free(b);
        return NULL;
    }
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof(sll));
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = 0;
    sll.sll_ifindex = ifindex;
    if (bind(b->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
        die_errno_hint("binding the transmit socket", ifname, errno);
        close(b->fd);
        free(b);
        return NULL;
    }
    int sndbuf = 4 << 20;
    (void)setsockopt(b->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
    for (unsigned i = 0; i < BATCH; i++) {
        b->msg[i].msg_hdr.msg_iov = b->iov[i];
    }
    return b;
}

/* Sends a batch; counts per frame on success (cell or bridge) and per failure. */
static void flush(struct splitter_worker *w, unsigned dest)
{
    struct tx_batch *b = w->tx[dest];
    unsigned off = 0;
    while (off < b->n) {
        int r = sendmmsg(b->fd, b->msg + off, b->n - off, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            /* The first unsent frame failed (too big, interface down...): count, skip. */
            SPLITTER_COUNT(w->c, dest >= SPLITTER_MAX_CELLS ? SPLITTER_R_BRIDGE_SEND_ERRORS
                                                            : SPLITTER_R_SEND_ERRORS);
            off++;
            continue;
        }
        for (unsigned i = off; i < off + (unsigned)r; i++) {
            uint32_t bytes = b->msg[i].msg_len;
            if (dest >= SPLITTER_MAX_CELLS) {
                SPLITTER_COUNT_ADD(w->c->bridge_frames[dest - SPLITTER_MAX_CELLS], 1);
                SPLITTER_COUNT_ADD(w->c->bridge_bytes[dest - SPLITTER_MAX_CELLS], bytes);
            } else {
                SPLITTER_COUNT_ADD(w->c->cell_frames[dest], 1);
                SPLITTER_COUNT_ADD(w->c->cell_bytes[dest], bytes);
            }
        }
        off += (unsigned)r;
    }
    b->n = 0;
}

static void flush_all(struct splitter_worker *w)
{
    for (unsigned d = 0; d < MAX_DEST; d++) {
        if (w->tx[d] != NULL && w->tx[d]->n > 0)
            flush(w, d);
    }
    splitter_held_free_list(w->sent_held);
    w->sent_held = NULL;
}

/*
 * Queues a frame for dest. The frame memory must stay valid until flush_all().
 * mac (may be NULL) replaces the destination MAC; a stripped tag is re-inserted.
 */
static void enqueue(struct splitter_worker *w, unsigned dest, const struct splitter_frame *f,
                    const uint8_t *mac)
{
    struct tx_batch *b = w->tx[dest];
    if (b->n == BATCH)
        flush(w, dest);
    unsigned i = b->n++;
    struct iovec *iov = b->iov[i];
    uint8_t *hdr = b->hdr[i];
    unsigned n = 0;
    if (f->len < 12) { /* runt: send as is */
        iov[n++] = (struct iovec){(void *)f->data, f->len};
    } else {
        size_t hl = 0;
        if (mac != NULL) {
            memcpy(hdr, mac, 6);
            memcpy(hdr + 6, f->data + 6, 6);
            hl = 12;
        }
        if (f->has_tag) {
            if (hl == 0) {
                memcpy(hdr, f->data, 12);
                hl = 12;
            }
            hdr[12] = (uint8_t)(f->tag_tpid >> 8);
            hdr[13] = (uint8_t)f->tag_tpid;
            hdr[14] = (uint8_t)(f->tag_tci >> 8);
            hdr[15] = (uint8_t)f->tag_tci;
            hl = 16;
        }
        if (hl > 0) {
            iov[n++] = (struct iovec){hdr, hl};
            iov[n++] = (struct iovec){(void *)(f->data + 12), f->len - 12};
        } else {
            iov[n++] = (struct iovec){(void *)f->data, f->len};
        }
    }
    b->msg[i].msg_hdr.msg_iovlen = n;
}

static const uint8_t *cell_mac(const struct splitter_ctx *ctx, int cell)
{
    return ctx->cfg.cell_mac_set[cell] ? ctx->cfg.cell_mac[cell] : NULL;
}

/* Queues released fragments (full frames with their tag already inside) to their cells. */
static void send_released(struct splitter_worker *w, struct splitter_held *rel)
{
    while (rel != NULL) {
        struct splitter_held *next = rel->next;
        struct splitter_frame f = {.data = rel->data, .len = rel->len};
        enqueue(w, (unsigned)rel->cell, &f, cell_mac(w->ctx, rel->cell));
        rel->next = w->sent_held; /* freed by flush_all, after the data has been sent */
        w->sent_held = rel;
        rel = next;
    }
}

static void handle_frame(struct splitter_worker *w, const struct rx_ring *r,
                         const struct splitter_frame *f, uint64_t now)
{
    struct splitter_ctx *ctx = w->ctx;
    if (ctx->cfg.out_if[0])
        enqueue(w, DEST_BRIDGE(r->dir), f, NULL);
    struct splitter_held *rel = NULL;
    int cell = splitter_route_frame(&ctx->router, f, now, w->c, &rel);
    if (cell >= 0)
        enqueue(w, (unsigned)cell, f, cell_mac(ctx, cell));
    send_released(w, rel);
}

/* Walks one retired block; the caller flushes and hands the block back. */
static void walk_block(struct splitter_worker *w, const struct rx_ring *r,
                       struct tpacket_block_desc *bd, uint64_t now)
{
    uint32_t n = bd->hdr.bh1.num_pkts;
    struct tpacket3_hdr *h =
        (struct tpacket3_hdr *)((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);
    for (uint32_t i = 0; i < n; i++) {
        const struct sockaddr_ll *sll =
            (const struct sockaddr_ll *)((uint8_t *)h + TPACKET_ALIGN(sizeof(*h)));
        if (sll->sll_pkttype != PACKET_OUTGOING) {
            struct splitter_frame f = {.data = (uint8_t *)h + h->tp_mac, .len = h->tp_snaplen};
            if (h->tp_snaplen < h->tp_len)
                SPLITTER_COUNT(w->c, SPLITTER_R_SNAP_TRUNCATED);
            if (h->tp_status & TP_STATUS_VLAN_VALID) {
                f.has_tag = 1;
                f.tag_tci = (uint16_t)h->hv1.tp_vlan_tci;
                f.tag_tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) && h->hv1.tp_vlan_tpid
                                 ? (uint16_t)h->hv1.tp_vlan_tpid
                                 : ETH_P_8021Q;
            }
            handle_frame(w, r, &f, now);
        }
        h = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
    }
}

/* Consumes every ready block of one ring; returns how many. */
static unsigned drain_ring(struct splitter_worker *w, struct rx_ring *r)
{
    unsigned done = 0;
    for (;;) {
        struct tpacket_block_desc *bd =
            (struct tpacket_block_desc *)(r->map + (size_t)r->next_block * BLOCK_SIZE);
        if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
            return done;
        walk_block(w, r, bd, splitter_now_ns());
        flush_all(w); /* the batches point into this block */
        __atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        r->next_block = (r->next_block + 1) % r->nblocks;
        done++;
    }
}

static void expire_fragments(struct splitter_worker *w, uint64_t now)
{
    struct splitter_held *rel = NULL;
    splitter_route_expire(&w->ctx->router, now, w->c, &rel);
    if (rel != NULL) {
        send_released(w, rel);
        flush_all(w);
    }
}

static void *worker_main(void *arg)
{
    struct splitter_worker *w = arg;
    struct pollfd pfd[2];
    for (unsigned i = 0; i < w->nrx; i++)
        pfd[i] = (struct pollfd){.fd = w->rx[i].fd, .events = POLLIN | POLLERR};
    while (!__atomic_load_n(&w->ctx->force_quit, __ATOMIC_ACQUIRE)) {
        unsigned done = 0;
        for (unsigned i = 0; i < w->nrx; i++)
            done += drain_ring(w, &w->rx[i]);
        uint64_t now = splitter_now_ns();
        if (now >= w->next_expire_ns) {
            expire_fragments(w, now);
            w->next_expire_ns = now + EXPIRE_EVERY_NS;
        }
        if (done == 0)
            (void)poll(pfd, w->nrx, POLL_MS);
    }
    /* Drain what is already in the rings, then send every fragment still held. */
    for (unsigned i = 0; i < w->nrx; i++)
        drain_ring(w, &w->rx[i]);
    expire_fragments(w, UINT64_MAX);
    return NULL;
}

static void close_worker(struct splitter_worker *w)
{
    for (unsigned i = 0; i < w->nrx; i++) {
        if (w->rx[i].map != NULL)
            munmap(w->rx[i].map, w->rx[i].map_len);
        if (w->rx[i].fd >= 0)
            close(w->rx[i].fd);
    }
    for (unsigned d = 0; d < MAX_DEST; d++) {
        if (w->tx[d] != NULL) {
            close(w->tx[d]->fd);
            free(w->tx[d]);
        }
    }
    splitter_held_free_list(w->sent_held);
}

static int open_worker(struct splitter_ctx *ctx, struct linux_state *st, struct splitter_worker *w)
{
    const struct splitter_config *cfg = &ctx->cfg;
    int group = (int)(getpid() & 0x7fff) * 2; /* IN uses group, OUT uses group + 1 */
    w->rx[0].fd = w->rx[1].fd = -1;
    w->nrx = cfg->out_if[0] ? 2 : 1;
    w->rx[0].dir = 0;
    if (open_rx(ctx, &w->rx[0], cfg->in_if, st->ifindex_in, group) != 0)
        return -1;
    if (cfg->out_if[0]) {
        w->rx[1].dir = 1;
        if (open_rx(ctx, &w->rx[1], cfg->out_if, st->ifindex_out, group + 1) != 0)
            return -1;
        if ((w->tx[DEST_BRIDGE(0)] = open_tx(cfg->out_if, st->ifindex_out)) == NULL ||
            (w->tx[DEST_BRIDGE(1)] = open_tx(cfg->in_if, st->ifindex_in)) == NULL)
            return -1;
    }
    for (unsigned i = 0; i < cfg->ncells; i++) {
        if ((w->tx[i] = open_tx(cfg->cell_if[i], st->ifindex_cell[i])) == NULL)
            return -1;
    }
    return 0;
}

static void linux_stop(struct splitter_ctx *ctx)
{
    struct linux_state *st = ctx->backend_state;
    if (st == NULL)
        return;
    for (unsigned i = 0; st->workers != NULL && i < ctx->nworkers; i++) {
        if (st->workers[i].started)
            pthread_join(st->workers[i].thread, NULL);
    }
    for (unsigned i = 0; st->workers != NULL && i < ctx->nworkers; i++)
        close_worker(&st->workers[i]);
    free(st->workers);
    free(st);
    ctx->backend_state = NULL;
}

static int linux_start(struct splitter_ctx *ctx)
{
    const struct splitter_config *cfg = &ctx->cfg;
    struct linux_state *st = calloc(1, sizeof(*st));
    if (st == NULL)
        return -1;
    ctx->backend_state = st;
    if ((st->ifindex_in = lookup_if(cfg->in_if, "input, -i")) < 0)
        goto fail;
    warn_if_down(cfg->in_if);
    if (cfg->out_if[0]) {
        if ((st->ifindex_out = lookup_if(cfg->out_if, "inline output, --inline")) < 0)
            goto fail;
        warn_if_down(cfg->out_if);
    }
    for (unsigned i = 0; i < cfg->ncells; i++) {
        char role[32];
        snprintf(role, sizeof(role), "cell %u, -o", i);
        if ((st->ifindex_cell[i] = lookup_if(cfg->cell_if[i], role)) < 0)
            goto fail;
        warn_if_down(cfg->cell_if[i]);
    }
    st->workers = calloc(ctx->nworkers, sizeof(*st->workers));
    if (st->workers == NULL)
        goto fail;
    for (unsigned i = 0; i < ctx->nworkers; i++) {
        struct splitter_worker *w = &st->workers[i];
        w->ctx = ctx;
        w->id = i;
        w->c = &ctx->counters[i];
        if (open_worker(ctx, st, w) != 0)
            goto fail;
    }
    for (unsigned i = 0; i < ctx->nworkers; i++) {
        struct splitter_worker *w = &st->workers[i];
        int err = pthread_create(&w->thread, NULL, worker_main, w);
        if (err != 0) {
            fprintf(stderr, PROG ": cannot start worker %u: %s\n", i, strerror(err));
            goto fail;
        }
        w->started = 1;
    }
    return 0;
fail:
    __atomic_store_n(&ctx->force_quit, 1, __ATOMIC_RELEASE);
    linux_stop(ctx);
    return -1;
}

static uint64_t linux_kernel_drops(struct splitter_ctx *ctx)
{
    struct linux_state *st = ctx->backend_state;
    if (st == NULL || st->workers == NULL)
        return 0;
    /* PACKET_STATISTICS resets on read: accumulate. Only the main thread calls this. */
    for (unsigned i = 0; i < ctx->nworkers; i++) {
        struct splitter_worker *w = &st->workers[i];
        for (unsigned j = 0; j < w->nrx; j++) {
            struct tpacket_stats_v3 s;
            socklen_t len = sizeof(s);
            if (w->rx[j].fd >= 0 &&
                getsockopt(w->rx[j].fd, SOL_PACKET, PACKET_STATISTICS, &s, &len) == 0)
                st->kernel_drops += s.tp_drops;
        }
    }
    return st->kernel_drops;
}

static const struct splitter_backend linux_backend = {
    .name = "linux (AF_PACKET TPACKET_V3, fanout hash)",
    .start = linux_start,
    .stop = linux_stop,
    .kernel_drops = linux_kernel_drops,
};

const struct splitter_backend *splitter_backend_linux(const char **why)
{
    (void)why;
    return &linux_backend;
}
