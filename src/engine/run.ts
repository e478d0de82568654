/**
 * A whole run: discover, read (prefilter first), detect, and for `fix` plan, apply and verify
 * by group. Returns outcomes; writing and reporting are the CLI's business.
 *
 * Each file is read once and parsed once (plus one re-parse of a fixed file to verify it). With more
 * than PARALLEL_MIN_FILES files after the prefilter, parsing and fixing move to a pool of worker
 * threads (src/engine/pool.ts) while this thread keeps reading; the results are the same.
 */
import path from 'node:path';
import { discover } from '../discovery.js';
import { TRANSFORMS, entriesFor, loadTransform } from '../../transforms/index.js';
import type { FixOptions, TransformEntry } from '../types.js';
import type { BatchFile, BatchResult } from './batch.js';
import { processBatch } from './batch.js';
import { detectFile, fixGroup, type FileError, type FileOutcome } from './pipeline.js';
import { PARALLEL_MIN_FILES, Pool, defaultWorkers, workerScript } from './pool.js';
import { readCandidate } from './read.js';
import { setFileHunks } from '../report/diff.js';
import { groupKeyOf } from './groups.js';

export interface RunOptions extends FixOptions {
  cwd: string;
  mode: 'scan' | 'fix';
  /** Called after each candidate file is read (and detected), for progress displays. */
  onProgress?: (p: RunProgress) => void;
  /**
   * Worker threads for parsing (default: min(2, cores), or KMSFIX_WORKERS). 0 keeps everything in
   * this thread, with `transform`, `detection` and the file's text on every outcome (SARIF needs
   * them). Otherwise a scan's outcomes carry an empty `file.text`, and no `detection`.
   */
  workers?: number;
  /** Use the pool only above this many files after the prefilter (default PARALLEL_MIN_FILES). */
  parallelMinFiles?: number;
}

export interface RunProgress {
  /** Candidate files looked at so far, of `candidates`. */
  scanned: number;
  candidates: number;
  tables: number;
  /** Absolute path of the file just looked at. */
  current: string;
}

export interface RunResult {
  outcomes: FileOutcome[];
  /** Errors not tied to a parsed file (missing paths, unreadable files). */
  errors: FileError[];
  /** Git work tree roots found while walking the given folders. */
  repos: string[];
}

function pickEntry(path: string, raw: string): TransformEntry | undefined {
  const entries = entriesFor(path);
  return entries.find((e) => e.prefilter(raw));
}

/** A batch for one worker message: this many files or bytes, whichever comes first. */
const BATCH_FILES = 16;
const BATCH_BYTES = 256 * 1024;

