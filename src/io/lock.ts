/**
 * An advisory lock per tree for runs that write in place, so that two `kmsfix fix` runs never
 * work on the same files at once: the second one is refused and told which run holds the tree.
 *
 * A tree is the git work tree holding a given path, or the given folder (a file: its folder)
 * outside any. Locks live in one folder (KMSFIX_LOCK_DIR, default <tmpdir>/kmsfix-locks), one file
 * per locked tree holding its path and the owner's pid, so that nested trees see each other: a run
 * on a folder is refused while a run holds a folder inside it or around it. A lock whose owner is
 * dead (a killed run) is taken over. Nothing is written into the user's trees.
 *
 * The lock is advisory: what keeps a file whole when two writers meet anyway (another tool, a run
 * with another lock folder) is the check of each file's stamp just before its rename (write.ts).
 */
import { lazyRequire } from '../core/lazy.js';
import { chmodSync, linkSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRootOf } from './git.js';
import { endOnSignal, isAlive, startOf } from './temp.js';

/** node:crypto, loaded by a fix (a scan takes no lock). */
const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');

export class LockError extends Error {}

interface Entry {
  pid: number;
  /** The owner's start time (Linux /proc), so that a pid reused by another process is not taken for it. */
  start?: string;
  root: string;
  since: string;
}

export interface Lock {
  /** The trees locked. */
  roots: string[];
  /** Locks of dead runs taken over, as "tree (pid N)". */
  takenOver: string[];
  release(): void;
}

export function lockDir(): string {
  return process.env.KMSFIX_LOCK_DIR || path.join(os.tmpdir(), 'kmsfix-locks');
}

export function lockFileFor(root: string): string {
  return path.join(lockDir(), `${crypto().createHash('sha256').update(root).digest('hex').slice(0, 24)}.lock`);
}

/** The trees of the given inputs (see above), real paths, without duplicates. */
export function treeRoots(inputs: string[], cwd: string): string[] {
  const roots = new Set<string>();
  for (const input of inputs.length ? inputs : ['.']) {
    const abs = path.resolve(cwd, input);
    let real: string;
    let dir: boolean;
    try {
      real = realpathSync(abs);
      dir = statSync(real).isDirectory();
    } catch {
      continue; // missing: reported by discovery
    }
    roots.add(repoRootOf(real, dir) ?? (dir ? real : path.dirname(real)));
  }
  return [...roots];
}

function alive(e: Entry): boolean {
  if (!isAlive(e.pid)) return false;
  const now = e.start !== undefined ? startOf(e.pid) : undefined;
  return now === undefined || now === e.start;
}

