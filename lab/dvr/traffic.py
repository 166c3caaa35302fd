#!/usr/bin/env python3
"""Traffic for the DVR lab, run INSIDE a lab namespace with `ip netns exec` (never in the root one).

Python standard library only; fixed ids, ports and payloads so runs are comparable.
  traffic.py ping DST ID [--ttl N] [--bind ADDR] [--tag WORD] [--rr N] [--broadcast] [--type T] [--size N] [--tos T]
                                          ICMP echo request (raw socket); waits for the reply or an error;
                                          WORD goes into the payload (lab/dvr/cases.ts finds the echo by it
                                          where NAT changed its id); --rr N: IP Record Route
                                          option with N slots; --broadcast: SO_BROADCAST (DST a
                                          broadcast address); --type T sends ICMP type T instead
                                          of an echo request (0: a stray echo reply; 13: a timestamp
                                          request, its reply type 14 counts as the answer); --size N pads
                                          the payload to N bytes (above the MTU: a fragmented echo);
                                          --tos T: the IP TOS byte (DSCP and ECN bits)
  traffic.py udp DST PORT SPORT [--ttl N] [--bind ADDR] [--size N] [--rr N] [--tos T]
                                          one datagram; waits for the ICMP error or a reply; --size N
                                          pads the payload to N bytes (above the MTU the sender
                                          fragments it), --rr N adds an IP Record Route option with N slots,
                                          --tos T sets the IP TOS byte (DSCP and ECN bits)
  traffic.py udp-raw SRC DST PORT SPORT [--opt HEX]
                                          one UDP datagram built by hand (raw socket, IP_HDRINCL) with a
                                          correct checksum: SPORT may be 0, which a UDP socket cannot send from;
                                          --opt HEX: these IP option bytes (padded with EOL to 32 bits)
  traffic.py udp-badsum SRC DST PORT SPORT
                                          one UDP datagram with a wrong checksum (raw socket,
                                          IP_HDRINCL: the stack does not fix it), no answer awaited
  traffic.py udp-frags SRC DST PORT SPORT SIZE... [--df] [--opt HEX]
                                          one UDP datagram built by hand (raw socket, IP_HDRINCL, IP id
                                          0x4545) whose IP payload is cut into fragments of these payload
                                          sizes, sent in order (one SIZE: a whole datagram of that payload);
                                          --df: DF set on every one (else clear); --opt HEX: IP option bytes
                                          in every fragment's header (padded with EOL to 32 bits)
  traffic.py eth-ping DEV DSTMAC SRC DST ID
                                          an ICMP echo request in an Ethernet frame sent on DEV (AF_PACKET)
                                          to DSTMAC: a destination the sender has no route for (a router's
                                          link-local address, a VM's fixed address); no answer awaited
  traffic.py ip-proto SRC DST PROTO       one IPv4 packet of protocol PROTO (raw socket, IP_HDRINCL),
                                          20 bytes of payload, no answer awaited
  traffic.py udp-series DST PORT SPORT AT... --wait W [--ttl T] [--bind SRC]
                                          one datagram per AT (seconds after the first; payload tagged with
                                          its number) from one socket, then waits until W seconds after the
                                          first and prints how many ICMP errors came back (IP_RECVERR's
                                          error queue): a destination whose neighbour never answers
  traffic.py udp-echo PORT COUNT          answers COUNT datagrams with their own payload, then exits
  traffic.py tcp-server PORT              accepts one connection, reads 'hello', answers 'world'
  traffic.py tcp-client DST PORT SPORT [--rr N] [--ttl N]
                                          connects, sends 'hello', reads 'world', closes
Exit 0 when the expected answer came back, 1 otherwise (the lab reports it; the check decides).
"""
import socket
import struct
import sys
import time