export async function run(paths: string[], options: RunOptions): Promise<RunResult> {
  const accepts = (p: string) => TRANSFORMS.some((e) => e.accepts(p));
  const { candidates, errors, repos } = await discover(paths.length ? paths : ['.'], options.cwd, accepts);
  const fixOptions = plainOptions(options);
  const workers = options.workers ?? defaultWorkers();
  const script = workers > 0 ? workerScript() : undefined;
  const minFiles = options.parallelMinFiles ?? PARALLEL_MIN_FILES;
  // `workers: 0` given by the caller: everything here, detections kept on the outcomes (SARIF).
  const keep = options.workers === 0;

  const reads: BatchFile[] = [];
  const results: (BatchResult | undefined)[] = [];
  const tasks: Promise<void>[] = [];
  let pool: Pool | undefined;
  let pendingChunk: number[] = [];
  let tables = 0;
  const inline = { outcomes: [] as FileOutcome[], groups: new Map<string, FileOutcome[]>() };

  const submit = (indexes: number[]) => {
    const files = indexes.map((i) => reads[i]);
    tasks.push(
      pool!
        .run(files, options.mode, fixOptions)
        // A worker that dies must not lose files: do its batch here instead.
        .catch(() => processBatch(files, options.mode, fixOptions))
        .then((rs) => {
          rs.forEach((r, k) => {
            results[indexes[k]] = r;
            tables += r.tables.length;
            if (options.mode === 'scan') release(indexes[k]);
          });
        }),
    );
  };
  /** scan: the text of a detected file is not needed any more (its outcome keeps an empty text). */
  const release = (i: number) => {
    reads[i] = { ...reads[i], file: { ...reads[i].file, text: '' } };
  };
  const chunkFull = (indexes: number[]) =>
    indexes.length >= BATCH_FILES || indexes.reduce((n, i) => n + reads[i].file.text.length, 0) >= BATCH_BYTES;

  let scanned = 0;
  let lastYield = Date.now();
  for (const c of candidates) {
    scanned++;
    // Reading is synchronous: let the workers' answers in now and then, so they never starve.
    if (pool && Date.now() - lastYield > 5) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = Date.now();
    }
    if (options.onProgress) options.onProgress({ scanned, candidates: candidates.length, tables, current: c.absPath });
    let chosen: TransformEntry | undefined;
    const read = await readCandidate(c.absPath, c.path, c.explicit, (raw) => (chosen = pickEntry(c.path, raw)) !== undefined);
    if (read.kind === 'skip') continue;
    if (read.kind === 'error') {
      errors.push(read.error);
      continue;
    }
    // Explicitly named files are read even when no prefilter matched: parse errors still count.
    chosen ??= pickEntry(c.path, read.file.text) ?? entriesFor(c.path)[0];
    if (!chosen) continue;
    reads.push({ file: read.file, bom: read.bom, entry: chosen.name });
    if (!pool && script && reads.length > minFiles) {
      pool = new Pool(script, workers);
      // Scan needs no groups: everything read so far can go now, and the rest as it is read.
      if (options.mode === 'scan') pendingChunk = reads.map((_, i) => i);
    } else if (pool && options.mode === 'scan') {
      pendingChunk.push(reads.length - 1);
    }
    if (pool && options.mode === 'scan') {
      while (pendingChunk.length > 0 && (chunkFull(pendingChunk) || pendingChunk.length > BATCH_FILES)) {
        submit(pendingChunk.splice(0, BATCH_FILES));
      }
    }
    if (!pool && !script) tables += await detectInline(reads.length - 1);
  }

  let outcomes: FileOutcome[];
  if (pool) {
    try {
      if (options.mode === 'scan') {
        if (pendingChunk.length > 0) submit(pendingChunk);
      } else {
        for (const batch of folderBatches(reads)) submit(batch);
      }
      await Promise.all(tasks);
    } finally {
      await pool.close();
    }
    outcomes = reads.map((r, i) => {
      const { hunks, ...result } = results[i]!;
      const o: FileOutcome = { file: r.file, bom: r.bom, ...result };
      if (hunks !== undefined) setFileHunks(o, hunks);
      return o;
    });
  } else {
    // Few files (or no pool): everything in this thread, as it always was.
    if (script) for (let i = 0; i < reads.length; i++) await detectInline(i);
    outcomes = inline.outcomes;
    if (options.mode === 'fix') {
      for (const group of inline.groups.values()) {
        await fixGroup(group, fixOptions);
        if (!keep) for (const o of group) o.detection = undefined;
      }
    }
  }
  return { outcomes, errors, repos };

  async function detectInline(i: number): Promise<number> {
    const r = reads[i];
    const entry = TRANSFORMS.find((e) => e.name === r.entry)!;
    const transform = await loadTransform(entry);
    const outcome = await detectFile(r.file, r.bom, transform, fixOptions);
    // A scan needs the detection and the text no further, unless the caller keeps the run in this
    // thread for them: memory then grows with the tables found, not with the bytes read.
    if (options.mode === 'scan' && !keep) {
      outcome.detection = undefined;
      outcome.file = { ...outcome.file, text: '' };
    }
    inline.outcomes.push(outcome);
    const key = groupKeyOf(entry.name, transform, r.file.absPath);
    const g = inline.groups.get(key);
    if (g) g.push(outcome);
    else inline.groups.set(key, [outcome]);
    return outcome.tables.length;
  }
}

/** The fix options alone (no callbacks, no run settings), to send to workers. */
function plainOptions(options: RunOptions): FixOptions {
  const { onProgress: _p, workers: _w, parallelMinFiles: _m, cwd: _c, mode: _mode, ...rest } = options;
  return rest;
}

/**
 * Batches for `fix`: whole folders (a fix group never spans folders: a Terraform module is a
 * folder, other families fix file by file), small folders packed together.
 */
function folderBatches(reads: BatchFile[]): number[][] {
  const byDir = new Map<string, number[]>();
  reads.forEach((r, i) => {
    const d = path.dirname(r.file.absPath);
    const list = byDir.get(d);
    if (list) list.push(i);
    else byDir.set(d, [i]);
  });
  const batches: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  for (const list of byDir.values()) {
    if (cur.length > 0 && (cur.length + list.length > BATCH_FILES || bytes >= BATCH_BYTES)) {
      batches.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(...list);
    for (const i of list) bytes += reads[i].file.text.length;
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}
