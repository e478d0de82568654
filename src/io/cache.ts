/**
 * kmsfix's cache folder, for what a run can reuse from the runs before it on the same machine:
 * the TypeScript compiler's V8 code (src/formats/typescript/compiler.ts), the CLI's and the worker threads'
 * (src/cli/start.ts, src/engine/workerStart.ts), and the shapes of Terraform
 * text that HashiCorp's parser accepted (src/formats/terraform/hclcheck.ts).
 *
 * `$KMSFIX_CACHE_DIR`, else `$XDG_CACHE_HOME/kmsfix`, else `~/.cache/kmsfix`; `KMSFIX_CACHE_DIR=off`
 * turns every cache off. Other builds' cached code unused for a month is removed (pruneStale). A cache is only ever a speed-up: any failure to read or write one (read-only
 * home, full disk, a file another version wrote) means the work is done again, never an error.
 */
import {
  accessSync,
  appendFileSync,
  constants,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function cacheDir(): string | undefined {
  const set = process.env.KMSFIX_CACHE_DIR;
  if (set === 'off') return undefined;
  if (set) return set;
  if (process.env.XDG_CACHE_HOME) return path.join(process.env.XDG_CACHE_HOME, 'kmsfix');
  const home = os.homedir();
  return home ? path.join(home, '.cache', 'kmsfix') : undefined;
}

/**
 * Make folder `dir` and those above it that are missing (mode 0700), as mkdirSync's `recursive` does, but throwing where
 * the folder cannot be made: Node 20's recursive mkdir loops for ever where mkdir says ENOENT below a folder that exists
 * (`/proc/self/x`: HOME=/proc/self never ended a run before session 65).
 */
export function makeDir(dir: string, climb = true): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return;
    const up = path.dirname(dir);
    if (code !== 'ENOENT' || up === dir || !climb) throw e;
    makeDir(up);
    // Once more, not climbing again (another run may have made it meanwhile: EEXIST is success).
    makeDir(dir, false);
  }
}

/** The path of cache file `name`, or undefined when caching is off. */
export function cachePath(name: string): string | undefined {
  const dir = cacheDir();
  return dir ? path.join(dir, name) : undefined;
}

/** Whether folder `dir` exists (or can be made) and files can be written in it. */
export function cacheWritable(dir: string): boolean {
  try {
    makeDir(dir);
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A cache file's bytes, or undefined (no cache, unreadable). */
export function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Replace a cache file whole (temp file and rename: readers never see half of it); failures are ignored,
 * and the temp file of a failed write (a full disk, a folder under the file's name) is removed.
 */
export function writeCache(file: string | undefined, data: string | Uint8Array): void {
  if (!file) return;
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    makeDir(path.dirname(file));
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // The next run does the work again.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing to remove, or not removable: pruneStale's in a day.
    }
  }
}

/**
 * Add text at the end of a cache file (created if missing); failures are ignored. One small write
 * with O_APPEND: runs adding at the same time do not lose each other's lines, nor mix them.
 */
export function appendCache(file: string | undefined, text: string): void {
  if (!file) return;
  try {
    makeDir(path.dirname(file));
    appendFileSync(file, text, { mode: 0o600 });
  } catch {
    // The next run does the work again.
  }
}

/** A cache file of another build not written for this long is removed when a build writes its own. */
export const STALE_CACHE_DAYS = 30;

/**
 * Removes, beside the cache file just written, the other builds' files of the same family (the name
 * up to its first `-`: `cli`, `worker`, `typescript`) that were not written for STALE_CACHE_DAYS days, and
 * temp files a killed write left more than a day ago. A build still in use whose file is removed
 * only compiles once more, and writes it again. Files whose name starts with `build` (the same
 * build's files for other kinds of run, src/cli/codeVariant.ts) are kept. Failures are ignored.
 */
export function pruneStale(file: string, now = Date.now(), build?: string): void {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const family = `${name.slice(0, name.indexOf('-') + 1)}`;
  if (family.length < 2) return;
  try {
    for (const other of readdirSync(dir)) {
      if (other === name || !other.startsWith(family)) continue;
      const temp = other.endsWith('.tmp');
      if (!temp && build && other.startsWith(build)) continue;
      if (!temp && !other.endsWith('.v8cache')) continue;
      const abs = path.join(dir, other);
      try {
        const age = now - statSync(abs).mtimeMs;
        if (age > (temp ? 1 : STALE_CACHE_DAYS) * 86_400_000) rmSync(abs, { force: true });
      } catch {
        // Gone already, or not ours to remove.
      }
    }
  } catch {
    // No folder to list: nothing to prune.
  }
}
