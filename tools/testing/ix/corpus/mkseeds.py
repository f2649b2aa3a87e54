#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Write the seed inputs of fuzz_rx into corpus/rx and of fuzz_cmd into
# corpus/cmd (the formats are described at the top of fuzz_rx.c and
# fuzz_cmd.c).  The seeds are
# committed; run this again only to change them.  Seeds kept in corpus/rx
# that are not written here (regressions found by fuzzing) are left alone.

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

# Config byte 1 (what the harness does to each frame injected).
FIX = 0x03          # repair IPv4 and L4 checksums
CSUM_OK = 0x05      # repair IPv4, mark L4 verified by the device
SYNACK_OPTS = 0x08    # config bit 5's SYN-ACK has MSS, SACK-perm, TS, WS
REL = 0x10          # seq/ack/SACK of segments from .3:80 relative


def sack_opts(*blocks):
    o = bytes([1, 1, 8, 10]) + struct.pack('!II', 2, 1)
    if blocks:
        o += bytes([1, 1, 5, 2 + 8 * len(blocks)])
        for start, end in blocks:
            o += struct.pack('!II', start, end)
    return o


def est(flags, seq, ack, data=b'', opts=b''):
    """A segment of the established connection, numbers relative."""
    return frame(tcp(flags, seq, ack, data, 80, 49153, opts))


SEEDS = {
    'arp_request': (0, FIX, frame(ARP_REQ)),
    'arp_reply_flush': (0, FIX, send(3, 10) + send(3, 20) + frame(ARP_REP)),
    'arp_retry_timeout': (0, 0, send(3, 10) + advance(1000) * 4),
    'ping': (0, FIX, frame(ARP_REP) + frame(echo(b'abcdefgh' * 4))),
    'udp_echo': (1, FIX, frame(ARP_REP) + frame(udp(5000, 7, b'hello'))),
    'udp_unreach': (0, CSUM_OK, frame(ARP_REP) +
                    frame(udp(5000, 9, b'x' * 20))),
    'tcp_syn': (0, FIX, frame(ARP_REP) + frame(tcp(0x02))),
    'tcp_ack': (0, FIX, frame(ARP_REP) + frame(tcp(0x10, 5, 77, b'data'))),
    'gateway_small_pool': (2, 0, b'\x03' + send(0, 100) + send(0, 100) +
                           advance(30000) + frame(udp(1, 7, b''))),
    'slash31': (9, FIX, frame(ARP_REQ) + frame(udp(5000, 7, b'hey'))),
    # TCP up: a listener on 80; 0x30 also establishes 49153 -> .3:80.
    'tcp_listen_syn': (0x10, FIX, frame(ARP_REP) +
                       frame(tcp(0x02, opts=SYN_OPTS)) + advance(1000) +
                       frame(tcp(0x10, 1001, 0, b'late'))),
    'tcp_est_data': (0x30, FIX | REL,
                     est(0x18, 1, 1, b'x' * 100, TS) +
                     tcpcmd(0, 3000) + advance(300) + tcpcmd(1, 0) +
                     est(0x11, 101, 1) + advance(2000)),
    'tcp_est_rst': (0x30, CSUM_OK | REL, est(0x04, 1, 1) +
                    tcpcmd(2, 0) + tcpcmd(4, 0x5003)),
    # Options negotiated: data out of order, then the hole filled.
    'tcp_ooo': (0x30, FIX | SYNACK_OPTS | REL,
                est(0x18, 201, 1, b'c' * 100, sack_opts()) +
                est(0x18, 101, 1, b'b' * 100, sack_opts()) +
                est(0x18, 401, 1, b'e' * 100, sack_opts()) +
                est(0x18, 1, 1, b'a' * 100, sack_opts()) +
                advance(50) + est(0x11, 501, 1, b'', sack_opts())),
    # 3000 bytes sent; the peer SACKs the last segments, then dupacks.
    'tcp_sack': (0x30, FIX | SYNACK_OPTS | REL,
                 tcpcmd(0, 6000) +
                 est(0x10, 1, 1 + 1448, b'', sack_opts()) +
                 est(0x10, 1, 1 + 1448, b'', sack_opts((2897, 4345))) +
                 est(0x10, 1, 1 + 1448, b'',
                     sack_opts((2897, 4345), (5793, 6001))) +
                 est(0x10, 1, 1 + 1448, b'',
                     sack_opts((2897, 6001))) +
                 advance(300) + est(0x10, 1, 6001, b'', sack_opts()) +
                 tcpcmd(1, 0) + advance(100)),
    'tcp_sack_csum_ok': (0x30, CSUM_OK | SYNACK_OPTS | REL,
                         tcpcmd(0, 4000) +
                         est(0x10, 1, 1, b'', sack_opts((1449, 2897))) +
                         est(0x18, 51, 1, b'z' * 50,
                             sack_opts((1449, 2897), (1, 1449))) +
                         advance(1000)),
}



