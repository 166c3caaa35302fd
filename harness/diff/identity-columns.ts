// Packet identities of a whole file in columns, and matching on them: what matchPackets does over
// PacketIdentity objects and key strings, in a few typed arrays. Two captures of a million packets
// each are matched from ~40 bytes per packet, without a key string per packet and level.
//
// Equal keys here are exactly equal key strings there (packet-identity.ts levelKey): a value is kept
// as its text would be compared - a number whose text is decimal as that number, a 16-digit hex
// text of payload.sha256 as two 32-bit halves, any other text by its number in a shared pool, '' as
// text 0, which level 0 takes for an absent value too (both are '' in its key). A text holding '|'
// makes its key string ambiguous when split: such a key (a "dirty" one) has more '|' than any clean
// key, so it can only equal another dirty key, and dirty keys are matched by their strings as before.

import type { FieldValue } from '../stage.js';
import { FLOW, IDENTITY, IDENTITY_LEVELS, flowText } from './packet-identity.js';
import type { PacketMatching } from './packet-match.js';

const FIELDS = IDENTITY.length;
/** The one field whose 16-digit hex texts are kept as two numbers (other fields' go to the pool). */
const HASH_FIELD = IDENTITY.indexOf('payload.sha256');
const ABSENT = 0;
const DECIMAL = 1;
const HEX64 = 2;
const TEXT = 3;

/** Flows and texts, numbered; shared by the two files matched against each other. */
export class IdentityPool {
  readonly flows = new Map<string, number>();
  readonly flowText: string[] = [];
  readonly flowDirty: boolean[] = [];
  readonly texts = new Map<string, number>([['', 0]]);
  readonly textOf: string[] = [''];

  /** The number of a flow text (FLOW's texts joined by '|'). */
  flowId(flow: string): number {
    let n = this.flows.get(flow);
    if (n === undefined) {
      this.flows.set(flow, (n = this.flowText.length));
      this.flowText.push(flow);
      // A text of the flow holds '|' when the flow has more than the joins'.
      let bars = 0;
      for (let i = flow.indexOf('|'); i >= 0; i = flow.indexOf('|', i + 1)) bars++;
      this.flowDirty.push(bars > FLOW.length - 1);
    }
    return n;
  }

  textId(text: string): number {
    let n = this.texts.get(text);
    if (n === undefined) {
      this.texts.set(text, (n = this.textOf.length));
      this.textOf.push(text);
    }
    return n;
  }
}

