import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { progressBar, type ProgressStream } from '../../harness/report/progress.js';
import { cli } from '../harness/cli.js';
import { fixtureCopy } from '../harness/helpers.js';

function fakeStream(isTTY: boolean): ProgressStream & { out: string } {
  const s = { isTTY, columns: 60, out: '', write: (c: string | Uint8Array) => ((s.out += String(c)), true) };
  return s as ProgressStream & { out: string };
}

describe('progress bar', () => {
  it('on a TTY: quiet for the first second, then redrawn in place, erased at the end', () => {
    let t = 5000;
    const tty = fakeStream(true);
    const bar = progressBar(tty, { now: () => t, env: {} }); // a person's terminal, not CI (CI=true turns the bar off)
    t += 400;
    bar.update(1, 4, 'toy/a');
    expect(tty.out).toBe('');
    t += 700; // 1.1 s in
    bar.update(2, 4, 'toy/b');
    expect(tty.out).toBe('\r[############            ] 2/4 toy/b\x1b[K');
    bar.update(4, 4, 'a-very-long-case-name-that-does-not-fit-in-sixty-columns-at-all');
    expect(tty.out.split('\r').pop()!.replace('\x1b[K', '')).toHaveLength(59); // cut to the terminal width
    bar.end();
    expect(tty.out.endsWith('\r\x1b[K')).toBe(true);
  });

  it('never draws when the stream is not a TTY', () => {
    let t = 0;
    const pipe = fakeStream(false);
    const bar = progressBar(pipe, { now: () => t });
    t += 60_000;
    bar.update(1, 2, 'x');
    bar.end();
    expect(pipe.out).toBe('');
  });

  it('dpconform run draws it on a TTY stderr for a run longer than a second, and not otherwise', async () => {
    const root = fixtureCopy();
    const sc = join(root, 'toy-model/scenario.yaml');
    writeFileSync(sc, readFileSync(sc, 'utf8') + 'delay_ms: 600\n');
    cpSync(join(root, 'cases/toy-syn'), join(root, 'cases/toy-syn-2'), { recursive: true });
    const f = join(root, 'cases/toy-syn-2/case.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('name: toy/syn', 'name: toy/syn-2'));
    const saved = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    const run = async (isTTY: boolean) => {
      Object.defineProperty(process.stderr, 'isTTY', { value: isTTY, configurable: true, writable: true });
      try {
        return await cli(['run', join(root, 'cases')]);
      } finally {
        if (saved) Object.defineProperty(process.stderr, 'isTTY', saved);
        else delete (process.stderr as { isTTY?: boolean }).isTTY;
      }
    };
    const tty = await run(true);
    expect(tty.code).toBe(0);
    // Each case takes 0.6 s: the first ends before the bar may show, the later ones are drawn in
    // place, then erased; stdout (the report) has none of it.
    expect(tty.stderr).toMatch(/^(\r\[[# ]{24}\] [23]\/3 \S+\x1b\[K)+\r\x1b\[K$/);
    expect(tty.stderr).toContain('\r[########################] 3/3 toy/syn-2\x1b[K');
    expect(tty.stderr).not.toContain('1/3');
    expect(tty.stdout).not.toContain('\r');
    const piped = await run(false);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toBe(tty.stdout.replace(/in \d+\.\d+ s/, (m) => piped.stdout.match(/in \d+\.\d+ s/)![0]));
  }, 20_000);
});
