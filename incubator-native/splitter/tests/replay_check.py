#!/usr/bin/env python3
"""replay_check.py - generates a capture, replays it into the incubator, checks where it went.

Runs inside the test's network namespace (standard library only). It builds a
deterministic set of frames (TCP/UDP/ICMP flows over IPv4 and IPv6, 802.1Q and
QinQ tags, IPv6 extension headers, IPv4/IPv6 fragments in order and with the
first fragment late, orphan fragments whose first fragment never comes, ARP),
injects them with AF_PACKET, captures on every cell veth peer (re-inserting the
VLAN tag the kernel strips, from PACKET_AUXDATA), and prints one line per check:
"ok   NAME" or "FAIL NAME: why", then "info key=value ..." for the shell.

Usage: replay_check.py --mode tap|inline --inject IF --cells IF,IF [--out-peer IF]
                       [--non-ip-cell K] [--pcap FILE]
"""
import argparse
import random
import select
import socket
import struct
import sys
import threading
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(a):
    return socket.inet_pton(socket.AF_INET, a)


def ip6(a):
    return socket.inet_pton(socket.AF_INET6, a)


class Flow:
    """A bidirectional flow: addresses, ports, protocol, and how it is framed."""

    def __init__(self, fid, v6, src, dst, proto, sport, dport, tags=(), ext=()):
        self.fid, self.v6, self.src, self.dst = fid, v6, src, dst
        self.proto, self.sport, self.dport = proto, sport, dport
        self.tags, self.ext = tags, ext
        self.cmac = bytes([2, 0, 0, 0, fid >> 8 & 0xFF, fid & 0xFF])
        self.smac = bytes([2, 0, 0, 1, fid >> 8 & 0xFF, fid & 0xFF])


def l2(flow, reverse, ethertype):
    dst, src = (flow.cmac, flow.smac) if reverse else (flow.smac, flow.cmac)
    hdr = dst + src
    for i, tpid in enumerate(flow.tags):
        hdr += struct.pack("!HH", tpid, 100 + i + flow.fid % 50)
    return hdr + struct.pack("!H", ethertype)


def l4(flow, reverse, payload):
    sp, dp = (flow.dport, flow.sport) if reverse else (flow.sport, flow.dport)
    if flow.proto == 6:
        return struct.pack("!HHIIBBHHH", sp, dp, len(payload), 0, 5 << 4, 0x18, 65535, 0, 0) + payload
    if flow.proto == 17:
        return struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload
    icmp_type = (0 if reverse else 8) if not flow.v6 else (129 if reverse else 128)
    return struct.pack("!BBHHH", icmp_type, 0, 0, flow.fid, 1) + payload


def ipv4_packet(flow, reverse, body, ident, frag_off8=0, more=False):
    src, dst = (flow.dst, flow.src) if reverse else (flow.src, flow.dst)
    flags = (0x2000 if more else 0) | frag_off8
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), ident, flags, 64, flow.proto, 0,
                      ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + body


def ipv6_packet(flow, reverse, body, frag=None):
    """frag: (offset8, more, ident) to add a fragment header."""
    src, dst = (flow.dst, flow.src) if reverse else (flow.src, flow.dst)
    chain = list(flow.ext) + ([44] if frag else []) + [flow.proto]
    ext = b""
    for i, h in enumerate(chain[:-1]):
        nh = chain[i + 1]
        if h == 44:
            off8, more, ident = frag
            ext += struct.pack("!BBHI", nh, 0, off8 << 3 | (1 if more else 0), ident)
        else:
            ext += struct.pack("!BB6s", nh, 0, b"\x01\x04\0\0\0\0")  # PadN option
    hdr = struct.pack("!IHBB16s16s", 0x60000000, len(ext) + len(body), chain[0], 64,
                      ip6(src), ip6(dst))
    return hdr + ext + body


def frame(flow, reverse, payload, ident):
    et = 0x86DD if flow.v6 else 0x0800
    body = l4(flow, reverse, payload)
    ip = ipv6_packet(flow, reverse, body) if flow.v6 else ipv4_packet(flow, reverse, body, ident)
    return l2(flow, reverse, et) + ip


