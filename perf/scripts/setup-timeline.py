#!/usr/bin/env python3
"""Per-step set-up times of every connection in a capture taken by ForeignPeerLatency --pcap FILE.

Reads the capture with tshark (Debian's tshark package). The harness runs the signaling server, `./jrtc echo` and
the Pion echo on the host side of the private network and the offerer inside it; signaling is plain ws://, so the
offer (signaling server -> answerer, unmasked) is readable, and the answerer's reply is the next TCP segment it writes.
Every answerer (one signaling connection each) gets a table of p50/min/max in ms for each step:

  offer->answer       the offer reached the answerer -> the answerer wrote its answer (our own time)
  answer->fwd         the signaling server forwarded the answer to the offerer
  fwd->1st check      the offerer's first STUN check
  check->ClientHello  (the answerer is the DTLS client) its ClientHello
  CH->ServerHello     the offerer's DTLS server flight
  SH->our flight      the answerer's second flight (Certificate ... Finished)
  flight->Finished    the offerer's ChangeCipherSpec + Finished
  Finished->alert     SCTP and DCEP, until the offerer closes (its close_notify alert)

Usage: setup-timeline.py CAPTURE.pcap
"""
import binascii
import statistics
import subprocess
import sys

FIELDS = ["frame.time_epoch", "ip.src", "ip.dst", "udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport",
          "udp.length", "tcp.len", "stun.type", "dtls.record.content_type", "dtls.handshake.type", "tcp.payload"]


def events(pcap):
    cmd = ["tshark", "-r", pcap, "-T", "fields", "-E", "separator=|"] + sum((["-e", f] for f in FIELDS), [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        t, src, dst, us, ud, ts, td, ul, tl, stun, ct, hs, pay = line.split("|")
        t = float(t) * 1000
        if pay:
            body = binascii.unhexlify(pay.replace(":", ""))
            yield t, "tcp", src, ts, dst, td, body, None, None, None
        elif ul:
            yield t, "udp", src, us, dst, ud, None, stun, ct, hs


def connections(evs):
    """Groups the events after each offer by the answerer's signaling port."""
    per = {}
    current = None
    for e in evs:
        t, proto, src, sp, dst, dp, body, stun, ct, hs = e
        if proto == "tcp" and b'"offer"' in body:
            current = {"answerer": dp, "offer": t, "host": dst}
            per.setdefault(dp, []).append(current)
            continue
        if current is None:
            continue
        c = current
        if proto == "tcp":
            if "answer" not in c and sp == c["answerer"] and src == c["host"]:
                c["answer"] = t
            elif "fwd" not in c and b'"answer"' in body:
                c["fwd"] = t
        else:
            inbound = src != c["host"]
            if "check" not in c and stun == "0x0001" and inbound:
                c["check"] = t
            if "ch" not in c and hs == "1":
                c["ch"] = t
            if "sh" not in c and hs.startswith("2"):
                c["sh"] = t
            if "flight" not in c and hs.startswith("11") and not inbound:
                c["flight"] = t
            if "fin" not in c and ct.startswith("20"):
                c["fin"] = t
            if "alert" not in c and ct == "21":
                c["alert"] = t
    return per


STEPS = [("offer->answer", "offer", "answer"), ("answer->fwd", "answer", "fwd"), ("fwd->1st check", "fwd", "check"),
         ("check->ClientHello", "check", "ch"), ("CH->ServerHello", "ch", "sh"), ("SH->our flight", "sh", "flight"),
         ("flight->Finished", "flight", "fin"), ("Finished->alert", "fin", "alert"), ("offer->alert", "offer", "alert")]

if __name__ == "__main__":
    for port, conns in connections(events(sys.argv[1])).items():
        print(f"answerer on signaling port {port}: {len(conns)} offers")
        for name, a, b in STEPS:
            v = [c[b] - c[a] for c in conns if a in c and b in c]
            if v:
                print(f"  {name:20s} n={len(v):3d} p50 {statistics.median(v):7.2f} min {min(v):7.2f} max {max(v):7.2f}")
