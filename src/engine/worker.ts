/** A worker thread of the pool (src/engine/pool.ts): runs batches of files through the pipeline. */
import { parentPort, workerData } from 'node:worker_threads';
import type { FixOptions } from '../core/types.js';
import { processBatch, type BatchFile, type Pass } from './batch.js';
import { type Disk, type TreeFile, runDisk } from './disk.js';

export interface WorkerTask {
  id: number;
  mode: Pass;
  options: FixOptions;
  files: BatchFile[];
}

/**
 * The pool's last message to a worker (Pool.save): once the batches before it are done, the worker saves the
 * cached code of its own code, when its start (src/engine/workerStart.ts) ran it from some, and answers
 * `{ saved: true }`.
 */
export interface SaveCode {
  save: true;
}

/** What the pool gives each worker once (Pool): the run's tree files (DiskContext.treeFiles), and its kind (workerStart.ts). */
export interface WorkerData {
  tree: TreeFile[];
  /** Which cached code of the worker's own code it loads and saves (workerStart.ts): `own-scan`, `pool-fix`, ... */
  kind?: string;
}

/** The worker's reader of siblings and project files: it lives as long as the worker (one run), and so do its caches. */
let disk: { maxBytes: number | undefined; mode: Pass; disk: Disk } | undefined;

/** Writes the cached code of this file (set by workerStart.ts when it ran this file through vm.Script). */
let saveCode: (() => void) | undefined;

/** workerStart.ts: what to call on the pool's save message (after the batches, when V8 compiled what they ran). */
export function onSaveCode(save: (() => void) | undefined): void {
  saveCode = save;
}

/** The batches not answered yet: the save message waits for them. */
const running = new Set<Promise<void>>();

/**
 * Set on the thread's global once this file's listener is added: were both builds of this file loaded in one
 * thread (worker.cjs's top level ran, then threw, and workerStart.ts imported worker.js), one takes the batches.
 */
const SERVING = Symbol.for('kmsfix.worker.serving');
const global = globalThis as { [SERVING]?: true };

if (!global[SERVING]) {
  global[SERVING] = true;
  parentPort?.on('message', listen);
}

function listen(task: WorkerTask | SaveCode): void {
  if ('save' in task) {
    Promise.allSettled([...running]).then(() => {
      try {
        saveCode?.();
      } catch {
        // No cache: the next run compiles again.
      }
      saveCode = undefined;
      parentPort!.postMessage({ saved: true });
    });
    return;
  }
  if (!disk || disk.maxBytes !== task.options.maxFileBytes || disk.mode !== task.mode)
    disk = {
      maxBytes: task.options.maxFileBytes,
      mode: task.mode,
      disk: runDisk(task.options.maxFileBytes, undefined, (workerData as WorkerData | undefined)?.tree, task.mode === 'fix'),
    };
  const done = processBatch(task.files, task.mode, task.options, disk.disk).then(
    (results) => parentPort!.postMessage({ id: task.id, results }),
    (err: unknown) => parentPort!.postMessage({ id: task.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
  running.add(done);
  done.then(() => running.delete(done));
}
