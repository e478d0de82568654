/**
 * A whole run: discover, read (prefilter first), and hand each file read to the scheduler
 * (schedule.ts), which runs batches through the pipeline (batch.ts: detect, and for `fix` plan,
 * apply and verify by group) in this thread or in worker threads. Returns outcomes; writing and
 * reporting are the CLI's business.
 *
 * Each file is read once and parsed once (plus one re-parse of a fixed file to verify it). Two ways
 * to use more cores, both giving the same results as one thread: the TypeScript files of a run with
 * enough of them and of other files go to a worker of their own (ownWorkerFamily); and past
 * PARALLEL_MIN_FILES files and parallelMinBytes() read, the rest go to a pool of worker threads
 * (src/engine/pool.ts) while this thread keeps reading.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { type Candidate, type Discovered, discover, displayPath } from '../io/discover.js';
import { unreadCdkApps } from '../io/cdkApps.js';
import { FORMATS, formatFor, formatsFor, namedFormatFor } from '../formats/index.js';
import type { FixOptions, FormatEntry } from '../core/types.js';
import type { BatchFile } from './batch.js';
import { PARALLEL_MIN_FILES, defaultWorkers, parallelMinBytes, workerScript } from './pool.js';
import { Scheduler } from './schedule.js';
import { TableCopies } from './own.js';
import { heapTick, watchHeap } from '../core/heap.js';
import { optimizeAgain, optimizeLess } from '../core/tiering.js';
import { readCandidate, type SharedReads } from '../io/read.js';
import { stageRollbackLines, type StageRollback } from '../io/stageRollbacks.js';
import { cleanStaleTemps, halfWritten, type Cleanup } from '../io/temp.js';
import type { FileError, FileOutcome, FileResult, Replace, RunProgress } from '../core/result.js';

export interface RunOptions extends FixOptions {
  cwd: string;
  mode: 'scan' | 'fix';
  /** Called after each candidate file is read (and detected), for progress displays. */
  onProgress?: (p: RunProgress) => void;
  /**
   * Worker threads for parsing (default: min(cores, 4) - 1, or KMSFIX_WORKERS); 0 keeps everything
   * in this thread. The results are the same either way.
   */
  workers?: number;
  /**
   * scan: also plan the verified fix of each group with fixable tables, written nowhere: the
   * outcomes then carry its edits, each with the tables it serves (Edit.tables), and mark the tables
   * it fixes `planned` (SARIF's per-table fixes). A scan's outcomes otherwise carry an empty
   * `file.text`; these keep the text of the files the edits change.
   */
  planFixes?: boolean;
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
  /**
   * fix: each batch's outcomes (whole groups) as soon as they are verified, in the order they are,
   * for a caller that writes as it goes (the CLI's fix in place without a prompt, src/io/stream.ts).
   * The next batch waits for its promise. `replace` swaps an outcome of the run's result for a
   * lighter one once it is settled (written: no texts; or only what the report still needs), or
   * drops it (`after` undefined: the caller counted it), so that the run holds no fixed text after
   * its write, and its result does not grow with the tree. The run copies what `after` holds in
   * place (own.ts: its tables and error), so the caller's references to it stay valid. `orderOf`:
   * an outcome's place in the run's order (the result's), until it is replaced.
   */
  onVerified?: (outcomes: FileOutcome[], replace: Replace, orderOf: (o: FileOutcome) => number) => Promise<void>;
  /** With onVerified: once the last batch was handed over, before the result is made (the caller's last writes and replacements). */
  onVerifiedEnd?: () => Promise<void>;
  /**
   * With onVerified, when the caller's writes go on in the background (src/io/stream.ts): resolves
   * once those under way are done. This thread reads another folder's files (a Terraform module's
   * called module) only then, so that it reads them as it did when each write was waited for: whole,
   * never halfway through a group's renames.
   */
  writesSettled?: () => Promise<void>;
  /**
   * Called with the files the run will read, before it reads (or writes) any: throwing stops the
   * run there (the CLI refuses an --output that names one of them before a fix writes anything).
   * `configs`: the configuration files found inside the walked folders (absolute paths,
   * src/io/discover.ts CONFIG_NAMES).
   */
  beforeRead?: (candidates: readonly Candidate[], configs: readonly string[]) => void;
  /** Paths left out of discovery (src/io/discover.ts Exclude): `--exclude`, a configuration file's `exclude`. */
  exclude?: import('../io/discover.js').Exclude[];
  /**
   * The paths' files found already (src/cli/scopes.ts: a run split into configuration scopes walks
   * every scope before it reads a file of any): used instead of walking again; `exclude` is then unused.
   */
  discovered?: Discovered;
}

