/** Where a run's report goes: colours (--no-color, NO_COLOR, FORCE_COLOR) and --output FILE. */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Io } from '../cli.js';
import { OutputError, realish, scannedFolderOf } from '../io/outputs.js';
import { SpooledOutput } from '../io/write.js';

/**
 * Colours on stdout: NO_COLOR (set and not empty, https://no-color.org) turns them off, even with
 * FORCE_COLOR (a user's NO_COLOR is a standing choice, FORCE_COLOR often a CI default); else
 * FORCE_COLOR (set, and not 0 or false) on; otherwise `terminal` (stdout is a terminal). --no-color wins over both.
 */
export function colorWanted(terminal: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force.toLowerCase() !== 'false') return true;
  return terminal;
}

/**
 * --output FILE: not a folder, not a path given to scan, and not a new file the run's folders would
 * hold under a name some format reads (as --patch; an existing one the run reads is refused by the
 * run, before it reads: cli.ts). Its folder must exist.
 */
export function checkOutputFile(file: string, inputs: string[], cwd: string): void {
  const abs = realish(path.resolve(cwd, file));
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return undefined;
    }
  };
  if (isDir(abs)) throw new OutputError(`--output ${file}: is a folder; give the report file's name`);
  for (const input of inputs.length ? inputs : ['.']) {
    if (realish(path.resolve(cwd, input)) === abs)
      throw new OutputError(`--output ${file}: is a path given to scan; the report would overwrite it`);
  }
  const scanned = isDir(abs) === undefined ? scannedFolderOf(abs, inputs, cwd) : undefined;
  if (scanned !== undefined)
    throw new OutputError(
      `--output ${file}: would be scanned as a template (it is inside ${scanned}), and a report there breaks its folder's templates or module; name it *.txt, *.diff or *.sarif, or put it elsewhere`,
    );
  const parent = isDir(path.dirname(abs));
  if (parent === undefined) throw new OutputError(`--output ${file}: the folder ${path.dirname(file)} does not exist`);
  if (!parent) throw new OutputError(`--output ${file}: ${path.dirname(file)} is not a folder`);
}

/**
 * An Io whose stdout goes to --output FILE: written beside it as the run goes and put in place at
 * the end, all of the report or nothing (src/io/write.ts SpooledOutput), so that a long report is
 * not held in memory. `cancel`: the file is left as it was.
 */
export function captured(io: Io, file: string, cwd: string) {
  const spool = new SpooledOutput(path.resolve(cwd, file), file);
  let cancelled = false;
  /** Once put in place (or failed): what write() said. */
  let result: { error?: Error } | undefined;
  const write = (): Error | undefined => {
    if (!result) {
      try {
        spool.commit();
        result = {};
      } catch (err) {
        result = { error: err as Error };
      }
    }
    return result.error;
  };
  return {
    io: {
      ...io,
      out: (t: string) => {
        if (!cancelled && !result) spool.write(t);
      },
      progress: io.progress,
      settle: write,
      // The file's failure is settle's to say: stdout is not written.
      outFailed: undefined,
    } as Io,
    get cancelled() {
      return cancelled;
    },
    /** Whether the report was put in place (or failed to be) during the run. */
    get settled() {
      return result !== undefined;
    },
    cancel() {
      cancelled = true;
      spool.discard();
    },
    /** Puts the report in place (once); the error when it cannot be written (an UnflushedError: written, its folder not synced). */
    write,
  };
}
