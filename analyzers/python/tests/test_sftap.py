import os
import struct
import sys
import unittest
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sftap  # noqa: E402

TEXT = (b"ip1=10.0.0.1,ip2=10.0.0.2,port1=40000,port2=53,hop=0,l3=ipv4,l4=udp,event=DATA,from=1,match=none,"
        b"len=3,time=1700000000.25\nabc"
        b"ip1=2001:db8::1,ip2=2001:db8::2,port1=1,port2=53,hop=1,l3=ipv6,l4=tcp,event=CREATED,time=1\n"
        b"ip1=2001:db8::1,ip2=2001:db8::2,port1=1,port2=53,hop=1,l3=ipv6,l4=tcp,event=DATA,from=2,match=down,"
        b"len=2,time=2\n\n\n"
        b"ip1=2001:db8::1,ip2=2001:db8::2,port1=1,port2=53,hop=1,l3=ipv6,l4=tcp,event=DESTROYED,reason=RESET\n")


def binary_header(ip1, ip2, port1, port2, event, frm, length, hop, l3, l4, match, reason, sec, usec):
    """Laid out by hand from INTERFACE.md's table."""
    import ipaddress
    b = bytearray(64)
    a1, a2 = ipaddress.ip_address(ip1).packed, ipaddress.ip_address(ip2).packed
    b[0:len(a1)] = a1
    b[16:16 + len(a2)] = a2
    struct.pack_into("<qq", b, 32, sec, usec)
    struct.pack_into(">HH", b, 48, port1, port2)
    b[52], b[53] = event, frm
    struct.pack_into("<H", b, 54, length)
    b[56], b[57], b[58], b[59], b[60] = hop, l3, l4, match, reason
    return bytes(b)


BINARY = (binary_header("10.0.0.1", "10.0.0.2", 1, 53, 0, 3, 0, 0, 0, 6, 2, 0, 1700000000, 500000)
          + binary_header("10.0.0.1", "10.0.0.2", 1, 53, 2, 1, 4, 0, 0, 6, 1, 0, 1700000000, 600000) + b"\x00\x02hi"
          + binary_header("fe80::1", "fe80::2", 1, 53, 1, 3, 0, 0, 41, 6, 2, 2, 1700000001, 0))


class EventReaderTest(unittest.TestCase):
    def test_parses_text_events_of_every_kind(self):
        events = sftap.EventReader("text").feed(TEXT)
        self.assertEqual([e.event for e in events], ["DATA", "CREATED", "DATA", "DESTROYED"])
        self.assertEqual(events[0].data, b"abc")
        self.assertEqual(events[0].from_, 1)
        self.assertEqual(events[0].time, Decimal("1700000000.25"))
        self.assertEqual(events[2].data, b"\n\n")
        self.assertEqual(events[2].endpoint(2), ("2001:db8::2", 53))
        self.assertEqual(events[3].reason, "RESET")

    def test_parses_binary_events_of_every_kind(self):
        events = sftap.EventReader("binary").feed(BINARY)
        self.assertEqual([e.event for e in events], ["CREATED", "DATA", "DESTROYED"])
        self.assertEqual(events[0].time, Decimal("1700000000.5"))
        self.assertEqual(events[1].from_, 2)
        self.assertEqual(events[1].match, "down")
        self.assertEqual(events[1].data, b"\x00\x02hi")
        self.assertEqual(events[2].ip1, "fe80::1")
        self.assertEqual(events[2].reason, "TIMEOUT")

    def test_same_events_when_split_at_every_byte(self):
        for fmt, stream in (("text", TEXT), ("binary", BINARY)):
            whole = sftap.EventReader(fmt).feed(stream)
            for cut in range(len(stream) + 1):
                r = sftap.EventReader(fmt)
                got = r.feed(stream[:cut]) + r.feed(stream[cut:])
                self.assertEqual(got, whole, "%s cut at %d" % (fmt, cut))
                self.assertFalse(r.partial)

    def test_encoders_round_trip(self):
        for fmt, enc in (("text", sftap.encode_text), ("binary", sftap.encode_binary)):
            events = sftap.EventReader(fmt).feed(TEXT if fmt == "text" else BINARY)
            again = sftap.EventReader(fmt).feed(b"".join(enc(e) for e in events))
            self.assertEqual(again, events)

    def test_body_no_reads_no_bytes(self):
        line = b"ip1=10.0.0.1,ip2=10.0.0.2,port1=1,port2=2,hop=0,l3=ipv4,l4=tcp,event=DATA,from=1,match=up,len=99\n"
        (ev,) = sftap.EventReader("text", body=False).feed(line)
        self.assertEqual((ev.len, ev.data), (99, b""))

    def test_binary_bytes_read_as_text_fail_clearly(self):
        with self.assertRaisesRegex(sftap.EventFormatError, "binary format"):
            sftap.EventReader("text").feed(b"\x00" * 5000)
        with self.assertRaisesRegex(sftap.EventFormatError, "not key=value"):
            sftap.EventReader("text").feed(b"garbage\n")


if __name__ == "__main__":
    unittest.main()
