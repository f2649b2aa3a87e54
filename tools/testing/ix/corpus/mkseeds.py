#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Write the seed inputs of fuzz_rx into corpus/rx (the format is described
# at the top of fuzz_rx.c).  The seeds are committed; run this again only
# to change them.

import os
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


US_MAC = bytes([2, 0, 0, 0, 0, 2])
PEER_MAC = bytes([2, 0, 0, 0, 0, 3])
BCAST = b'\xff' * 6
US = bytes([198, 18, 0, 2])
PEER = bytes([198, 18, 0, 3])


def eth(dst, ethertype):
    return dst + PEER_MAC + struct.pack('!H', ethertype)


def ip(proto, l4):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(l4), 1, 0x4000, 64,
                    proto, 0, PEER, US)
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return eth(US_MAC, 0x0800) + h + l4


def pseudo(proto, length):
    return PEER + US + struct.pack('!BBH', 0, proto, length)


def udp(sport, dport, data):
    u = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data
    c = csum(pseudo(17, len(u)) + u) or 0xffff
    return ip(17, u[:6] + struct.pack('!H', c) + u[8:])


def tcp(flags, seq=1000, ack=0, data=b'', sport=40000, dport=80, opts=b''):
    t = struct.pack('!HHIIBBHHH', sport, dport, seq, ack,
                    (20 + len(opts)) // 4 << 4, flags, 65535, 0, 0) + opts + data
    c = csum(pseudo(6, len(t)) + t)
    return ip(6, t[:16] + struct.pack('!H', c) + t[18:])


def tcpcmd(op, arg):
    return b'\x04' + bytes([op]) + struct.pack('<H', arg)


SYN_OPTS = bytes([2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 8, 10]) + b'\0' * 8
TS = bytes([1, 1, 8, 10]) + b'\0' * 8


def echo(data):
    i = struct.pack('!BBHHH', 8, 0, 0, 1, 1) + data
    return ip(1, i[:2] + struct.pack('!H', csum(i)) + i[4:])


def arp(dst, op, tha, tip):
    return (eth(dst, 0x0806) + struct.pack('!HHBBH', 1, 0x0800, 6, 4, op) +
            PEER_MAC + PEER + tha + tip)


def frame(f):
    return b'\x00' + struct.pack('<H', len(f)) + f


def advance(ticks):
    return b'\x01' + struct.pack('<H', ticks)


def send(host, length):
    return b'\x02' + bytes([host]) + struct.pack('<H', length)


ARP_REQ = arp(BCAST, 1, b'\0' * 6, US)
ARP_REP = arp(US_MAC, 2, US_MAC, US)

SEEDS = {
    'arp_request': b'\x00' + frame(ARP_REQ),
    'arp_reply_flush': b'\x00' + send(3, 10) + send(3, 20) + frame(ARP_REP),
    'arp_retry_timeout': b'\x00' + send(3, 10) + advance(1000) * 4,
    'ping': b'\x00' + frame(ARP_REP) + frame(echo(b'abcdefgh' * 4)),
    'udp_echo': b'\x01' + frame(ARP_REP) + frame(udp(5000, 7, b'hello')),
    'udp_unreach': b'\x00' + frame(ARP_REP) + frame(udp(5000, 9, b'x' * 20)),
    'tcp_syn': b'\x00' + frame(ARP_REP) + frame(tcp(0x02)),
    'tcp_ack': b'\x00' + frame(ARP_REP) + frame(tcp(0x10, 5, 77, b'data')),
    'gateway_small_pool': (b'\x02' + b'\x03' + send(0, 100) + send(0, 100) +
                           advance(30000) + frame(udp(1, 7, b''))),
    'slash31': b'\x09' + frame(ARP_REQ) + frame(udp(5000, 7, b'hey')),
    # TCP up: a listener on 80; 0x30 also establishes 49153 -> .3:80.
    'tcp_listen_syn': (b'\x10' + frame(ARP_REP) +
                       frame(tcp(0x02, opts=SYN_OPTS)) + advance(1000) +
                       frame(tcp(0x10, 1001, 0, b'late'))),
    'tcp_est_data': (b'\x30' + frame(tcp(0x18, 1, 0, b'x' * 100, 80, 49153,
                                           TS)) +
                     tcpcmd(0, 3000) + advance(300) + tcpcmd(1, 0) +
                     frame(tcp(0x11, 101, 0, b'', 80, 49153)) +
                     advance(2000)),
    'tcp_est_rst': (b'\x30' + frame(tcp(0x04, 1, 0, b'', 80, 49153)) +
                    tcpcmd(2, 0) + tcpcmd(4, 0x5003)),
}

out = os.path.join(os.path.dirname(os.path.abspath(sys.argv[0])), 'rx')
os.makedirs(out, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
