/**
 * A small pool of worker threads for parsing: `min(cores, 4) - 1` workers (the main thread takes
 * the batches they have no room for), each running
 * batches of already-read files through the pipeline (src/engine/worker.ts). The main thread keeps
 * discovery, reading, the prefilter and writing. Workers always load the built JavaScript
 * (dist/src/engine/worker.js), also when kmsfix itself runs from TypeScript sources (tests).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyRequire } from '../core/lazy.js';
import type { Worker } from 'node:worker_threads';
import type { FixOptions } from '../core/types.js';
import type { BatchFile, Pass } from './batch.js';
import type { FileResult } from '../core/result.js';
import type { SaveCode, WorkerData, WorkerTask } from './worker.js';
import type { TreeFile } from './disk.js';

// worker_threads is loaded only when a pool starts.
const workerThreads = lazyRequire<typeof import('node:worker_threads')>('node:worker_threads');

/** Below this many files (after the prefilter), starting workers costs more than it saves. */
export const PARALLEL_MIN_FILES = 50;

/**
 * Below this much text read, starting workers costs more than it saves: each worker loads and
 * warms up its own parsers, and the files and results are copied across. Measured on the bench
 * (2 vCPUs, where one Node process alone already keeps 1.5 of them busy with its GC and compiler
 * threads): a scan of 18 MB took 1.9 s in one thread and 2.4 to 3.3 s with a worker beside the
 * main thread; of 54 MB, 4.8 to 6.9 s in one thread and 4.3 s with the worker; a fix of 54 MB
 * 18.6 s and 15.2 s. KMSFIX_PARALLEL_MIN_BYTES overrides it.
 */
export function parallelMinBytes(): number {
  const env = process.env.KMSFIX_PARALLEL_MIN_BYTES;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return 32 * 1024 * 1024;
}

/**
 * How many worker threads to use: KMSFIX_WORKERS if set (0 turns them all off), else one less
 * than the cores (at most 4), since the main thread parses too when the workers are busy. The
 * TypeScript files' own worker (src/engine/run.ts ownWorkerFamily), when there is one, is one of them.
 */
export function defaultWorkers(): number {
  const env = process.env.KMSFIX_WORKERS;
  if (env !== undefined && env !== '' && /^\d+$/.test(env)) return Number(env);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.min(cores, 4) - 1;
}

/**
 * A worker's old-generation heap limit (KMSFIX_WORKER_HEAP_MB, default 256): it makes the worker
 * collect garbage before its heap grows large. 128 MB cost a fix a third more CPU in garbage
 * collection; 256 MB: a 54 MB fix in 14.4 s (15.2 s at 128), peak RSS 506 MB. A batch whose
 * worker runs out of memory is done again in the main thread.
 */
export function workerHeapMb(): number {
  const env = Number(process.env.KMSFIX_WORKER_HEAP_MB);
  return Number.isFinite(env) && env > 0 ? env : 256;
}

/**
 * The built worker script, or undefined when it is missing (not built): then everything runs inline. In the
 * bundle, the worker's start (dist/bundle/worker-start.cjs, src/engine/workerStart.ts: the worker's code from
 * V8's cached code, else the ES modules of worker.js beside it); from the TypeScript sources (tests), tsc's
 * dist/src/engine/worker.js.
 */
export function workerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const script = path.resolve(path.dirname(here), '..', '..', 'dist', 'src', 'engine', 'worker.js');
    return existsSync(script) ? script : undefined;
  }
  for (const name of ['worker-start.cjs', 'worker.js']) {
    const script = path.join(path.dirname(here), name);
    if (existsSync(script)) return script;
  }
  return undefined;
}

interface Job {
  task: WorkerTask;
  resolve(r: FileResult[]): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  dead: boolean;
}

/** At most this many batches queued in one worker, so that a slow batch does not hold others back. */
const IN_FLIGHT = 2;

