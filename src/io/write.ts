/**
 * Atomic writes, by group: each file's new text goes to a temp file beside it (unique to this run,
 * src/io/temp.ts; mode, owner and group copied), which is then renamed over it. The files of a
 * group (a Terraform module) are written all or none:
 *
 * - a temp file that cannot be written (full disk, permissions) cancels its whole group;
 * - just before the renames, every file of the group, and every other file its plan read, must
 *   still be the version that was read (stamp: inode, size, mtime, ctime), and each file of the
 *   group a regular file where it was read (src/io/placed.ts): a file edited, replaced, deleted or
 *   moved during the run cancels its group, and nothing of it is written;
 * - each rename follows its check synchronously, and the version it replaces, kept open, is looked
 *   at after it: an edit written into it meanwhile is saved beside the file (lostEdit);
 * - the renames of a group of several files are listed first in a journal beside them: a run killed
 *   between two of them leaves the journal, and the next fix run completes the group (temp.ts).
 *
 * A run that is killed leaves every file old or new, and temp files that the next fix run removes.
 * A power loss too (src/io/durable.ts): each temp file and journal is synced to disk before any
 * rename, and each folder the renames went into is synced after them, before the run says its
 * files are written.
 */
import {
  type BigIntStats,
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { describeError, stampOf } from './read.js';
import type { Watched } from '../core/result.js';
import {
  fileWritten,
  journalPathIn,
  outputWritten,
  signalsHeard,
  tempGone,
  tempKept,
  tempMade,
  tempPathFor,
  type Journal,
} from './temp.js';
import { groupBy, inLanes } from '../core/lists.js';
import { misplaced } from './placed.js';
import { folderToSync, syncFile, syncFileAsync, syncFolderOf, syncFolders } from './durable.js';

export { TEMP_PREFIX } from './temp.js';

export interface FileWrite {
  absPath: string;
  /** Display path, for messages. */
  path: string;
  content: string;
  /** The stamp of the version that was read (src/io/read.ts): the file is replaced only while it still has it. */
  stamp?: string;
}

export interface GroupWrite {
  files: FileWrite[];
  /** Other files the plan read: they must not have changed either. */
  watch?: Watched[];
}

/**
 * Why a file was not written; or, `written`, what went wrong though it was (an edit saved beside it,
 * lostEdit): its fix is on disk, and the run still fails.
 */
export class WriteError extends Error {
  constructor(
    message: string,
    readonly written = false,
  ) {
    super(message);
  }
}

/**
 * An output put in place whose folder could not be synced after its rename (EIO): the file is there, whole, but a
 * power loss may undo it (durable.ts). `why` says so without the file's name (a report's or a patch's summary words it).
 */
export class UnflushedError extends WriteError {
  constructor(
    display: string,
    readonly why: string,
  ) {
    super(`${display} is written, but ${why}`, true);
  }
}

/** Whether a file's fix is on disk, by its outcome in writeGroups. */
export const wasWritten = (err: Error | undefined): boolean => err === undefined || (err instanceof WriteError && err.written);

/**
 * Why a temp file could not be made beside a file (`err`: open's error). Permission denied there is
 * the folder's (no write permission on it), not the file's, which may well be writable: said so, or
 * the owner looks at the file's mode and finds nothing wrong.
 */
function tempOpenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${describeError(err)} creating a file in its folder (kmsfix writes the new version to a temp file beside it, then renames it over it)`;
  // EPERM is not the mode's answer (that is EACCES): a folder whose mode lets kmsfix write, made
  // immutable or append-only (chattr +i, +a), said "make the folder writable", which it was.
  if (code === 'EACCES') return `${where}: make the folder writable`;
  if (code === 'EPERM') return `${where}: the folder refuses new files whatever its mode (immutable or append-only? lsattr -d shows it)`;
  if (code === 'EROFS') return `${where}: its file system is mounted read-only`;
  return describeError(err);
}

/**
 * Why a file of a group cannot be replaced, from access()'s error: EPERM where the mode allows it
 * is an immutable file (chattr +i); EROFS is the mount (a read-only bind mount said "immutable?").
 */
function replaceError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EROFS') return `cannot replace it (${describeError(err)}: its file system is mounted read-only): not written`;
  if (code === 'EPERM') return `cannot replace it (${describeError(err)}; immutable?): not written`;
  return `cannot replace it (${describeError(err)}): not written`;
}

/**
 * Write `content` to a new temp file beside `absPath` with the target's mode, owner and group (`st`:
 * its stat, just taken); returns the temp path and its fd, left open for its sync (the caller closes
 * it). Synchronous: open, write, chmod and chown without a thread-pool round trip for each.
 */
function writeTemp(absPath: string, content: string, st: BigIntStats): { tmp: string; fd: number } {
  const mode = Number(st.mode) & 0o7777;
  const uid = Number(st.uid);
  const gid = Number(st.gid);
  const tmp = tempPathFor(absPath);
  // 'wx' never writes through a link planted there.
  // Listed before it exists: a signal between its creation and its listing would leave it behind.
  tempMade(tmp);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', mode);
  } catch (err) {
    tempGone(tmp); // not made: never removed as this run's (a file planted there is not ours)
    throw new WriteError(`cannot write: ${tempOpenError(err)}`);
  }
  try {
    try {
      // writeSync writes what it can: a file-size limit or a nearly full disk takes part of the text and
      // no error, so it loops until all is written (the next write then fails with the reason), and the
      // temp's size is checked against the text before it may replace anything.
      const bytes = Buffer.from(content);
      writeAll(fd, bytes);
      // The mode given to open is narrowed by the umask: set it exactly.
      fchmodSync(fd, mode);
      const now = fstatSync(fd);
      if (now.size !== bytes.length)
        throw new WriteError(`its new version came out ${now.size} bytes of ${bytes.length} on disk (a full disk?): not written`);
      if (now.uid !== uid || now.gid !== gid) {
        try {
          fchownSync(fd, uid, gid);
        } catch (err) {
          throw new WriteError(
            `owned by uid ${uid}, gid ${gid}, which kmsfix cannot give its new version (${describeError(err)}): not written`,
          );
        }
        // chown clears the set-id bits: set the mode again.
        fchmodSync(fd, mode);
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  } catch (err) {
    rmSync(tmp, { force: true });
    tempGone(tmp);
    throw err;
  }
  return { tmp, fd };
}

/** Why a temp file's new version could not be synced to disk (`err`: fsync's error): the file is not written. */
const syncError = (err: unknown) =>
  new WriteError(`cannot write: ${describeError(err)} flushing its new version to disk (fsync): not written`);

/** A file's stat now (a symbolic link followed: a module's file the plan read may be one), or undefined if it is gone. */
function statNow(absPath: string): BigIntStats | undefined {
  try {
    return statSync(absPath, { bigint: true });
  } catch {
    return undefined;
  }
}

/** The stat of the file itself now (a symbolic link's own), or undefined if it is gone. */
function lstatNow(absPath: string): BigIntStats | undefined {
  try {
    return lstatSync(absPath, { bigint: true });
  } catch {
    return undefined;
  }
}

/** At most this many temp files are open at once in writeGroups (each until its own sync ends). */
export const TEMPS_OPEN = 16;

/** O_NOFOLLOW where there is one (not on Windows). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** The infix of the name an edit that a rename would have lost is saved under, beside its file (lostEdit): `<name>.kmsfix-lost-<pid>`. */
export const LOST_INFIX = '.kmsfix-lost-';

/**
 * Write every group (see above): temp files first, all of them, then each group's checks and
 * renames. For each file, the error that kept it from being written, or undefined.
 *
 * Two phases rather than temp-and-rename per file: on ext4 without a journal (the benchmark
 * machine's disk), creating a file skips, one by one, the inodes freed in the last ~30 s, and each
 * rename frees one (3,300 files: 1.1 to 1.3 s interleaved, 0.86 to 1.06 s in two phases).
 */
export async function writeGroups(groups: GroupWrite[], concurrency = 8): Promise<Map<FileWrite, Error | undefined>> {
  const result = new Map<FileWrite, Error | undefined>();
  const temps = new Map<FileWrite, string>();
  const failed = new Set<GroupWrite>();
  let journals = 0;
  /** Journals of groups whose renames are made: removed once their folders are synced (kept if a sync fails). */
  const journalsDone = new Map<string, GroupWrite>();
  /** Cancel a group: its temp files removed; `culprit` gets `err`, the other files `others` (why they follow it). */
  const cancel = (g: GroupWrite, culprit: FileWrite | Watched, err: Error, others: string) => {
    failed.add(g);
    const names = g.files.map((x) => x.path).join(', ');
    for (const f of g.files) {
      const tmp = temps.get(f);
      if (tmp) {
        rmSync(tmp, { force: true });
        tempGone(tmp);
      }
      temps.delete(f);
      if (result.get(f)) continue;
      result.set(
        f,
        f === culprit
          ? err
          : new WriteError(`not written: the files of its group (${names}) are written all or none, and ${culprit.path} ${others}`),
      );
    }
  };

  /** `f` still the version read (`st`: its stat now)? Cancels its group if not. */
  const same = (g: GroupWrite, f: FileWrite | Watched, st: BigIntStats | undefined): boolean => {
    if (f.stamp === undefined || (st !== undefined && stampOf(st) === f.stamp)) return true;
    const what = st === undefined ? 'was deleted during the run' : 'changed on disk during the run';
    cancel(g, f, new WriteError(`${what}: not written (run kmsfix again)`), `${what} (run kmsfix again)`);
    return false;
  };

  /**
   * Every file of the group still the version read, where it was read, and every file its plan read
   * still the version read? Cancels the group if not. Each file of the group is opened for this
   * (O_NOFOLLOW: a link is not the file read), its stamp taken on that fd and kept in `olds` with
   * it, for the check after the rename (lostEdit).
   */
  const unchanged = (g: GroupWrite, olds: Map<FileWrite, { fd: number; st: BigIntStats }>): boolean => {
    for (const f of g.files) {
      if (f.stamp === undefined) continue;
      let fd: number;
      try {
        fd = openSync(f.absPath, constants.O_RDONLY | constants.O_NONBLOCK | NOFOLLOW);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return same(g, f, undefined);
        const what =
          code === 'ELOOP'
            ? 'was replaced by a symbolic link during the run (kmsfix never writes through one)'
            : `cannot be opened again before it is replaced (${describeError(err)})`;
        cancel(g, f, new WriteError(`${what}: not written (run kmsfix again)`), what);
        return false;
      }
      const st = fstatSync(fd, { bigint: true });
      olds.set(f, { fd, st });
      if (!same(g, f, st)) return false;
      const at = misplaced(fd, f.absPath);
      if (at !== undefined) {
        const what = `is no longer where kmsfix read it (a folder on its path was moved or replaced, by a symbolic link?, during the run: the path now leads to ${at})`;
        cancel(g, f, new WriteError(`${what}: not written (run kmsfix again)`), 'was moved during the run');
        return false;
      }
    }
    for (const w of g.watch ?? []) if (!same(g, w, statNow(w.absPath))) return false;
    return true;
  };

  // Phase 1: every temp file, group by group, with synchronous calls (no thread-pool round trip
  // per call: open, write, chmod, close cost less than the trips). Each file's one stat serves its
  // stamp and its temp file's mode, owner and group; the files its plan read are checked in phase
  // 2, just before the renames, as every file is again (a file stat'ed once more, or twice, was
  // 8,000 stats of a dense fix). The file's own stat (lstat): a file made a symbolic link is not the file read.
  //
  // Each temp file is synced to disk before any rename (durable.ts), several at a time on the thread
  // pool (one by one on the main thread, the syncs were most of a fix's writes), and closed as soon
  // as its own sync ends: at most TEMPS_OPEN temp files are open at once, the next one written when
  // one is closed (all of a chunk's open until its syncs ended ran out of file handles under a low
  // `ulimit -n`: EMFILE). A cancel meanwhile removes a temp file, never closes it: its lane does
  // (a number closed and reused under a pending sync would sync another file).
  const todo = groups.flatMap((g) => g.files.map((f) => ({ g, f })));
  await inLanes(todo, TEMPS_OPEN, async ({ g, f }) => {
    if (failed.has(g)) return;
    let fd: number;
    try {
      const st = lstatNow(f.absPath);
      if (!same(g, f, st)) return;
      // A group's files are renamed one after another: one that cannot be replaced after the first was
      // would leave the group half written. The mode bits do not say so for an immutable file (chattr +i,
      // which even root cannot replace): access() does, before anything is renamed.
      if (g.files.length > 1) {
        try {
          accessSync(f.absPath, constants.W_OK);
        } catch (err) {
          throw new WriteError(replaceError(err));
        }
      }
      const made = writeTemp(f.absPath, f.content, st ?? lstatSync(f.absPath, { bigint: true }));
      temps.set(f, made.tmp);
      fd = made.fd;
    } catch (err) {
      const e = err instanceof WriteError ? err : new WriteError(`cannot write: ${describeError(err)}`);
      return cancel(g, f, e, `could not be written (${e.message})`);
    }
    let unsynced: unknown;
    try {
      await syncFileAsync(fd);
    } catch (err) {
      unsynced = err;
    } finally {
      closeSync(fd);
    }
    if (unsynced !== undefined && !failed.has(g)) {
      const e = syncError(unsynced);
      cancel(g, f, e, `could not be written (${e.message})`);
    }
  });

  // Ctrl-C while the temp files were written is heard now, before any rename (temp.ts: they are removed, exit 130).
  await signalsHeard();

  // Phase 2: per group, the checks again, then the journal and the renames, all synchronous: no
  // await between a file's last check and its rename. They were on the thread pool, after an await:
  // under load the wait grew, and an edit saved then was lost (2 appends of about 1,600 in a stress
  // run). What is left between the check and the rename (microseconds, and the journal's write for
  // a group) is watched by lostEdit: an edit written into the version replaced is saved beside it.
  await inLanes(groups, concurrency, async (g) => {
    if (failed.has(g)) return;
    const olds = new Map<FileWrite, { fd: number; st: BigIntStats }>();
    try {
      if (!unchanged(g, olds)) return;
      let journal: string | undefined;
      if (g.files.length > 1) {
        journal = journalPathIn(path.dirname(g.files[0].absPath), journals++);
        const record: Journal = {
          version: 1,
          pid: process.pid,
          renames: g.files.map((f) => ({ temp: temps.get(f)!, target: f.absPath, stamp: f.stamp ?? '' })),
        };
        // Kept from here on by an interrupted run (Ctrl-C): the journal completes them (temp.ts ownTemps).
        for (const f of g.files) tempKept(temps.get(f)!);
        try {
          writeJournal(journal, JSON.stringify(record) + '\n');
        } catch (err) {
          rmSync(journal, { force: true }); // a full disk leaves it created but cut short
          const e = new WriteError(`cannot write the journal of its group: ${describeError(err)}`);
          return cancel(g, g.files[0], e, `could not be written (${e.message})`);
        }
      }
      const done: FileWrite[] = [];
      for (const f of g.files) {
        try {
          renameSync(temps.get(f)!, f.absPath);
          fileWritten(f.absPath);
          tempGone(temps.get(f)!);
          temps.delete(f);
          done.push(f);
          result.set(f, undefined);
        } catch (err) {
          // Not a fault a run can cause (the temp file is beside its target): say exactly what is left.
          const left = g.files.filter((x) => !done.includes(x));
          for (const x of left) {
            const tmp = temps.get(x);
            if (tmp) {
              rmSync(tmp, { force: true });
              tempGone(tmp);
            }
            temps.delete(x);
            result.set(
              x,
              new WriteError(
                `cannot replace it (${describeError(err)}): not written${done.length ? `, though ${done.map((d) => d.path).join(', ')} of its group ${done.length === 1 ? 'was' : 'were'}` : ''}`,
              ),
            );
          }
          break;
        }
      }
      // Removed once the renames are on disk (below): a journal gone before them would leave a power loss's half group unknown.
      // A signal heard meanwhile (the folders' syncs are awaited) removes it as this run's temp file: the renames are done.
      if (journal) {
        tempMade(journal);
        journalsDone.set(journal, g);
      }
      for (const f of done) {
        const old = olds.get(f);
        const lost = old && lostEdit(f, old.fd, old.st);
        if (lost) result.set(f, lost);
      }
    } finally {
      for (const { fd } of olds.values()) closeSync(fd);
    }
  });
  // Each folder renamed into synced to disk once (durable.ts), before the files are said written.
  const into = groupBy(
    [...result].filter(([, err]) => err === undefined || (err instanceof WriteError && err.written)),
    ([f]) => path.dirname(f.absPath),
  );
  const unflushed = await syncFolders(into.keys());
  /** The journals kept: a group's renames not surely on disk (a folder's sync failed), its journal stays for the next fix run. */
  const keep = new Set([...journalsDone].filter(([, g]) => g.files.some((f) => unflushed.has(path.dirname(f.absPath)))).map(([j]) => j));
  for (const [dir, err] of unflushed) {
    for (const [f, had] of into.get(dir)!) {
      const group = [...journalsDone].some(([j, g]) => keep.has(j) && g.files.includes(f));
      if (had === undefined)
        result.set(
          f,
          new WriteError(
            `written, but its folder could not be flushed to disk (${describeError(err)}): a power loss may undo the fix${group ? " (its group's journal is kept for the next fix run)" : ''}; run kmsfix again after checking the disk`,
            true,
          ),
        );
    }
  }
  for (const j of journalsDone.keys()) {
    // A journal kept is no longer this run's to remove on a signal: the next fix run's (cleanStaleTemps).
    if (!keep.has(j)) rmSync(j, { force: true });
    tempGone(j);
  }
  // Ctrl-C during the renames is heard now, before the chunk is settled (exit 130: temp.ts).
  await signalsHeard();
  return result;
}

/** A group's journal, written whole and synced to disk (file and folder) before the first of its renames. */
function writeJournal(file: string, text: string): void {
  const fd = openSync(file, 'wx');
  try {
    writeAll(fd, text);
    syncFile(fd);
  } finally {
    closeSync(fd);
  }
  syncFolderOf(file);
}

/**
 * After a file's rename: was the version it replaced (`fd`, open on it since the check; `st`: its
 * stat then) written to between the check and the rename, or by a writer that had it open
 * (an editor saving in place, `>>`)? Its size or modification time says so (not its change time,
 * which the rename itself sets). If so, that version is saved beside the file, as
 * `<name>.kmsfix-lost-<pid>` (`-2`, `-3`... if taken), and the answer says so: the fix is written,
 * the edit is not in it. A save by rename (most editors) in that window replaces a file kmsfix
 * holds no handle on: docs/limitations.md.
 */
function lostEdit(f: FileWrite, fd: number, st: BigIntStats): WriteError | undefined {
  const now = fstatSync(fd, { bigint: true });
  if (now.size === st.size && now.mtimeNs === st.mtimeNs) return undefined;
  const fixed = 'the fix is written, without the edit';
  let bytes: Buffer;
  try {
    bytes = Buffer.allocUnsafe(Number(now.size));
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) break;
      got += n;
    }
    bytes = bytes.subarray(0, got);
  } catch (err) {
    return new WriteError(
      `edited while kmsfix replaced it: ${fixed}, and the edited version could not be read back (${describeError(err)}): the edit is lost; make it again`,
      true,
    );
  }
  for (let k = 1; ; k++) {
    const name = `${f.absPath}${LOST_INFIX}${process.pid}${k === 1 ? '' : `-${k}`}`;
    try {
      // Synced, as the fix beside it (its folder is, with the renames': writeGroups): the only copy of the user's edit.
      const fd = openSync(name, 'wx', Number(st.mode) & 0o777);
      try {
        writeAll(fd, bytes);
        syncFile(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && k < 100) continue;
      return new WriteError(
        `edited while kmsfix replaced it: ${fixed}, and the edited version could not be saved (${describeError(err)}): the edit is lost; make it again`,
        true,
      );
    }
    const shown = `${f.path}${name.slice(f.absPath.length)}`;
    return new WriteError(
      `edited while kmsfix replaced it: ${fixed}; the edited version is saved as ${shown}: put the edit back into the file (diff ${shown} against the file), then delete ${shown}`,
      true,
    );
  }
}

/**
 * One file written atomically that is not a source file (a patch, summary.json): a temp file
 * beside it, then a rename (SpooledOutput, all at once). Throws a WriteError naming the file and the cause.
 * `output` false: a marker, not an output an interrupted run names (--patch-dir's `incomplete` summary.json).
 */
export function writeOutputAtomic(absPath: string, content: string, display: string, output = true): void {
  const out = new SpooledOutput(absPath, display, output);
  out.write(content);
  out.commit();
}

/**
 * An output file written as a run goes and put in place at its end (--output FILE): the text goes
 * to a temp file beside it, renamed over it by `commit`, removed by `discard`. So the file is all of
 * the report or untouched, as with writeOutputAtomic, without holding the report in memory.
 */
export class SpooledOutput {
  private fd: number | undefined;
  private readonly temp: string;
  private failure: string | undefined;
  /** Small writes (a report's lines), gathered up to 64 KB for one system call. */
  private pending: string[] = [];
  private pendingLength = 0;

  /**
   * The path is a device, a FIFO or a socket (`-o /dev/null`, `-o /dev/stdout`, a named pipe): written to
   * directly, as a shell's `>` does. A temp file renamed over it replaced the device with a regular file (as root,
   * /dev/null itself: found in session 61).
   */
  private readonly direct: boolean;

  constructor(
    private readonly absPath: string,
    private readonly display: string,
    /** Named, once in place, by an interrupted run's message (temp.ts outputWritten); false for a marker. */
    private readonly output = true,
    /**
     * `now`: its folder synced to disk once it is in place (durable.ts); `later`: by the caller's
     * syncPendingFolders, once for many outputs of one folder (--patch-dir's patches and mails).
     */
    private readonly folderSync: 'now' | 'later' = 'now',
  ) {
    this.temp = tempPathFor(absPath);
    this.direct = isSpecialFile(absPath);
  }

  /** Appends text; an error is kept, and reported by commit. */
  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 64 * 1024) this.flush();
  }

  /** Puts the file in place (an empty one when nothing was written); throws a WriteError naming the file and the cause. */
  commit(): void {
    this.flush();
    let cause = this.failure;
    if (cause === undefined && this.direct) {
      try {
        if (this.fd !== undefined) closeSync(this.fd);
        this.fd = undefined;
        return;
      } catch (err) {
        cause = describeError(err);
      }
    }
    if (cause === undefined) {
      try {
        // Its bytes on disk before the rename (durable.ts): a power loss never leaves it empty.
        try {
          syncFile(this.fd!);
        } catch (err) {
          throw new Error(`${describeError(err)} flushing it to disk (fsync)`);
        }
        closeSync(this.fd!);
        this.fd = undefined;
        renameSync(this.temp, this.absPath);
        if (this.output) outputWritten(this.absPath);
        tempGone(this.temp);
      } catch (err) {
        cause = err instanceof Error && !('code' in err) ? err.message : describeError(err);
      }
      if (cause === undefined) {
        if (this.folderSync === 'later') {
          folderToSync(this.absPath);
          return;
        }
        try {
          syncFolderOf(this.absPath);
          return;
        } catch (err) {
          throw new UnflushedError(
            this.display,
            `its folder could not be flushed to disk (${describeError(err)}): a power loss may undo it`,
          );
        }
      }
    }
    this.discard();
    throw new WriteError(`cannot write ${this.display}: ${cause}`);
  }

  /** Removes what was written; the output file is left as it was. */
  discard(): void {
    this.pending = [];
    this.pendingLength = 0;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.direct) return;
    rmSync(this.temp, { force: true });
    tempGone(this.temp);
  }

  /** Writes what is gathered (the temp file made at the first flush). */
  private flush(): void {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (this.failure !== undefined) return;
    try {
      if (this.fd === undefined && this.direct) this.fd = openSync(this.absPath, 'w');
      if (this.fd === undefined) {
        tempMade(this.temp);
        try {
          this.fd = openSync(this.temp, 'wx');
        } catch (err) {
          tempGone(this.temp);
          this.failure = tempOpenError(err);
          return;
        }
      }
      writeAll(this.fd, text);
    } catch (err) {
      this.failure = describeError(err);
    }
  }
}

/** Whether a path is there and neither a regular file nor a folder (a device, a FIFO, a socket), following links. */
function isSpecialFile(absPath: string): boolean {
  const st = statSync(absPath, { throwIfNoEntry: false });
  return st !== undefined && !st.isFile() && !st.isDirectory();
}

/** Writes all of `data` at the file's position (writeSync may write less than it is given). */
export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}
