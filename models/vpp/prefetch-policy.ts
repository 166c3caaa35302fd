// Whether the plugins' prefetch hooks run, decided by measuring them.
//
// A prefetch hook hashes the session keys of a group of packets and reads their hash slots ahead,
// so that when the tables are too big for the CPU's caches the misses of the group overlap instead
// of waiting one after another (VPP prefetches bihash buckets for the packets ahead). With a million
// sessions that is worth ~25% of a replay; with ten thousand open connections the slots are in
// cache anyway, and the hashing is pure cost (~12% of such a replay, measured). Which case holds
// depends on the traffic's working set and on the machine's caches, neither of which the model can
// see from JavaScript. So, as a JIT keeps the faster of two versions of code, the policy runs both
// now and then and keeps the faster.
//
// A trial alternates windows with and without prefetch (ABAB..., so a drift of the traffic over the
// trial weighs on both sides alike) and compares each side's fastest window per packet (the
// fastest: a window the process was preempted in, or a GC pause, only makes one window slow). The
// winner then runs alone for a while - longer each time a trial confirms it - until the next
// trial. Prefetching changes nothing a lookup sees, so the choice changes the speed of a replay,
// never a trace, a packet or a session.

/** `auto`: measured; `on` / `off`: always / never (tests, and A/B measurements of the hooks). */
export type PrefetchMode = 'auto' | 'on' | 'off';

export interface PrefetchPolicyOptions {
  /** Groups per measured window. */
  windowGroups: number;
  /** Windows per side in a trial. */
  trialWindows: number;
  /** Windows the winner runs alone after a trial that changed the choice; doubles up to maxRunWindows while trials confirm it. */
  minRunWindows: number;
  maxRunWindows: number;
  /** The other side must be faster by this fraction to take over (no flapping on noise). */
  margin: number;
}

/**
 * At 32 packets a group, a window is 512 packets (~0.5 ms of replay: the clock is read twice per
 * window, never per packet), a trial 3072 packets, and the winner runs for 32 k to 512 k packets.
 */
export const DEFAULT_PREFETCH_POLICY: PrefetchPolicyOptions = {
  windowGroups: 16,
  trialWindows: 3,
  minRunWindows: 64,
  maxRunWindows: 1024,
  margin: 0.03,
};

export class PrefetchPolicy {
  mode: PrefetchMode = 'auto';
  /** The side chosen by the last trial (prefetch starts on: VPP's own behaviour). */
  private chosen = true;
  /** Windows left in the current run of the chosen side; 0 = a trial is under way. */
  private runLeft = 0;
  private runLength: number;
  /** Trial: the window under way (even: prefetch on, odd: off), its groups, packets and time. */
  private trialWindow = 0;
  private windowGroupsDone = 0;
  private windowPackets = 0;
  private windowMs = 0;
  /** Clock reading when the current stretch of the window began; NaN while paused (between calls). */
  private windowStart = Number.NaN;
  /** Per side (0 on, 1 off): the fastest window's ms per packet in this trial. */
  private readonly best = [Infinity, Infinity];
  /** Groups run, and with prefetch (for reports). */
  groups = 0;
  prefetchedGroups = 0;
  /** Trials held, and how many of them changed the choice. */
  trials = 0;
  switches = 0;

  constructor(
    private readonly clock: () => number = () => performance.now(),
    private readonly options: PrefetchPolicyOptions = DEFAULT_PREFETCH_POLICY,
  ) {
    this.runLength = options.minRunWindows;
  }

  /** Before a group runs: prefetch it? */
  beginGroup(): boolean {
    this.groups++;
    const on = this.mode === 'auto' ? this.side() : this.mode === 'on';
    if (on) this.prefetchedGroups++;
    return on;
  }

  /** After the group (of `packets` packets) ran. */
  endGroup(packets: number): void {
    if (this.mode !== 'auto') return;
    if (this.runLeft > 0) {
      // The run's last window done, the next group begins a trial: decide() left one ready. (Not
      // started here: a branch first taken after the JIT compiled the replay loop, with this call
      // inlined into it, threw the whole loop's optimised code away.)
      if (++this.windowGroupsDone === this.options.windowGroups) {
        this.windowGroupsDone = 0;
        this.runLeft--;
      }
      return;
    }
    this.windowPackets += packets;
    if (++this.windowGroupsDone < this.options.windowGroups) return;
    this.pause();
    const side = this.trialWindow & 1;
    const perPacket = this.windowMs / this.windowPackets;
    if (perPacket < this.best[side]) this.best[side] = perPacket;
    this.windowGroupsDone = this.windowPackets = this.windowMs = 0;
    if (++this.trialWindow === 2 * this.options.trialWindows) this.decide();
  }

  /** The caller stops running groups for now (the time until the next group is not the model's). */
  pause(): void {
    if (Number.isNaN(this.windowStart)) return;
    this.windowMs += this.clock() - this.windowStart;
    this.windowStart = Number.NaN;
  }

  /** The side the current group runs on; starts the window's clock in a trial. */
  private side(): boolean {
    if (this.runLeft > 0) return this.chosen;
    if (Number.isNaN(this.windowStart)) this.windowStart = this.clock();
    return (this.trialWindow & 1) === 0;
  }

  private decide(): void {
    this.trials++;
    const [on, off] = this.best;
    const other = this.chosen ? off : on;
    const mine = this.chosen ? on : off;
    if (other < mine * (1 - this.options.margin)) {
      this.chosen = !this.chosen;
      this.switches++;
      this.runLength = this.options.minRunWindows;
    } else this.runLength = Math.min(this.options.maxRunWindows, this.runLength * 2);
    this.runLeft = this.runLength;
    // The next trial's slate, cleared now: nothing reads it during the run.
    this.trialWindow = 0;
    this.best[0] = this.best[1] = Infinity;
  }

  /** Whether the chosen side is prefetching (the last trial's verdict). */
  get prefetching(): boolean {
    return this.mode === 'auto' ? this.chosen : this.mode === 'on';
  }
}
