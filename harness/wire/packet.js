/** Link types as in pcap's LINKTYPE_* registry; what byte 0 of `data` is. */
export const LinkType = {
    ETHERNET: 1,
    RAW: 101,
    LINUX_SLL: 113,
    IPV4: 228,
    IPV6: 229,
    LINUX_SLL2: 276,
};
export function packetFromBytes(data, meta = {}) {
    return { data, meta: { linkType: LinkType.ETHERNET, ...meta } };
}
export function isKnown(p, off, len = 1) {
    return p.known ? p.known.has(off, len) : off >= 0 && off + len <= p.data.length;
}
export function clonePacket(p) {
    return { data: p.data.slice(), known: p.known?.clone(), meta: { ...p.meta } };
}
