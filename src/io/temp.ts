/**
 * kmsfix's temp files: `.kmsfix-tmp-<pid>-<start>.<random>-<name>` beside the file they replace, unique per
 * run (two runs never share one), and the owning process in the name. Discovery and the sibling
 * reader never read them. A fix run removes, at its start, those whose owner is dead (a killed run's),
 * after completing any group whose renames that run had begun (its journal, src/io/write.ts).
 */
import { lazyRequire } from '../core/lazy.js';
import { lstatSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { syncFolder } from './durable.js';
import path from 'node:path';
import { describeError, stampOf } from './read.js';
import type { FileError } from '../core/result.js';

export const TEMP_PREFIX = '.kmsfix-tmp-';

/** node:crypto, loaded by the first temp name (a scan never needs one). */
const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');
/**
 * This run's part of every temp name: pid, start time (Linux; so that a pid reused by a later
 * process, as kmsfix's pid 1 or 2 of each container run is, does not keep a killed run's files
 * alive) and a random tag.
 */
let runTag: string | undefined;
const tag = () => {
  if (runTag === undefined) {
    const start = startOf(process.pid);
    runTag = `${process.pid}${start === undefined ? '' : `-${start}`}.${crypto().randomBytes(4).toString('hex')}`;
  }
  return runTag;
};

/** A process's start time in clock ticks since boot (Linux), or undefined elsewhere. */
export function startOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name (which may hold spaces) in parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** The longest file name most file systems take (ext4, APFS, NTFS: 255 bytes, or UTF-16 units). */
const NAME_MAX = 255;

/**
 * This run's temp file for a target (or for a name of its own, e.g. a journal), in the target's
 * folder. A name too long to carry the prefix (a legal name of 230 bytes and more) is cut at the
 * front, whole characters, after a hash of it, so the temp name stays within NAME_MAX and ends as
 * the target's does; journals, not names, tie a temp file to its target.
 */
export function tempPathFor(target: string, name = path.basename(target)): string {
  let head = `${TEMP_PREFIX}${tag()}-`;
  let rest = name;
  if (Buffer.byteLength(head) + Buffer.byteLength(rest) > NAME_MAX) {
    // Two long names of one folder cut to the same end stay apart by a hash of the whole name.
    head += `${crypto().createHash('sha256').update(name).digest('hex').slice(0, 12)}-`;
    const chars = [...rest];
    let bytes = Buffer.byteLength(rest);
    let i = 0;
    while (Buffer.byteLength(head) + bytes > NAME_MAX) bytes -= Buffer.byteLength(chars[i++]);
    rest = chars.slice(i).join('');
  }
  return path.join(path.dirname(target), head + rest);
}

/** This run's n-th journal, for a group written in `dir`. */
export function journalPathIn(dir: string, n: number): string {
  return path.join(dir, `${TEMP_PREFIX}${tag()}.${n}.journal`);
}

/**
 * The whole shape of a name kmsfix writes, and nothing else: the prefix, the pid, `-` and its start
 * time (not in names of earlier versions, nor off Linux), the 8 hex digits of the run's tag, then
 * either `-` and the target's name (cut as tempPathFor cuts it) or `.<n>.journal`. Only such a name
 * is ever removed as a dead run's: a user's file that merely starts with the prefix
 * (`.kmsfix-tmp-notes.md`, committed to git) is left alone.
 */
const TEMP_SHAPE = /^\.kmsfix-tmp-((\d+)(?:-(\d+))?\.[0-9a-f]{8})(?:-.+|\.\d+\.journal)$/s;

/** The pid that owns a temp file, from its name; undefined for a name not of kmsfix's shape (never removed). */
export function ownerOf(name: string): number | undefined {
  const m = TEMP_SHAPE.exec(name);
  return m ? Number(m[2]) : undefined;
}

/**
 * Is the run that wrote a temp file (its name) still running? Never for a name not of kmsfix's
 * shape (not kmsfix's: never removed either, see cleanStaleTemps). This process's pid: only its own
 * names (a killed run's pid 1 in one container is the next run's pid 1). Another pid: alive, and
 * started when the name says, where it says.
 */
function ownerRuns(name: string): boolean {
  const m = TEMP_SHAPE.exec(name);
  if (!m) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return runTag !== undefined && m[1] === runTag;
  if (!isAlive(pid)) return false;
  const now = m[3] !== undefined ? startOf(pid) : undefined;
  return now === undefined || now === m[3];
}

/** Is a process with this pid running (on this machine)? EPERM: it runs, as another user. */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * This run's temp files on disk, each with whether it must outlive an interrupted run: true once its
 * group's journal is written (its renames have begun, and the journal is how the next fix
 * completes the group: the temp file may be the only copy of a file's new text). While any is
 * listed, SIGINT, SIGTERM and SIGHUP remove the others (a Ctrl-C left dozens of hidden copies in the tree,
 * which `git add -A` would commit), and the process exits 130 or 143, or ends by SIGHUP; the lock goes with the exit
 * (lock.ts). A fix's renames are synchronous (write.ts): a signal is handled between two chunks'
 * writes, never halfway through a group's renames.
 */
const ownTemps = new Map<string, boolean>();
/** The signals a run ends on by itself (its temp files removed, its lock released, what it wrote said), and their exit codes. */
export const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type Signal = keyof typeof SIGNALS;
/**
 * Files this run has put in place, said when a signal ends it: nothing else would say so (no diff, no summary).
 * `count` of them, the first SHOWN named: bounded, as a fix's memory must be whatever the tree's size.
 */
export interface Placed {
  count: number;
  first: string[];
}
const SHOWN = 20;
/** Source files fixed (write.ts, and the groups cleanStaleTemps completes), and outputs (a patch, a mail, a report: SpooledOutput). */
const written: Placed = { count: 0, first: [] };
const outputs: Placed = { count: 0, first: [] };
const place = (placed: Placed, file: string) => {
  if (placed.first.length < SHOWN) placed.first.push(file);
  placed.count++;
};
/** Set once the run's commit point is in place (--patch-dir's summary.json): a signal heard from then on does not end it. */
let committed = false;
const onSignal = (signal: Signal) => {
  if (committed) return;
  try {
    process.stderr.write(interruptedText(signal, written, outputs, process.cwd()));
  } catch {
    /* stderr closed: the exit code still says it */
  }
  for (const [temp, kept] of ownTemps) {
    if (kept) continue;
    try {
      rmSync(temp, { force: true });
    } catch {
      /* left for the next fix run, as after a kill */
    }
  }
  if (signal !== 'SIGHUP') process.exit(SIGNALS[signal]);
  // A hangup (the terminal closed): Node 20 aborts in its exit once the terminal is gone (SIGABRT, after the 'exit'
  // listeners), so the lock is released here and the signal raised again, Node's listeners off: the run ends by SIGHUP
  // itself (a shell's $? is 129 all the same).
  for (const end of atHangup) end();
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
};
/** What a run ended by SIGHUP does first (which process.exit's 'exit' listeners would do): the lock's release (endOnSignal). */
const atHangup = new Set<() => void>();

/** Whether onSignal listens, and the pending step of its detaching (tempGone). */
let listening = false;
let detaching: NodeJS.Immediate | undefined;

/** onSignal listens from now on (until detachLater finds no temp file and no hold left). */
function listen(): void {
  if (detaching) clearImmediate(detaching);
  detaching = undefined;
  if (!listening) for (const s of Object.keys(SIGNALS)) process.on(s, onSignal);
  listening = true;
}

/** A temp file of this run now exists (see ownTemps). */
export function tempMade(temp: string): void {
  listen();
  ownTemps.set(temp, false);
}

/** Runs of heldThroughSignals under way: onSignal stays while any is, temp files or none. */
let holds = 0;

/**
 * Runs `work` (synchronous) with onSignal listening, as while a temp file exists, and hears a signal that came
 * meanwhile before it resolves: the run ends `interrupted`, naming what it wrote, its lock released by the exit.
 * For a slow step after the temp files are gone and before the commit point: --patch-dir's folder sync once its
 * patches and mails are in place (with no listener then, a Ctrl-C or SIGTERM killed the run with nothing said
 * and its lock left: adversarial pass 2 of session 61, F7).
 */
export async function heldThroughSignals<T>(work: () => T): Promise<T> {
  listen();
  holds++;
  try {
    return work();
  } finally {
    await signalsHeard();
    holds--;
    detachLater();
  }
}

/** A fixed file is in place (its temp file renamed over it). */
export function fileWritten(target: string): void {
  place(written, target);
}

/** An output of the run (not a source file: a patch, a mail, summary.json, a report) is in place. */
export function outputWritten(target: string): void {
  place(outputs, target);
}

/**
 * The run's commit point is in place (--patch-dir's summary.json, written last): the run is done, and a signal heard
 * from now on lets it finish and exit with its own code (one heard before it: `interrupted`, 130 or 143).
 */
export function runCommitted(): void {
  committed = true;
}

/**
 * While a fix in place holds its trees' lock (lock.ts), from before it reads until it has written: a signal that no
 * other listener takes (at the prompt `Apply N changes?`, during the reads, between two chunks' writes) ends the run as
 * onSignal does, so that the lock goes with the exit rather than staying for the next run to take over. Where another
 * listens (onSignal itself while temp files exist; --commit's, src/report/commit.ts), that one decides. Returns the
 * function that stops it. `release`: the lock's, called before a SIGHUP ends the run (see onSignal).
 */
export function endOnSignal(release: () => void): () => void {
  const listener = (signal: Signal) => {
    if (process.listenerCount(signal) === 1) onSignal(signal);
  };
  for (const s of Object.keys(SIGNALS)) process.on(s, listener);
  atHangup.add(release);
  return () => {
    atHangup.delete(release);
    for (const s of Object.keys(SIGNALS)) process.off(s, listener);
  };
}

/**
 * What an interrupted run says on stderr before it exits: the source files it fixed (each group whole) and the outputs
 * it put in place (`count` of each, the `first` named), told apart (adversarial pass 2 of session 57, M5: a
 * --patch-dir run that had put every patch in place said `no file written`).
 */
export function interruptedText(signal: string, sources: Placed, outs: Placed, cwd: string): string {
  const list = (p: Placed, one: string, many: string) => {
    const shown = p.first.map((f) => path.relative(cwd, f) || f);
    const more = p.count > shown.length ? `, and ${p.count - shown.length} more` : '';
    return `${p.count === 1 ? `1 ${one}` : `${p.count} ${many}`} written (${shown.join(', ')}${more})`;
  };
  if (sources.count === 0 && outs.count === 0) return `kmsfix: interrupted (${signal}): nothing written\n`;
  const theOutputs = outs.count === 0 ? '' : `; ${list(outs, 'output', 'outputs')}`;
  if (sources.count === 0)
    return `kmsfix: interrupted (${signal}) during its writes: no source file changed${theOutputs}, and the run stopped there: run the same command again\n`;
  return (
    `kmsfix: interrupted (${signal}) during its writes: ${list(sources, 'file', 'files')}, each group of files whole; ` +
    `the others are as they were${theOutputs}: run the same command again to fix them\n`
  );
}

/** Its group's journal is about to be written: an interrupted run leaves it for the next fix to complete. */
export function tempKept(temp: string): void {
  if (ownTemps.has(temp)) ownTemps.set(temp, true);
}

/**
 * Resolves after the loop's next poll phase: a SIGINT, SIGTERM or SIGHUP that came during synchronous writes
 * (a chunk's renames) is handled there (onSignal: exit 130 or 143) before the run goes on or reports.
 */
export function signalsHeard(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** A temp file of this run is gone (renamed or removed). The signals are left to Node again when none is left (after a poll phase). */
export function tempGone(temp: string): void {
  if (ownTemps.delete(temp)) detachLater();
}

/** The signals left to Node again, after a poll phase, if no temp file and no hold is left by then. */
function detachLater(): void {
  if (ownTemps.size > 0 || holds > 0 || detaching || !listening) return;
  // Not at once: a signal that came during synchronous writes (a fix's renames, write.ts) waits in
  // libuv's pipe, read at the loop's next poll phase; a listener removed before then drops it (the run
  // went on, or exited 0: a SIGTERM during a fix's renames, or during --patch-dir's outputs put in place).
  // Two immediates apart, a poll phase has passed. Not unref'd: at a run's very end (--patch-dir's last
  // output put in place) nothing else keeps the loop alive, and an unref'd wait let it exit 0 before the poll.
  detaching = setImmediate(() => {
    detaching = setImmediate(() => {
      detaching = undefined;
      if (ownTemps.size > 0 || holds > 0 || !listening) return;
      for (const s of Object.keys(SIGNALS)) process.off(s, onSignal);
      listening = false;
    });
  });
}

/** A journal: the renames of one group, written before the first of them. */
export interface Journal {
  version: 1;
  pid: number;
  /** Each temp file, its target, and the target's stamp when it was read (the renames happen only over that version). */
  renames: { temp: string; target: string; stamp: string }[];
}

export interface Cleanup {
  /** Temp files of dead runs removed. */
  removed: string[];
  /** Files written by completing a group a killed run had begun to rename (display paths). */
  completed: string[];
  errors: FileError[];
}

/**
 * Remove the temp files of dead runs among `temps` (absolute paths found by discovery), first
 * completing the groups whose journal says their renames had begun: each remaining temp file is
 * renamed over its target if the target is still the version the killed run read; otherwise that
 * group stays as the killed run left it, and an error says so. Call it only while holding the lock
 * of the trees (src/io/lock.ts).
 */
export function cleanStaleTemps(temps: string[], display: (abs: string) => string): Cleanup {
  const out: Cleanup = { removed: [], completed: [], errors: [] };
  // Only names of kmsfix's own shape: any other file is the user's, whatever its name starts with.
  const stale = temps.filter((t) => ownerOf(path.basename(t)) !== undefined && !ownerRuns(path.basename(t)));
  /** Journals whose completed renames could not be put on disk (their folder's sync failed): left for the next run. */
  const kept = new Set<string>();
  for (const j of stale.filter((t) => t.endsWith('.journal'))) {
    let journal: Journal | undefined;
    try {
      journal = JSON.parse(readFileSync(j, 'utf8')) as Journal;
    } catch {
      journal = undefined; // cut short while written: no rename had begun
    }
    if (journal && Array.isArray(journal.renames)) {
      const pending = journal.renames.filter((r) => exists(r.temp));
      const changed = pending.filter((r) => currentStamp(r.target) !== r.stamp);
      if (changed.length === 0) {
        const done = new Set<string>();
        for (const r of pending) {
          try {
            renameSync(r.temp, r.target);
            fileWritten(r.target);
            out.completed.push(display(r.target));
            done.add(r.target);
          } catch (err) {
            out.errors.push({
              file: display(r.target),
              message: `could not complete the write an interrupted kmsfix run had begun: ${describeError(err)}`,
            });
          }
        }
        // Every rename of the group on disk before the journal goes (below), as a fix's own (src/io/durable.ts): those
        // completed now and those the run that wrote it made (a run whose folder sync failed kept its journal: write.ts,
        // and a run killed before its sync left it); kept if a sync fails.
        const renamed = journal.renames.map((r) => r.target).filter((t) => done.has(t) || !pending.some((r) => r.target === t));
        for (const dir of new Set(renamed.map((t) => path.dirname(t)))) {
          try {
            syncFolder(dir);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'ENOENT' || code === 'ENOTDIR') continue; // the folder is gone: nothing in it left to put on disk
            kept.add(j);
            for (const t of renamed.filter((x) => path.dirname(x) === dir))
              out.errors.push({
                file: display(t),
                message: done.has(t)
                  ? `completed the write an interrupted kmsfix run had begun, but its folder could not be flushed to disk (${describeError(err)}): a power loss may undo it; its group's journal is kept for the next fix run`
                  : `written by an earlier kmsfix run, but its folder still cannot be flushed to disk (${describeError(err)}): a power loss may undo it; its group's journal is kept for the next fix run`,
              });
          }
        }
      } else {
        const files = journal.renames.map((r) => display(r.target)).join(', ');
        for (const r of changed) {
          out.errors.push({
            file: display(r.target),
            message: `an interrupted kmsfix run wrote part of its group (${files}) and this file changed since: not completed; check the group by hand (git diff), then run kmsfix again`,
          });
        }
      }
    }
  }
  for (const t of stale) {
    if (kept.has(t)) continue;
    try {
      rmSync(t, { force: true });
      out.removed.push(t);
    } catch (err) {
      out.errors.push({ file: display(t), message: `cannot remove a temp file left by an interrupted kmsfix run: ${describeError(err)}` });
    }
  }
  return out;
}

/**
 * For runs that do not clean up (scan, dry run): the groups a killed run left half renamed (its
 * journal), as errors, so that a half-written module does not go unnoticed until the next fix.
 */
export function halfWritten(temps: string[], display: (abs: string) => string): FileError[] {
  const out: FileError[] = [];
  for (const j of temps.filter((t) => t.endsWith('.journal'))) {
    if (ownerOf(path.basename(j)) === undefined || ownerRuns(path.basename(j))) continue;
    try {
      const journal = JSON.parse(readFileSync(j, 'utf8')) as Journal;
      const pending = journal.renames.filter((r) => exists(r.temp));
      if (pending.length === 0 || pending.length === journal.renames.length) continue;
      for (const r of pending) {
        out.push({
          file: display(r.target),
          message: `an interrupted kmsfix fix wrote part of its group (${journal.renames.map((x) => display(x.target)).join(', ')}) but not this file: run kmsfix fix to complete it`,
        });
      }
    } catch {
      /* cut short while written: no rename had begun */
    }
  }
  return out;
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The file's own stamp (a symbolic link's, not its target's: the run read a regular file there). */
function currentStamp(p: string): string | undefined {
  try {
    return stampOf(lstatSync(p, { bigint: true }));
  } catch {
    return undefined;
  }
}