# fuzz_cmd: a config byte, then records.
def raw(op, flags=0, handle=0, cookie=0, arg0=0, arg1=0, resv=(0, 0, 0)):
    return b'\x00' + struct.pack('<HHIQQQ3Qq', op, flags, handle, cookie,
                                  arg0, arg1, *resv, 0)


def cmd(op, sel=0, a=0, b=0, corrupt=0):
    return b'\x01' + struct.pack('<BBHHB', op, sel, a, b, corrupt)


def run(twice=0):
    return b'\x02' + bytes([twice])


def clock(ms):
    return b'\x03' + struct.pack('<H', ms)


def index(which, v):
    return b'\x04' + bytes([which]) + struct.pack('<I', v)


def tx(off, data):
    return b'\x05' + struct.pack('<HB', off, len(data)) + data


def peer(what, sel=0, length=0):
    return b'\x06' + struct.pack('<BBH', what, sel, length)


READ = b'\x07'
(NOP, LISTEN, UNLISTEN, CONNECT, ACCEPT, REJECT, SENDV, RECV_DONE, CLOSE,
 ABORT, UDP_BIND, UDP_UNBIND, UDP_SEND, UDP_RECV_DONE, TIMER_SET,
 TIMER_CANCEL) = range(16)
ALL = 0x01 | 0x02 | 0x04    # listen, connect, UDP bind
IOV = struct.pack('<QII', 2048, 500, 0) + struct.pack('<QII', 3000, 70, 0)

CMD_SEEDS = {
    'nop': (ALL, raw(NOP) + raw(NOP, handle=1) + run()),
    'every_op': (ALL | 0x20, b''.join(cmd(op, 0, 1000, 300) + run()
                                      for op in range(16)) + READ),
    'every_op_hostile': (ALL, b''.join(cmd(op, i, 5, 7, 1 + i * 37 % 255)
                                       for i, op in enumerate(
                                           list(range(16)) * 2)) + run()),
    'ring_indices': (ALL | 0x10, raw(NOP) * 3 + index(0, 0x80000000) +
                     index(1, 12345) + index(2, 7) + index(3, 0xffffffff) +
                     run() + cmd(SENDV, 1, 0, 2) + run()),
    'sendv_tx': (ALL, tx(0, IOV) + raw(SENDV, handle=0, arg0=0, arg1=2) +
                 cmd(SENDV, 0, 0, 1) + cmd(SENDV, 1, 64, 15) + run() +
                 clock(50) + run() + READ),
    'recv_done': (ALL | 0x20, peer(0, 0, 1000) + peer(0, 1, 2000) + run() +
                  cmd(RECV_DONE, 0, 700) + cmd(RECV_DONE, 1, 0xffff) +
                  cmd(RECV_DONE, 0x80, 3) + run() + peer(1, 0) + run()),
    'udp': (0x04, peer(4, 0, 64) + run() + READ + cmd(UDP_RECV_DONE) +
            cmd(UDP_RECV_DONE) + cmd(UDP_SEND, 0, 100, 200) +
            cmd(UDP_SEND, 7, 4095, 1500) + cmd(UDP_UNBIND) + run()),
    'timers': (0, cmd(TIMER_SET, 0, 5) + cmd(TIMER_SET, 1, 100) + run() +
               cmd(TIMER_CANCEL, 0) + cmd(TIMER_CANCEL, 0) + run() +
               clock(10) + run() + READ + cmd(TIMER_CANCEL, 1) + run()),
    'lazy_full_ring': (ALL | 0x20 | 0x40,
                       b''.join(peer(0, i % 4, 1400) + run()
                                for i in range(24)) +
                       b''.join(cmd(TIMER_SET, 1, i) for i in range(40)) +
                       run() + clock(5) + run() + READ + run()),
    # Regressions: an empty datagram without TX memory (UBSan: NULL + 0).
    'udp_empty_no_tx': (0x80 | 0x04, cmd(UDP_SEND, 0, 0, 0) + run()),
    'close_abort': (ALL | 0x08, cmd(CLOSE, 0) + cmd(ABORT, 1) +
                    cmd(REJECT, 0) + peer(2, 1) + run() + clock(1000) +
                    run() + cmd(CONNECT, 0) + cmd(LISTEN, 1, 81) + run()),
}

for sub, seeds in (('rx', SEEDS), ('cmd', CMD_SEEDS)):
    out = os.path.join(os.path.dirname(os.path.abspath(sys.argv[0])), sub)
    os.makedirs(out, exist_ok=True)
    for name, seed in seeds.items():
        if sub == 'rx':
            conf, fix, records = seed
            data = bytes([conf, fix]) + records
        else:
            conf, records = seed
            data = bytes([conf]) + records
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
