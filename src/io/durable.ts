/**
 * Durable writes: what kmsfix puts in place survives a power loss, not only a killed process. An
 * atomic write is durable when its temp file's bytes are on disk before the rename (`fsync` of the
 * temp file: else some file systems put the rename on disk first, and a power loss leaves the file
 * empty), and the rename is on disk once the run says the file is written (`fsync` of the folder,
 * after the renames into it: once per folder and batch of writes, not once per file).
 *
 * Where a file system or platform cannot sync a folder (Windows: opening one is EISDIR or EPERM;
 * some network and FUSE file systems: EINVAL, ENOTSUP) nothing is said: the write is as atomic as
 * before, and as durable as that file system makes it. Any other error (EIO) is the caller's: a
 * temp file that cannot be synced is not renamed; a folder that cannot be synced is reported.
 */
import { close, closeSync, constants, fsync, fsyncSync, open, openSync } from 'node:fs';
import path from 'node:path';
import { inLanes } from '../core/lists.js';

/** Errors that say "this cannot be synced here", not "the disk failed": skipped. */
const UNSUPPORTED = new Set(['EPERM', 'EISDIR', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EACCES']);

const unsupported = (err: unknown): boolean => UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '');

/** Flush an open file's bytes to disk, synchronously (a lone file: a record, a report). Throws the disk's error. */
export function syncFile(fd: number): void {
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!unsupported(err)) throw err;
  }
}

/** Flush an open file's bytes to disk on libuv's thread pool (several in flight: a fix's temp files). Rejects with the disk's error. */
export function syncFileAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err && !unsupported(err) ? reject(err) : resolve())));
}

/** Flush a folder's entries (the renames into it) to disk. Throws the disk's error; silent where folders cannot be synced. */
export function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY);
  } catch (err) {
    if (unsupported(err)) return;
    throw err;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!unsupported(err)) throw err;
  } finally {
    closeSync(fd);
  }
}

/** syncFolder on the thread pool: open, fsync and close there. */
function syncFolderAsync(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    open(dir, constants.O_RDONLY, (err, fd) => {
      if (err) return unsupported(err) ? resolve() : reject(err);
      fsync(fd, (err2) => close(fd, () => (err2 && !unsupported(err2) ? reject(err2) : resolve())));
    });
  });
}

/** The folder a file is renamed into, synced (syncFolder). */
export function syncFolderOf(file: string): void {
  syncFolder(path.dirname(file));
}

/**
 * Sync each folder of `dirs` once, several at a time off the main thread's critical path (the
 * open and fsync go to the thread pool). For each folder that could not be synced, its error.
 */
export async function syncFolders(dirs: Iterable<string>, concurrency = 8): Promise<Map<string, unknown>> {
  const failed = new Map<string, unknown>();
  await inLanes([...new Set(dirs)], concurrency, async (dir) => {
    try {
      await syncFolderAsync(dir);
    } catch (err) {
      failed.set(dir, err);
    }
  });
  return failed;
}

/**
 * Folders an output was renamed into whose sync waits for the next syncPendingFolders (--patch-dir's
 * patches and mails: one sync of DIR before its commit point, summary.json, rather than one per file).
 */
const pendingFolders = new Set<string>();

/** `file` was renamed into its folder; the folder is synced by the next syncPendingFolders. */
export function folderToSync(file: string): void {
  pendingFolders.add(path.dirname(file));
}

/** Sync every folder folderToSync named since the last call. Throws the first disk error (after trying every folder). */
export function syncPendingFolders(): void {
  const dirs = [...pendingFolders];
  pendingFolders.clear();
  let first: unknown;
  for (const d of dirs) {
    try {
      syncFolder(d);
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}
