#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile peers against a TCP echo service, from the host side of the VM.

    ix_attack.py ATTACK TARGET PORT

Runs in the host namespace of a VM run (scripts/ixdp/host-agent.sh runs
it as "attack") and sends on its bridge, through veth0, as peers with
forged addresses of 198.18.0.0/24 that no real host of the bench uses.
Attacks:

  synflood  20,000 SYNs from 200 addresses; no ARP answered for them
  ooo       8 peers each park 300 one-byte segments out of order
  zerowin   64 peers send a window of data and advertise a zero window;
            they answer window probes for HOLD_S seconds after we exit
  idle      500 connections opened and never closed
  sack      a burst of ACKs with bogus SACK blocks on 4 connections
            whose echo is in flight
  icmp      forged ICMP errors quoting a live connection, which must
            still echo afterwards
  badcsum   1,000 SYNs from 50 addresses, each with a TCP checksum off
            by one bit: none may open a connection or earn a cookie

The peers' frames carry their own made-up MAC addresses, so the host's
TCP never sees what comes back to them.  Exit status 0 once the attack
is done; 1 if it could not be done (no answer from TARGET), or if the
connection the icmp attack quoted no longer echoes; 3 if the peers could
not open the connections the attack needs (eight rounds of handshakes
and probes), so that it never started.  Debian's python3
and python3-scapy (hence the interpreter path).
"""

import os
import random
import socket
import sys
import threading
import time

from scapy.all import (ARP, ICMP, IP, TCP, AsyncSniffer, Ether, Raw, conf,
                       get_if_hwaddr, raw)

IFACE = "veth0"
HOST = "198.18.0.1"
# The real hosts of the bench: host, guest Linux, Linux peer, dataplane.
REAL = {1, 2, 3, 10}
HOLD_S = 60
SO_RCVBUFFORCE = 33
SEQ = 0xffffffff


def forged(first, n):
    """n forged addresses 198.18.0.FIRST..; none of a real host."""
    last = first + n - 1
    assert first > 0 and last < 255 and not REAL & set(range(first, last + 1))
    return ["198.18.0.%d" % i for i in range(first, last + 1)]


def mac_of(ip):
    """A locally administered MAC address for forged address IP."""
    return "02:1b:00:00:00:%02x" % int(ip.split(".")[3])


class Peers:
    """Forged peers of TARGET:PORT, their connections and a sniffer.

    conns maps (peer address, peer port) to a dict: snd (our next
    sequence number), rcv (the target's, once its SYN-ACK came), top (the
    end of the most it sent), win (the window we advertise), and rst,
    acked, up: whether it was reset, answered a probe, is open.
    The sniffer answers the target's ARP requests for our addresses and
    ACKs its SYN-ACKs; a peer at zero window also answers its probes.
    """

    def __init__(self, target, port, addrs):
        self.target, self.port, self.addrs = target, port, set(addrs)
        self.sock = conf.L2socket(iface=IFACE)
        self.tmac = None
        self.conns = {}
        self.sniffer = None

    def start(self):
        """Sniff with room for the answers to a burst of 500 segments."""
        started = threading.Event()
        listen = conf.L2listen(iface=IFACE)
        listen.ins.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
        self.sniffer = AsyncSniffer(opened_socket=listen, store=False,
                                    prn=self.seen, started_callback=started.set)
        self.sniffer.start()
        started.wait(5)

    def stop(self):
        self.sniffer.stop()

    def send(self, pkt, src):
        self.sock.send(Ether(src=mac_of(src), dst=self.tmac) / pkt)

    def seg(self, key, flags, payload=b"", seq=None, opts=None):
        """A segment of connection KEY, ack as the connection is."""
        c = self.conns[key]
        tcp = TCP(sport=key[1], dport=self.port, flags=flags,
                  seq=c["snd"] if seq is None else seq, ack=c.get("rcv", 0),
                  window=c["win"], options=opts or [])
        return IP(src=key[0], dst=self.target) / tcp / payload

    def seen(self, p):
        if ARP in p:
            self.seen_arp(p[ARP])
        elif IP in p and TCP in p and p[IP].src == self.target:
            key = (p[IP].dst, p[TCP].dport)
            if key in self.conns and p[TCP].sport == self.port:
                # The IP length, not the frame's: short frames are padded.
                n = p[IP].len - 4 * p[IP].ihl - 4 * p[TCP].dataofs
                self.seen_tcp(key, p[TCP], n)

    def seen_arp(self, a):
        if a.psrc != self.target:
            return
        if a.op == 2 and not self.tmac:
            self.tmac = a.hwsrc
        elif a.op == 1 and a.pdst in self.addrs:
            self.sock.send(Ether(src=mac_of(a.pdst), dst=a.hwsrc) /
                           ARP(op=2, psrc=a.pdst, hwsrc=mac_of(a.pdst),
                               pdst=a.psrc, hwdst=a.hwsrc))

    def seen_tcp(self, key, t, n):
        c = self.conns[key]
        if "R" in t.flags:
            c["rst"] = True
        elif "S" in t.flags and "A" in t.flags:
            c.setdefault("rcv", (t.seq + 1) & SEQ)
            c.setdefault("top", c["rcv"])
            self.send(self.seg(key, "A"), key[0])
        elif n:
            if flight(c, t.seq + n) > flight(c, c["top"]):
                c["top"] = (t.seq + n) & SEQ
            if c["win"] == 0:
                self.send(self.seg(key, "A"), key[0])
        else:
            c["acked"] = True

    def announce(self):
        """Ask the target for its MAC from each peer: it learns ours."""
        for ip in sorted(self.addrs):
            self.sock.send(Ether(src=mac_of(ip), dst="ff:ff:ff:ff:ff:ff") /
                           ARP(op=1, psrc=ip, hwsrc=mac_of(ip), pdst=self.target))
        wait_for(lambda: self.tmac, 10, "no ARP answer from %s" % self.target)

    def connect(self, keys, win=65535, opts=None):
        """Open a connection from each (address, port) of KEYS: what a
        probe finds gone (a SYN cookie's ACK dropped) opens again."""
        for _ in range(8):
            todo = [k for k in keys if not self.conns.get(k, {}).get("up")]
            if not todo:
                return
            self.handshake(todo, win, [("MSS", 1460)] + (opts or []))
            self.probe(todo)
        up = sum(bool(self.conns[k].get("up")) for k in keys)
        if up == len(keys):
            return
        raise NotOpen("ix_attack: %d of %d connections open" % (up, len(keys)))

    def handshake(self, keys, win, syn):
        isn = {k: random.getrandbits(32) for k in keys}
        for key in keys:
            self.conns[key] = {"snd": (isn[key] + 1) & SEQ, "win": win}
        for _ in range(10):
            todo = [k for k in keys if "rcv" not in self.conns[k]]
            if not todo:
                return
            for key in todo:
                self.send(self.seg(key, "S", seq=isn[key], opts=syn), key[0])
            wait_for(lambda: all("rcv" in self.conns[k] for k in todo), 3)

    def probe(self, keys):
        """A keep-alive probe on each of KEYS: an ACK says it is open."""
        keys = [k for k in keys if "rcv" in self.conns[k]]
        for key in keys:
            self.conns[key]["acked"] = False
            self.send(self.seg(key, "A", seq=(self.conns[key]["snd"] - 1) & SEQ),
                      key[0])
        wait_for(lambda: all(self.conns[k]["acked"] or self.conns[k].get("rst")
                             for k in keys), 5)
        for key in keys:
            c = self.conns[key]
            c["up"] = c["acked"] and not c.get("rst")

    def write(self, key, data):
        """Send DATA in order on KEY, in 1460-byte segments."""
        c = self.conns[key]
        for off in range(0, len(data), 1460):
            chunk = data[off:off + 1460]
            self.send(self.seg(key, "PA", chunk), key[0])
            c["snd"] = (c["snd"] + len(chunk)) & SEQ


class NotOpen(Exception):
    """The attacker could not open its own connections: no verdict."""


def flight(c, seq):
    """Bytes from what connection C acknowledges to SEQ, mod 2^32."""
    return (seq - c["rcv"]) & SEQ


def wait_for(cond, secs, fail=None):
    """Poll COND for SECS seconds; exit with FAIL if given and unmet."""
    end = time.time() + secs
    while not cond() and time.time() < end:
        time.sleep(0.05)
    if fail and not cond():
        sys.exit("ix_attack: " + fail)
    return cond()


def peers_of(target, port, addrs, per_addr=1, **kw):
    """Peers at ADDRS, PER_ADDR connections each, connected."""
    p = Peers(target, port, addrs)
    p.start()
    p.announce()
    base = random.randrange(10000, 60000, per_addr)
    keys = [(a, base + i) for a in addrs for i in range(per_addr)]
    p.connect(keys, **kw)
    return p, keys


def target_mac(target):
    """TARGET's MAC, asked from the host's own address."""
    p = Peers(target, 0, [])
    p.start()
    p.sock.send(Ether(dst="ff:ff:ff:ff:ff:ff") /
                ARP(op=1, psrc=HOST, hwsrc=get_if_hwaddr(IFACE), pdst=target))
    wait_for(lambda: p.tmac, 10, "no ARP answer from %s" % target)
    p.stop()
    return p.tmac


def syns(target, port, n, first, naddrs, mangle=None):
    """N SYNs to TARGET:PORT from NADDRS forged addresses from FIRST on,
    each from a random port with a random ISN, MANGLE applied to its IP
    packet first (its checksums computed)."""
    tmac = target_mac(target)
    sock = conf.L2socket(iface=IFACE)
    addrs = forged(first, naddrs)
    for i in range(n):
        ip = addrs[i % len(addrs)]
        syn = IP(src=ip, dst=target) / TCP(
            sport=random.randint(1024, 65535), dport=port, flags="S",
            seq=random.getrandbits(32), options=[("MSS", 1460)])
        if mangle:
            syn = mangle(IP(raw(syn)))
        sock.send(Ether(src=mac_of(ip), dst=tmac) / syn)


def synflood(target, port):
    syns(target, port, 20000, 20, 200)
    print("20000 SYNs from 200 forged addresses")


def bad_csum(syn):
    """A bit of the TCP checksum flipped: 0x0000 and 0xffff, which are the
    same sum, never meet."""
    syn[TCP].chksum ^= 0x0100
    return syn


def badcsum(target, port):
    syns(target, port, 1000, 20, 50, bad_csum)
    print("1000 SYNs with a bad checksum from 50 forged addresses")


def ooo(target, port):
    p, keys = peers_of(target, port, forged(170, 8))
    for key in keys:
        base = p.conns[key]["snd"]
        # Every other byte after a hole at the next one expected.
        order = list(range(300))
        random.shuffle(order)
        for i in order:
            p.send(p.seg(key, "A", b"x", seq=(base + 1 + 2 * i) & SEQ), key[0])
    time.sleep(1)
    p.stop()
    print("%d peers parked 300 one-byte segments each out of order" % len(keys))


def zerowin(target, port):
    p, keys = peers_of(target, port, forged(100, 64))
    data = os.urandom(65535)
    for key in keys:
        p.conns[key]["win"] = 0
        p.write(key, data)
    time.sleep(2)
    p.stop()
    print("%d peers at zero window, %d bytes sent each" % (len(keys), len(data)))
    hold(p)


def hold(p):
    """Answer probes at zero window for HOLD_S s more, in a child."""
    sys.stdout.flush()
    if os.fork():
        return
    os.setsid()
    fd = os.open(os.devnull, os.O_RDWR)
    for i in (0, 1, 2):
        os.dup2(fd, i)
    p.sock = conf.L2socket(iface=IFACE)
    p.start()
    time.sleep(HOLD_S)
    p.stop()
    os._exit(0)


def idle(target, port):
    p, keys = peers_of(target, port, forged(20, 50), per_addr=10)
    time.sleep(2)
    p.stop()
    print("%d connections open, idle" % len(keys))


def echo_in_flight(p, keys, n):
    """Send N bytes on each of KEYS; wait until half their echo is out
    (Nagle may hold the tail of an echo we do not acknowledge)."""
    for key in keys:
        p.write(key, os.urandom(n))
    wait_for(lambda: all(flight(p.conns[k], p.conns[k]["top"]) >= n // 2
                         for k in keys), 20, "no echo in flight")


def bogus_blocks(una, top):
    """SACK blocks the receiver cannot hold: beyond what was sent,
    reversed, below the cumulative ACK, or wider than the flight."""
    return [((top + 1000) & SEQ, (top + 9000) & SEQ),
            ((una + 4000) & SEQ, (una + 1000) & SEQ),
            ((una - 20000) & SEQ, (una - 10000) & SEQ),
            ((una + 1) & SEQ, (una + 0x7fffffff) & SEQ),
            (una, (top + random.randint(1, 1 << 20)) & SEQ),
            ((una + random.randint(0, 3000)) & SEQ, (una + random.randint(0, 8000)) & SEQ)]


def sack(target, port):
    p, keys = peers_of(target, port, forged(180, 4), opts=[("SAckOK", b"")])
    echo_in_flight(p, keys, 8192)
    for _ in range(500):
        for key in keys:
            c = p.conns[key]
            blocks = random.sample(bogus_blocks(c["rcv"], c["top"]), 4)
            flat = tuple(x for b in blocks for x in b)
            p.send(p.seg(key, "A", opts=[("NOP", None), ("NOP", None),
                                         ("SAck", flat)]), key[0])
    p.stop()
    print("2000 ACKs with bogus SACK blocks on %d connections" % len(keys))


def icmp_errors(target, peer, sport, port, una, top):
    """Forged ICMP errors about TARGET's segments to PEER."""
    out = []
    for seq in (una, (top + 100000) & SEQ):
        inner = bytes(IP(src=target, dst=peer, flags="DF") /
                      TCP(sport=port, dport=sport, seq=seq, flags="A"))[:28]
        for t, code, mtu in ((3, 4, 68), (3, 4, 576), (3, 4, 0), (3, 4, 1500),
                             (3, 3, 0), (3, 1, 0), (3, 2, 0), (11, 0, 0),
                             (4, 0, 0), (12, 0, 0)):
            out.append(ICMP(type=t, code=code, nexthopmtu=mtu) / Raw(inner))
    return out


def icmp(target, port):
    router = forged(191, 1)[0]
    p, keys = peers_of(target, port, forged(190, 1))
    key = keys[0]
    echo_in_flight(p, [key], 4096)
    c = p.conns[key]
    errors = icmp_errors(target, key[0], key[1], port, c["rcv"], c["top"])
    for _ in range(20):
        for e in errors:
            for src in (router, key[0]):
                p.send(IP(src=src, dst=target) / e, src)
    # The quoted connection still echoes: take all, send more.
    c["rcv"] = c["top"]
    p.write(key, b"still alive")
    ok = wait_for(lambda: flight(c, c["top"]) >= 11 or c.get("rst"), 10)
    p.stop()
    print("%d forged ICMP errors; the quoted connection %s" %
          (40 * len(errors), "echoes" if ok and not c.get("rst") else "is dead"))
    return 0 if ok and not c.get("rst") else 1


ATTACKS = {"synflood": synflood, "ooo": ooo, "zerowin": zerowin,
           "idle": idle, "sack": sack, "icmp": icmp, "badcsum": badcsum}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ATTACKS:
        sys.exit("usage: ix_attack.py %s TARGET PORT" % "|".join(ATTACKS))
    target, port = sys.argv[2], int(sys.argv[3])
    assert target.startswith("198.18.0."), "only the bench's subnet"
    return ATTACKS[sys.argv[1]](target, port) or 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except NotOpen as e:
        # Status 3: the attack did not start; ix_peers.sh tries once more.
        print(e, file=sys.stderr)
        sys.exit(3)
