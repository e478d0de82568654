/**
 * Where a file kmsfix opened really is, against where the walk found it (docs/safety.md, Safety: nothing
 * reached through a symbolic link is written). The walk never follows a link inside a folder, but
 * a file or a folder may be replaced by one after the walk listed it: opened by its path, the file
 * is then the link's target (a folder turned into a link to another team's folder, whose file
 * kmsfix fixed and reported under the path it was given). O_NOFOLLOW (read.ts, write.ts) catches
 * the file itself turned into a link; this catches a folder on its path: the opened file's real
 * path must be the real path the walk gave it.
 *
 * The walk's real paths: a path as named on the command line and its real spelling (a link above
 * it, or the named path itself a link: followed, by the README's rule), recorded by discover
 * (namedAs); below it, the walk follows no link, so a file's real path is its path with that
 * prefix respelled (expectedReal). Most runs name no such path: then a file's real path is its path.
 */
import { fstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Each path named on the command line (absolute) whose real spelling differs, and that spelling. */
const named = new Map<string, string>();

/** discover met `abs`, named on the command line, whose real path is `real`. */
export function namedAs(abs: string, real: string): void {
  if (abs !== real) named.set(abs, real);
}

/** The real path the walk gives a file it found at `abs` (below a path named, or named itself). */
export function expectedReal(abs: string): string {
  if (named.size === 0) return abs;
  let best = '';
  for (const n of named.keys())
    if (n.length > best.length && (abs === n || (abs.startsWith(n) && (n.endsWith(path.sep) || abs[n.length] === path.sep)))) best = n;
  return best === '' ? abs : named.get(best)! + abs.slice(best.length);
}

/**
 * Linux: the kernel's name of an open file (/proc/self/fd), one system call, and exact: the file
 * opened, wherever the path led. Undefined where there is no /proc.
 */
function procPath(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/**
 * Where the file open as `fd` (opened by the path `abs`) is, when that is not where the walk found
 * it; undefined when it is. Linux asks the kernel (procPath). Elsewhere, the path's real path now,
 * and that it names the open file (same device and inode): a folder swapped after the open and
 * back before this check is caught by the inode. Not checked on Windows (no O_NOFOLLOW either, and
 * its real paths may differ from the walk's in case alone).
 */
export function misplaced(fd: number, abs: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  const want = expectedReal(abs);
  const at = procPath(fd);
  if (at !== undefined) return at === want ? undefined : at;
  let now: string;
  try {
    now = realpathSync.native(abs);
  } catch {
    return '(no longer there)';
  }
  if (now !== want) return now;
  const a = statSync(now, { bigint: true });
  const b = fstatSync(fd, { bigint: true });
  return a.dev === b.dev && a.ino === b.ino ? undefined : '(another file)';
}
