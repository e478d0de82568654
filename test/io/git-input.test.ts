/**
 * execGit (src/io/git.ts) with input for a git that exits without reading it: the pipe breaks
 * (EPIPE), and the run must get git's exit code, not crash. Seen as a flaky `fix --commit` test: a
 * commit that fails at once (no identity) exited before reading its message, and kmsfix died with
 * an unhandled 'error' event (exit code 1 instead of 2) when the message was still being written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execGit } from '../../src/io/git.js';

describe('execGit with input', () => {
  it("gives git's exit code when git exits without reading its input (a broken pipe is no crash)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-git-input-'));
    try {
      // `git version` reads no input: 8 MB fill the pipe, and git's exit breaks it.
      for (let i = 0; i < 3; i++) {
        const r = await execGit(dir, ['version'], 'x'.repeat(8 * 1024 * 1024));
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^git version /);
      }
      // A command that fails at once, as a commit without an identity does.
      const bad = await execGit(dir, ['no-such-command'], 'x'.repeat(8 * 1024 * 1024));
      expect(bad.code).not.toBe(0);
      expect(bad.message).toMatch(/no-such-command/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
