// The tests mutation testing runs against (npm run mutate): those that exercise the audit core in
// process. End-to-end tests run the built dist/, which Stryker does not mutate, so they are left out.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/rules/**/*.test.ts',
      'test/engine/**/*.test.ts',
      'test/report/**/*.test.ts',
      'test/aws/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
