// The repository carries seed 004 verbatim (golden/contiv/seed/) because a clean clone has no ../shared.
// These checks keep that copy honest: it is the exact file the seed set shipped (pinned by its SHA-256,
// taken from the shared seed file when it was copied), and every golden/contiv trace is a byte-for-byte
// block of it, so no golden can drift from the real VPP output it came from.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SEED_004, readSeed004, seedBlocks } from './seed.js';

const SEED_SHA256 = '48c08090d64a08b10c64db8c9639ec05b36d15210d9c4e56fc7a068b3d50fd4b';
const GOLDEN = join(REPO_ROOT, 'golden', 'contiv');

describe('seed 004 copy in the repository', () => {
  it('is the seed file byte for byte (SHA-256 pinned)', () => {
    const bytes = readFileSync(SEED_004);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(SEED_SHA256);
  });

  it('contains every golden/contiv trace as one of its fenced blocks, verbatim', () => {
    const blocks = new Set(seedBlocks().map((b) => b.text));
    const traces = readdirSync(GOLDEN).filter((f) => f.endsWith('.trace'));
    expect(traces.length).toBe(14);
    for (const f of traces) expect(blocks.has(readFileSync(join(GOLDEN, f), 'utf8')), f).toBe(true);
    expect(readSeed004().length).toBeGreaterThan(80_000);
  });
});
