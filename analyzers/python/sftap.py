"""Reading sftap (and SF-TAP) abstract interfaces from Python: the standard library only.

An interface is a UNIX-domain stream socket under the home directory (tcp/<if>, udp/<if>,
or <if>0..<if>N-1 when balanced). Each connection receives events in the interface's wire
format, which is fixed by the rule (``format: text`` or ``binary``) and is not detectable
from the bytes, so the reader is told. See docs/analyzers.md.

    import sftap
    def handle(socket_path, ev):
        print(ev.event, ev.endpoint(ev.from_), len(ev.data))
    sftap.follow("/tmp/sf-tap", "dns", "text", handle)
"""

import glob
import ipaddress
import os
import re
import socket
import struct
import threading
import time as _time
from dataclasses import dataclass, field
from decimal import Decimal

BINARY_HEADER_LENGTH = 64
MAX_TEXT_HEADER_LENGTH = 4096

L3_TEXT = {"ipv4": 0, "ipv6": 41}
L3_BY_CODE = {0: "ipv4", 41: "ipv6"}
L4_TEXT = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}
L4_BY_CODE = {v: k for k, v in L4_TEXT.items()}
EVENT_BY_CODE = {0: "CREATED", 1: "DESTROYED", 2: "DATA"}
EVENT_CODE = {v: k for k, v in EVENT_BY_CODE.items()}
MATCH_BY_CODE = {0: "up", 1: "down", 2: "none"}
MATCH_CODE = {v: k for k, v in MATCH_BY_CODE.items()}
REASON_BY_CODE = {0: "NORMAL", 1: "RESET", 2: "TIMEOUT", 3: "COMPROMISED"}
REASON_CODE = {v: k for k, v in REASON_BY_CODE.items()}


class EventFormatError(ValueError):
    """The stream is not in the configured wire format; its framing is lost."""


@dataclass
class Event:
    """One interface event. ``from_`` is 1 or 2 (the sending endpoint) or 0 (none)."""

    ip1: str
    ip2: str
    port1: int
    port2: int
    hop: int
    l3: str
    l4: str
    event: str
    from_: int = 0
    match: str = "none"
    reason: str = None
    time: Decimal = None
    len: int = 0
    data: bytes = b""

    def flow(self):
        """The flow's identity: (ip1, ip2, port1, port2, hop, l3, l4)."""
        return (self.ip1, self.ip2, self.port1, self.port2, self.hop, self.l3, self.l4)

    def endpoint(self, side):
        """(ip, port) of endpoint 1 or 2."""
        return (self.ip2, self.port2) if side == 2 else (self.ip1, self.port1)


def parse_text_header(line):
    """Parses one text header line (bytes or str, without the newline)."""
    if isinstance(line, bytes):
        line = line.decode("latin-1")
    kv = {}
    for item in line.split(","):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise EventFormatError("malformed text header (item %r is not key=value): %s" % (item, line[:200]))
        kv[key] = value
    try:
        l3, l4 = kv["l3"], kv["l4"]
        if l3 not in L3_TEXT or l4 not in L4_TEXT:
            raise EventFormatError("malformed text header (unknown l3 or l4): %s" % line[:200])
        ip1 = str(ipaddress.ip_address(kv["ip1"]))
        ip2 = str(ipaddress.ip_address(kv["ip2"]))
        has_ports = l4 in ("tcp", "udp")
        ev = Event(ip1=ip1, ip2=ip2,
                   port1=int(kv["port1"]) if has_ports or "port1" in kv else 0,
                   port2=int(kv["port2"]) if has_ports or "port2" in kv else 0,
                   hop=int(kv["hop"]), l3=l3, l4=l4, event=kv["event"])
        if ev.event not in EVENT_CODE:
            raise EventFormatError("malformed text header (unknown event %r): %s" % (ev.event, line[:200]))
        if "time" in kv:
            ev.time = Decimal(kv["time"])
        if ev.event == "DATA":
            f = kv.get("from", "none")
            ev.from_ = {"1": 1, "2": 2, "none": 0}[f]
            ev.match = kv.get("match", "none")
            if ev.match not in MATCH_CODE:
                raise EventFormatError("malformed text header (unknown match): %s" % line[:200])
            ev.len = int(kv["len"])
            if ev.len < 0:
                raise ValueError("negative len")
        elif ev.event == "DESTROYED" and "reason" in kv:
            if kv["reason"] not in REASON_CODE:
                raise EventFormatError("malformed text header (unknown reason): %s" % line[:200])
            ev.reason = kv["reason"]
        return ev
    except EventFormatError:
        raise
    except (KeyError, ValueError, ArithmeticError) as e:
        raise EventFormatError("malformed text header (%s: %s): %s" % (type(e).__name__, e, line[:200]))


