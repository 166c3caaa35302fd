// Copies of frames for the model's outputs and deliveries, carved out of shared blocks.

/**
 * A copy of every frame a device shows and of every frame in flight is taken (receivers rewrite theirs
 * in place); that is about ten small copies per packet. An ArrayBuffer of its own for each (what
 * Uint8Array.slice makes) costs a malloc, a backing-store registration and a sweep, which profiling
 * showed as a sixth of the model's time; views into one block of SLAB_BYTES share that cost. A view
 * behaves as a slice for everything that reads or writes through it (indices, length, subarray);
 * its `.buffer` is the whole block, as with Buffer.allocUnsafe, and nothing in the model uses it.
 * A block is released once no copy from it is referenced.
 */
const SLAB_BYTES = 16 * 1024;

export class FrameCopier {
  private slab = new Uint8Array(SLAB_BYTES);
  private used = 0;

  copy(frame: Uint8Array): Uint8Array {
    const n = frame.length;
    if (n > SLAB_BYTES / 4) return frame.slice();
    if (this.used + n > SLAB_BYTES) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + n);
    out.set(frame);
    // Keep the next copy 8-byte aligned, as separate allocations are.
    this.used += (n + 7) & ~7;
    return out;
  }
}
