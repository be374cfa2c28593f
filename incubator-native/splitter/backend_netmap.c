/*
 * backend_netmap.c - the netmap backend slot.
 *
 * The Makefile defines SPLITTER_HAVE_NETMAP when <net/netmap_user.h> compiles.
 * The netmap data path itself is not written yet: with or without the headers
 * this backend reports why it cannot run, and --backend linux is the default.
 */
#include "splitter.h"

#ifdef SPLITTER_HAVE_NETMAP
const char *const splitter_netmap_status =
    "netmap headers were found at build time, but the netmap backend is not implemented yet "
    "(use --backend linux)";
#else
const char *const splitter_netmap_status =
    "not available (net/netmap_user.h not found at build time)";
#endif

const struct splitter_backend *splitter_backend_netmap(const char **why)
{
    *why = splitter_netmap_status;
    return NULL;
}
