// Hand-built capture bytes for tests, written straight from the pcap/pcapng layouts and independent
// of our writers (so a writer bug and a reader bug cannot cancel out).

export class Bytes {
  private parts: number[] = [];
  constructor(readonly le = true) {}

  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff];
    this.parts.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.parts.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u64(v: bigint): this {
    const hi = Number((v >> 32n) & 0xffffffffn);
    const lo = Number(v & 0xffffffffn);
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const enc = new TextEncoder();

/** One option (code, length, value padded to 32 bits). */
export function opt(code: number, value: Uint8Array | string, le = true): Uint8Array {
  const v = typeof value === 'string' ? enc.encode(value) : value;
  return new Bytes(le).u16(code).u16(v.length).bytes(v).pad4().done();
}
export function endOpt(le = true): Uint8Array {
  return new Bytes(le).u16(0).u16(0).done();
}

/** A generic block: type, total length, body (padded), total length. `lengthOverride` forges lengths. */
export function block(type: number, body: Uint8Array, le = true, forge: { length?: number; trailer?: number } = {}): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const len = 12 + padded;
  return new Bytes(le)
    .u32(type)
    .u32(forge.length ?? len)
    .bytes(body)
    .pad4()
    .u32(forge.trailer ?? len)
    .done();
}

export function shb(le = true, options: Uint8Array[] = [], version = 1): Uint8Array {
  const b = new Bytes(le).u32(0x1a2b3c4d).u16(version).u16(0).u64(0xffffffffffffffffn);
  for (const o of options) b.bytes(o);
  return block(0x0a0d0d0a, b.done(), le);
}

export function idb(linkType: number, snaplen: number, options: Uint8Array[] = [], le = true): Uint8Array {
  const b = new Bytes(le).u16(linkType).u16(0).u32(snaplen);
  for (const o of options) b.bytes(o);
  return block(1, b.done(), le);
}

export interface EpbFields {
  ifId?: number;
  units?: bigint;
  caplen?: number;
  origLength?: number;
  options?: Uint8Array[];
}

/** EPB (32-bit interface id) or the obsolete OPB (16-bit interface id + 16-bit drops count). */
function packetBlock(type: 6 | 2, data: Uint8Array, f: EpbFields & { drops?: number }, le: boolean): Uint8Array {
  const units = f.units ?? 0n;
  const b = new Bytes(le);
  if (type === 6) b.u32(f.ifId ?? 0);
  else b.u16(f.ifId ?? 0).u16(f.drops ?? 0);
  b.u32(Number(units >> 32n))
    .u32(Number(units & 0xffffffffn))
    .u32(f.caplen ?? data.length)
    .u32(f.origLength ?? data.length)
    .bytes(data)
    .pad4();
  for (const o of f.options ?? []) b.bytes(o);
  return block(type, b.done(), le);
}

export function epb(data: Uint8Array, f: EpbFields = {}, le = true): Uint8Array {
  return packetBlock(6, data, f, le);
}

export function opb(data: Uint8Array, f: EpbFields & { drops?: number } = {}, le = true): Uint8Array {
  return packetBlock(2, data, f, le);
}

export function spb(data: Uint8Array, origLength = data.length, le = true): Uint8Array {
  return block(3, new Bytes(le).u32(origLength).bytes(data).done(), le);
}

/** pcap file header. */
export function pcapHeader(o: { le?: boolean; ns?: boolean; snaplen?: number; linkWord?: number; major?: number; magic?: number } = {}): Uint8Array {
  return new Bytes(o.le ?? true)
    .u32(o.magic ?? (o.ns ? 0xa1b23c4d : 0xa1b2c3d4))
    .u16(o.major ?? 2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(o.snaplen ?? 65535)
    .u32(o.linkWord ?? 1)
    .done();
}

/** pcap record. */
export function pcapRecord(data: Uint8Array, o: { le?: boolean; sec?: number; frac?: number; caplen?: number; origLength?: number } = {}): Uint8Array {
  return new Bytes(o.le ?? true)
    .u32(o.sec ?? 0)
    .u32(o.frac ?? 0)
    .u32(o.caplen ?? data.length)
    .u32(o.origLength ?? data.length)
    .bytes(data)
    .done();
}

export function bytesOf(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}