export interface RunResult {
  /** One per file read, in the order read; with onVerified, less those the caller dropped. */
  outcomes: FileOutcome[];
  /** Errors not tied to a parsed file (missing paths, unreadable files). */
  errors: FileError[];
  /** Git work tree roots found while walking the given folders. */
  repos: string[];
  /** The family done by a worker thread of its own (ownWorkerFamily), if any. */
  ownWorker?: string;
  /** With cleanTemps: what was cleaned up. */
  cleanup?: Cleanup;
  /** What the run did not read and says so: CDK apps and Pulumi programs in a language kmsfix does not read (src/io/cdkApps.ts). */
  notes: string[];
  /** The CodePipeline stage rollbacks the files read declare (src/io/stageRollbacks.ts), for the commit message. */
  stages?: StageRollback[];
}

/** The family that gets a worker of its own (see ownWorkerFamily), and how many files of it and of others that takes. */
const OWN_WORKER_FAMILY = 'typescript';
export const OWN_WORKER_MIN_FILES = 50;

/** From this many candidate files, a fix watches the main thread's heap (heap.ts). */
const HEAP_WATCH_MIN_FILES = 256;

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

/** A light run's bounds (src/core/tiering.ts): how many files at most, and their bytes in all. */
const LIGHT_MAX_FILES = 32;
const LIGHT_MAX_BYTES = 256 * 1024;

/**
 * Whether a run of `candidates` is light (TurboFan off while it runs, src/core/tiering.ts): at most
 * LIGHT_MAX_FILES files, too few for workers, of at most LIGHT_MAX_BYTES in all.
 */
export function lightRun(candidates: Candidate[], minFiles: number, minBytes: number): boolean {
  if (candidates.length > Math.min(LIGHT_MAX_FILES, minFiles)) return false;
  let bytes = 0;
  for (const c of candidates) {
    try {
      bytes += statSync(c.absPath).size;
    } catch {
      // Reported when it is read.
    }
  }
  return bytes <= LIGHT_MAX_BYTES && bytes < minBytes;
}

/** This process's runs so far: the light ones that read a file, and the others (ranLightOnly). */
const runs = { light: 0, heavy: 0 };

/**
 * Whether this process ran, and every run it made was light (lightRun) and had a file to read: then
 * the CLI's cached code is written (src/cli/start.ts), and holds what such a run compiles. Cached code
 * written by a run of a whole tree holds every format's code and the fix's, and every later run
 * loads all of it: 637 KB from a dry-run fix of the bench's corpus, 724 KB left by an earlier
 * session's runs of it, against 290 to 430 KB from one to five files; a one-file scan 0 to 3 ms
 * slower with the first, 3 to 15 ms with the second; a tree's scan or fix no faster with either,
 * nor slower with none (docs/performance.md, twenty-first session).
 */
export function ranLightOnly(): boolean {
  return runs.light > 0 && runs.heavy === 0;
}

/**
 * Whether this process ran a run that had a file to read, light or not: the rule for the cached code of a
 * tree's runs (src/cli/start.ts), which only runs of trees load.
 */
export function ranAny(): boolean {
  return runs.light > 0 || runs.heavy > 0;
}

/** Whether this process ran a run that was not light (lightRun): more than a few files, or workers. */
export function ranLarge(): boolean {
  return runs.heavy > 0;
}

/** A file some format reads, by its name: what discovery keeps. */
export const accepts = (p: string) => FORMATS.some((e) => e.accepts(p));

