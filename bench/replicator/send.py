#!/usr/bin/env python3
"""send.py DST PORT RATE SECONDS: NetFlow v5 datagrams (one record, 72 bytes) at RATE per second; prints the count sent."""
import socket, struct, sys, time
dst, port, rate, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
rec = struct.pack('!IIIHHIIIIHHBBBBHHBBH', 0xc6120101, 0xc6120202, 0, 1, 2, 10, 1000, 0, 0, 1234, 80, 0, 0x18, 6, 0, 0, 0, 24, 24, 0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
sent, start, batch = 0, time.monotonic(), 50
while True:
    now = time.monotonic() - start
    if now >= secs:
        break
    due = int(now * rate)
    while sent < due:
        for _ in range(min(batch, due - sent)):
            hdr = struct.pack('!HHIIIIBBH', 5, 1, int(now * 1000), int(time.time()), 0, sent, 0, 0, 0)
            s.sendto(hdr + rec, (dst, port))
            sent += 1
    time.sleep(0.0005)
print(sent)