def csum(b: bytes) -> int:
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def opt(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def opt_str(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def record_route(s: socket.socket) -> None:
    """--rr N: IPOPT_RR (type 7, length, pointer 4 = first free slot, N empty slots; EOL pads to 32 bits)."""
    rr = opt("--rr", 0)
    if rr:
        o = bytes([7, 3 + 4 * rr, 4]) + bytes(4 * rr)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, o + bytes(-len(o) % 4))


def ping(dst: str, ident: int) -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, opt("--ttl", 64))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, opt("--tos", 0))
    record_route(s)
    if "--broadcast" in sys.argv:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.bind((opt_str("--bind", "0.0.0.0"), 0))
    s.settimeout(3)
    tag = opt_str("--tag", "")
    payload = (b"dpconform-dvr-" + tag.encode() + b"-" if tag else b"dpconform-dvr-lab-") + bytes(range(14))
    payload += bytes(i & 0xFF for i in range(opt("--size", len(payload)) - len(payload)))
    icmp_type = opt("--type", 8)
    hdr = struct.pack("!BBHHH", icmp_type, 0, 0, ident, 1)
    pkt = struct.pack("!BBHHH", icmp_type, 0, csum(hdr + payload), ident, 1) + payload
    s.sendto(pkt, (dst, 0))
    deadline = time.time() + 3
    while time.time() < deadline:
        try:
            data, src = s.recvfrom(65536)
        except socket.timeout:
            break
        ihl = (data[0] & 0x0F) * 4
        t = data[ihl]
        if t in (0, 14) and struct.unpack("!H", data[ihl + 4 : ihl + 6])[0] == ident:
            print(f"{'echo' if t == 0 else 'timestamp'} reply from {src[0]}")
            return 0
        if t in (3, 11):
            print(f"icmp type {t} from {src[0]}")
            return 0
    print("no answer")
    return 1


def udp(dst: str, port: int, sport: int) -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, opt("--ttl", 64))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, opt("--tos", 0))
    s.setsockopt(socket.IPPROTO_IP, 11, 1)  # IP_RECVERR: ICMP errors come back on the socket
    record_route(s)
    s.bind((opt_str("--bind", "0.0.0.0"), sport))
    s.settimeout(3)
    s.connect((dst, port))
    probe = b"dpconform udp probe"
    size = opt("--size", len(probe))
    s.send(probe + bytes(i & 0xFF for i in range(size - len(probe))))
    try:
        data = s.recv(100)
    except (ConnectionRefusedError, OSError) as e:
        print(f"icmp error: {e.__class__.__name__}")
        return 0
    print(f"reply: {data!r}")
    return 0


def udp_series(dst: str, port: int, sport: int, at: list) -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, 11, 1)  # IP_RECVERR: every ICMP error is queued on the socket
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, opt("--ttl", 64))
    s.bind((opt_str("--bind", "0.0.0.0"), sport))
    s.connect((dst, port))
    errors = 0

    def drain() -> None:  # reading the error queue also clears the error a send would report
        nonlocal errors
        while True:
            try:
                s.recvmsg(512, 512, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
                errors += 1
            except BlockingIOError:
                return

    start = time.monotonic()
    for i, t in enumerate(at):
        time.sleep(max(0.0, start + t - time.monotonic()))
        drain()
        s.send(b"dpconform udp queued %d" % i)
    time.sleep(max(0.0, start + float(opt_str("--wait", "0")) - time.monotonic()))
    drain()
    print(f"{len(at)} sent, {errors} icmp error(s)")
    return 0


def send_raw(src: str, dst: str, proto: int, body: bytes) -> int:
    """An IPv4 packet built here (IP_HDRINCL via IPPROTO_RAW): the stack sends the bytes as they are."""
    opts = bytes.fromhex(opt_str("--opt", ""))
    opts += bytes(-len(opts) % 4)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45 + len(opts) // 4, 0, 20 + len(opts) + len(body), 0x4242, 0x4000, 64, proto, 0, socket.inet_aton(src), socket.inet_aton(dst)) + opts
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(ip + body, (dst, 0))
    print("sent")
    return 0


def udp_frags(src: str, dst: str, port: int, sport: int, sizes: list) -> int:
    """A datagram of sum(sizes) IP payload bytes (UDP header included), sent as fragments of those sizes."""
    opts = bytes.fromhex(opt_str("--opt", ""))
    opts += bytes(-len(opts) % 4)
    total = sum(sizes)
    payload = b"dpconform udp frags " + bytes(i & 0xFF for i in range(total - 8 - 20))
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, total)
    hdr = struct.pack("!HHHH", sport, port, total, 0)
    dgram = hdr[:6] + struct.pack("!H", csum(pseudo + hdr + payload) or 0xFFFF) + payload
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    offset = 0
    for i, n in enumerate(sizes):
        frag = (0x4000 if "--df" in sys.argv else 0) | (0x2000 if i < len(sizes) - 1 else 0) | (offset >> 3)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45 + len(opts) // 4, 0, 20 + len(opts) + n, 0x4545, frag, 64, 17, 0, socket.inet_aton(src), socket.inet_aton(dst)) + opts
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        s.sendto(ip + dgram[offset : offset + n], (dst, 0))
        offset += n
    print(f"sent {len(sizes)} piece(s), {total} bytes")
    return 0


