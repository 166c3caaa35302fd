/**
 * Which bytes of a packet are known. A packet rebuilt from a text trace shows only some headers
 * (VPP prints 64 bytes of IP header, a 60-byte hex dump, ...); the rest is unknown and must never be
 * invented or compared. One flag byte per packet byte: simple, and fast enough for headers.
 * `undefined` where a KnownBytes is optional means every byte is known (a captured packet).
 */
export class KnownBytes {
    flags;
    constructor(length) {
        this.flags = new Uint8Array(length);
    }
    static all(length) {
        const k = new KnownBytes(length);
        k.flags.fill(1);
        return k;
    }
    get length() {
        return this.flags.length;
    }
    mark(off, len) {
        this.flags.fill(1, Math.max(0, off), Math.min(this.flags.length, off + len));
    }
    forget(off, len) {
        this.flags.fill(0, Math.max(0, off), Math.min(this.flags.length, off + len));
    }
    /** True when every byte of [off, off+len) is known. */
    has(off, len = 1) {
        if (off < 0 || off + len > this.flags.length)
            return false;
        for (let i = off; i < off + len; i++)
            if (!this.flags[i])
                return false;
        return true;
    }
    isComplete() {
        return this.flags.every((f) => f === 1);
    }
    count() {
        let n = 0;
        for (const f of this.flags)
            n += f;
        return n;
    }
    clone() {
        const k = new KnownBytes(this.flags.length);
        k.flags.set(this.flags);
        return k;
    }
    /** Known ranges as [offset, length] pairs, for reports. */
    ranges() {
        const out = [];
        for (let i = 0; i < this.flags.length;) {
            if (!this.flags[i]) {
                i++;
                continue;
            }
            let j = i;
            while (j < this.flags.length && this.flags[j])
                j++;
            out.push([i, j - i]);
            i = j;
        }
        return out;
    }
    /** The mask after `n` bytes are pushed in front (encapsulation) - those bytes get `known`. */
    prepend(n, known) {
        const k = new KnownBytes(this.flags.length + n);
        if (known)
            k.flags.fill(1, 0, n);
        k.flags.set(this.flags, n);
        return k;
    }
}
