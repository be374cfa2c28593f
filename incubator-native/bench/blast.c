/*
 * blast.c - a paced UDP frame generator for veth_bench.sh.
 *
 * usage: blast IFNAME PPS SECONDS FLOWS [FRAME_BYTES]
 * Sends IPv4/UDP frames of FRAME_BYTES (default 64, without the FCS) over FLOWS
 * distinct 5-tuples at PPS frames per second (sendmmsg batches of 64) and prints
 * "sent=N" at the end. Flow k comes from 10.x or 138.x (odd k) with the low 24
 * bits of the source address = k / 2, so both the source address's last byte and
 * its high bit spread the flows evenly.
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
#define MIN_FRAME 42   /* Ethernet + IPv4 + UDP headers */
#define MAX_FRAME 9014

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint16_t ip_checksum(const uint8_t *h)
{
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void build(uint8_t *f, unsigned len, unsigned flow)
{
    memset(f, 0, len);
    memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[2] = (uint8_t)((len - 14) >> 8);
    ip[3] = (uint8_t)(len - 14);
    ip[8] = 64;
    ip[9] = 17;
    /* Odd flows come from 138.x, even ones from 10.x: tc flower can split on 128.0.0.0/1. */
    uint32_t src = htonl((flow & 1 ? 0x8a000000u : 0x0a000000u) | ((flow >> 1) & 0xffffff)), dst = htonl(0xc0000201u);
    memcpy(ip + 12, &src, 4);
    memcpy(ip + 16, &dst, 4);
    uint8_t *udp = ip + 20;
    udp[0] = (uint8_t)((1024 + flow % 50000) >> 8);
    udp[1] = (uint8_t)(1024 + flow % 50000);
    udp[3] = 53;
    udp[4] = (uint8_t)((len - 34) >> 8);
    udp[5] = (uint8_t)(len - 34);
    uint16_t c = ip_checksum(ip);
    ip[10] = (uint8_t)(c >> 8);
    ip[11] = (uint8_t)c;
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s IFNAME PPS SECONDS FLOWS [FRAME_BYTES]\n", argv[0]);
        return 2;
    }
    unsigned ifindex = if_nametoindex(argv[1]);
    double pps = atof(argv[2]), secs = atof(argv[3]);
    unsigned flows = (unsigned)atoi(argv[4]);
    int len = argc == 6 ? atoi(argv[5]) : 64;
    if (ifindex == 0 || pps <= 0 || secs <= 0 || flows == 0 || len < MIN_FRAME || len > MAX_FRAME) {
        fprintf(stderr, "blast: bad arguments (interface '%s', frame bytes %d..%d)\n", argv[1], MIN_FRAME,
                MAX_FRAME);
        return 2;
    }
    int fd = socket(AF_PACKET, SOCK_RAW, 0);
    struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_ifindex = (int)ifindex};
    if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
        perror("blast: AF_PACKET socket (needs CAP_NET_RAW)");
        return 1;
    }
    uint8_t *frames = malloc((size_t)flows * (size_t)len);
    if (frames == NULL) {
        perror("blast: malloc");
        return 1;
    }
    for (unsigned i = 0; i < flows; i++)
        build(frames + (size_t)i * (size_t)len, (unsigned)len, i);
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
            iov[i].iov_base = frames + (size_t)next * (size_t)len;
            iov[i].iov_len = (size_t)len;
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
