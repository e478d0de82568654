/**
 * A worker thread's start: the pool (src/engine/pool.ts) runs the build of this file,
 * dist/bundle/worker-start.cjs (scripts/bundle.mjs), which runs the worker's code as one CommonJS file
 * (dist/bundle/worker.cjs, built from worker.ts as cli.cjs is from cli.ts) with V8's cached code for it from
 * kmsfix's cache folder (src/io/codeCache.ts, src/io/cache.ts), else as ES modules (dist/bundle/worker.js).
 *
 * Each worker compiled kmsfix's code from its text on every run (about 0.1 to 0.2 G instructions of a run with a
 * worker; docs/performance.md, "Sixty-fourth session: the worker threads' code"). The cached code is saved by the
 * worker when the pool says its batches are over (Pool.save, worker.ts SaveCode), so that it holds the functions
 * they compiled: written when there was none (or V8 rejected it), and written again when the run compiled more
 * than it held (runCached's `grow`: another format's code). One file per kind of worker (Pool's `kind`,
 * schedule.ts workerKind: the own worker's or the pool's, a scan's or a fix's), named by worker.cjs's content hash:
 * `worker-<hash>-<kind>-node<version>-<arch>.v8cache`.
 *
 * The ES modules run instead (same behaviour) when `KMSFIX_CJS=off`, when caching is off (`KMSFIX_CACHE_DIR=off`),
 * when there is no cached code and none can be written (a read-only cache folder: the CommonJS file compiles all of
 * its 1.5 MB, the ES modules only the chunks a worker imports), or when loading the CommonJS file fails: always
 * before worker.ts's listener was added (its top level's last statement), so batches are taken once.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';
import { cachePath, cacheWritable } from '../io/cache.js';
import { codeCacheName, runCached } from '../io/codeCache.js';
import type { WorkerData } from './worker.js';

/** The content hash of dist/bundle/worker.cjs, written here by scripts/bundle.mjs (the cache file's name). */
declare const KMSFIX_WORKER_HASH: string;

const here = path.dirname(fileURLToPath(import.meta.url));

/** The worker's kinds (schedule.ts workerKind); anything else runs the ES modules. */
const KIND = /^(?:own|pool)-(?:scan|fix)$/;

if (!commonJsWorker()) import(pathToFileURL(path.join(here, 'worker.js')).href);

/** Whether dist/bundle/worker.cjs runs, with cached code (or writes it at the end). */
function commonJsWorker(): boolean {
  if (process.env.KMSFIX_CJS === 'off') return false;
  const kind = (workerData as WorkerData | undefined)?.kind;
  if (kind === undefined || !KIND.test(kind)) return false;
  const build = `worker-${KMSFIX_WORKER_HASH}-`;
  const cacheFile = cachePath(codeCacheName(`${build}${kind}`));
  if (!cacheFile || !(existsSync(cacheFile) || cacheWritable(path.dirname(cacheFile)))) return false;
  try {
    const { exports, save, grow } = runCached(path.join(here, 'worker.cjs'), cacheFile, { build });
    (exports as { onSaveCode?: (save: (() => void) | undefined) => void }).onSaveCode?.(save ?? grow);
    return true;
  } catch {
    return false;
  }
}
