/**
 * The disk's share of a fix's floor: write the files that differ between FIXED and PRISTINE (two
 * copies of one tree) into PRISTINE atomically, as kmsfix does (temp file beside the target with its
 * permissions, then rename; every temp file before the first rename), with bare synchronous calls
 * and no other work. Prints the time of those writes alone, in ms, as JSON.
 *
 *   node bench/write-floor.mjs FIXED PRISTINE
 */
import { closeSync, fchmodSync, openSync, readFileSync, readdirSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { loadTempPrefix } from './dist.mjs';

const TEMP_PREFIX = await loadTempPrefix();
const [fixed, pristine] = process.argv.slice(2);
const writes = [];
const walk = (rel) => {
  for (const e of readdirSync(path.join(fixed, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) walk(r);
    else if (e.isFile()) {
      const content = readFileSync(path.join(fixed, r));
      const target = path.join(pristine, r);
      if (!content.equals(readFileSync(target))) writes.push({ target, content });
    }
  }
};
walk('');

const t0 = performance.now();
const temps = writes.map(({ target, content }) => {
  const mode = statSync(target).mode & 0o7777;
  const tmp = path.join(path.dirname(target), `${TEMP_PREFIX}${path.basename(target)}`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
  return tmp;
});
writes.forEach(({ target }, i) => {
  renameSync(temps[i], target);
});
process.stdout.write(JSON.stringify({ files: writes.length, ms: performance.now() - t0 }) + '\n');
