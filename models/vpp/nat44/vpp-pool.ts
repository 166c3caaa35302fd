// A vppinfra pool (pool_get / pool_put): elements live at stable indices; a freed index goes on a
// free list and pool_get takes the MOST RECENTLY freed one first (the free list is a stack), else
// appends. NAT44 session indices and ACL session indices in traces are these pool indices.

export class VppPool<T> {
  private readonly items: (T | undefined)[] = [];
  private readonly freeList: number[] = [];
  private live = 0;

  /**
   * Start like a pool that has lived: `allocated` indices taken by elements the model does not know
   * (kept as `placeholder`), and `free` the free list in the order the indices were freed.
   */
  prime(allocated: number, placeholder: T, free: readonly number[] = []): void {
    for (let i = 0; i < allocated; i++) this.items.push(placeholder);
    this.live = allocated;
    for (const i of free) {
      if (i >= allocated) throw new RangeError(`free index ${i} outside the ${allocated} allocated`);
      this.items[i] = undefined;
      this.freeList.push(i);
      this.live--;
    }
  }

  /** pool_get: an index for `make(index)`. */
  get(make: (index: number) => T): T {
    const index = this.freeList.length > 0 ? this.freeList.pop()! : this.items.length;
    const item = make(index);
    this.items[index] = item;
    this.live++;
    return item;
  }

  /** pool_put. */
  put(index: number): void {
    if (this.items[index] === undefined) throw new Error(`pool index ${index} is already free`);
    this.items[index] = undefined;
    this.freeList.push(index);
    this.live--;
  }

  at(index: number): T | undefined {
    return this.items[index];
  }

  /** pool_elts: live elements. */
  get size(): number {
    return this.live;
  }
}
