import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Database tests create their own database per file; two cores, so keep forks modest.
    pool: 'forks',
    // Most files wait on timers, sockets and child processes rather than the CPU: three forks
    // keep both cores busy (one fork left one core idle and the suite took twice as long).
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