function isDecimalU32(s: string): boolean {
  if (s.length === 0 || s.length > 10 || (s.length > 1 && s.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(s) <= 0xffffffff;
}

function isHex64(s: string): boolean {
  if (s.length !== 16) return false;
  for (let i = 0; i < 16; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** One file's identities, a packet per row. */
export class IdentityColumns {
  length = 0;
  private flow = new Int32Array(1024);
  /** Per packet and IDENTITY field: kind (ABSENT/DECIMAL/HEX64/TEXT) and its value (TEXT: pool number; HEX64: high half). */
  private kind = new Uint8Array(1024 * FIELDS);
  private value = new Uint32Array(1024 * FIELDS);
  /** HEX64's low half (HASH_FIELD), per packet. */
  private low = new Uint32Array(1024);
  /** Bit k: IDENTITY[k]'s text holds '|'. */
  private dirty = new Uint8Array(1024);

  constructor(readonly pool: IdentityPool) {}

  /** A packet's identity from its (id stage's) fields, as identityOf reads them. Returns its flow's number. */
  add(f: Readonly<Record<string, FieldValue>>): number {
    if (this.length === this.flow.length) this.grow();
    const row = this.length++;
    this.flow[row] = this.pool.flowId(flowText(f));
    let dirty = 0;
    for (let k = 0; k < FIELDS; k++) {
      const at = row * FIELDS + k;
      const v = f[IDENTITY[k]];
      if (v === undefined) {
        this.kind[at] = ABSENT;
        continue;
      }
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) {
        this.kind[at] = DECIMAL;
        this.value[at] = v;
        continue;
      }
      const t = String(v);
      if (isDecimalU32(t)) {
        this.kind[at] = DECIMAL;
        this.value[at] = Number(t);
      } else if (k === HASH_FIELD && isHex64(t)) {
        this.kind[at] = HEX64;
        this.value[at] = parseInt(t.slice(0, 8), 16);
        this.low[row] = parseInt(t.slice(8), 16);
      } else {
        this.kind[at] = TEXT;
        this.value[at] = this.pool.textId(t);
        if (t.includes('|')) dirty |= 1 << k;
      }
    }
    this.dirty[row] = dirty;
    return this.flow[row];
  }

  private grow(): void {
    const n = this.flow.length * 2;
    const more = <A extends Int32Array | Uint8Array | Uint32Array>(a: A, size: number): A => {
      const b = new (a.constructor as new (n: number) => A)(size);
      b.set(a);
      return b;
    };
    this.flow = more(this.flow, n);
    this.kind = more(this.kind, n * FIELDS);
    this.value = more(this.value, n * FIELDS);
    this.low = more(this.low, n);
    this.dirty = more(this.dirty, n);
  }

  /** Lets go of the columns (the file's matching is done). */
  release(): void {
    this.flow = new Int32Array(0);
    this.kind = new Uint8Array(0);
    this.value = new Uint32Array(0);
    this.low = new Uint32Array(0);
    this.dirty = new Uint8Array(0);
  }

  /** Has the key of this level (level 0 always; level k: IDENTITY[k-1] present). */
  has(row: number, level: number): boolean {
    return level === 0 || this.kind[row * FIELDS + level - 1] !== ABSENT;
  }

  /** The key of this level is a dirty one (see the file comment). */
  isDirty(row: number, level: number): boolean {
    if (this.pool.flowDirty[this.flow[row]]) return true;
    return level === 0 ? this.dirty[row] !== 0 : (this.dirty[row] & (1 << (level - 1))) !== 0;
  }

  /** A field's kind and value as level 0 compares it: absent is text ''. */
  private kindAt(at: number, level: number): number {
    const k = this.kind[at];
    return k === ABSENT && level === 0 ? TEXT : k;
  }

  private valueAt(at: number): number {
    return this.kind[at] === ABSENT ? 0 : this.value[at];
  }

  /** Hash of a clean key of this level. */
  hash(row: number, level: number): number {
    let h = Math.imul(this.flow[row] ^ 0x9e3779b9, 0x85ebca6b);
    const first = level === 0 ? 0 : level - 1;
    const last = level === 0 ? FIELDS : level;
    for (let k = first; k < last; k++) {
      const at = row * FIELDS + k;
      const kind = this.kindAt(at, level);
      h = Math.imul(h ^ kind, 0xcc9e2d51);
      h = Math.imul(h ^ this.valueAt(at), 0x1b873593);
      if (kind === HEX64) h = Math.imul(h ^ this.low[row], 0xe6546b64);
      h ^= h >>> 15;
    }
    return h >>> 0;
  }

  /** Clean keys of this level equal (rows of this file and of `other`, same pool). */
  same(row: number, other: IdentityColumns, orow: number, level: number): boolean {
    if (this.flow[row] !== other.flow[orow]) return false;
    const first = level === 0 ? 0 : level - 1;
    const last = level === 0 ? FIELDS : level;
    for (let k = first; k < last; k++) {
      const at = row * FIELDS + k;
      const oat = orow * FIELDS + k;
      const kind = this.kindAt(at, level);
      if (kind !== other.kindAt(oat, level) || this.valueAt(at) !== other.valueAt(oat)) return false;
      if (kind === HEX64 && this.low[row] !== other.low[orow]) return false;
    }
    return true;
  }

  /** A key of this level as levelKey writes it (for dirty keys). */
  keyText(row: number, level: number): string {
    const texts: string[] = [];
    const first = level === 0 ? 0 : level - 1;
    const last = level === 0 ? FIELDS : level;
    for (let k = first; k < last; k++) texts.push(this.textAt(row, k));
    return this.pool.flowText[this.flow[row]] + '|' + texts.join('|');
  }

  private textAt(row: number, k: number): string {
    const at = row * FIELDS + k;
    switch (this.kind[at]) {
      case ABSENT:
        return '';
      case DECIMAL:
        return String(this.value[at]);
      case HEX64:
        return this.value[at].toString(16).padStart(8, '0') + this.low[row].toString(16).padStart(8, '0');
      default:
        return this.pool.textOf[this.value[at]];
    }
  }
}

/**
 * B's rows of one level grouped by key: clean keys by open addressing on their hash, dirty ones by
 * their text. Then each group's rows in B order in one flat array, and the next one not yet taken.
 */
class LevelGroups {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** First row of each clean group (its key's representative; -1 for a dirty group). */
  private readonly rep: number[] = [];
  private readonly dirty = new Map<string, number>();
  /** Group g's rows are flat[start[g]..start[g + 1]), in B order; next[g]: the first not yet taken. */
  private readonly start: Int32Array;
  private readonly flat: Int32Array;
  private readonly next: Int32Array;

  constructor(
    private readonly b: IdentityColumns,
    private readonly level: number,
    rows: Int32Array,
  ) {
    let size = 16;
    while (size < rows.length * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    const groupOf = new Int32Array(rows.length);
    const count: number[] = [];
    rows.forEach((j, n) => {
      const g = this.group(b, j, true);
      groupOf[n] = g;
      count[g] = (count[g] ?? 0) + 1;
    });
    this.start = new Int32Array(count.length + 1);
    for (let g = 0; g < count.length; g++) this.start[g + 1] = this.start[g] + count[g];
    this.next = this.start.slice(0, count.length);
    this.flat = new Int32Array(rows.length);
    rows.forEach((j, n) => (this.flat[this.next[groupOf[n]]++] = j));
    this.next.set(this.start.subarray(0, count.length));
  }

  /** The group of row `row` of `side` (a new one when `insert`), else -1. */
  private group(side: IdentityColumns, row: number, insert: boolean): number {
    if (side.isDirty(row, this.level)) {
      const k = side.keyText(row, this.level);
      let g = this.dirty.get(k);
      if (g === undefined && insert) {
        this.dirty.set(k, (g = this.rep.length));
        this.rep.push(-1);
      }
      return g ?? -1;
    }
    for (let s = side.hash(row, this.level) & this.mask; ; s = (s + 1) & this.mask) {
      const g = this.slots[s];
      if (g < 0) {
        if (!insert) return -1;
        this.slots[s] = this.rep.length;
        this.rep.push(row);
        return this.rep.length - 1;
      }
      if (side.same(row, this.b, this.rep[g], this.level)) return g;
    }
  }

  /** Takes the first row of B with the key of A's row `i` that is not used yet, or returns -1. */
  take(a: IdentityColumns, i: number, usedB: Uint8Array): number {
    const g = this.group(a, i, false);
    if (g < 0) return -1;
    let n = this.next[g];
    const end = this.start[g + 1];
    while (n < end && usedB[this.flat[n]]) n++;
    this.next[g] = n;
    if (n === end) return -1;
    this.next[g] = n + 1;
    return this.flat[n];
  }
}

/**
 * matchPackets on columns: the same matching (packet-match.ts) - strictest level first, of several
 * candidates the first in B order not yet taken.
 */
export function matchColumns(a: IdentityColumns, b: IdentityColumns): PacketMatching {
  const usedB = new Uint8Array(b.length);
  const matchedA = new Uint8Array(a.length);
  const partner = new Int32Array(a.length).fill(-1);
  for (let level = 0; level < IDENTITY_LEVELS; level++) {
    let count = 0;
    for (let j = 0; j < b.length; j++) if (!usedB[j] && b.has(j, level)) count++;
    if (!count) continue;
    const rows = new Int32Array(count);
    for (let j = 0, n = 0; j < b.length; j++) if (!usedB[j] && b.has(j, level)) rows[n++] = j;
    const groups = new LevelGroups(b, level, rows);
    for (let i = 0; i < a.length; i++) {
      if (matchedA[i] || !a.has(i, level)) continue;
      const j = groups.take(a, i, usedB);
      if (j < 0) continue;
      usedB[j] = 1;
      matchedA[i] = 1;
      partner[i] = j;
    }
  }
  let pairs = 0;
  for (let i = 0; i < a.length; i++) if (partner[i] >= 0) pairs++;
  const matchA = new Int32Array(pairs);
  const matchB = new Int32Array(pairs);
  for (let i = 0, k = 0; i < a.length; i++) {
    if (partner[i] < 0) continue;
    matchA[k] = i;
    matchB[k++] = partner[i];
  }
  return { matchA, matchB, matchedA, usedB };
}
