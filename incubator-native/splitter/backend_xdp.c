/*
 * backend_xdp.c - the AF_XDP backend slot.
 *
 * The Makefile defines SPLITTER_HAVE_XDP when <xdp/xsk.h> (libxdp) or
 * <bpf/xsk.h> (older libbpf) compiles. The AF_XDP data path is not written
 * yet; this backend reports why it cannot run.
 */
#include "splitter.h"

#ifdef SPLITTER_HAVE_XDP
const char *const splitter_xdp_status =
    "not built: libxdp/libbpf headers were found, but the AF_XDP backend is not implemented yet "
    "(use --backend linux)";
#else
const char *const splitter_xdp_status =
    "not built (xdp/xsk.h or bpf/xsk.h not found at build time)";
#endif

const struct splitter_backend *splitter_backend_xdp(const char **why)
{
    *why = splitter_xdp_status;
    return NULL;
}