def parse_binary_header(b):
    """Parses a 64-byte binary header."""
    if len(b) < BINARY_HEADER_LENGTH:
        raise EventFormatError("binary header needs 64 bytes, got %d" % len(b))
    sec, usec = struct.unpack_from("<qq", b, 32)
    port1, port2 = struct.unpack_from(">HH", b, 48)
    event_code, from_code = b[52], b[53]
    (length,) = struct.unpack_from("<H", b, 54)
    hop, l3c, l4c, match_code, reason_code = b[56], b[57], b[58], b[59], b[60]
    if l3c not in L3_BY_CODE or l4c not in L4_BY_CODE or event_code not in EVENT_BY_CODE \
            or match_code not in MATCH_BY_CODE:
        raise EventFormatError("malformed binary header (event=%d l3=%d l4=%d match=%d); "
                               "is the interface in text format?" % (event_code, l3c, l4c, match_code))
    l3, l4 = L3_BY_CODE[l3c], L4_BY_CODE[l4c]
    n = 4 if l3 == "ipv4" else 16
    has_ports = l4 in ("tcp", "udp")
    ev = Event(ip1=str(ipaddress.ip_address(bytes(b[0:n]))), ip2=str(ipaddress.ip_address(bytes(b[16:16 + n]))),
               port1=port1 if has_ports else 0, port2=port2 if has_ports else 0,
               hop=hop, l3=l3, l4=l4, event=EVENT_BY_CODE[event_code])
    if sec or usec:  # SF-TAP's original producer left the time zero
        ev.time = Decimal(sec) + Decimal(usec).scaleb(-6)
    if ev.event == "DATA":
        ev.from_ = {0: 1, 1: 2}.get(from_code, 0)
        ev.match = MATCH_BY_CODE[match_code]
        ev.len = length
    elif ev.event == "DESTROYED":
        if reason_code not in REASON_BY_CODE:
            raise EventFormatError("malformed binary header: reason=%d" % reason_code)
        ev.reason = REASON_BY_CODE[reason_code]
    return ev


class EventReader:
    """Incremental parser of one connection's bytes; feed() returns the events completed."""

    def __init__(self, fmt="text", body=True):
        if fmt not in ("text", "binary"):
            raise ValueError("format must be text or binary, not %r" % fmt)
        self.fmt = fmt
        self.body = body
        self._buf = bytearray()
        self._pending = None

    def feed(self, data):
        self._buf += data
        out = []
        while True:
            if self._pending is None:
                self._pending = self._header()
                if self._pending is None:
                    return out
            ev = self._pending
            n = ev.len if ev.event == "DATA" and self.body else 0
            if len(self._buf) < n:
                return out
            ev.data = bytes(self._buf[:n])
            del self._buf[:n]
            self._pending = None
            out.append(ev)

    @property
    def partial(self):
        """True when bytes of an unfinished event are buffered."""
        return self._pending is not None or len(self._buf) > 0

    def _header(self):
        if self.fmt == "binary":
            if len(self._buf) < BINARY_HEADER_LENGTH:
                return None
            ev = parse_binary_header(bytes(self._buf[:BINARY_HEADER_LENGTH]))
            del self._buf[:BINARY_HEADER_LENGTH]
            return ev
        nl = self._buf.find(b"\n")
        if nl < 0:
            if len(self._buf) > MAX_TEXT_HEADER_LENGTH:
                raise EventFormatError("text header longer than %d bytes; is the interface in binary format?"
                                       % MAX_TEXT_HEADER_LENGTH)
            return None
        line = bytes(self._buf[:nl]).rstrip(b"\r")
        del self._buf[:nl + 1]
        return parse_text_header(line)


def _time_text(t):
    return format(Decimal(t).quantize(Decimal("0.000001")), "f")


def encode_text(ev, loopback=False):
    """The event in text format (header line plus data). loopback leaves out match and reason."""
    parts = ["ip1=%s" % ev.ip1, "ip2=%s" % ev.ip2]
    if ev.l4 in ("tcp", "udp"):
        parts += ["port1=%d" % ev.port1, "port2=%d" % ev.port2]
    parts += ["hop=%d" % ev.hop, "l3=%s" % ev.l3, "l4=%s" % ev.l4, "event=%s" % ev.event]
    if ev.event == "DATA":
        parts.append("from=%s" % (ev.from_ if ev.from_ else "none"))
        if not loopback:
            parts.append("match=%s" % ev.match)
        parts.append("len=%d" % len(ev.data))
    if ev.event == "DESTROYED" and ev.reason and not loopback:
        parts.append("reason=%s" % ev.reason)
    if ev.time is not None:
        parts.append("time=%s" % _time_text(ev.time))
    return (",".join(parts) + "\n").encode("latin-1") + (ev.data if ev.event == "DATA" else b"")


