/*
 * config.c - the command line. Pure: syntax and ranges only; interfaces are
 * looked up by the backend, which can name the one that is missing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "splitter.h"

enum {
    OPT_INLINE = 256,
    OPT_BACKEND,
    OPT_THREADS,
    OPT_NON_IP_CELL,
    OPT_STATS_INTERVAL,
    OPT_CELL_MAC,
    OPT_SEED,
    OPT_RING_MB,
    OPT_FRAG_HOLD_MS,
    OPT_FRAG_TTL_S,
    OPT_FRAG_MAX_ENTRIES,
    OPT_FRAG_MAX_HELD,
    OPT_FRAG_MAX_HELD_KB,
};

static const struct option long_opts[] = {
    {"in", required_argument, NULL, 'i'},
    {"cells", required_argument, NULL, 'o'},
    {"inline", required_argument, NULL, OPT_INLINE},
    {"backend", required_argument, NULL, OPT_BACKEND},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"non-ip-cell", required_argument, NULL, OPT_NON_IP_CELL},
    {"stats-interval", required_argument, NULL, OPT_STATS_INTERVAL},
    {"cell-mac", required_argument, NULL, OPT_CELL_MAC},
    {"seed", required_argument, NULL, OPT_SEED},
    {"ring-mb", required_argument, NULL, OPT_RING_MB},
    {"frag-hold-ms", required_argument, NULL, OPT_FRAG_HOLD_MS},
    {"frag-ttl-s", required_argument, NULL, OPT_FRAG_TTL_S},
    {"frag-max-entries", required_argument, NULL, OPT_FRAG_MAX_ENTRIES},
    {"frag-max-held", required_argument, NULL, OPT_FRAG_MAX_HELD},
    {"frag-max-held-kb", required_argument, NULL, OPT_FRAG_MAX_HELD_KB},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void splitter_config_usage(FILE *out, const char *prog)
{
    fprintf(out,
            "usage: %s -i IN -o CELL1,CELL2[,...] [options]\n"
            "\n"
            "Splits the frames received on IN across the cell interfaces by a symmetric\n"
            "flow hash, so both directions of a flow reach the same cell.\n"
            "\n"
            "  -i, --in IN              receiving interface (the mirror port)\n"
            "  -o, --cells LIST         comma-separated cell interfaces (1..%d)\n"
            "      --inline OUT         bridge IN<->OUT (both directions) and copy every\n"
            "                           frame to the cells; default is TAP (receive only)\n"
            "      --backend NAME       linux (AF_PACKET, default), netmap, xdp\n"
            "      --threads N          worker threads (default: one per online CPU)\n"
            "      --non-ip-cell K      cell for non-IP frames (default 0)\n"
            "      --stats-interval S   print counters every S seconds (default 10, 0: off)\n"
            "      --cell-mac LIST      rewrite the destination MAC per cell, e.g.\n"
            "                           02:00:00:00:00:01,-,02:00:00:00:00:03 ('-': keep)\n"
            "      --seed N             hash seed (default 0; same seed, same split)\n"
            "      --ring-mb N          receive ring per worker and interface (default 32)\n"
            "      --frag-hold-ms N     how long a fragment waits for its first fragment\n"
            "                           (default 100)\n"
            "      --frag-ttl-s N       how long a datagram's cell is remembered (default 30)\n"
            "      --frag-max-entries N datagrams tracked at once (default 65536)\n"
            "      --frag-max-held N    fragments held at once (default 4096)\n"
            "      --frag-max-held-kb N bytes held at once, in KiB (default 8192)\n"
            "  -h, --help               this text\n"
            "\n"
            "Counters are printed every --stats-interval seconds, on SIGUSR1, and at exit\n"
            "(SIGINT/SIGTERM).\n",
            prog, SPLITTER_MAX_CELLS);
}

const char *splitter_backend_name(enum splitter_backend_kind b)
{
    switch (b) {
    case SPLITTER_BACKEND_LINUX: return "linux";
    case SPLITTER_BACKEND_NETMAP: return "netmap";
    case SPLITTER_BACKEND_XDP: return "xdp";
    }
    return "?";
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int parse_ulong(const char *s, unsigned long long min, unsigned long long max,
                       unsigned long long *out)
{
    char *end;
    errno = 0;
    if (*s == '\0' || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int copy_ifname(char *dst, const char *src, size_t srclen)
{
    if (srclen == 0 || srclen >= SPLITTER_IFNAME_MAX)
        return -1;
    memcpy(dst, src, srclen);
    dst[srclen] = '\0';
    return 0;
}

/* Calls fn(index, item, itemlen) for each comma-separated item; stops at the first error. */
static int each_item(const char *list, int (*fn)(struct splitter_config *, unsigned,
                                                 const char *, size_t, char *, size_t),
                     struct splitter_config *cfg, unsigned *count, char *err, size_t errlen)
{
    unsigned n = 0;
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (n == SPLITTER_MAX_CELLS)
            return fail(err, errlen, "too many cells (at most %d)", SPLITTER_MAX_CELLS);
        if (fn(cfg, n, p, len, err, errlen) != 0)
            return -1;
        n++;
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    *count = n;
    return 0;
}

