/**
 * A baseline: the time Node takes just to walk a folder and read every file. `--skip a,b` leaves out
 * folders of those names (the bench passes the ones kmsfix never walks into). Prints the files, the
 * bytes and the time of the walk and reads alone (ms, without the process's start), as JSON; the
 * bench also times the whole process.
 *
 *   node bench/read-all.mjs DIR [--skip NAMES]
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const i = process.argv.indexOf('--skip');
const skip = new Set(i === -1 ? [] : process.argv[i + 1].split(','));
let files = 0;
let bytes = 0;
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.has(e.name)) walk(p);
    } else if (e.isFile()) {
      bytes += readFileSync(p).length;
      files++;
    }
  }
};
const t0 = performance.now();
walk(process.argv[2]);
process.stdout.write(JSON.stringify({ files, bytes, ms: performance.now() - t0 }) + '\n');
