// A Map from VPP's small integer indices (sw_if_index, adjacency, load-balance and FIB indices) to
// their objects that also keeps them in dense arrays, so the packet path's `get` is an array read
// instead of a hash lookup: VPP itself keeps these in vectors indexed by the same numbers
// (vnet_main.interface_main.sw_interfaces, adj_pool, load_balance_pool). Iteration order, size
// and every other Map behaviour are the Map's own; keys outside the dense windows (~0, huge
// indices) are looked up in the Map.

/** Keys in [0, DENSE_LIMIT) are mirrored in an array (VPP's pools for these objects are small). */
const DENSE_LIMIT = 1 << 16;

export class IndexMap<V> extends Map<number, V> {
  private readonly dense: (V | undefined)[] = [];
  /**
   * A second window, [highBase, highBase + DENSE_LIMIT), for indices a model allocates from a high
   * base of its own (configure.ts's load-balances nobody printed start at HIDDEN_LB_BASE; the
   * Contiv pods' neighbour entries use them, so ip4-lookup reads one per packet: a Map lookup,
   * ~0.4% of the hit path, before this window).
   */
  private readonly high: (V | undefined)[] = [];
  private readonly highBase: number;
  /** Bumped by every set, delete and clear: a cache of what was found under a key is valid while this is unchanged. */
  version = 0;

  constructor(entries?: Iterable<readonly [number, V]> | null, highBase = DENSE_LIMIT) {
    // Map's own constructor would call the overriding set() before `dense` exists: add them here.
    super();
    if (!Number.isInteger(highBase) || highBase < DENSE_LIMIT) throw new RangeError(`IndexMap high window base ${highBase} overlaps the low one`);
    this.highBase = highBase;
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  override get(key: number): V | undefined {
    const v = this.dense[key];
    if (v !== undefined) return v;
    const h = this.high[key - this.highBase];
    if (h !== undefined) return h;
    return this.windowOf(key) !== null ? undefined : super.get(key);
  }

  override set(key: number, value: V): this {
    super.set(key, value);
    this.version++;
    const w = this.windowOf(key);
    if (w !== null) {
      const at = w === this.dense ? key : key - this.highBase;
      while (w.length < at) w.push(undefined);
      w[at] = value;
    }
    return this;
  }

  override delete(key: number): boolean {
    this.version++;
    const w = this.windowOf(key);
    if (w !== null) {
      const at = w === this.dense ? key : key - this.highBase;
      if (at < w.length) w[at] = undefined;
    }
    return super.delete(key);
  }

  override clear(): void {
    this.version++;
    this.dense.length = 0;
    this.high.length = 0;
    super.clear();
  }

  /** The array mirroring `key`, or null for a key kept in the Map only. */
  private windowOf(key: number): (V | undefined)[] | null {
    if (!Number.isInteger(key)) return null;
    if (key >= 0 && key < DENSE_LIMIT) return this.dense;
    if (key >= this.highBase && key < this.highBase + DENSE_LIMIT) return this.high;
    return null;
  }
}