export async function run(paths: string[], options: RunOptions): Promise<RunResult> {
  const {
    candidates,
    errors,
    repos,
    temps,
    cdkApps,
    links: walkLinks,
    configs,
    listed,
  } = options.discovered ??
  (await discover(paths.length ? paths : ['.'], options.cwd, accepts, options.exclude, { list: options.mode !== 'fix' }));
  options.beforeRead?.(candidates, configs);
  // The run's notes: those of the project files (unreadCdkApps), then the walk's own note, are put first once the reads
  // are done (a file the walk found regular and that was a symbolic link when read, made one during the run, joins the
  // links it met: readOne), then the reads' own, in the order read.
  const notes: string[] = [];
  const symlinks = [...walkLinks];
  // Each project file's notes, made from its text as its read as a candidate took it (most are candidates: a
  // Pulumi.yaml, a cdk.json) instead of reading the file again, and kept (not its text: a Pulumi YAML program's whole
  // text); those the run does not read (or cannot) are read by unreadCdkApps after the reads.
  const shownOf = (absPath: string) => ({ absPath, shown: displayPath(absPath, options.cwd) });
  const appNotes = new Map<string, string[] | undefined>(cdkApps.map((a) => [a, undefined]));
  let cleanup: Cleanup | undefined;
  if (options.cleanTemps) {
    cleanup = cleanStaleTemps(temps, (abs) => displayPath(abs, options.cwd));
    errors.push(...cleanup.errors);
  } else errors.push(...halfWritten(temps, (abs) => displayPath(abs, options.cwd)));
  // A fix's heap is watched (heap.ts), from before any worker starts; a small run never grows its
  // heap enough to need it, and a scan (which keeps every table to the end) is left to V8.
  const watch = options.mode === 'fix' && candidates.length >= HEAP_WATCH_MIN_FILES;
  if (watch) watchHeap();
  const workers = options.workers ?? defaultWorkers();
  const script = workers > 0 ? workerScript() : undefined;
  const ownFamily = script ? ownWorkerFamily(candidates.map((c) => c.path)) : undefined;
  const pass = options.mode === 'fix' ? 'fix' : options.planFixes ? 'plan' : 'scan';
  /** Per read: the stamp of the version read, and the symbolic link it was reached through. */
  const stamps: (string | undefined)[] = [];
  const links: (string | undefined)[] = [];
  /** Per read, its outcome once its batch is in (undefined once the caller dropped it); and, while the caller may replace them, where they are. */
  const outcomes: (FileOutcome | undefined)[] = [];
  /** Per read, its detection's notes (a Terraform call of a local module that is not there), said after the run's own, in the order read. */
  const fileNotes: (string[] | undefined)[] = [];
  const stages: StageRollback[] = [];
  const pending = new Map<FileOutcome, number>();
  // The run's own copies of an outcome's tables (own.ts) and error, in place: their strings are
  // often slices of the file's text, which would keep every text read alive (V8's sliced strings).
  // Made for what the run keeps: with onVerified, once the caller says what that is (replace), since
  // it lets most tables go (a fix's text report keeps the tables it names, its JSON report none).
  const copies = new TableCopies();
  const own = (o: FileOutcome): FileOutcome => {
    o.tables = copies.copy(o.tables, o.file.path);
    if (o.error) o.error = structuredClone(o.error);
    return o;
  };
  const replace: Replace = (before, after) => {
    const i = pending.get(before);
    if (i === undefined) return;
    outcomes[i] = after && own(after);
    pending.delete(before);
  };
  const orderOf = (o: FileOutcome) => pending.get(o) ?? -1;
  const sink = async (indexes: number[], reads: BatchFile[], results: FileResult[]) => {
    const batch = indexes.map((i, k) => {
      const r = results[k];
      if (r.notes) fileNotes[i] = r.notes;
      // A file's text is needed no further when no edit points into it (its outcome keeps an empty
      // text): memory grows with the tables found and the files changed, not the bytes read.
      const file = r.edits || r.newText !== undefined ? reads[k].file : { ...reads[k].file, text: '' };
      const made: FileOutcome = { file, bom: reads[k].bom, ...r, stamp: stamps[i], ...(links[i] ? { link: links[i] } : {}) };
      const o = options.onVerified ? made : own(made);
      outcomes[i] = o;
      stamps[i] = undefined;
      links[i] = undefined;
      if (options.onVerified) pending.set(o, i);
      return o;
    });
    if (options.onVerified) await options.onVerified(batch, replace, orderOf);
    if (watch) heapTick();
  };
  // The candidates a format may ask for across the trees (FormatEntry.treeFile: each terragrunt.hcl).
  const tree = candidates
    .filter((c) => FORMATS.some((e) => e.treeFile?.(path.posix.basename(c.path))))
    .map((c) => ({ path: c.path, absPath: c.absPath }));
  const minFiles = options.parallelMinFiles ?? PARALLEL_MIN_FILES;
  const minBytes = options.parallelMinBytes ?? parallelMinBytes();
  const scheduler = new Scheduler(
    pass,
    plainOptions(options),
    {
      script,
      workers,
      ownFamily,
      minFiles,
      minBytes,
      tree,
      ...(listed ? { listed } : {}),
    },
    sink,
    options.writesSettled,
  );
  // The last candidate of each folder: then the folder's files can go (schedule.ts).
  const lastInFolder = new Map<string, number>();
  candidates.forEach((c, i) => {
    lastInFolder.set(path.dirname(c.absPath), i);
  });
  // No worker starts in a light run: V8's flags are the process's (src/core/tiering.ts).
  if (!ownFamily && lightRun(candidates, minFiles, minBytes)) {
    optimizeLess();
    if (candidates.length > 0) runs.light++;
  } else runs.heavy++;
  try {
    let lastYield = Date.now();
    // Each candidate is let go once looked at (memory: a tree's candidates are all listed first).
    const queue: (Candidate | undefined)[] = candidates;
    const total = candidates.length;
    for (let index = 0; index < total; index++) {
      const c = queue[index]!;
      queue[index] = undefined;
      // Reading is synchronous: let the workers' answers in now and then, so they never starve, and a
      // fix's chunks settle meanwhile (src/io/stream.ts).
      if ((scheduler.threaded || options.onVerified) && Date.now() - lastYield > 5) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = Date.now();
      }
      options.onProgress?.({ scanned: index + 1, candidates: total, tables: scheduler.tables, current: c.absPath });
      const dir = path.dirname(c.absPath);
      const keep = appNotes.has(c.absPath)
        ? (text: string) =>
            appNotes.set(
              c.absPath,
              unreadCdkApps([shownOf(c.absPath)], () => text),
            )
        : undefined;
      const read = await readOne(c, options.maxFileBytes, errors, notes, symlinks, stages, scheduler.sharedReads, keep);
      if (read) {
        stamps.push(read.stamp);
        links.push(c.link);
        await scheduler.add(read.file, dir);
      }
      if (index === lastInFolder.get(dir)) {
        lastInFolder.delete(dir);
        await scheduler.folderDone(dir);
      }
    }
    await scheduler.finish();
    await options.onVerifiedEnd?.();
    // Outcomes the caller did not replace (none, once its last writes are done): copied as kept.
    for (const o of pending.keys()) own(o);
  } finally {
    optimizeAgain();
  }
  const first = cdkApps.flatMap((absPath) => appNotes.get(absPath) ?? unreadCdkApps([shownOf(absPath)]));
  if (symlinks.length > 0) first.push(linksNote(symlinks));
  notes.unshift(...first);
  for (const n of fileNotes) if (n) notes.push(...n);
  return { outcomes: outcomes.filter((o) => o !== undefined), errors, repos, ownWorker: ownFamily, cleanup, notes, stages };
}

