// Which inputs check replays with the model tracing. Tracing every input (records formatted per node)
// was most of check's cost (~100 us per input, the VPP model alone ~1 us with tracing off), and
// traces only serve to name the stage of a divergence. So a model that can switch tracing is replayed
// untraced first; only when something diverged is it replayed again, on a fresh instance (same
// scenario, same inputs, same order: the same state), tracing the inputs whose predictions diverged
// and the ones before them that setEarlier looks back at.

/** A model instance that can switch its tracing off (the same frames, no traces). */
export interface TraceSwitchable {
  setTracing(on: boolean): void;
}

export function isTraceSwitchable(x: unknown): x is TraceSwitchable {
  return typeof (x as Partial<TraceSwitchable>).setTracing === 'function';
}

/**
 * The inputs (by replay position; the injection of the timers after the last input counts as the
 * one after it) to trace so that each of `diverged` has its own traces and those of the `lookBack`
 * inputs before it.
 */
export function inputsToTrace(diverged: Iterable<number>, lookBack: number): Set<number> {
  const traced = new Set<number>();
  for (const i of diverged) for (let j = Math.max(0, i - lookBack); j <= i; j++) traced.add(j);
  return traced;
}