def encode_binary(ev):
    """The event in binary format (64-byte header plus data)."""
    b = bytearray(BINARY_HEADER_LENGTH)
    a1 = ipaddress.ip_address(ev.ip1).packed
    a2 = ipaddress.ip_address(ev.ip2).packed
    b[0:len(a1)] = a1
    b[16:16 + len(a2)] = a2
    t = Decimal(ev.time) if ev.time is not None else Decimal(0)
    sec = int(t.to_integral_value(rounding="ROUND_FLOOR"))
    struct.pack_into("<qq", b, 32, sec, int((t - sec) * 1000000))
    struct.pack_into(">HH", b, 48, ev.port1, ev.port2)
    data = ev.data if ev.event == "DATA" else b""
    if len(data) > 0xFFFF:
        raise ValueError("binary format carries at most 65535 bytes per event")
    b[52] = EVENT_CODE[ev.event]
    b[53] = {1: 0, 2: 1}.get(ev.from_, 3)
    struct.pack_into("<H", b, 54, len(data))
    b[56] = ev.hop
    b[57] = L3_TEXT[ev.l3]
    b[58] = L4_TEXT[ev.l4]
    b[59] = MATCH_CODE[ev.match]
    b[60] = REASON_CODE.get(ev.reason or "NORMAL", 0)
    return bytes(b) + data


def resolve_sockets(home, iface, slot=None):
    """Socket paths of an interface: <dir>/<if> if it exists, else every balance slot <if>N."""
    if slot is not None:
        iface = "%s%d" % (iface, slot)
    if any(c in iface for c in "*?["):
        return sorted(p for p in glob.glob(os.path.join(home, iface)) if _is_socket(p))
    dirs = [os.path.join(home, os.path.dirname(iface))] if "/" in iface else \
        [os.path.join(home, d) for d in ("tcp", "udp", "icmp")]
    name = os.path.basename(iface)
    found = []
    for d in dirs:
        exact = os.path.join(d, name)
        if _is_socket(exact):
            found.append(exact)
        elif slot is None and os.path.isdir(d):
            pat = re.compile(re.escape(name) + r"\d+$")
            slots = [os.path.join(d, f) for f in os.listdir(d) if pat.match(f)]
            found += sorted((p for p in slots if _is_socket(p)), key=lambda p: (len(p), p))
    return found


def _is_socket(path):
    import stat
    try:
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except OSError:
        return False


def iter_events(sock, fmt="text", body=True):
    """Yields the events of one connected socket until it closes; raises EOFError if cut mid-event."""
    reader = EventReader(fmt, body)
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            if reader.partial:
                raise EOFError("connection closed in the middle of an event")
            return
        for ev in reader.feed(chunk):
            yield ev


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
    except OSError:
        s.close()
        raise
    return s


def follow(home, iface, fmt, handler, once=False, slot=None, body=True, on_disconnect=None,
           max_backoff=5.0):
    """Reads every socket of an interface, one thread each, calling handler(path, event).

    Events of one socket arrive in order from that socket's thread. When a connection ends,
    on_disconnect(path, error_or_None) is called (finish that socket's flows there); then,
    unless once, the reader reconnects with exponential backoff. With once, a missing socket
    is an error and the call returns when all sockets closed.
    """
    paths = resolve_sockets(home, iface, slot)
    backoff = 0.1
    while not paths:
        if once:
            raise FileNotFoundError("no socket for interface %r under %s" % (iface, home))
        _time.sleep(backoff)
        backoff = min(backoff * 2, max_backoff)
        paths = resolve_sockets(home, iface, slot)
    first = {p: connect(p) for p in paths} if once else {}

    def loop(path):
        delay = 0.1
        while True:
            try:
                s = first.pop(path, None) or connect(path)
            except OSError:
                s = None
            if s is not None:
                delay = 0.1
                err = None
                try:
                    with s:
                        for ev in iter_events(s, fmt, body):
                            handler(path, ev)
                except (OSError, EOFError, EventFormatError) as e:
                    err = e
                if on_disconnect:
                    on_disconnect(path, err)
            if once:
                return
            _time.sleep(delay)
            delay = min(delay * 2, max_backoff)

    threads = [threading.Thread(target=loop, args=(p,), daemon=True) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
