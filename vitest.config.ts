import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Guards against a hang, not timed assertions: a fresh clone's `npm test` on a busy 2-core host (load 20) took
    // 60 to 82 s for the cfn-lint validation of every expected template, the built CLI's workers comparison and
    // streamed-report's cleanup of its fixture copies, and failed them at 60 s (session 62).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['test/setup/tmpdir.ts'],
  },
});
