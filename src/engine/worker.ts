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

/** What the pool gives each worker once (Pool): the run's tree files (DiskContext.treeFiles). */
export interface WorkerData {
  tree: TreeFile[];
}

/** The worker's reader of siblings and project files: it lives as long as the worker (one run), and so do its caches. */
let disk: { maxBytes: number | undefined; mode: Pass; disk: Disk } | undefined;

parentPort?.on('message', (task: WorkerTask) => {
  if (!disk || disk.maxBytes !== task.options.maxFileBytes || disk.mode !== task.mode)
    disk = {
      maxBytes: task.options.maxFileBytes,
      mode: task.mode,
      disk: runDisk(task.options.maxFileBytes, undefined, (workerData as WorkerData | undefined)?.tree, task.mode === 'fix'),
    };
  processBatch(task.files, task.mode, task.options, disk.disk).then(
    (results) => parentPort!.postMessage({ id: task.id, results }),
    (err: unknown) => parentPort!.postMessage({ id: task.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
