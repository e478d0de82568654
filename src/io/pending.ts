/**
 * `fix --commit`'s record, in each repository's git dir, of the files a run is about to write there
 * (`kmsfix-commit-pending.json`), written before the first of them and removed once they are
 * committed. A run killed during its writes (SIGKILL: no handler runs, nothing is said) leaves some
 * files fixed and others not; the next `--commit` read the fixed ones as compliant, wrote and
 * committed only the rest, and exited 0 with half the fix uncommitted in the work tree. The record
 * outlives such a run: the next `--commit` finds it, and refuses the repository while any file it
 * lists has uncommitted changes (src/report/commit.ts unfinishedCommits). In the git dir, not the work
 * tree: `git add -A` never takes it, and a linked worktree has a git dir of its own.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The record's name in the git dir. */
export const PENDING_NAME = 'kmsfix-commit-pending.json';

export interface Pending {
  version: 1;
  /** The run that wrote it (said in the refusal). */
  pid: number;
  /** The files it was about to write, relative to the work tree's root, with `/`. */
  files: string[];
}

/**
 * The git dir of a work tree's root, from its `.git` (a folder, or a file `gitdir: <path>` for a
 * linked worktree or a submodule), without a git process: a bulk run asks it for every repository.
 */
export function gitDirOf(root: string): string | undefined {
  const dotGit = path.join(root, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    return m ? path.resolve(root, m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Records the files (relative to `root`) a run is about to write there. Throws if it cannot (nothing is written then). */
export function writePending(root: string, files: string[]): void {
  const dir = gitDirOf(root);
  if (!dir) throw new Error(`cannot find the git dir of ${root}`);
  const record: Pending = { version: 1, pid: process.pid, files };
  writeFileSync(path.join(dir, PENDING_NAME), JSON.stringify(record) + '\n');
}

/** The record an earlier run left in `root`'s git dir, if any (one cut short is read as none: no file was written yet). */
export function readPending(root: string): Pending | undefined {
  const dir = gitDirOf(root);
  if (!dir) return undefined;
  try {
    const r = JSON.parse(readFileSync(path.join(dir, PENDING_NAME), 'utf8')) as Pending;
    return Array.isArray(r.files) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The files are committed (or none was written, or the user finished by hand): the record goes. */
export function clearPending(root: string): void {
  const dir = gitDirOf(root);
  if (dir) rmSync(path.join(dir, PENDING_NAME), { force: true });
}
