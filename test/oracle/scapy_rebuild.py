#!/usr/bin/python3
"""Parse packets with scapy and rebuild them with every length and checksum recomputed by scapy.

Run by test/oracle/emit-scapy.test.ts inside an empty network namespace (unshare --net): it reads
JSON [{name, link, hex, keep}] on stdin and prints JSON [{name, hex, layers}] - the rebuilt bytes and
scapy's layer names. `keep` lists "Layer.field" values NOT to recompute (e.g. a deliberate zero UDP
checksum over IPv4). Packets quoted inside ICMP errors are left as they are: scapy would otherwise
"fix" the quoted (possibly truncated) datagram's lengths.
"""

import json
import sys

from scapy.all import (CookedLinux, CookedLinuxV2, Ether, IP, IPv6, conf, Packet, NoPayload, IPerror, IPerror6,
                       TCPerror, UDPerror, ICMPerror)
from scapy.contrib.mpls import MPLS  # noqa: F401  (binds EtherType 0x8847 and GRE proto 0x8847)

conf.verb = 0

FIRST = {1: Ether, 101: None, 113: CookedLinux, 228: IP, 229: IPv6, 276: CookedLinuxV2}
RECOMPUTED = ('chksum', 'cksum', 'len', 'plen', 'ihl', 'dataofs')
QUOTED = (IPerror, IPerror6, TCPerror, UDPerror, ICMPerror)


def first_class(link, raw):
    cls = FIRST[link]
    if cls is None:  # LINKTYPE_RAW: version nibble
        cls = IP if raw[0] >> 4 == 4 else IPv6
    return cls


def recompute(pkt, keep):
    layer = pkt
    names = []
    while layer is not None and not isinstance(layer, NoPayload):
        names.append(layer.__class__.__name__)
        if isinstance(layer, QUOTED):
            break
        for f in layer.fields_desc:
            if f.name in RECOMPUTED and '%s.%s' % (layer.__class__.__name__, f.name) not in keep:
                layer.fields.pop(f.name, None)
                layer.setfieldval(f.name, None)
        layer = layer.payload
    return names


def main():
    items = json.load(sys.stdin)
    out = []
    for it in items:
        raw = bytes.fromhex(it['hex'])
        pkt = first_class(it['link'], raw)(raw)
        names = recompute(pkt, set(it.get('keep', [])))
        out.append({'name': it['name'], 'hex': bytes(pkt).hex(), 'layers': names})
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
