import { defineConfig } from 'vitest/config';

// The everyday suite: needs neither tshark nor scapy nor root. Oracle and lab suites have their own configs.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/oracle/**', 'node_modules/**', 'dist/**'],
    pool: 'threads',
    testTimeout: 20000,
    // One scratch directory per run, removed afterwards (test/scratch-dir.ts).
    globalSetup: ['test/scratch-dir.ts'],
  },
});
