/**
 * A whole run: discover, read (prefilter first), detect, and for `fix` plan, apply and verify
 * by group. Returns outcomes; writing and reporting are the CLI's business.
 *
 * Each file is read once and parsed once (plus one re-parse of a fixed file to verify it). Two ways
 * to use more cores, both giving the same results as one thread: the TypeScript files of a run with
 * enough of them and of other files go to a worker of their own (ownWorkerFamily); and past
 * PARALLEL_MIN_FILES files and parallelMinBytes() read, the rest go to a pool of worker threads
 * (src/engine/pool.ts) while this thread keeps reading.
 */
import path from 'node:path';
import { discover, displayPath } from '../io/discover.js';
import { FORMATS, formatFor, formatsFor, loadFormat } from '../formats/index.js';
import type { FixOptions, FormatEntry } from '../core/types.js';
import type { BatchFile, BatchResult } from './batch.js';
import { processBatch } from './batch.js';
import { detectFile, fixGroup } from './pipeline.js';
import { PARALLEL_MIN_FILES, Pool, defaultWorkers, parallelMinBytes, workerScript } from './pool.js';
import { readCandidate } from '../io/read.js';
import { groupKeyOf } from './groups.js';
import { diskSiblings } from '../io/siblings.js';
import { cleanStaleTemps, halfWritten, type Cleanup } from '../io/temp.js';
import type { FileError, FileOutcome, RunProgress } from '../core/result.js';

export interface RunOptions extends FixOptions {
  cwd: string;
  mode: 'scan' | 'fix';
  /** Called after each candidate file is read (and detected), for progress displays. */
  onProgress?: (p: RunProgress) => void;
  /**
   * Worker threads for parsing (default: min(cores, 4) - 1, or KMSFIX_WORKERS). 0 keeps everything in
   * this thread, with `transform` (the format), `detection` and the file's text on every outcome (SARIF needs
   * them). Otherwise a scan's outcomes carry an empty `file.text`, and no `detection`.
   */
  workers?: number;
  /** Use the pool only above this many files after the prefilter (default PARALLEL_MIN_FILES). */
  parallelMinFiles?: number;
  /** ...and this many characters read (default parallelMinBytes()). */
  parallelMinBytes?: number;
  /**
   * The run will write in place: before reading, remove the temp files of dead runs, completing
   * any group a killed run had begun to rename (src/io/temp.ts). Only while holding the lock of
   * the trees (src/io/lock.ts).
   */
  cleanTemps?: boolean;
}

export interface RunResult {
  outcomes: FileOutcome[];
  /** Errors not tied to a parsed file (missing paths, unreadable files). */
  errors: FileError[];
  /** Git work tree roots found while walking the given folders. */
  repos: string[];
  /** The family done by a worker thread of its own (ownWorkerFamily), if any. */
  ownWorker?: string;
  /** With cleanTemps: what was cleaned up. */
  cleanup?: Cleanup;
}

/** A batch for one worker message: this many files or bytes, whichever comes first. */
const BATCH_FILES = 16;
const BATCH_BYTES = 256 * 1024;

/** The family that gets a worker of its own (see ownWorkerFamily), and how many files of it and of others that takes. */
const OWN_WORKER_FAMILY = 'typescript';
export const OWN_WORKER_MIN_FILES = 50;

/**
 * Whether the TypeScript files of a run get a worker thread of their own, from the start, while this
 * thread does every other family: when the candidates hold at least OWN_WORKER_MIN_FILES of each.
 * Each thread then loads and warms up only its own parsers (the TypeScript compiler is the heaviest
 * per byte and shares no code with the others), where the size-based pool makes every worker warm up
 * every parser. Measured on the bench (2 vCPUs, 18 MB of which 1.5 MB CDK, below the pool's size):
 * scan 1.77 -> 1.57 s, fix 6.45 -> 5.27 s (medians of 5 alternating runs), the same results.
 */
export function ownWorkerFamily(paths: string[]): string | undefined {
  let own = 0;
  let others = 0;
  for (const p of paths) {
    if (formatsFor(p).some((e) => e.name === OWN_WORKER_FAMILY)) own++;
    else others++;
  }
  return own >= OWN_WORKER_MIN_FILES && others >= OWN_WORKER_MIN_FILES ? OWN_WORKER_FAMILY : undefined;
}

