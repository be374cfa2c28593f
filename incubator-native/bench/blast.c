/*
 * blast.c - a paced UDP frame generator for veth_bench.sh.
 *
 * usage: blast IFNAME PPS SECONDS FLOWS
 * Sends 64-byte IPv4/UDP frames over FLOWS distinct 5-tuples at PPS frames per
 * second (sendmmsg batches of 64) and prints "sent=N" at the end.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define BATCH 64
#define FRAME_LEN 64

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void build(uint8_t *f, unsigned flow)
{
    memset(f, 0, FRAME_LEN);
    memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[3] = FRAME_LEN - 14;
    ip[8] = 64;
    ip[9] = 17;
    /* Odd flows come from 138.x, even ones from 10.x: tc flower can split on 128.0.0.0/1. */
    uint32_t src = htonl((flow & 1 ? 0x8a000000u : 0x0a000000u) | ((flow >> 1) & 0xffffff)), dst = htonl(0xc0000201u);
    memcpy(ip + 12, &src, 4);
    memcpy(ip + 16, &dst, 4);
    uint8_t *udp = ip + 20;
    udp[0] = (uint8_t)(1024 + flow % 50000) >> 8;
    udp[1] = (uint8_t)(1024 + flow % 50000);
    udp[3] = 53;
    udp[5] = FRAME_LEN - 34;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s IFNAME PPS SECONDS FLOWS\n", argv[0]);
        return 2;
    }
    unsigned ifindex = if_nametoindex(argv[1]);
    double pps = atof(argv[2]), secs = atof(argv[3]);
    unsigned flows = (unsigned)atoi(argv[4]);
    if (ifindex == 0 || pps <= 0 || secs <= 0 || flows == 0) {
        fprintf(stderr, "blast: bad arguments (interface '%s')\n", argv[1]);
        return 2;
    }
    int fd = socket(AF_PACKET, SOCK_RAW, 0);
    struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_ifindex = (int)ifindex};
    if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
        perror("blast: AF_PACKET socket (needs CAP_NET_RAW)");
        return 1;
    }
    uint8_t *frames = malloc((size_t)flows * FRAME_LEN);
    for (unsigned i = 0; i < flows; i++)
        build(frames + (size_t)i * FRAME_LEN, i);
    struct mmsghdr msg[BATCH];
    struct iovec iov[BATCH];
    memset(msg, 0, sizeof(msg));
    uint64_t start = now_ns(), end = start + (uint64_t)(secs * 1e9), sent = 0;
    unsigned next = 0;
    while (now_ns() < end) {
        uint64_t due = (uint64_t)((double)(now_ns() - start) * pps / 1e9);
        if (sent >= due)
            continue; /* busy pacing: accurate at high rates */
        unsigned n = due - sent < BATCH ? (unsigned)(due - sent) : BATCH;
        for (unsigned i = 0; i < n; i++) {
            iov[i].iov_base = frames + (size_t)next * FRAME_LEN;
            iov[i].iov_len = FRAME_LEN;
            msg[i].msg_hdr.msg_iov = &iov[i];
            msg[i].msg_hdr.msg_iovlen = 1;
            next = (next + 1) % flows;
        }
        int r = sendmmsg(fd, msg, n, 0);
        if (r > 0)
            sent += (unsigned)r;
    }
    printf("sent=%llu\n", (unsigned long long)sent);
    return 0;
}
