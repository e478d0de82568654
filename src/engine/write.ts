/**
 * Atomic writes: each file's new text goes to a temp file beside it (permissions copied), which is
 * then renamed over it. A run that is killed leaves every file old or new. The temp file's name
 * depends only on the target, so the next run overwrites a temp file left by a killed run and
 * renames it away; discovery skips them.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const TEMP_PREFIX = '.kmsfix-tmp-';

export interface FileWrite {
  absPath: string;
  content: string;
}

/** Write `content` to the target's temp file, with the target's permissions; returns the temp path. */
async function writeTemp(absPath: string, content: string): Promise<string> {
  const st = await fs.stat(absPath);
  const tmp = path.join(path.dirname(absPath), `${TEMP_PREFIX}${path.basename(absPath)}`);
  try {
    // 'wx' never writes through a link planted there; a leftover of a killed run is removed first.
    try {
      await fs.writeFile(tmp, content, { mode: st.mode & 0o7777, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await fs.rm(tmp, { force: true });
      await fs.writeFile(tmp, content, { mode: st.mode & 0o7777, flag: 'wx' });
    }
    // The mode given to open is narrowed by the umask: set it exactly.
    await fs.chmod(tmp, st.mode & 0o7777);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  return tmp;
}

/** Move a temp file over its target, or remove it when that fails. */
async function replaceWith(tmp: string, absPath: string): Promise<void> {
  try {
    await fs.rename(tmp, absPath);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Run `job` on every item, `concurrency` at a time; the error of each failure, by index. */
async function inLanes<T>(items: T[], concurrency: number, job: (item: T, i: number) => Promise<void>): Promise<(Error | undefined)[]> {
  const errors: (Error | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        await job(items[i], i);
      } catch (err) {
        errors[i] = err as Error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return errors;
}

/**
 * Many atomic writes, in two phases: every temp file is written first, then the temp files are
 * renamed over their targets; a file whose temp file could not be written is left as it was. The
 * error of each failure.
 *
 * Each phase runs a few files at a time on the thread pool (3,000 files: 1.8 s one by one, 1.2 s
 * eight at a time). Two phases rather than temp-and-rename per file: on ext4 without a journal
 * (this machine's disk), creating a file skips, one by one, the inodes freed in the last ~30 s,
 * and each rename frees one, so creates between renames cost more and more as a run goes on (3,300
 * files, one thread: 1.1 to 1.3 s interleaved, 0.86 to 1.06 s in two phases).
 */
export async function writeAllAtomic(files: FileWrite[], concurrency = 8): Promise<(Error | undefined)[]> {
  const temps: string[] = new Array(files.length);
  const errors = await inLanes(files, concurrency, async (f, i) => {
    temps[i] = await writeTemp(f.absPath, f.content);
  });
  const renamed = await inLanes(files, concurrency, async (f, i) => {
    if (!errors[i]) await replaceWith(temps[i], f.absPath);
  });
  return errors.map((e, i) => e ?? renamed[i]);
}
