/**
 * Whether a file descriptor is a terminal (tty.isatty), without loading node:tty when it cannot be:
 * node:tty requires net and Node's streams (about forty of Node's modules, 12 million instructions of a
 * one-file scan's start; docs/performance.md, sixty-first session), while a run whose stdout and stderr
 * are a pipe or a file never uses them. A terminal is a character device: a descriptor that is not
 * one (fstat) is no terminal, and one that is (a terminal, /dev/null) is asked of tty.isatty as before.
 * On Windows, and when fstat fails, tty.isatty answers alone.
 */
import { fstatSync } from 'node:fs';
import { lazyRequire } from '../core/lazy.js';

const tty = lazyRequire<typeof import('node:tty')>('node:tty');

export function isTerminal(fd: number): boolean {
  if (process.platform !== 'win32') {
    try {
      if (!fstatSync(fd).isCharacterDevice()) return false;
    } catch {
      // A closed descriptor, or another failure: tty.isatty says.
    }
  }
  return tty().isatty(fd);
}
