// A vppinfra pool (pool_get / pool_put): elements live at stable indices; a freed index goes on a
// free list and pool_get takes the MOST RECENTLY freed one first (the free list is a stack,
// vec_pop of free_indices), else appends. NAT44 session indices and ACL session indices in traces
// are these pool indices (vpp-facts §8.6, §9.2).
//
// IndexPool hands out the indices only, with its free list and live bits in typed arrays: the
// sessions are fixed-size records in typed arrays at those indices (nat44/sessions.ts, acl/sessions.ts).

export class IndexPool {
  private free = new Uint32Array(16);
  private freeCount = 0;
  private live = new Uint8Array(16);
  /** vec_len of the pool: indices ever allocated (the next append). */
  private length = 0;
  private liveCount = 0;

  /** pool_get: the most recently freed index, else the next new one. */
  get(): number {
    let index: number;
    if (this.freeCount > 0) index = this.free[--this.freeCount];
    else {
      index = this.length++;
      if (index >= this.live.length) this.live = grown(this.live, index + 1);
    }
    this.live[index] = 1;
    this.liveCount++;
    return index;
  }

  /** Make room for `n` indices up front (pool_alloc); changes no index pool_get hands out. */
  reserve(n: number): void {
    this.live = grown(this.live, n);
  }

  /** pool_put. */
  put(index: number): void {
    if (!this.isLive(index)) throw new Error(`pool index ${index} is already free`);
    this.live[index] = 0;
    if (this.freeCount >= this.free.length) this.free = grown(this.free, this.freeCount + 1);
    this.free[this.freeCount++] = index;
    this.liveCount--;
  }

  isLive(index: number): boolean {
    return index >= 0 && index < this.length && this.live[index] === 1;
  }

  /** pool_elts: live elements. */
  get size(): number {
    return this.liveCount;
  }
}

/** A typed array at least `min` long (doubling), holding the old contents. */
export function grown<A extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: A, min: number): A {
  let n = Math.max(16, a.length);
  while (n < min) n *= 2;
  if (n === a.length) return a;
  const b = new (a.constructor as new (n: number) => A)(n);
  b.set(a);
  return b;
}
