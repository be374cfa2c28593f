#!/usr/bin/env python3
"""DNS analyzer for sftap: one JSON line per DNS message read from the ``dns`` interface.

UDP flows carry one message per DATA event; TCP flows (RFC 1035 4.2.2) carry messages
prefixed with a 2-byte length, split across DATA events in any way. Malformed messages give a
JSON line with an "error" field instead. Standard library only.

    python3 sftap_dns.py --home /tmp/sf-tap --if dns --format text | jq .
"""

import argparse
import base64
import ipaddress
import json
import os
import struct
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sftap  # noqa: E402

TYPES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA",
         33: "SRV", 41: "OPT", 43: "DS", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 65: "HTTPS", 255: "ANY"}
CLASSES = {1: "IN", 3: "CH", 4: "HS", 255: "ANY"}
OPCODES = {0: "QUERY", 1: "IQUERY", 2: "STATUS", 4: "NOTIFY", 5: "UPDATE"}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}
MAX_POINTER_JUMPS = 64


class DnsError(ValueError):
    """The message is malformed."""


def _need(msg, off, n, what):
    if off + n > len(msg):
        raise DnsError("truncated %s at offset %d (need %d bytes, message has %d)" % (what, off, n, len(msg)))


def read_name(msg, off):
    """Decodes a possibly compressed name at off; returns (name, offset after it in place)."""
    labels = []
    end = None
    jumps = 0
    total = 0
    while True:
        _need(msg, off, 1, "name")
        n = msg[off]
        if n & 0xC0 == 0xC0:
            _need(msg, off, 2, "name pointer")
            target = ((n & 0x3F) << 8) | msg[off + 1]
            if end is None:
                end = off + 2
            jumps += 1
            if jumps > MAX_POINTER_JUMPS or target >= len(msg):
                raise DnsError("bad compression pointer to %d" % target)
            off = target
            continue
        if n & 0xC0:
            raise DnsError("unsupported label type 0x%02x at offset %d" % (n, off))
        off += 1
        if n == 0:
            break
        _need(msg, off, n, "label")
        labels.append(msg[off:off + n].decode("ascii", errors="backslashreplace"))
        total += n + 1
        if total > 255:
            raise DnsError("name longer than 255 bytes")
        off += n
    return (".".join(labels) + "." if labels else "."), (end if end is not None else off)


def _rdata(msg, rtype, off, rdlen):
    end = off + rdlen
    if rtype == 1 and rdlen == 4:
        return str(ipaddress.IPv4Address(msg[off:end]))
    if rtype == 28 and rdlen == 16:
        return str(ipaddress.IPv6Address(msg[off:end]))
    if rtype in (1, 28):
        raise DnsError("%s record with rdlength %d" % (TYPES[rtype], rdlen))
    if rtype in (2, 5, 12):
        name, after = read_name(msg, off)
        if after > end:
            raise DnsError("name overruns rdata")
        return name
    if rtype == 15:
        if rdlen < 3:
            raise DnsError("MX record too short")
        (pref,) = struct.unpack_from(">H", msg, off)
        name, after = read_name(msg, off + 2)
        if after > end:
            raise DnsError("name overruns rdata")
        return {"preference": pref, "exchange": name}
    if rtype == 16:
        strings = []
        p = off
        while p < end:
            n = msg[p]
            if p + 1 + n > end:
                raise DnsError("TXT string overruns rdata")
            strings.append(msg[p + 1:p + 1 + n].decode("utf-8", errors="backslashreplace"))
            p += 1 + n
        return strings
    return {"hex": msg[off:end].hex()}


