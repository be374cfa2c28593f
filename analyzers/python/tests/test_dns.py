import io
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import sftap  # noqa: E402
import sftap_dns  # noqa: E402


def name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def header(mid, flags, qd, an, ns=0, ar=0):
    return struct.pack(">HHHHHH", mid, flags, qd, an, ns, ar)


def query(mid, qname, qtype=1):
    return header(mid, 0x0100, 1, 0) + name(qname) + struct.pack(">HH", qtype, 1)


def response():
    """www.example.com CNAME web.example.com (compressed), A, AAAA, MX, TXT."""
    q = name("www.example.com") + struct.pack(">HH", 1, 1)  # at offset 12
    ptr_www = b"\xc0\x0c"
    cname = b"\x03web" + b"\xc0\x10"  # web + pointer to example.com (offset 16)
    rrs = [
        ptr_www + struct.pack(">HHIH", 5, 1, 300, len(cname)) + cname,
        b"\x03web\xc0\x10" + struct.pack(">HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 7]),
        ptr_www + struct.pack(">HHIH", 28, 1, 60, 16) + bytes.fromhex("20010db8000000000000000000000001"),
        b"\xc0\x10" + struct.pack(">HHIH", 15, 1, 3600, 4) + struct.pack(">H", 10) + b"\xc0\x10",
        b"\xc0\x10" + struct.pack(">HHIH", 16, 1, 5, 6) + b"\x02hi\x02yo",
    ]
    return header(0xBEEF, 0x8180, 1, len(rrs)) + q + b"".join(rrs)


class ParseDnsTest(unittest.TestCase):
    def test_parses_a_query(self):
        m = sftap_dns.parse_dns(query(0x1234, "example.org", 28))
        self.assertEqual(m["id"], 0x1234)
        self.assertEqual(m["qr"], 0)
        self.assertEqual(m["opcode"], "QUERY")
        self.assertTrue(m["rd"])
        self.assertEqual(m["questions"], [{"name": "example.org.", "type": "AAAA", "class": "IN"}])

    def test_parses_answers_with_compressed_names(self):
        m = sftap_dns.parse_dns(response())
        self.assertEqual(m["qr"], 1)
        self.assertEqual(m["rcode"], "NOERROR")
        data = [(a["name"], a["type"], a["ttl"], a["data"]) for a in m["answers"]]
        self.assertEqual(data, [
            ("www.example.com.", "CNAME", 300, "web.example.com."),
            ("web.example.com.", "A", 60, "192.0.2.7"),
            ("www.example.com.", "AAAA", 60, "2001:db8::1"),
            ("example.com.", "MX", 3600, {"preference": 10, "exchange": "example.com."}),
            ("example.com.", "TXT", 5, ["hi", "yo"]),
        ])

    def test_rejects_malformed_messages(self):
        cases = {
            "short header": b"\x00\x01\x02",
            "truncated question": query(1, "example.org")[:-3],
            "pointer loop": header(1, 0, 1, 0) + b"\xc0\x0c" + struct.pack(">HH", 1, 1),
            "pointer past end": header(1, 0, 1, 0) + b"\xc0\xff",
            "rdata past end": header(1, 0x8000, 0, 1) + b"\x00" + struct.pack(">HHIH", 1, 1, 1, 4) + b"\x01",
            "bad A length": header(1, 0x8000, 0, 1) + b"\x00" + struct.pack(">HHIH", 1, 1, 1, 3) + b"abc",
            "label past end": header(1, 0, 1, 0) + b"\x3fabc",
        }
        for what, msg in cases.items():
            with self.subTest(what):
                with self.assertRaises(sftap_dns.DnsError):
                    sftap_dns.parse_dns(msg)


def ev(event, l4="udp", frm=0, data=b"", time="1700000000.5"):
    return sftap.Event(ip1="10.0.0.1", ip2="10.0.0.53", port1=40000, port2=53, hop=0, l3="ipv4", l4=l4,
                       event=event, from_=frm, match="none", reason="NORMAL" if event == "DESTROYED" else None,
                       time=sftap.Decimal(time), len=len(data), data=data)


class DnsAnalyzerTest(unittest.TestCase):
    def run_events(self, events):
        out = io.StringIO()
        a = sftap_dns.DnsAnalyzer(out)
        for e in events:
            a.on_event("sock", e)
        return [json.loads(line) for line in out.getvalue().splitlines()]

    def test_names_client_and_server_by_qr(self):
        lines = self.run_events([ev("DATA", frm=1, data=query(7, "a.example")), ev("DATA", frm=2, data=response())])
        self.assertEqual([(l["client"]["ip"], l["server"]["port"]) for l in lines],
                         [("10.0.0.1", 53), ("10.0.0.1", 53)])
        self.assertEqual(lines[0]["time"], 1700000000.5)

    def test_reassembles_tcp_length_framing_across_events(self):
        framed = b"".join(struct.pack(">H", len(m)) + m for m in (query(1, "x.example"), query(2, "y.example")))
        events = [ev("CREATED", "tcp")] + [ev("DATA", "tcp", 1, framed[i:i + 5]) for i in range(0, len(framed), 5)]
        lines = self.run_events(events + [ev("DESTROYED", "tcp")])
        self.assertEqual([l["id"] for l in lines], [1, 2])
        self.assertEqual(lines[1]["transport"], "tcp")

    def test_reports_malformed_and_cut_off_messages(self):
        lines = self.run_events([ev("DATA", frm=1, data=b"\x01\x02"),
                                 ev("DATA", "tcp", 1, b"\x00\x30abc"), ev("DESTROYED", "tcp")])
        self.assertIn("truncated header", lines[0]["error"])
        self.assertIn("ended inside a message", lines[1]["error"])


class DnsAnalyzerSocketTest(unittest.TestCase):
    """The analyzer as a process against real UNIX sockets that speak sftap's wire formats."""

    def test_reads_udp_text_and_tcp_binary_interfaces(self):
        with tempfile.TemporaryDirectory() as home:
            udp = self.serve(os.path.join(home, "udp", "dns"), b"".join(sftap.encode_text(e) for e in [
                ev("DATA", frm=1, data=query(11, "example.com")), ev("DATA", frm=2, data=response())]))
            framed = struct.pack(">H", len(response())) + response()
            tcp = self.serve(os.path.join(home, "tcp", "dns_tcp"), b"".join(sftap.encode_binary(e) for e in [
                ev("CREATED", "tcp"), ev("DATA", "tcp", 2, framed[:7]), ev("DATA", "tcp", 2, framed[7:]),
                ev("DESTROYED", "tcp")]))
            script = os.path.join(HERE, "..", "sftap_dns.py")
            r1 = subprocess.run([sys.executable, script, "--home", home, "--once"],
                                capture_output=True, text=True, timeout=30)
            r2 = subprocess.run([sys.executable, script, "--home", home, "--if", "dns_tcp", "--format", "binary",
                                 "--once"], capture_output=True, text=True, timeout=30)
            udp.join(10)
            tcp.join(10)
        self.assertEqual(r1.returncode, 0, r1.stderr)
        self.assertEqual(r2.returncode, 0, r2.stderr)
        udp_lines = [json.loads(l) for l in r1.stdout.splitlines()]
        tcp_lines = [json.loads(l) for l in r2.stdout.splitlines()]
        self.assertEqual([(l["id"], l["qr"], l["transport"]) for l in udp_lines], [(11, 0, "udp"), (0xBEEF, 1, "udp")])
        self.assertEqual(udp_lines[1]["answers"][1]["data"], "192.0.2.7")
        self.assertEqual(len(tcp_lines), 1)
        self.assertEqual(tcp_lines[0]["server"], {"ip": "10.0.0.53", "port": 53})
        self.assertEqual(tcp_lines[0]["questions"][0]["name"], "www.example.com.")

    def test_fails_clearly_without_a_socket(self):
        with tempfile.TemporaryDirectory() as home:
            r = subprocess.run([sys.executable, os.path.join(HERE, "..", "sftap_dns.py"), "--home", home, "--once"],
                               capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no socket for interface 'dns'", r.stderr)

    @staticmethod
    def serve(path, payload):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(path)
        srv.listen(1)

        def run():
            with srv:
                conn, _ = srv.accept()
                with conn:
                    for i in range(0, len(payload), 13):  # odd pieces: framing must not depend on reads
                        conn.sendall(payload[i:i + 13])

        t = threading.Thread(target=run, daemon=True)
        t.start()
        return t


if __name__ == "__main__":
    unittest.main()
