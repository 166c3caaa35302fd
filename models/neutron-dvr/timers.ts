// The model's clock and its timers. The clock is the capture time of the input packets (ns): a
// kernel timer that falls due between two inputs fires before the second is processed, at its due
// time; timers still pending after the last input fire when the harness asks (ModelInstance.finish),
// up to the end of the capture. An input without a timestamp leaves the clock where it is and arms
// nothing (as before the model had timers: an unresolved neighbour then waits for ever).

export interface Timer {
  due: bigint;
  fire: () => void;
}

export class Timers {
  private pending: (Timer & { seq: number })[] = [];
  private seq = 0;
  /** Capture time of the latest input (ns); undefined until an input carried one. */
  now: bigint | undefined;

  /** Arm `fire` at now + delay. Returns the timer, for cancel; undefined when there is no clock. */
  after(delayNs: bigint, fire: () => void): Timer | undefined {
    if (this.now === undefined) return undefined;
    const t = { due: this.now + delayNs, fire, seq: this.seq++ };
    this.pending.push(t);
    return t;
  }

  cancel(t: Timer | undefined): void {
    if (t) this.pending = this.pending.filter((p) => p !== t);
  }

  /**
   * Fire every timer due at or before `until` (all of them when undefined), earliest first (armed
   * first on a tie), the clock set to each one's due time; `settle` runs after each (the frames it
   * sent cross the dataplane before the next timer). A timer may arm others; they fire too when due.
   * Then the clock moves on to `until` (never back: a late input does not rewind it).
   */
  runUntil(until: bigint | undefined, settle: () => void): void {
    for (;;) {
      let next: (Timer & { seq: number }) | undefined;
      for (const p of this.pending) if ((until === undefined || p.due <= until) && (!next || p.due < next.due || (p.due === next.due && p.seq < next.seq))) next = p;
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.now = next.due;
      next.fire();
      settle();
    }
    if (until !== undefined && (this.now === undefined || until > this.now)) this.now = until;
  }
}
