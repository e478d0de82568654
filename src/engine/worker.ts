/** A worker thread of the pool (src/engine/pool.ts): runs batches of files through the pipeline. */
import { parentPort } from 'node:worker_threads';
import type { FixOptions } from '../core/types.js';
import { processBatch, type BatchFile } from './batch.js';

export interface WorkerTask {
  id: number;
  mode: 'scan' | 'fix';
  options: FixOptions;
  files: BatchFile[];
}

parentPort?.on('message', (task: WorkerTask) => {
  processBatch(task.files, task.mode, task.options).then(
    (results) => parentPort!.postMessage({ id: task.id, results }),
    (err: unknown) => parentPort!.postMessage({ id: task.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