def fragments(flow, reverse, payload, ident, piece=64):
    """The fragments of one datagram, first fragment first."""
    body = l4(flow, reverse, payload)
    out = []
    for off in range(0, len(body), piece):
        chunk = body[off:off + piece]
        more = off + piece < len(body)
        if flow.v6:
            ip = ipv6_packet(flow, reverse, chunk, frag=(off // 8, more, ident))
        else:
            ip = ipv4_packet(flow, reverse, chunk, ident, off // 8, more)
        out.append(l2(flow, reverse, 0x86DD if flow.v6 else 0x0800) + ip)
    return out


class Capture:
    """What was sent and what arrived where."""

    def __init__(self):
        self.frames = []  # (bytes, flow id or None, kind, side) in send order


def build(seed=7):
    rnd = random.Random(seed)
    cap = Capture()
    seq = [0]

    def payload(n=40):
        seq[0] += 1
        return struct.pack("!I", seq[0]) + bytes(rnd.randrange(256) for _ in range(n - 4))

    fid = [0]

    def new_flow(v6, proto, tags=(), ext=()):
        fid[0] += 1
        i = fid[0]
        if v6:
            src, dst = "2001:db8:%x::%x" % (i, rnd.randrange(1, 65535)), "2001:db8:ffff::%x" % (i % 40 + 1)
        else:
            src, dst = "10.%d.%d.%d" % (i >> 8, i & 255, rnd.randrange(1, 250)), "192.0.2.%d" % (i % 40 + 1)
        return Flow(i, v6, src, dst, proto, rnd.randrange(1024, 65535), rnd.choice([80, 443, 53, 8080]),
                    tags, ext)

    def conversation(flow, n=4, kind="flow"):
        for k in range(n):
            rev = k % 2 == 1
            cap.frames.append((frame(flow, rev, payload(), seq[0] & 0xFFFF), flow.fid, kind, rev))

    for _ in range(80):
        conversation(new_flow(False, 6))
    for k in range(40):
        conversation(new_flow(True, 17, ext=[(), (0,), (0, 60)][k % 3]))
    for _ in range(20):
        conversation(new_flow(False, 6, tags=(0x8100,)), kind="vlan")
    for _ in range(15):
        conversation(new_flow(False, 17, tags=(0x88A8, 0x8100)), kind="qinq")
    for _ in range(10):
        conversation(new_flow(True, 6, tags=(0x8100,), ext=(0,)), kind="vlan")
    for k in range(10):
        conversation(new_flow(k % 2 == 1, 58 if k % 2 else 1), n=2, kind="icmp")
    # Fragmented datagrams inside flows: in order, and with the first fragment late.
    for k in range(24):
        v6 = k % 3 == 2
        f = new_flow(v6, 17, tags=(0x8100,) if k % 4 == 3 else ())
        conversation(f, n=2)
        frags = fragments(f, k % 2 == 1, payload(200), 0x4000 + k)
        late = k >= 12
        if late:
            frags = frags[1:] + frags[:1]
        for fr in frags:
            cap.frames.append((fr, f.fid, "frag_late" if late else "frag", k % 2 == 1))
        conversation(f, n=2)
    # Orphans: fragments whose first fragment never comes (released on timeout).
    for k in range(3):
        f = new_flow(k == 2, 17)
        for fr in fragments(f, False, payload(200), 0x7000 + k)[1:]:
            cap.frames.append((fr, None, "orphan", False))
    # Non-IP: ARP requests.
    for k in range(10):
        arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, bytes([2, 9, 9, 9, 9, k]),
                          ip4("192.0.2.200"), b"\0" * 6, ip4("192.0.2.%d" % (100 + k)))
        cap.frames.append((b"\xff" * 6 + bytes([2, 9, 9, 9, 9, k]) + b"\x08\x06" + arp + b"\0" * 18,
                           None, "non_ip", False))
    assert len({f for f, *_ in cap.frames}) == len(cap.frames), "generated frames must be unique"
    return cap


def write_pcap(path, frames):
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, data in enumerate(frames):
            out.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(data), len(data)))
            out.write(data)