def udp_badsum(src: str, dst: str, port: int, sport: int) -> int:
    payload = b"dpconform udp badsum"
    return send_raw(src, dst, 17, struct.pack("!HHHH", sport, port, 8 + len(payload), 0x1234) + payload)  # 0x1234: not the checksum


def udp_raw(src: str, dst: str, port: int, sport: int) -> int:
    payload = b"dpconform udp raw"
    hdr = struct.pack("!HHHH", sport, port, 8 + len(payload), 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, 8 + len(payload))
    return send_raw(src, dst, 17, hdr[:6] + struct.pack("!H", csum(pseudo + hdr + payload) or 0xFFFF) + payload)


def eth_ping(dev: str, dst_mac: str, src: str, dst: str, ident: int) -> int:
    payload = b"dpconform-dvr-eth-" + bytes(range(14))
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, 1)
    icmp = struct.pack("!BBHHH", 8, 0, csum(icmp + payload), ident, 1) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0x4343, 0x4000, 64, 1, 0, socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((dev, 0))
    src_mac = s.getsockname()[4]
    s.send(bytes.fromhex(dst_mac.replace(":", "")) + src_mac + b"\x08\x00" + ip + icmp)
    print("sent")
    return 0


def udp_echo(port: int, count: int) -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    s.settimeout(10)
    print("listening", flush=True)
    for _ in range(count):
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)
        print(f"echoed to {peer[0]}:{peer[1]}", flush=True)
    return 0


def tcp_server(port: int) -> int:
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(1)
    ls.settimeout(10)
    print("listening", flush=True)
    c, _ = ls.accept()
    c.settimeout(3)
    data = c.recv(100)
    c.sendall(b"world")
    c.recv(100)  # the client's FIN
    c.close()
    return 0 if data == b"hello" else 1


def tcp_client(dst: str, port: int, sport: int) -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    record_route(s)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, opt("--ttl", 64))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", sport))
    s.settimeout(3)
    s.connect((dst, port))
    s.sendall(b"hello")
    data = s.recv(100)
    s.close()
    time.sleep(0.2)
    return 0 if data == b"world" else 1


def main() -> int:
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "ping":
        return ping(args[0], int(args[1]))
    if cmd == "udp":
        return udp(args[0], int(args[1]), int(args[2]))
    if cmd == "udp-series":
        return udp_series(args[0], int(args[1]), int(args[2]), [float(a) for a in args[3 : args.index("--wait") if "--wait" in args else len(args)]])
    if cmd == "udp-frags":
        return udp_frags(args[0], args[1], int(args[2]), int(args[3]), [int(a) for a in args[4 : next((i for i, a in enumerate(args) if a.startswith("--")), len(args))]])
    if cmd == "udp-badsum":
        return udp_badsum(args[0], args[1], int(args[2]), int(args[3]))
    if cmd == "udp-raw":
        return udp_raw(args[0], args[1], int(args[2]), int(args[3]))
    if cmd == "eth-ping":
        return eth_ping(args[0], args[1], args[2], args[3], int(args[4]))
    if cmd == "ip-proto":
        return send_raw(args[0], args[1], int(args[2]), b"dpconform ip-proto 20"[:20])
    if cmd == "udp-echo":
        return udp_echo(int(args[0]), int(args[1]))
    if cmd == "tcp-server":
        return tcp_server(int(args[0]))
    if cmd == "tcp-client":
        return tcp_client(args[0], int(args[1]), int(args[2]))
    print(__doc__)
    return 2


try:
    sys.exit(main())
except OSError as e:  # timeouts, unreachable: one line; the check judges the dataplane
    print(f"{sys.argv[1]}: {e.__class__.__name__}: {e}")
    sys.exit(1)
