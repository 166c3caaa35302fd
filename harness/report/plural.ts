// A count with its noun in the right number: `1 captured device`, `2 captured devices`. The inline
// `n === 1 ? '' : 's'` had been left out where a count is printed (check: "1 captured devices").

/** `n noun` with the noun's plural (`plural`, default noun + 's') unless n is 1. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
