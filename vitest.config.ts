import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Property tests run many cases; none of them sleeps for real.
    testTimeout: 30_000,
  },
});
