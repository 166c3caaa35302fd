// A Map from VPP's small integer indices (sw_if_index, adjacency, load-balance and FIB indices) to
// their objects that also keeps them in a dense array, so the packet path's `get` is an array read
// instead of a hash lookup: VPP itself keeps these in vectors indexed by the same numbers
// (vnet_main.interface_main.sw_interfaces, adj_pool, load_balance_pool). Iteration order, size
// and every other Map behaviour are the Map's own; keys outside the dense range (~0, huge
// indices) are looked up in the Map.

/** Indices below this are mirrored in the array (VPP's pools for these objects are small). */
const DENSE_LIMIT = 1 << 16;

export class IndexMap<V> extends Map<number, V> {
  private readonly dense: (V | undefined)[] = [];

  constructor(entries?: Iterable<readonly [number, V]>) {
    // Map's own constructor would call the overriding set() before `dense` exists: add them here.
    super();
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  override get(key: number): V | undefined {
    const v = this.dense[key];
    if (v !== undefined) return v;
    return key >= 0 && key < DENSE_LIMIT && Number.isInteger(key) ? undefined : super.get(key);
  }

  override set(key: number, value: V): this {
    super.set(key, value);
    if (key >= 0 && key < DENSE_LIMIT && Number.isInteger(key)) {
      while (this.dense.length < key) this.dense.push(undefined);
      this.dense[key] = value;
    }
    return this;
  }

  override delete(key: number): boolean {
    if (key >= 0 && key < this.dense.length && Number.isInteger(key)) this.dense[key] = undefined;
    return super.delete(key);
  }

  override clear(): void {
    this.dense.length = 0;
    super.clear();
  }
}
