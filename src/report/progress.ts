/**
 * A one-line progress display on stderr for long runs: files scanned, tables found, current
 * repository. Only on a terminal and without --quiet; redrawn at most every 100 ms; erased at the end.
 */
import path from 'node:path';
import { repoRootOf } from '../io/git.js';
import type { RunProgress } from '../core/result.js';

export interface Progress {
  update(p: RunProgress): void;
  done(): void;
}

const NOOP: Progress = { update: () => undefined, done: () => undefined };

export function progress(enabled: boolean, write: (s: string) => void, cwd: string, columns = 80): Progress {
  if (!enabled) return NOOP;
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.scanned !== p.candidates) return;
      last = now;
      const root = repoRootOf(p.current);
      const where = root ? path.basename(root) : path.relative(cwd, path.dirname(p.current)) || '.';
      let line = `scanning ${p.scanned}/${p.candidates} files, ${p.tables} table${p.tables === 1 ? '' : 's'}  ${where}`;
      if (line.length > columns - 1) line = line.slice(0, columns - 2) + '…';
      write(`\r\x1b[K${line}`);
      shown = true;
    },
    done() {
      if (shown) write('\r\x1b[K');
      shown = false;
    },
  };
}