/** Read a candidate, with the format that reads it; undefined when skipped or unreadable (then its error is added). */
async function readOne(
  c: Candidate,
  maxFileBytes: number | undefined,
  errors: FileError[],
  notes: string[],
  links: string[],
  stages: StageRollback[],
  shared?: SharedReads,
  /** Given the file's UTF-8 text once read (readCandidate's `utf8`). */
  utf8?: (text: string) => void,
): Promise<{ file: BatchFile; stamp: string } | undefined> {
  let chosen: FormatEntry | undefined;
  let looked = false;
  // The text read anyway: the stage rollbacks it declares (a file with no table too).
  const look = (text: string) => {
    looked = true;
    for (const line of stageRollbackLines(text)) stages.push({ absPath: c.absPath, line });
  };
  const prefilter = (raw: string) => {
    look(raw);
    return (chosen = formatFor(c.path, raw)) !== undefined;
  };
  const read = await readCandidate(c.absPath, c.path, c.explicit, prefilter, maxFileBytes, shared, c.link !== undefined, utf8);
  if (read.kind === 'skip') return undefined;
  if (read.kind === 'file' && !looked) look(read.file.text);
  if (read.kind === 'link') {
    links.push(c.path);
    return undefined;
  }
  if (read.kind === 'error') {
    errors.push(read.error);
    return undefined;
  }
  // Explicitly named files are read even when no prefilter matched: parse errors still count.
  chosen ??= namedFormatFor(c.path, read.file.text);
  if (!chosen) {
    // Named on the command line, and not silently passed over (a CI step naming a template of another name).
    if (c.explicit) notes.push(`${c.path}: not a kind of file kmsfix reads (by its name: see the formats in the README), skipped`);
    return undefined;
  }
  return { file: { file: c.test ? { ...read.file, test: true } : read.file, bom: read.bom, entry: chosen.name }, stamp: read.stamp };
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
    planFixes: _f,
    onVerified: _v,
    onVerifiedEnd: _e,
    writesSettled: _s,
    beforeRead: _r,
    discovered: _d,
    ...rest
  } = options;
  return rest;
}

/**
 * Files inside the scanned folders that are symbolic links are not followed (docs/safety.md, Safety): a folder made of links to
 * a shared one (`environments/prod/main.tf -> ../_shared/main.tf`, each environment with its own tfvars) is not read
 * as the root module it is, and the shared folder is read with its own defaults (real-world round 30).
 */
function linksNote(links: string[]): string {
  const shown = links.slice(0, 3).join(', ') + (links.length > 3 ? `, and ${links.length - 3} more` : '');
  // A link to a folder is named with a trailing `/` (discover.ts).
  const folders = links.filter((l) => l.endsWith('/')).length;
  const files = links.length - folders;
  const count = (n: number, one: string) => (n === 1 ? `a ${one}` : `${n} ${one}s`);
  const what = [files > 0 ? count(files, 'file') : '', folders > 0 ? count(folders, 'folder') : ''].filter(Boolean).join(' and ');
  return (
    `${what} inside the scanned folders ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'}, ` +
    `not followed: ${shown}. A folder deployed through such links (a Terraform environment whose .tf files link to a shared folder, ` +
    'with its own tfvars) is not read as such: check the tables of the linked files against its variables'
  );
}
