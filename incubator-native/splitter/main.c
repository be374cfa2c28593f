/*
 * main.c - sftap-incubator: arguments, signals, workers, the reporting loop.
 *
 * Shape (DPDK l2fwd): init, parse arguments, open every interface (any failure
 * exits naming the interface), start the workers, then the main thread only
 * waits for signals: SIGUSR1 prints the counters, SIGINT/SIGTERM set force_quit,
 * the workers drain and stop, and a final report is printed.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "splitter.h"

#define PROG "sftap-incubator"

uint64_t splitter_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static pthread_mutex_t frag_mutex = PTHREAD_MUTEX_INITIALIZER;

static void frag_lock(void *arg)
{
    pthread_mutex_lock(arg);
}

static void frag_unlock(void *arg)
{
    pthread_mutex_unlock(arg);
}

static const struct splitter_backend *pick_backend(enum splitter_backend_kind kind,
                                                   const char **why)
{
    switch (kind) {
    case SPLITTER_BACKEND_LINUX: return splitter_backend_linux(why);
    case SPLITTER_BACKEND_NETMAP: return splitter_backend_netmap(why);
    case SPLITTER_BACKEND_XDP: return splitter_backend_xdp(why);
    }
    *why = "unknown backend";
    return NULL;
}

static int init_router(struct splitter_ctx *ctx)
{
    const struct splitter_config *cfg = &ctx->cfg;
    struct splitter_frag_limits lim = {
        .max_entries = cfg->frag_max_entries,
        .max_held = cfg->frag_max_held,
        .max_held_bytes = cfg->frag_max_held_bytes,
        .entry_ttl_ns = (uint64_t)cfg->frag_ttl_s * 1000000000ull,
        .hold_ns = (uint64_t)cfg->frag_hold_ms * 1000000ull,
    };
    struct splitter_router *rt = &ctx->router;
    rt->ncells = cfg->ncells;
    rt->non_ip_cell = cfg->non_ip_cell;
    rt->seed = cfg->seed;
    rt->frags = splitter_frag_new(&lim);
    if (rt->frags == NULL)
        return -1;
    rt->lock = frag_lock;
    rt->unlock = frag_unlock;
    rt->lock_arg = &frag_mutex;
    return 0;
}

static void print_banner(const struct splitter_ctx *ctx, const struct splitter_backend *be)
{
    const struct splitter_config *cfg = &ctx->cfg;
    fprintf(stderr, PROG ": %s mode, in=%s", cfg->out_if[0] ? "inline" : "tap", cfg->in_if);
    if (cfg->out_if[0])
        fprintf(stderr, " out=%s", cfg->out_if);
    fprintf(stderr, " cells=");
    for (unsigned i = 0; i < cfg->ncells; i++)
        fprintf(stderr, "%s%s", i ? "," : "", cfg->cell_if[i]);
    fprintf(stderr, " non_ip_cell=%u backend=%s workers=%u\n", cfg->non_ip_cell, be->name,
            ctx->nworkers);
}

/* Waits for signals; returns when SIGINT or SIGTERM arrives. */
static void report_loop(struct splitter_ctx *ctx, const struct splitter_backend *be,
                        const sigset_t *sigs)
{
    double interval = ctx->cfg.stats_interval_s;
    uint64_t next = interval > 0 ? splitter_now_ns() + (uint64_t)(interval * 1e9) : UINT64_MAX;
    for (;;) {
        uint64_t now = splitter_now_ns();
        if (now >= next) {
            splitter_stats_print(stdout, ctx, "stats", be->kernel_drops(ctx));
            next += (uint64_t)(interval * 1e9);
            if (next <= now)
                next = now + (uint64_t)(interval * 1e9);
            continue;
        }
        uint64_t wait = next - now;
        if (wait > 1000000000ull)
            wait = 1000000000ull;
        struct timespec ts = {(time_t)(wait / 1000000000ull), (long)(wait % 1000000000ull)};
        int sig = sigtimedwait(sigs, NULL, &ts);
        if (sig == SIGUSR1)
            splitter_stats_print(stdout, ctx, "stats", be->kernel_drops(ctx));
        else if (sig == SIGINT || sig == SIGTERM)
            return;
        else if (sig < 0 && errno != EAGAIN && errno != EINTR)
            return;
    }
}

int main(int argc, char **argv)
{
    static struct splitter_ctx ctx;
    char err[256];
    if (splitter_config_parse(&ctx.cfg, argc, argv, err, sizeof(err)) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        fprintf(stderr, "try '" PROG " --help'\n");
        return 2;
    }
    if (ctx.cfg.help) {
        splitter_config_usage(stdout, PROG);
        return 0;
    }
    const char *why = NULL;
    const struct splitter_backend *be = pick_backend(ctx.cfg.backend, &why);
    if (be == NULL) {
        fprintf(stderr, PROG ": backend '%s' is unavailable: %s\n",
                splitter_backend_name(ctx.cfg.backend), why);
        return 1;
    }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    ctx.nworkers = ctx.cfg.threads ? ctx.cfg.threads : (ncpu > 0 ? (unsigned)ncpu : 1);
    ctx.counters = calloc(ctx.nworkers, sizeof(*ctx.counters));
    if (ctx.counters == NULL || init_router(&ctx) != 0) {
        fprintf(stderr, PROG ": out of memory (try smaller --frag-max-entries)\n");
        return 1;
    }

    /* Workers inherit this mask: only the main thread takes the signals, in sigtimedwait. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);

    ctx.started_ns = splitter_now_ns();
    if (be->start(&ctx) != 0)
        return 1;
    print_banner(&ctx, be);

    report_loop(&ctx, be, &sigs);

    __atomic_store_n(&ctx.force_quit, 1, __ATOMIC_RELEASE);
    uint64_t drops = be->kernel_drops(&ctx);
    be->stop(&ctx);
    splitter_stats_print(stdout, &ctx, "final", drops);
    splitter_frag_free(ctx.router.frags);
    free(ctx.counters);
    return 0;
}