export class Pool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  /** Each worker's answer to the save message (Pool.save), once asked. */
  private saves: Promise<void>[] | undefined;
  private saveAsked = false;

  /**
   * `tree`: the run's tree files (DiskContext.treeFiles), handed to each worker once; `kind`: which cached code
   * of their own code the workers load and save (src/engine/workerStart.ts).
   */
  constructor(script: string, size: number, tree: TreeFile[] = [], kind?: string) {
    const { Worker: WorkerThread } = workerThreads();
    const workerData: WorkerData = kind ? { tree, kind } : { tree };
    for (let i = 0; i < size; i++) {
      const slot: Slot = {
        worker: new WorkerThread(script, { workerData, resourceLimits: { maxOldGenerationSizeMb: workerHeapMb() } }),
        jobs: new Map(),
        dead: false,
      };
      slot.worker.on('message', (m: { id?: number; results?: FileResult[]; error?: string }) => {
        if (m.id === undefined) return;
        const job = slot.jobs.get(m.id);
        if (!job) return;
        slot.jobs.delete(m.id);
        if (m.results) job.resolve(m.results);
        else job.reject(new Error(m.error ?? 'worker failed'));
        this.pump();
      });
      const fail = (err: Error) => {
        slot.dead = true;
        for (const job of slot.jobs.values()) job.reject(err);
        slot.jobs.clear();
        if (this.slots.every((s) => s.dead)) for (const job of this.queue.splice(0)) job.reject(err);
        else this.pump();
      };
      slot.worker.on('error', fail);
      slot.worker.on('exit', (code) => {
        if (!slot.dead) fail(new Error(`worker exited with code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  /** Whether a worker could take a batch now (the caller does the batch itself otherwise). */
  hasRoom(): boolean {
    return this.slots.some((s) => !s.dead && s.jobs.size < IN_FLIGHT);
  }

  run(files: BatchFile[], mode: Pass, options: FixOptions): Promise<FileResult[]> {
    return new Promise((resolve, reject) => {
      if (this.slots.every((s) => s.dead)) return reject(new Error('no worker left'));
      this.queue.push({ task: { id: this.nextId++, mode, options, files }, resolve, reject });
      this.pump();
    });
  }

  /**
   * No more batches will come: each worker, once it has done those it was sent, saves the cached code of its
   * own code (worker.ts SaveCode), while this thread finishes its own work; close() waits for the answers.
   */
  save(): void {
    this.saveAsked = true;
    this.pump();
  }

  private pump(): void {
    this.pumpJobs();
    if (!this.saveAsked || this.saves || this.queue.length > 0) return;
    this.saves = this.slots.filter((s) => !s.dead).map((s) => saved(s.worker));
  }

  private pumpJobs(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.filter((s) => !s.dead && s.jobs.size < IN_FLIGHT).sort((a, b) => a.jobs.size - b.jobs.size)[0];
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.jobs.set(job.task.id, job);
      try {
        slot.worker.postMessage(job.task);
      } catch (err) {
        // A task that cannot be sent (a value that cannot be cloned) fails, rather than wait forever.
        slot.jobs.delete(job.task.id);
        job.reject(err as Error);
      }
    }
  }

  /** Ends the workers, once they saved their cached code (save(), asked now if it was not). */
  async close(): Promise<void> {
    if (!this.saveAsked) this.save();
    // Batches left in the queue (none after a run's end): their promises are rejected by the terminate.
    await Promise.all(this.saves ?? []);
    await Promise.all(
      this.slots.map((s) => {
        s.dead = true;
        return s.worker.terminate();
      }),
    );
  }
}

/** Asks `worker` to save its cached code (worker.ts SaveCode); settles on its answer, or when it fails or ends. */
function saved(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      worker.off('message', answer);
      worker.off('error', done);
      worker.off('exit', done);
      resolve();
    };
    const answer = (m: { saved?: boolean }) => {
      if (m?.saved) done();
    };
    worker.on('message', answer);
    worker.on('error', done);
    worker.on('exit', done);
    try {
      worker.postMessage({ save: true } satisfies SaveCode);
    } catch {
      done();
    }
  });
}
