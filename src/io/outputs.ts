/**
 * Where `--patch FILE` and `--patch-dir DIR` may write: never over a file or folder the run scans,
 * never into a folder that cannot be made, always atomically (src/io/write.ts). Each refusal is
 * an OutputError with a message that names the path and the cause (the CLI exits 2).
 */
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { FORMATS } from '../formats/index.js';
import { describeError } from './read.js';

export class OutputError extends Error {}

/** The real path of `p`, resolving its longest existing prefix (the rest may not exist yet). */
export function realish(p: string): string {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    try {
      return path.join(realpathSync(cur), ...rest);
    } catch {
      const up = path.dirname(cur);
      if (up === cur) return path.join(cur, ...rest);
      rest.unshift(path.basename(cur));
      cur = up;
    }
  }
}

function within(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function isDir(p: string): boolean | undefined {
  try {
    return statSync(p).isDirectory();
  } catch {
    return undefined;
  }
}

/** The inputs (default `.`), as real paths. */
function realInputs(inputs: string[], cwd: string): string[] {
  return (inputs.length ? inputs : ['.']).map((i) => realish(path.resolve(cwd, i)));
}

/**
 * The folder given to scan (its display path) that holds `abs` (a real path) under a name some
 * format reads: a file written there would be read as a template by the next run, and break its
 * module (a diff in a `.tf` file: Terraform reads every one of its folder).
 */
export function scannedFolderOf(abs: string, inputs: string[], cwd: string): string | undefined {
  if (!FORMATS.some((e) => e.accepts(path.basename(abs)))) return undefined;
  const input = realInputs(inputs, cwd).find((i) => isDir(i) && within(i, abs));
  return input === undefined ? undefined : path.relative(cwd, input) || '.';
}

/**
 * `--patch FILE`: not a folder, not a path given to scan, and not a file the run would scan (a
 * name some format accepts, inside a folder given to scan). Its folder must exist.
 */
export function checkPatchFile(file: string, inputs: string[], cwd: string): void {
  const abs = realish(path.resolve(cwd, file));
  if (isDir(abs)) throw new OutputError(`--patch ${file}: is a folder; give the patch file's name`);
  for (const input of realInputs(inputs, cwd)) {
    if (abs === input) throw new OutputError(`--patch ${file}: is a path given to scan; the patch would overwrite it`);
  }
  const scanned = scannedFolderOf(abs, inputs, cwd);
  if (scanned !== undefined) {
    throw new OutputError(
      `--patch ${file}: would be scanned as a template (it is inside ${scanned}); name the patch *.patch or put it elsewhere`,
    );
  }
  const parent = path.dirname(abs);
  const kind = isDir(parent);
  if (kind === undefined) throw new OutputError(`--patch ${file}: the folder ${path.dirname(file)} does not exist`);
  if (!kind) throw new OutputError(`--patch ${file}: ${path.dirname(file)} is not a folder`);
}

/**
 * A path part that names a `.git` folder on some file system: compared case-insensitively (macOS's and Windows' default
 * file systems are: `.GIT` is `.git` there), and without the trailing dots and spaces Windows drops from a name (`.git.`),
 * as git itself refuses such names in a tree (is_ntfs_dotgit, is_hfs_dotgit in its path.c).
 */
export function isDotGit(part: string): boolean {
  return part.replace(/[. ]+$/, '').toLowerCase() === '.git';
}

/**
 * `--patch-dir DIR`: a folder (made if missing), not a path given to scan, not in a `.git` folder, and none of the files it
 * will write (summary.json, <repository>.patch) a file the run scanned (`scanned`: real paths).
 */
export function checkPatchDir(dir: string, inputs: string[], cwd: string, scanned: Set<string> = new Set()): void {
  const abs = realish(path.resolve(cwd, dir));
  if (isDir(abs) === false) throw new OutputError(`--patch-dir ${dir}: is a file, not a folder`);
  // A repository's .git (or a folder in it) is git's own data: patches written there are lost to the user and may be read by
  // git (a `hooks` or `refs` folder). Any real path with a `.git` part: the scanned tree's, or another repository's.
  if (abs.split(path.sep).some(isDotGit))
    throw new OutputError(
      `--patch-dir ${dir}: is inside a git repository's .git folder (git's own data); choose a folder of its own for the patches`,
    );
  for (const input of realInputs(inputs, cwd)) {
    if (abs === input) throw new OutputError(`--patch-dir ${dir}: is a folder given to scan; choose a folder of its own for the patches`);
  }
  const summary = path.join(abs, 'summary.json');
  if (scanned.has(summary))
    throw new OutputError(
      `--patch-dir ${dir}: its summary.json would overwrite a scanned template (${path.relative(cwd, summary)}); choose a folder of its own`,
    );
}

/**
 * Make a folder and its missing parents, one level at a time (Node's recursive mkdir loops forever
 * under /proc). Throws an OutputError naming the level that could not be made.
 */
export function makeDir(dir: string, display: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    const kind = isDir(cur);
    if (kind === true) break;
    if (kind === false) throw new OutputError(`cannot create ${display}: ${cur} is not a folder`);
    missing.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && isDir(d)) continue;
      throw new OutputError(`cannot create ${display}: ${d}: ${describeError(err)}`);
    }
  }
}
