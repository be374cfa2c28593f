/* test_config.c - the command line: defaults, values, and clear errors. */
#include <string.h>

#include "check.h"
#include "splitter.h"

/* Parses a NULL-terminated argument list; returns splitter_config_parse's result. */
static int parse(struct splitter_config *cfg, char *err, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = "sftap-incubator";
    for (; *args != NULL; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    err[0] = '\0';
    return splitter_config_parse(cfg, argc, argv, err, 256);
}

static void minimalTapCommandLineUsesDefaults(void)
{
    struct splitter_config cfg;
    char err[256];
    const char *args[] = {"-i", "eth0", "-o", "c0,c1", NULL};
    CHECK_EQ(parse(&cfg, err, args), 0);
    CHECK(strcmp(cfg.in_if, "eth0") == 0);
    CHECK_EQ(cfg.ncells, 2);
    CHECK(strcmp(cfg.cell_if[1], "c1") == 0);
    CHECK(cfg.out_if[0] == '\0');
    CHECK_EQ(cfg.backend, SPLITTER_BACKEND_LINUX);
    CHECK_EQ(cfg.threads, 0);
    CHECK_EQ(cfg.non_ip_cell, 0);
    CHECK_EQ(cfg.frag_hold_ms, 100);
}

static void everyOptionIsRead(void)
{
    struct splitter_config cfg;
    char err[256];
    const char *args[] = {"--in", "in0", "--cells", "a,b,c", "--inline", "out0", "--backend",
                          "netmap", "--threads", "3", "--non-ip-cell", "2", "--stats-interval",
                          "0.5", "--cell-mac", "02:00:00:00:00:0a,-,AA:BB:CC:DD:EE:FF",
                          "--seed", "0x10", "--frag-hold-ms", "50", "--frag-max-held-kb", "2",
                          NULL};
    CHECK_EQ(parse(&cfg, err, args), 0);
    CHECK(strcmp(cfg.out_if, "out0") == 0);
    CHECK_EQ(cfg.backend, SPLITTER_BACKEND_NETMAP);
    CHECK_EQ(cfg.threads, 3);
    CHECK_EQ(cfg.non_ip_cell, 2);
    CHECK(cfg.stats_interval_s == 0.5);
    CHECK(cfg.cell_mac_set[0] && !cfg.cell_mac_set[1] && cfg.cell_mac_set[2]);
    CHECK_EQ(cfg.cell_mac[0][5], 0x0a);
    CHECK_EQ(cfg.cell_mac[2][0], 0xaa);
    CHECK_EQ(cfg.seed, 16);
    CHECK_EQ(cfg.frag_hold_ms, 50);
    CHECK_EQ(cfg.frag_max_held_bytes, 2048);
}

/* Table: bad command lines and the words their error must contain. */
static void badCommandLinesSayWhatIsWrong(void)
{
    static const struct {
        const char *args[8];
        const char *says;
    } cases[] = {
        {{"-o", "c0", NULL}, "missing -i"},
        {{"-i", "in", NULL}, "missing -o"},
        {{"-i", "in", "-o", "c0,,c1", NULL}, "bad interface name"},
        {{"-i", "in", "-o", "c0", "--non-ip-cell", "1", NULL}, "only 1 cells"},
        {{"-i", "in", "-o", "c0", "--backend", "dpdk", NULL}, "unknown 'dpdk'"},
        {{"-i", "in", "-o", "c0", "--threads", "0", NULL}, "--threads"},
        {{"-i", "in", "-o", "c0,c1", "--cell-mac", "02:00:00:00:00:01", NULL}, "1 entries for 2"},
        {{"-i", "in", "-o", "c0", "--cell-mac", "zz", NULL}, "bad MAC 'zz'"},
        {{"-i", "in", "-o", "in", NULL}, "also used"},
        {{"-i", "in", "-o", "c0", "--inline", "in", NULL}, "must differ"},
        {{"-i", "in", "-o", "c0", "--bogus", NULL}, "unknown option '--bogus'"},
        {{"-i", "in", "-o", "c0", "--threads", NULL}, "needs a value"},
        {{"-i", "averyveryverylongname", "-o", "c0", NULL}, "bad interface name"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct splitter_config cfg;
        char err[256];
        CHECK_EQ(parse(&cfg, err, cases[i].args), -1);
        if (strstr(err, cases[i].says) == NULL)
            printf("  case %zu: error '%s' lacks '%s'\n", i, err, cases[i].says);
        CHECK(strstr(err, cases[i].says) != NULL);
    }
}

static void helpIsRecognised(void)
{
    struct splitter_config cfg;
    char err[256];
    const char *args[] = {"--help", NULL};
    CHECK_EQ(parse(&cfg, err, args), 0);
    CHECK(cfg.help);
}

void test_config_all(void)
{
    RUN(minimalTapCommandLineUsesDefaults);
    RUN(everyOptionIsRead);
    RUN(badCommandLinesSayWhatIsWrong);
    RUN(helpIsRecognised);
}
