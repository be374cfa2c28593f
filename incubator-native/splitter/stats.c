/*
 * stats.c - the counter report: per cell, per bridge direction, per reason.
 *
 * Workers write their own struct splitter_counters; this sums them with
 * relaxed loads, so a report is a consistent-enough snapshot, never a torn value.
 * Every figure is printed as name=value so scripts can pick them out.
 */
#include "splitter.h"

/* Names in the order of enum splitter_reason. */
static const char *const reason_names[SPLITTER_R_COUNT] = {
    "rx",
    "ipv4",
    "ipv6",
    "non_ip",
    "truncated",
    "malformed",
    "l4_short",
    "fragments",
    "fragments_held",
    "fragments_released",
    "fragments_timed_out",
    "fragments_hold_overflow",
    "snap_truncated",
    "send_errors",
    "bridge_send_errors",
};

static uint64_t load(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void splitter_stats_print(FILE *out, struct splitter_ctx *ctx, const char *label,
                          uint64_t kernel_drops)
{
    struct splitter_counters sum = {0};
    for (unsigned w = 0; w < ctx->nworkers; w++) {
        const struct splitter_counters *c = &ctx->counters[w];
        for (int r = 0; r < SPLITTER_R_COUNT; r++)
            sum.reason[r] += load(&c->reason[r]);
        for (unsigned i = 0; i < ctx->cfg.ncells; i++) {
            sum.cell_frames[i] += load(&c->cell_frames[i]);
            sum.cell_bytes[i] += load(&c->cell_bytes[i]);
        }
        for (int d = 0; d < 2; d++) {
            sum.bridge_frames[d] += load(&c->bridge_frames[d]);
            sum.bridge_bytes[d] += load(&c->bridge_bytes[d]);
        }
    }
    double up = (double)(splitter_now_ns() - ctx->started_ns) / 1e9;
    fprintf(out, "[%s %.1fs] rx=%llu kernel_drops=%llu\n", label, up,
            (unsigned long long)sum.reason[SPLITTER_R_RX], (unsigned long long)kernel_drops);
    for (unsigned i = 0; i < ctx->cfg.ncells; i++)
        fprintf(out, "  cell %u %s: frames=%llu bytes=%llu\n", i, ctx->cfg.cell_if[i],
                (unsigned long long)sum.cell_frames[i], (unsigned long long)sum.cell_bytes[i]);
    if (ctx->cfg.out_if[0]) {
        fprintf(out, "  bridge %s->%s: frames=%llu bytes=%llu\n", ctx->cfg.in_if,
                ctx->cfg.out_if, (unsigned long long)sum.bridge_frames[0],
                (unsigned long long)sum.bridge_bytes[0]);
        fprintf(out, "  bridge %s->%s: frames=%llu bytes=%llu\n", ctx->cfg.out_if,
                ctx->cfg.in_if, (unsigned long long)sum.bridge_frames[1],
                (unsigned long long)sum.bridge_bytes[1]);
    }
    fprintf(out, " ");
    for (int r = SPLITTER_R_RX + 1; r < SPLITTER_R_COUNT; r++)
        fprintf(out, " %s=%llu", reason_names[r], (unsigned long long)sum.reason[r]);
    fprintf(out, "\n");
    if (ctx->router.frags != NULL) {
        struct splitter_frag_stats fs;
        if (ctx->router.lock != NULL)
            ctx->router.lock(ctx->router.lock_arg);
        splitter_frag_get_stats(ctx->router.frags, &fs);
        if (ctx->router.unlock != NULL)
            ctx->router.unlock(ctx->router.lock_arg);
        fprintf(out, "  frag_table: entries=%llu held=%llu held_bytes=%llu evicted=%llu\n",
                (unsigned long long)fs.entries, (unsigned long long)fs.held,
                (unsigned long long)fs.held_bytes, (unsigned long long)fs.evicted);
    }
    fflush(out);
}
