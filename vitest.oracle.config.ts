import { defineConfig } from 'vitest/config';

// Cross-checks against independent tools (tshark, scapy). Run by .ci/run after installing them.
export default defineConfig({
  test: {
    include: ['test/oracle/**/*.test.ts'],
    testTimeout: 120000,
    // One scratch directory per run, removed afterwards (test/scratch-dir.ts).
    globalSetup: ['test/scratch-dir.ts'],
    pool: 'forks',
  },
});
