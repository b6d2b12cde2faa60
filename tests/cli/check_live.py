#!/usr/bin/env python3
"""Live capture (-i) in a network namespace of its own (run-live.sh puts us
in one, with only `lo`): the UDP payloads of a sample's IKE messages are sent
to 127.0.0.1:500 while isakmpdump captures on lo.

- -i lo decodes every message sent (the same -T fields lines as the sample
  file gives, frame numbers and addresses aside), and on SIGINT prints them
  all and --stats and exits 0;
- -c N stops by itself after N frames; -i any (Linux cooked capture);
- -f 'udp dst port 500' in the kernel: replies to another port are not seen;
- -w FILE during a live capture: the file reread gives the same lines;
- -i with an interface that does not exist: exit 1 and libpcap's reason.

Usage: check_live.py ISAKMPDUMP SOURCE_DIR
"""
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

DUMP, SRC = sys.argv[1], sys.argv[2]
SAMPLE = os.path.join(SRC, "samples", "ikev2-psk-aes256-sha256-ecp256", "capture.pcap")
failures = []


def fail(what, detail=""):
    failures.append(what)
    print("FAIL:", what)
    if detail:
        print("  " + detail.replace("\n", "\n  "))


def ike_payloads(path):
    """(port, payload) of the IKE messages of an Ethernet / IPv4 pcap: UDP 500,
    and UDP 4500 behind the non-ESP marker (kept: sent to 4500 again)."""
    data = open(path, "rb").read()
    out, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack_from("<I", data, off + 8)[0]
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) < 34 or pkt[12:14] != b"\x08\x00" or pkt[23] != 17:
            continue
        ihl = (pkt[14] & 15) * 4
        udp = pkt[14 + ihl:]
        sport, dport = struct.unpack_from("!HH", udp)
        body = udp[8:]
        if 500 in (sport, dport):
            out.append((500, body))
        elif 4500 in (sport, dport) and body[:4] == b"\0\0\0\0":
            out.append((4500, body))
    return out


FIELDS = ["-T", "fields", "-e", "ike.ispi", "-e", "ike.rspi", "-e", "ike.exchangetype",
          "-e", "ike.messageid", "-e", "ike.length"]


def start(args):
    p = subprocess.Popen([DUMP] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # "Capturing on 'lo'" on stderr once the capture runs, as tshark says it
    line = p.stderr.readline().decode()
    if "Capturing on" not in line:
        fail("no 'Capturing on' line from %s" % args, line)
    time.sleep(0.2)
    return p


def send(payloads, port=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for dport, pl in payloads:
        s.sendto(pl, ("127.0.0.1", port or dport))
        time.sleep(0.01)
    s.close()


def stop(p, sig=signal.SIGINT, timeout=10):
    time.sleep(0.3)
    if sig:
        p.send_signal(sig)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        fail("isakmpdump did not stop (signal %s)" % sig)
    return p.returncode, out.decode(), err.decode()


def main():
    # listeners on 500 and 4500, so that no ICMP port unreachable joins the capture
    sinks = []
    for port in (500, 4500):
        k = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        k.bind(("127.0.0.1", port))
        sinks.append(k)
    payloads = ike_payloads(SAMPLE)
    if not payloads:
        fail("no IKE payloads in " + SAMPLE)
        return
    want = subprocess.run([DUMP] + FIELDS + [SAMPLE], capture_output=True).stdout.decode()

    p = start(["-i", "lo", "--stats"] + FIELDS)
    send(payloads)
    rc, out, err = stop(p)
    if rc != 0 or out != want:
        fail("-i lo, SIGINT: rc %d, %d lines (want 0, %d)" % (rc, out.count("\n"),
                                                               want.count("\n")), out + err)
    if "lo: " not in err or " with IKE, %d IKE messages" % len(payloads) not in err:
        fail("-i lo: --stats line after SIGINT", err)
    print("checked -i lo with SIGINT (%d messages)" % len(payloads))

    p = start(["-i", "lo", "-c", "3"] + FIELDS)
    send(payloads)
    rc, out, err = stop(p, sig=None)
    if rc != 0 or out != "".join(want.splitlines(True)[:3]):
        fail("-i lo -c 3: rc %d" % rc, out + err)
    print("checked -i lo -c 3")

    # -i any: Linux cooked frames (SLL or SLL2, as libpcap gives them)
    p = start(["-i", "any", "-c", "2"] + FIELDS)
    send(payloads[:2])
    rc, out, err = stop(p, sig=None)
    if rc != 0 or out != "".join(want.splitlines(True)[:2]):
        fail("-i any -c 2: rc %d" % rc, out + err)
    print("checked -i any")

    p = start(["-i", "lo", "-f", "udp dst port 500", "--stats"] + FIELDS)
    send(payloads[:2], port=500)
    send(payloads[2:], port=4500)   # IKE's too, but not the filter's
    rc, out, err = stop(p, sig=signal.SIGTERM)
    if rc != 0 or out != "".join(want.splitlines(True)[:2]) or "lo: 2 frames" not in err:
        fail("-i lo -f 'udp dst port 500': rc %d" % rc, out + err)
    print("checked -i lo -f")

    with tempfile.TemporaryDirectory() as tmp:
        w = os.path.join(tmp, "live.pcapng")
        p = start(["-i", "lo", "-w", w, "-F", "pcapng"])
        send(payloads)
        rc, out, err = stop(p)
        again = subprocess.run([DUMP] + FIELDS + [w], capture_output=True)
        if rc != 0 or out or again.stdout.decode() != want:
            fail("-i lo -w: rc %d, printed %r, reread %r" % (rc, out[:80], again.stdout[:200]))
        print("checked -i lo -w FILE -F pcapng")

    r = subprocess.run([DUMP, "-i", "no-such-if0"], capture_output=True)
    if r.returncode != 1 or b"no-such-if0" not in r.stderr:
        fail("-i no-such-if0: rc %d" % r.returncode, r.stderr.decode())


main()
if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("all live capture checks passed")