function readEntry(file: string): Entry | undefined {
  try {
    const e = JSON.parse(readFileSync(file, 'utf8')) as Entry;
    return typeof e.pid === 'number' && typeof e.root === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

function within(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function busy(e: Entry, tree: string): LockError {
  const where = e.root === tree ? e.root : `${e.root}, which overlaps ${tree}`;
  return new LockError(
    `another kmsfix run (pid ${e.pid}, since ${e.since}) is fixing ${where}: wait for it to finish, then run again` +
      ` (if no such run exists, remove ${lockFileFor(e.root)})`,
  );
}

/** The lock folder, made when missing: one for every user of the machine, world-writable and sticky (like /tmp). */
function madeLockDir(): string {
  const dir = lockDir();
  try {
    mkdirSync(dir, { recursive: true });
    if ((statSync(dir).mode & 0o1777) !== 0o1777 && statSync(dir).uid === process.getuid?.()) chmodSync(dir, 0o1777);
  } catch (err) {
    throw new LockError(`cannot create the lock folder ${dir}: ${(err as Error).message} (set KMSFIX_LOCK_DIR to a writable folder)`);
  }
  return dir;
}

/**
 * The lock of an output folder (`fix --patch-dir DIR`, by its real path): one run writes DIR at a time. Two runs into one
 * DIR both exited 0, summary.json naming the last one's repositories only, the other's patches left unlisted (adversarial
 * pass of session 59, F1). Its own file in the lock folder (`.outlock`: not a tree's, so a run fixing the tree that holds
 * DIR in place is not refused); a dead run's taken over; released on exit. Throws LockError naming the run that holds it.
 */
export function acquireFolderLock(folder: string, shown: string): Lock {
  const dir = madeLockDir();
  const file = path.join(dir, `${crypto().createHash('sha256').update(`out:${folder}`).digest('hex').slice(0, 24)}.outlock`);
  const mine: Entry = { pid: process.pid, start: startOf(process.pid), root: folder, since: new Date().toISOString() };
  const takenOver: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const draft = `${file}.${process.pid}.tmp`;
    try {
      try {
        writeFileSync(draft, JSON.stringify(mine) + '\n', { mode: 0o644 });
        linkSync(draft, file);
      } finally {
        rmSync(draft, { force: true });
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new LockError(`cannot lock ${shown}: ${(err as Error).message}`);
      const other = readEntry(file);
      if ((other && other.pid !== process.pid && alive(other)) || attempt > 0)
        throw new LockError(
          other
            ? `another kmsfix run (pid ${other.pid}, since ${other.since}) is writing patches into ${shown}: wait for it to finish, then run again (if no such run exists, remove ${file})`
            : `cannot lock ${shown}: ${file} is in the way`,
        );
      rmSync(file, { force: true });
      if (other) takenOver.push(`${shown} (pid ${other.pid})`);
    }
  }
  const release = () => {
    if (readEntry(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.once('exit', release);
  return { roots: [folder], takenOver, release };
}

/** Lock every tree, or none: throws LockError naming the run that holds one. */
export function acquireLocks(roots: string[]): Lock {
  const dir = madeLockDir();
  const mine: Entry = { pid: process.pid, start: startOf(process.pid), root: '', since: new Date().toISOString() };
  const held: string[] = [];
  const takenOver: string[] = [];
  const release = () => {
    for (const f of held.splice(0)) {
      if (readEntry(f)?.pid === process.pid) rmSync(f, { force: true });
    }
  };
  try {
    for (const root of roots) {
      const file = lockFileFor(root);
      for (let attempt = 0; ; attempt++) {
        // Written whole under a name of its own, then linked into place: link() fails if the lock
        // exists, and no other run ever sees a lock file half written.
        const draft = `${file}.${process.pid}.tmp`;
        try {
          try {
            writeFileSync(draft, JSON.stringify({ ...mine, root }) + '\n', { mode: 0o644 });
            linkSync(draft, file);
          } finally {
            rmSync(draft, { force: true });
          }
          held.push(file);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new LockError(`cannot lock ${root}: ${(err as Error).message}`);
          const other = readEntry(file);
          if (other && alive(other) && attempt === 0) throw busy(other, root);
          if (attempt > 0) throw other ? busy(other, root) : new LockError(`cannot lock ${root}: ${file} is in the way`);
          // A dead run's lock (or an unreadable one): take it over.
          rmSync(file, { force: true });
          if (other) takenOver.push(`${other.root} (pid ${other.pid})`);
        }
      }
    }
    // Runs on trees inside or around ours.
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (!name.endsWith('.lock') || held.includes(file)) continue;
      const other = readEntry(file);
      if (!other || other.pid === process.pid || !alive(other)) continue;
      const overlap = roots.find((r) => within(r, other.root) || within(other.root, r));
      if (overlap) throw busy(other, overlap);
    }
  } catch (err) {
    release();
    throw err;
  }
  // Released on any exit, including process.exit; a kill leaves a lock that the next run takes over. SIGINT, SIGTERM
  // and SIGHUP, which Node's default would turn into such a kill (at the prompt, a terminal closed), end the run
  // instead while the lock is held (temp.ts endOnSignal): exit 130 or 143, or SIGHUP raised again, the lock released
  // (adversarial pass of session 57, F3).
  const stop = endOnSignal(release);
  const releaseAll = () => {
    stop();
    release();
  };
  process.once('exit', releaseAll);
  return { roots, takenOver, release: releaseAll };
}
