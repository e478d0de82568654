/**
 * `--patch-dir` inside a repository's `.git` is refused (checkPatchDir), however the name is cased: on macOS's and
 * Windows' case-insensitive file systems `.GIT` and `.Git` are the `.git` folder, and Windows drops a name's trailing dots.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputError, checkPatchDir, isDotGit } from '../../src/io/outputs.js';

describe('--patch-dir in .git', () => {
  it('refuses .git however it is cased or ended, in the repository and below it', () => {
    const a = mkdtempSync(path.join(tmpdir(), 'kmsfix-patchdir-'));
    mkdirSync(path.join(a, 'repo', '.git'), { recursive: true });
    for (const dir of ['repo/.git', 'repo/.git/p1', 'repo/.GIT/p3', 'repo/.Git', 'repo/.git./p4', 'repo/.GiT /p5']) {
      expect(() => checkPatchDir(dir, ['repo'], a), dir).toThrow(OutputError);
      expect(() => checkPatchDir(dir, ['repo'], a), dir).toThrow(/is inside a git repository's \.git folder/);
    }
  });

  it('accepts folders whose names only contain .git', () => {
    const a = mkdtempSync(path.join(tmpdir(), 'kmsfix-patchdir-'));
    mkdirSync(path.join(a, 'repo'), { recursive: true });
    for (const dir of ['patches', 'repo.git-patches/p', 'x/.gitpatches', 'x/git', 'x/.github']) {
      expect(() => checkPatchDir(dir, ['repo'], a), dir).not.toThrow();
    }
    expect(['.git', '.GIT', '.git.', '.git ..'].map(isDotGit)).toEqual([true, true, true, true]);
    expect(['git', '.gitx', 'a.git', '.github'].map(isDotGit)).toEqual([false, false, false, false]);
  });
});