def parse_dns(msg):
    """Parses one DNS message into a dict; raises DnsError when malformed."""
    _need(msg, 0, 12, "header")
    mid, flags, qd, an, ns, ar = struct.unpack_from(">HHHHHH", msg, 0)
    out = {
        "id": mid,
        "qr": (flags >> 15) & 1,
        "opcode": OPCODES.get((flags >> 11) & 0xF, (flags >> 11) & 0xF),
        "aa": bool(flags & 0x0400), "tc": bool(flags & 0x0200),
        "rd": bool(flags & 0x0100), "ra": bool(flags & 0x0080),
        "rcode": RCODES.get(flags & 0xF, flags & 0xF),
        "questions": [], "answers": [], "authority_count": ns, "additional_count": ar,
    }
    off = 12
    for _ in range(qd):
        name, off = read_name(msg, off)
        _need(msg, off, 4, "question")
        qtype, qclass = struct.unpack_from(">HH", msg, off)
        off += 4
        out["questions"].append({"name": name, "type": TYPES.get(qtype, qtype), "class": CLASSES.get(qclass, qclass)})
    for _ in range(an):
        name, off = read_name(msg, off)
        _need(msg, off, 10, "resource record")
        rtype, rclass, ttl, rdlen = struct.unpack_from(">HHIH", msg, off)
        off += 10
        _need(msg, off, rdlen, "rdata")
        out["answers"].append({"name": name, "type": TYPES.get(rtype, rtype), "class": CLASSES.get(rclass, rclass),
                               "ttl": ttl, "data": _rdata(msg, rtype, off, rdlen)})
        off += rdlen
    return out


class DnsAnalyzer:
    """Turns interface events into DNS JSON lines; one instance serves all sockets."""

    def __init__(self, out=sys.stdout):
        self.out = out
        self.lock = threading.Lock()
        self.tcp = {}  # (socket, flow, from) -> bytearray of unframed TCP bytes

    def on_event(self, path, ev):
        if ev.event == "DESTROYED":
            for side in (1, 2):
                rest = self.tcp.pop((path, ev.flow(), side), None)
                if rest:
                    self.emit(ev, side, None, "TCP stream ended inside a message (%d bytes left)" % len(rest))
            return
        if ev.event != "DATA" or ev.from_ not in (1, 2):
            return
        if ev.len and not ev.data:
            self.emit(ev, ev.from_, None, "the interface sends no data bytes (body: no)")
            return
        if ev.l4 == "udp":
            self.message(ev, ev.from_, ev.data)
            return
        key = (path, ev.flow(), ev.from_)
        buf = self.tcp.setdefault(key, bytearray())
        buf += ev.data
        while len(buf) >= 2:
            (n,) = struct.unpack_from(">H", buf, 0)
            if len(buf) < 2 + n:
                break
            self.message(ev, ev.from_, bytes(buf[2:2 + n]))
            del buf[:2 + n]

    def on_disconnect(self, path, err):
        if err is not None:
            print("sftap_dns: %s: %s" % (path, err), file=sys.stderr)
        for key in [k for k in self.tcp if k[0] == path]:
            del self.tcp[key]

    def message(self, ev, sender, data):
        try:
            self.emit(ev, sender, parse_dns(data), None, data)
        except DnsError as e:
            self.emit(ev, sender, None, str(e), data)

    def emit(self, ev, sender, parsed, error, raw=None):
        # A response comes from the server; a query, or anything unparsed, from the client.
        from_server = parsed is not None and parsed["qr"] == 1
        server_side = sender if from_server else 3 - sender
        line = {
            "time": float(ev.time) if ev.time is not None else None,
            "client": _endpoint(ev, 3 - server_side),
            "server": _endpoint(ev, server_side),
            "transport": ev.l4, "hop": ev.hop,
        }
        if parsed is not None:
            line.update(parsed)
        else:
            line["error"] = error
            line["from"] = _endpoint(ev, sender)
            if raw is not None:
                line["raw"] = base64.b64encode(raw[:512]).decode("ascii")
        with self.lock:
            self.out.write(json.dumps(line) + "\n")
            self.out.flush()


def _endpoint(ev, side):
    ip, port = ev.endpoint(side)
    return {"ip": ip, "port": port}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Prints one JSON line per DNS message read from an sftap interface.")
    ap.add_argument("--home", default="/tmp/sf-tap", help="sftap home directory (default: %(default)s)")
    ap.add_argument("--if", dest="iface", default="dns", help="interface name; all balance slots are read")
    ap.add_argument("--slot", type=int, help="read only this balance slot")
    ap.add_argument("--format", choices=("text", "binary"), default="text", help="wire format of the interface")
    ap.add_argument("--once", action="store_true", help="exit when the sockets close instead of reconnecting")
    args = ap.parse_args(argv)
    analyzer = DnsAnalyzer()
    try:
        sftap.follow(args.home, args.iface, args.format, analyzer.on_event, once=args.once, slot=args.slot,
                     on_disconnect=analyzer.on_disconnect)
    except (FileNotFoundError, ConnectionError) as e:
        print("sftap_dns: %s" % e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