static int cell_item(struct splitter_config *cfg, unsigned i, const char *s, size_t len,
                     char *err, size_t errlen)
{
    if (copy_ifname(cfg->cell_if[i], s, len) != 0)
        return fail(err, errlen, "-o: bad interface name '%.*s' (1..%d characters)",
                    (int)len, s, SPLITTER_IFNAME_MAX - 1);
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int mac_item(struct splitter_config *cfg, unsigned i, const char *s, size_t len,
                    char *err, size_t errlen)
{
    if (len == 1 && s[0] == '-')
        return 0;
    if (len != 17)
        goto bad;
    for (int b = 0; b < 6; b++) {
        int hi = hexval(s[b * 3]), lo = hexval(s[b * 3 + 1]);
        if (hi < 0 || lo < 0 || (b < 5 && s[b * 3 + 2] != ':'))
            goto bad;
        cfg->cell_mac[i][b] = (uint8_t)(hi << 4 | lo);
    }
    cfg->cell_mac_set[i] = 1;
    return 0;
bad:
    return fail(err, errlen, "--cell-mac: bad MAC '%.*s' (want aa:bb:cc:dd:ee:ff or -)",
                (int)len, s);
}

static void set_defaults(struct splitter_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->backend = SPLITTER_BACKEND_LINUX;
    cfg->stats_interval_s = 10;
    cfg->ring_mb = 32;
    cfg->frag_hold_ms = 100;
    cfg->frag_ttl_s = 30;
    cfg->frag_max_entries = 65536;
    cfg->frag_max_held = 4096;
    cfg->frag_max_held_bytes = 8192ull * 1024;
}

int splitter_config_parse(struct splitter_config *cfg, int argc, char **argv, char *err,
                          size_t errlen)
{
    set_defaults(cfg);
    const char *cell_macs = NULL;
    unsigned long long v;
    int opt;
    optind = 0; /* glibc: full re-initialisation, so the parser can run more than once */
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":i:o:h", long_opts, NULL)) != -1) {
        switch (opt) {
        case 'i':
            if (copy_ifname(cfg->in_if, optarg, strlen(optarg)) != 0)
                return fail(err, errlen, "-i: bad interface name '%s'", optarg);
            break;
        case 'o':
            if (each_item(optarg, cell_item, cfg, &cfg->ncells, err, errlen) != 0)
                return -1;
            break;
        case OPT_INLINE:
            if (copy_ifname(cfg->out_if, optarg, strlen(optarg)) != 0)
                return fail(err, errlen, "--inline: bad interface name '%s'", optarg);
            break;
        case OPT_BACKEND:
            if (strcmp(optarg, "linux") == 0)
                cfg->backend = SPLITTER_BACKEND_LINUX;
            else if (strcmp(optarg, "netmap") == 0)
                cfg->backend = SPLITTER_BACKEND_NETMAP;
            else if (strcmp(optarg, "xdp") == 0)
                cfg->backend = SPLITTER_BACKEND_XDP;
            else
                return fail(err, errlen, "--backend: unknown '%s' (linux, netmap, xdp)", optarg);
            break;
        case OPT_THREADS:
            if (parse_ulong(optarg, 1, 1024, &v) != 0)
                return fail(err, errlen, "--threads: want 1..1024, got '%s'", optarg);
            cfg->threads = (unsigned)v;
            break;
        case OPT_NON_IP_CELL:
            if (parse_ulong(optarg, 0, SPLITTER_MAX_CELLS - 1, &v) != 0)
                return fail(err, errlen, "--non-ip-cell: want a cell index, got '%s'", optarg);
            cfg->non_ip_cell = (unsigned)v;
            break;
        case OPT_STATS_INTERVAL: {
            char *end;
            double d = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(d >= 0 && d <= 86400))
                return fail(err, errlen, "--stats-interval: want seconds 0..86400, got '%s'",
                            optarg);
            cfg->stats_interval_s = d;
            break;
        }
        case OPT_CELL_MAC:
            cell_macs = optarg;
            break;
        case OPT_SEED:
            if (parse_ulong(optarg, 0, UINT64_MAX, &v) != 0)
                return fail(err, errlen, "--seed: want an unsigned number, got '%s'", optarg);
            cfg->seed = v;
            break;
        case OPT_RING_MB:
            if (parse_ulong(optarg, 1, 4096, &v) != 0)
                return fail(err, errlen, "--ring-mb: want 1..4096, got '%s'", optarg);
            cfg->ring_mb = (unsigned)v;
            break;
        case OPT_FRAG_HOLD_MS:
            if (parse_ulong(optarg, 0, 60000, &v) != 0)
                return fail(err, errlen, "--frag-hold-ms: want 0..60000, got '%s'", optarg);
            cfg->frag_hold_ms = (unsigned)v;
            break;
        case OPT_FRAG_TTL_S:
            if (parse_ulong(optarg, 1, 3600, &v) != 0)
                return fail(err, errlen, "--frag-ttl-s: want 1..3600, got '%s'", optarg);
            cfg->frag_ttl_s = (unsigned)v;
            break;
        case OPT_FRAG_MAX_ENTRIES:
            if (parse_ulong(optarg, 1, 1u << 24, &v) != 0)
                return fail(err, errlen, "--frag-max-entries: want 1..16777216, got '%s'",
                            optarg);
            cfg->frag_max_entries = (unsigned)v;
            break;
        case OPT_FRAG_MAX_HELD:
            if (parse_ulong(optarg, 0, 1u << 24, &v) != 0)
                return fail(err, errlen, "--frag-max-held: want 0..16777216, got '%s'", optarg);
            cfg->frag_max_held = (unsigned)v;
            break;
        case OPT_FRAG_MAX_HELD_KB:
            if (parse_ulong(optarg, 0, 1u << 24, &v) != 0)
                return fail(err, errlen, "--frag-max-held-kb: want 0..16777216, got '%s'",
                            optarg);
            cfg->frag_max_held_bytes = v * 1024;
            break;
        case 'h':
            cfg->help = 1;
            return 0;
        case ':':
            return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
        default:
            return fail(err, errlen, "unknown option '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return fail(err, errlen, "unexpected argument '%s' (see --help)", argv[optind]);
    if (cfg->in_if[0] == '\0')
        return fail(err, errlen, "missing -i IN (the receiving interface)");
    if (cfg->ncells == 0)
        return fail(err, errlen, "missing -o CELL1,CELL2,... (the cell interfaces)");
    if (cfg->non_ip_cell >= cfg->ncells)
        return fail(err, errlen, "--non-ip-cell %u: there are only %u cells (0..%u)",
                    cfg->non_ip_cell, cfg->ncells, cfg->ncells - 1);
    if (cell_macs != NULL) {
        unsigned nmacs = 0;
        if (each_item(cell_macs, mac_item, cfg, &nmacs, err, errlen) != 0)
            return -1;
        if (nmacs != cfg->ncells)
            return fail(err, errlen, "--cell-mac: %u entries for %u cells (use - to keep one)",
                        nmacs, cfg->ncells);
    }
    for (unsigned i = 0; i < cfg->ncells; i++) {
        if (strcmp(cfg->cell_if[i], cfg->in_if) == 0 ||
            (cfg->out_if[0] && strcmp(cfg->cell_if[i], cfg->out_if) == 0))
            return fail(err, errlen, "cell interface '%s' is also used as -i or --inline",
                        cfg->cell_if[i]);
    }
    if (cfg->out_if[0] && strcmp(cfg->out_if, cfg->in_if) == 0)
        return fail(err, errlen, "--inline OUT must differ from -i IN");
    return 0;
}
