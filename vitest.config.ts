import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real models and real servers: give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One throwaway PostgreSQL for the run (tests ask it for databases of their own: tests/support/postgres.ts).
    globalSetup: ['tests/support/postgres-global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['tests/**/*.test.ts'] } },
    ],
  },
});
