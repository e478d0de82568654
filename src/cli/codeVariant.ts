/**
 * Which of the CLI's cached code files a run loads (src/cli/start.ts): one per kind of run, named by the
 * paths on its command line, so that a one-file scan deserializes the code such scans compile and not every
 * format's (issue 16; docs/performance.md "Fifty-seventh session"). V8 deserializes all of a cache file
 * before the CLI's first line runs: a file written by a scan of one file of each of the five formats (980 KB)
 * cost a one-file JSON scan about 11 ms of CPU more than one written by a JSON scan (596 KB), on a loaded host.
 *
 * The kind is read from the command line before the CLI parses it, so it is a guess, and only a guess is
 * needed: a wrong one loads another file of the same build's cached code (compiled from the same text), or
 * none, and costs time, never a result. Each argument that names an existing file or folder counts
 * (`--format json` counts only where a file `json` exists, as a folder named by `--patch-dir` may): any
 * folder makes the run a tree's (`tree`); else files of one extension (`json`, `tf`, `yaml`, ...: `.tf.json`
 * is `json`), of several (`mixed`), with none or an odd one (`file`). No path at all (`--version`, `help`,
 * a scan of the current folder): undefined, see start.ts.
 */
import { statSync } from 'node:fs';
import path from 'node:path';

/** The kind of run `argv` asks for, as a cache file name's part, or undefined when it names no path. */
export function codeVariant(argv: readonly string[]): string | undefined {
  const kinds = new Set<string>();
  for (const arg of argv) {
    if (arg === '' || arg.startsWith('-')) continue;
    let folder: boolean;
    try {
      const st = statSync(arg, { throwIfNoEntry: false });
      if (!st) continue;
      folder = st.isDirectory();
    } catch {
      continue;
    }
    if (folder) return 'tree';
    const ext = path.extname(arg).slice(1).toLowerCase();
    kinds.add(/^[a-z0-9]{1,10}$/.test(ext) ? ext : 'file');
  }
  if (kinds.size === 0) return undefined;
  return kinds.size === 1 ? [...kinds][0] : 'mixed';
}