def open_capture(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE (root)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
    s.bind((ifname, ETH_P_ALL))
    return s


def receive(sock):
    data, anc, _flags, addr = sock.recvmsg(65536, socket.CMSG_SPACE(32))
    if addr[2] == PACKET_OUTGOING:
        return None
    for level, typ, cdata in anc:
        if level == SOL_PACKET and typ == PACKET_AUXDATA and len(cdata) >= 20:
            status, _len, _snap, _mac, _net, tci, tpid = struct.unpack("=IIIHHHH", cdata[:20])
            if status & TP_STATUS_VLAN_VALID:
                if not (status & TP_STATUS_VLAN_TPID_VALID) or tpid == 0:
                    tpid = 0x8100
                data = data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data


def capture_loop(socks, seen, stop):
    """seen[name] -> list of frames, until stop is set and the sockets are quiet."""
    quiet_since = None
    while True:
        ready, _, _ = select.select(list(socks.values()), [], [], 0.05)
        for name, s in socks.items():
            if s in ready:
                data = receive(s)
                if data is not None:
                    seen[name].append(data)
        if ready:
            quiet_since = None
        elif stop.is_set():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 0.5:
                return


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, why=""):
        if ok:
            self.passed += 1
            print("ok   " + name)
        else:
            self.failed += 1
            print("FAIL %s: %s" % (name, why))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["tap", "inline"], required=True)
    ap.add_argument("--inject", required=True, help="peer of the incubator's IN")
    ap.add_argument("--cells", required=True, help="peers of the cell interfaces, in cell order")
    ap.add_argument("--out-peer", help="inline: peer of the incubator's OUT")
    ap.add_argument("--non-ip-cell", type=int, default=0)
    ap.add_argument("--pcap", help="also write the generated frames here")
    a = ap.parse_args()

    cap = build()
    if a.pcap:
        write_pcap(a.pcap, [f for f, *_ in cap.frames])
    cells = a.cells.split(",")
    socks = {"cell%d" % i: open_capture(c) for i, c in enumerate(cells)}
    inline = a.mode == "inline"
    if inline:
        socks["out"] = open_capture(a.out_peer)
        socks["in"] = open_capture(a.inject)
    seen = {k: [] for k in socks}
    stop = threading.Event()
    th = threading.Thread(target=capture_loop, args=(socks, seen, stop))
    th.start()

    tx_in = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx_in.bind((a.inject, 0))
    tx_out = None
    if inline:
        tx_out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        tx_out.bind((a.out_peer, 0))
    time.sleep(0.2)
    for i, (data, _fid, _kind, rev) in enumerate(cap.frames):
        # Inline: server-to-client frames enter from the OUT side, as on a real link.
        (tx_out if inline and rev else tx_in).send(data)
        if i % 50 == 49:
            time.sleep(0.002)
    time.sleep(0.4)  # > --frag-hold-ms: orphans are released meanwhile
    stop.set()
    th.join()

    ck = Checks()
    cell_of = {}  # frame -> list of cells it arrived on
    for i in range(len(cells)):
        for data in seen["cell%d" % i]:
            cell_of.setdefault(data, []).append(i)
    sent = [f for f, *_ in cap.frames]
    missing = [f for f in sent if f not in cell_of]
    dups = [f for f in sent if len(cell_of.get(f, [])) > 1]
    unexpected = len([f for f in cell_of if f not in set(sent)])
    ck.check("every frame arrives at the cells", not missing,
             "%d of %d frames missing (kinds: %s)" % (
                 len(missing), len(sent),
                 sorted({k for f, _, k, _ in cap.frames if f not in cell_of})))
    ck.check("no frame arrives twice", not dups, "%d frames duplicated" % len(dups))
    flows = {}
    for data, fid, kind, _ in cap.frames:
        if fid is not None and data in cell_of:
            flows.setdefault(fid, set()).update(cell_of[data])
    straddle = [fid for fid, cs in flows.items() if len(cs) > 1]
    ck.check("no flow straddles cells (%d flows, both directions)" % len(flows), not straddle,
             "flows on several cells: %s" % straddle[:10])
    for kind in ("frag", "frag_late"):
        bad = 0
        n = 0
        for data, fid, k, _ in cap.frames:
            if k == kind:
                n += 1
                others = {c for d, f2, k2, _ in cap.frames if f2 == fid and k2 == "flow" for c in cell_of.get(d, [])}
                if cell_of.get(data) is None or set(cell_of[data]) != others:
                    bad += 1
        ck.check("%s: %d fragments follow their flow" % (kind, n), n > 0 and bad == 0,
                 "%d fragments off their flow's cell" % bad)
    tagged = [f for f, _, k, _ in cap.frames if k in ("vlan", "qinq") or (k.startswith("frag") and f[12:14] == b"\x81\x00")]
    ck.check("VLAN/QinQ frames arrive with their tags (%d)" % len(tagged),
             all(f in cell_of for f in tagged), "tagged frames changed or lost")
    nonip_bad = [f for f, _, k, _ in cap.frames if k == "non_ip" and cell_of.get(f) != [a.non_ip_cell]]
    ck.check("non-IP frames go to cell %d" % a.non_ip_cell, not nonip_bad,
             "%d non-IP frames elsewhere" % len(nonip_bad))
    per_cell = [len(seen["cell%d" % i]) for i in range(len(cells))]
    ck.check("both cells get a share (%s)" % per_cell, all(n > len(sent) / (4 * len(cells)) for n in per_cell),
             "split is lopsided: %s" % per_cell)
    if inline:
        to_out = [f for f, _, _, rev in cap.frames if not rev]
        to_in = [f for f, _, _, rev in cap.frames if rev]
        got_out, got_in = seen["out"], seen["in"]
        ck.check("inline: every IN frame forwarded to OUT exactly once (%d)" % len(to_out),
                 sorted(got_out) == sorted(to_out),
                 "OUT got %d frames, expected %d" % (len(got_out), len(to_out)))
        ck.check("inline: every OUT frame forwarded to IN exactly once (%d)" % len(to_in),
                 sorted(got_in) == sorted(to_in),
                 "IN got %d frames, expected %d" % (len(got_in), len(to_in)))
    orphans = sum(1 for _, _, k, _ in cap.frames if k == "orphan")
    print("info sent=%d orphans=%d unexpected=%d per_cell=%s" % (len(sent), orphans, unexpected,
                                                                  ",".join(map(str, per_cell))))
    print("%d passed, %d failed" % (ck.passed, ck.failed))
    return 0 if ck.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
