/**
 * The disk's share of a fix's floor: write the files that differ between FIXED and PRISTINE (two
 * copies of one tree) into PRISTINE atomically and durably, as kmsfix does (temp file beside the
 * target with its permissions, synced to disk, then rename; every temp file before the first rename;
 * then each folder renamed into synced once: src/io/durable.ts), with bare calls and no other work:
 * synchronous, but for the syncs, on the thread pool 16 in flight as kmsfix makes them. Prints the
 * time of those writes alone, in ms, as JSON.
 *
 *   node bench/write-floor.mjs FIXED PRISTINE
 */
import { close, closeSync, fchmodSync, fsync, open, openSync, readFileSync, readdirSync, renameSync, statSync, writeSync } from 'node:fs';
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

/** Run `job` on every item, `n` at a time. */
const lanes = (items, n, job) => {
  let next = 0;
  return Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await job(items[next++]);
    }),
  );
};
const fsyncOn = (fd) => new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
const syncFolder = (dir) =>
  new Promise((resolve, reject) =>
    open(dir, 'r', (err, fd) => (err ? reject(err) : fsync(fd, (e) => close(fd, () => (e ? reject(e) : resolve()))))),
  );

const t0 = performance.now();
const temps = writes.map(({ target, content }) => {
  const mode = statSync(target).mode & 0o7777;
  const tmp = path.join(path.dirname(target), `${TEMP_PREFIX}${path.basename(target)}`);
  const fd = openSync(tmp, 'wx', mode);
  writeSync(fd, content);
  fchmodSync(fd, mode);
  return { tmp, fd };
});
await lanes(temps, 16, ({ fd }) => fsyncOn(fd));
for (const { fd } of temps) closeSync(fd);
writes.forEach(({ target }, i) => {
  renameSync(temps[i].tmp, target);
});
await lanes([...new Set(writes.map(({ target }) => path.dirname(target)))], 8, syncFolder);
process.stdout.write(JSON.stringify({ files: writes.length, ms: performance.now() - t0 }) + '\n');
