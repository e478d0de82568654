/**
 * `fix --commit`'s record, in each repository's git dir, of the files a run is about to write there
 * (`kmsfix-commit-pending.json`), written before the first of them and removed once they are
 * committed. A run killed during its writes (SIGKILL: no handler runs, nothing is said) leaves some
 * files fixed and others not; the next `--commit` read the fixed ones as compliant, wrote and
 * committed only the rest, and exited 0 with half the fix uncommitted in the work tree. The record
 * outlives such a run, and holds what the next `--commit` needs to prove the changes it finds are
 * that run's and to finish it (src/report/resume.ts): per file, the sha256 of the bytes before and of
 * the bytes planned; the HEAD the run started from; the commit message it planned. In the git dir,
 * not the work tree: `git add -A` never takes it, and a linked worktree has a git dir of its own.
 *
 * Written atomically (a temp file beside it, synced to disk, then renamed over it, the git dir synced
 * after: src/io/durable.ts): the record is whole or absent, even after a power loss, never cut short, so a file is never written without its whole record before it.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { syncFile, syncFolder } from './durable.js';
import path from 'node:path';
import { lazyRequire } from '../core/lazy.js';
import type { Head } from './commit.js';

/** node:crypto, loaded by a --commit run (a scan records nothing). */
const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');

/** The record's name in the git dir. */
export const PENDING_NAME = 'kmsfix-commit-pending.json';

/** One file of the record: relative to the work tree's root, with `/`; the sha256 (hex) of its bytes before and of those planned. */
export interface PendingFile {
  path: string;
  before: string;
  planned: string;
}

export interface Pending {
  version: 2;
  /** The run that wrote it (said in the refusal and the note of the run that finishes it). */
  pid: number;
  /** HEAD when that run started: the branch is made from it. */
  head: Head;
  /** The commit message that run planned, for all of its files written. */
  message: string;
  files: PendingFile[];
}

/** A record of kmsfix before session 56: the files alone, nothing to prove them with. */
export interface LegacyPending {
  version: 1;
  pid: number;
  files: string[];
}

/** The sha256 (hex) of bytes, or of a text as written (UTF-8, as src/io/write.ts writes it). */
export function sha256(data: Buffer | string): string {
  return crypto().createHash('sha256').update(data).digest('hex');
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

/** Records what a run is about to write in `root`, atomically. Throws if it cannot (no record is left then). */
export function writePending(root: string, record: Omit<Pending, 'version' | 'pid'>): void {
  const dir = gitDirOf(root);
  if (!dir) throw new Error(`cannot find the git dir of ${root}`);
  const target = path.join(dir, PENDING_NAME);
  // One name: the tree's lock (src/io/lock.ts) lets one fix at a time write here; one a killed run left is written over.
  const temp = `${target}.tmp`;
  const full: Pending = { version: 2, pid: process.pid, ...record };
  try {
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, `${JSON.stringify(full)}\n`);
      syncFile(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    // The rename on disk before the first file is written (src/io/durable.ts); else no record is left.
    try {
      syncFolder(dir);
    } catch (err) {
      rmSync(target, { force: true });
      throw err;
    }
  } catch (err) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // said by the error below
    }
    throw err;
  }
}

/**
 * The record an earlier run left in `root`'s git dir, if any. One that does not parse is read as
 * none: written atomically, a record is whole or absent (a kmsfix before session 56 wrote it in
 * place, before any file: cut short, no file of its was written).
 */
export function readPending(root: string): Pending | LegacyPending | undefined {
  const dir = gitDirOf(root);
  if (!dir) return undefined;
  try {
    const r = JSON.parse(readFileSync(path.join(dir, PENDING_NAME), 'utf8')) as Pending | LegacyPending;
    if (!Array.isArray(r.files)) return undefined;
    if (r.version === 2) return r.head && typeof r.message === 'string' ? r : undefined;
    return { version: 1, pid: r.pid, files: (r.files as unknown[]).filter((f): f is string => typeof f === 'string') };
  } catch {
    return undefined;
  }
}

/** The paths (relative to the root) a record lists, of either version. */
export function pendingPaths(r: Pending | LegacyPending): string[] {
  return r.version === 2 ? r.files.map((f) => f.path) : r.files;
}

/** The files are committed (or none was written, or the user finished by hand): the record goes. */
export function clearPending(root: string): void {
  const dir = gitDirOf(root);
  if (dir) rmSync(path.join(dir, PENDING_NAME), { force: true });
}
