// Exit codes are part of the interface (CI scripts branch on them).
export const ExitCode = {
  OK: 0,
  /** A conformance failure: something diverged from its golden. */
  FAILED: 1,
  /** Bad usage or bad input (a file that cannot be read as what it claims to be). */
  BAD_INPUT: 2,
  /** Our own bug (an error nothing anticipated): one line, the stack only with DPCONFORM_DEBUG set. */
  INTERNAL: 3,
  /**
   * Nothing to judge: `check` compared no prediction (every frame the model predicted left by a
   * device nobody captured). Not OK - a CI gate on 0 would pass on an empty comparison - and no
   * failure either.
   */
  INCONCLUSIVE: 4,
} as const;

/** Thrown by a command to end with a given code after it printed its own output. */
export class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
