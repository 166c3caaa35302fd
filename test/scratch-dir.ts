// vitest globalSetup: every test's temporary files go under one directory made for the run and
// removed after it. Tests make scratch directories with mkdtemp(os.tmpdir()) and most never removed
// them: each `npm test` left ~2,000 directories and ~1 GB in /tmp (measured after a session of runs:
// 9.4 GB). os.tmpdir() reads TMPDIR at each call, and the workers (threads or forks) and the CLI
// processes tests spawn inherit it, so pointing TMPDIR here catches them all.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const before = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-tests-'));
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
