#!/usr/bin/env python3
"""start-to-first-event.py - how long `bin/sftap run` takes from launch to the first event an
analyzer reads (the issue's "embedded start" target). Connects to every interface socket as soon
as it appears (the job runs with --wait-analyzers, so no event is sent before that) and stops the
job after the first byte. Prints one line per run and the median.

usage: bench/start-to-first-event.py [--runs N] [--pcap FILE] [-- extra bin/sftap run options]
Environment: SFTAP_JAVA_OPTS is passed on to bin/sftap (e.g. to compare JVM options).
"""
import argparse
import os
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def socket_files(home):
    for folder, _, files in os.walk(home):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.basename(folder) in ("tcp", "udp", "icmp") and not name.startswith("."):
                yield path


def one_run(pcap, extra, timeout):
    home = tempfile.mkdtemp(prefix="sftap-start-")
    cmd = [os.path.join(ROOT, "bin", "sftap"), "run", "--pcap", pcap, "--home", home,
           "--wait-analyzers", "60s"] + extra
    start = time.monotonic()
    job = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    connected = {}
    try:
        while time.monotonic() - start < timeout:
            if job.poll() is not None:
                raise RuntimeError("sftap exited early: " + job.stderr.read().decode(errors="replace")[-2000:])
            for path in socket_files(home):
                if path not in connected:
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    try:
                        s.connect(path)
                        connected[path] = s
                    except OSError:
                        s.close()
            ready, _, _ = select.select(list(connected.values()), [], [], 0.005)
            for s in ready:
                if s.recv(1):
                    return time.monotonic() - start
        raise RuntimeError("no event within %ss" % timeout)
    finally:
        for s in connected.values():
            s.close()
        os.killpg(job.pid, signal.SIGTERM)
        try:
            job.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(job.pid, signal.SIGKILL)
            job.wait()
        shutil.rmtree(home, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pcap", default=os.path.join(ROOT, "samples", "sample.pcap"))
    parser.add_argument("--timeout", type=float, default=120)
    args, extra = parser.parse_known_args()
    if extra and extra[0] == "--":
        extra = extra[1:]
    times = []
    for i in range(args.runs):
        t = one_run(args.pcap, extra, args.timeout)
        times.append(t)
        print("run %d: %.2f s" % (i + 1, t), flush=True)
    print("median start to first event: %.2f s (min %.2f, max %.2f, %d runs)"
          % (statistics.median(times), min(times), max(times), len(times)))


if __name__ == "__main__":
    sys.exit(main())
