import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Database tests create their own database per file; two cores, so keep forks modest.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
