import { defineConfig } from 'vitest/config';

// Unit tests leave no module state behind (each starts and stops what it starts), so they share one module
// cache per worker (isolate: false): importing the controller's modules once instead of once per file cut
// the unit run from 334 s to 120 s on a loaded 2-core machine. The system tests (integration, e2e,
// browser, chaos) keep a fresh module graph per file.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker (cores - 1), and most system tests wait on
    // child processes, loopback HTTP and git: two workers took the CI's tests from 563 s to 346 s with
    // the load average at 3, every test passing.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      {
        extends: true,
        test: { name: 'system', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'] },
      },
    ],
  },
});