export async function run(paths: string[], options: RunOptions): Promise<RunResult> {
  const accepts = (p: string) => FORMATS.some((e) => e.accepts(p));
  const { candidates, errors, repos, temps } = await discover(paths.length ? paths : ['.'], options.cwd, accepts);
  let cleanup: Cleanup | undefined;
  if (options.cleanTemps) {
    cleanup = cleanStaleTemps(temps, (abs) => displayPath(abs, options.cwd));
    errors.push(...cleanup.errors);
  } else errors.push(...halfWritten(temps, (abs) => displayPath(abs, options.cwd)));
  const siblings = diskSiblings(options.maxFileBytes);
  const fixOptions = plainOptions(options);
  const workers = options.workers ?? defaultWorkers();
  const script = workers > 0 ? workerScript() : undefined;
  const minFiles = options.parallelMinFiles ?? PARALLEL_MIN_FILES;
  const minBytes = options.parallelMinBytes ?? parallelMinBytes();
  // `workers: 0` given by the caller: everything here, detections kept on the outcomes (SARIF).
  const keep = options.workers === 0;
  const ownFamily = script && workers > 0 ? ownWorkerFamily(candidates.map((c) => c.path)) : undefined;
  const own = ownFamily ? new Pool(script!, 1) : undefined;
  /** Workers left for the size-based pool. */
  const poolWorkers = workers - (own ? 1 : 0);

  const reads: BatchFile[] = [];
  /** Per read: the stamp of the version read, and the symbolic link it was reached through. */
  const stamps: string[] = [];
  const links: (string | undefined)[] = [];
  /** Per read: its outcome when done in this thread, or its result from the pool. */
  const done: (FileOutcome | undefined)[] = [];
  const results: (BatchResult | undefined)[] = [];
  const tasks: Promise<void>[] = [];
  let pool: Pool | undefined;
  let readBytes = 0;
  let tables = 0;
  /** This thread's fix groups, not fixed yet, and each read's group key. */
  const groups = new Map<string, FileOutcome[]>();
  const keyOf: string[] = [];

  const submit = (indexes: number[], to = pool!) => {
    if (indexes.length === 0) return;
    const files = indexes.map((i) => reads[i]);
    tasks.push(
      to
        .run(files, options.mode, fixOptions)
        // A worker that dies must not lose files: do its batch here instead.
        .catch(() => processBatch(files, options.mode, fixOptions))
        .then((rs) => {
          rs.forEach((r, k) => {
            results[indexes[k]] = r;
            tables += r.tables.length;
            // The text of a scanned file is not needed any more (its outcome keeps an empty text).
            if (options.mode === 'scan') reads[indexes[k]] = { ...reads[indexes[k]], file: { ...reads[indexes[k]].file, text: '' } };
          });
        }),
    );
  };
  const bytesOf = (indexes: number[]) => indexes.reduce((n, i) => n + reads[i].file.text.length, 0);
  /**
   * Files for the pool, sent in batches; for `fix` only whole folders are added (a group never
   * spans folders). This thread works too: a batch that finds every worker busy is done here.
   */
  const pending: number[] = [];
  const flush = async (all: boolean) => {
    while (pending.length >= BATCH_FILES || bytesOf(pending) >= BATCH_BYTES || (all && pending.length > 0)) {
      // scan: fixed-size batches; fix: the whole pending list (whole folders), at most a batch more.
      const batch = options.mode === 'scan' ? pending.splice(0, BATCH_FILES) : pending.splice(0);
      if (pool!.hasRoom()) submit(batch);
      else {
        for (const i of batch) tables += await detectInline(i);
        if (options.mode === 'fix') await fixFolder(batch);
      }
    }
  };

  /** Files for the own worker (fix: whole folders), sent in batches; it queues what it cannot take yet. */
  const ownPending: number[] = [];
  const ownFlush = (all: boolean) => {
    if (ownPending.length >= BATCH_FILES || bytesOf(ownPending) >= BATCH_BYTES || (all && ownPending.length > 0))
      submit(ownPending.splice(0), own);
  };
  /** For fix: the own worker's reads per folder, not complete yet. */
  const ownOpen = new Map<string, number[]>();

  // Fix groups never span folders (a Terraform module is a folder, other families fix file by
  // file): once the last candidate of a folder is read, its groups can be fixed and their parse
  // trees dropped, so that memory holds one folder's trees, not the whole run's.
  const lastInFolder = new Map<string, number>();
  candidates.forEach((c, i) => {
    lastInFolder.set(path.dirname(c.absPath), i);
  });
  /** Reads per folder not complete yet, and whether the folder is done in this thread. */
  const open = new Map<string, { reads: number[]; inline: boolean }>();

  let scanned = 0;
  let lastYield = Date.now();
  for (const [index, c] of candidates.entries()) {
    scanned++;
    // Reading is synchronous: let the workers' answers in now and then, so they never starve.
    if ((pool || own) && Date.now() - lastYield > 5) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = Date.now();
    }
    if (options.onProgress) options.onProgress({ scanned, candidates: candidates.length, tables, current: c.absPath });
    const dir = path.dirname(c.absPath);
    const i = await readOne(c);
    if (i !== undefined && own && reads[i].entry === ownFamily) {
      if (options.mode === 'fix')
        ownOpen
          .set(dir, ownOpen.get(dir) ?? [])
          .get(dir)!
          .push(i);
      else {
        ownPending.push(i);
        ownFlush(false);
      }
    } else if (i !== undefined) {
      const folder = open.get(dir) ?? { reads: [], inline: !pool };
      open.set(dir, folder);
      folder.reads.push(i);
      if (!pool && script && poolWorkers > 0 && reads.length > minFiles && readBytes >= minBytes) pool = new Pool(script, poolWorkers);
      // A folder started in this thread stays in it (for fix, its files form groups together).
      if (folder.inline) tables += await detectInline(i);
      else if (options.mode === 'scan') {
        pending.push(i);
        await flush(false);
      }
    }
    if (index === lastInFolder.get(dir)) {
      ownPending.push(...(ownOpen.get(dir) ?? []));
      ownOpen.delete(dir);
      ownFlush(false);
      const folder = open.get(dir);
      open.delete(dir);
      if (folder && options.mode === 'fix') {
        if (folder.inline) await fixFolder(folder.reads);
        else {
          pending.push(...folder.reads);
          await flush(false);
        }
      }
    }
  }
  // Folders left open (none, unless a candidate list ends inside a folder).
  for (const list of ownOpen.values()) ownPending.push(...list);
  ownFlush(true);
  if (pool || own) {
    try {
      if (pool) await flush(true);
      await Promise.all(tasks);
    } finally {
      await Promise.all([pool?.close(), own?.close()]);
    }
  }
  // Groups left (none, unless a candidate list ends inside a folder).
  for (const group of groups.values()) await fixAndRelease(group);
  const outcomes = reads.map((r, i): FileOutcome => {
    const o = done[i] ?? { file: r.file, bom: r.bom, ...results[i]! };
    o.stamp = stamps[i];
    if (links[i]) o.link = links[i];
    if (keyOf[i] !== undefined) o.group = keyOf[i];
    return o;
  });
  return { outcomes, errors, repos, ownWorker: ownFamily, cleanup };

  /** Read a candidate; the index of its read, or undefined when skipped or unreadable. */
  async function readOne(c: (typeof candidates)[number]): Promise<number | undefined> {
    let chosen: FormatEntry | undefined;
    const read = await readCandidate(
      c.absPath,
      c.path,
      c.explicit,
      (raw) => (chosen = formatFor(c.path, raw)) !== undefined,
      options.maxFileBytes,
    );
    if (read.kind === 'skip') return undefined;
    if (read.kind === 'error') {
      errors.push(read.error);
      return undefined;
    }
    // Explicitly named files are read even when no prefilter matched: parse errors still count.
    chosen ??= formatFor(c.path, read.file.text) ?? formatsFor(c.path)[0];
    if (!chosen) return undefined;
    reads.push({ file: c.test ? { ...read.file, test: true } : read.file, bom: read.bom, entry: chosen.name });
    stamps.push(read.stamp);
    links.push(c.link);
    readBytes += read.file.text.length;
    return reads.length - 1;
  }

  async function fixFolder(indexes: number[]): Promise<void> {
    for (const key of new Set(indexes.map((i) => keyOf[i]))) {
      const group = groups.get(key);
      if (!group) continue;
      groups.delete(key);
      await fixAndRelease(group);
    }
  }

  async function fixAndRelease(group: FileOutcome[]): Promise<void> {
    await fixGroup(group, fixOptions, siblings);
    if (!keep) for (const o of group) o.detection = undefined;
  }

  async function detectInline(i: number): Promise<number> {
    const r = reads[i];
    const entry = FORMATS.find((e) => e.name === r.entry)!;
    const transform = await loadFormat(entry);
    const outcome = await detectFile(r.file, r.bom, transform, fixOptions, siblings);
    done[i] = outcome;
    // A scan needs the detection and the text no further, unless the caller keeps the run in this
    // thread for them: memory then grows with the tables found, not with the bytes read.
    if (options.mode === 'scan') {
      if (!keep) {
        outcome.detection = undefined;
        outcome.file = { ...outcome.file, text: '' };
      }
      return outcome.tables.length;
    }
    const key = groupKeyOf(entry.name, transform, r.file.absPath);
    keyOf[i] = key;
    const g = groups.get(key);
    if (g) g.push(outcome);
    else groups.set(key, [outcome]);
    return outcome.tables.length;
  }
}

/** The fix options alone (no callbacks, no run settings), to send to workers. */
function plainOptions(options: RunOptions): FixOptions {
  const {
    onProgress: _p,
    workers: _w,
    parallelMinFiles: _m,
    parallelMinBytes: _b,
    cwd: _c,
    mode: _mode,
    cleanTemps: _t,
    ...rest
  } = options;
  return rest;
}
