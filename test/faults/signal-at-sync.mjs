/**
 * Preloaded into the CLI by a fault test (`node --import test/faults/signal-at-sync.mjs bin/kmsfix.cjs`):
 * the run sends itself KMSFIX_TEST_SIGNAL (SIGTERM, SIGINT) while it syncs the folder KMSFIX_TEST_SIGNAL_DIR
 * once patches are in it and its summary.json is still the `incomplete` marker: --patch-dir's folder sync
 * after its patches and mails are put in place (a Ctrl-C on a slow disk, at that moment).
 */
import fs from 'node:fs';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';

const dir = process.env.KMSFIX_TEST_SIGNAL_DIR ?? '';
const signal = process.env.KMSFIX_TEST_SIGNAL ?? 'SIGTERM';
const paths = new Map();
const { openSync, closeSync, fsyncSync } = fs;
fs.openSync = function (p, ...rest) {
  const fd = openSync.call(this, p, ...rest);
  paths.set(fd, String(p));
  return fd;
};
fs.closeSync = function (fd) {
  paths.delete(fd);
  return closeSync.call(this, fd);
};
const patchesIn = () => {
  try {
    const summary = fs.readFileSync(path.join(dir, 'summary.json'), 'utf8');
    return summary.includes('"incomplete"') && fs.readdirSync(dir).some((f) => f.endsWith('.patch'));
  } catch {
    return false;
  }
};
let sent = false;
fs.fsyncSync = function (fd) {
  const r = fsyncSync.call(this, fd);
  if (!sent && dir && path.resolve(paths.get(fd) ?? '') === path.resolve(dir) && patchesIn()) {
    sent = true;
    process.kill(process.pid, signal);
  }
  return r;
};
syncBuiltinESMExports();
