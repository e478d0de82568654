/**
 * Preloaded into the CLI by the fault tests (`node --import test/faults/pause.mjs bin/kmsfix.js`):
 * pauses the run at one point, so that a test can change the disk there. KMSFIX_TEST_PAUSE is
 * `open:<regex>` (the first file opened whose path matches: e.g. the first temp file, when every
 * file has been read and planned and none written) or `rename:<regex>` (the first rename onto a
 * matching path: every temp file written, none renamed), `renameSync:<regex>` (the first synchronous rename
 * onto a matching path: an output put in place, --patch-dir's patches, mails and summary.json) or
 * `git:<regex>` (the first git command whose arguments, joined by spaces, match: `git:^-C \S+ switch`
 * is --commit after its writes, before its branch). KMSFIX_TEST_PAUSE_NTH=n: the n-th match, not the first
 * (--patch-dir's final summary.json, its second rename there). At that point the run creates
 * $KMSFIX_TEST_PAUSE_DIR/paused and waits until $KMSFIX_TEST_PAUSE_DIR/go exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const [where, ...rest] = (process.env.KMSFIX_TEST_PAUSE ?? '').split(':');
const pattern = new RegExp(rest.join(':') || '$^');
const dir = process.env.KMSFIX_TEST_PAUSE_DIR ?? '.';
let paused = false;
let skip = Number(process.env.KMSFIX_TEST_PAUSE_NTH ?? 1) - 1;

function pause() {
  if (paused) return;
  if (skip-- > 0) return;
  paused = true;
  fs.writeFileSync(path.join(dir, 'paused'), String(process.pid));
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(path.join(dir, 'go'))) Atomics.wait(nap, 0, 0, 5);
}

if (where === 'open') {
  const { openSync } = fs;
  fs.openSync = function (p, ...args) {
    if (pattern.test(String(p))) pause();
    return openSync.call(this, p, ...args);
  };
}
if (where === 'rename') {
  // Both: a fix renames synchronously (src/io/write.ts), outputs too; earlier builds renamed on the thread pool.
  const { rename } = fs.promises;
  fs.promises.rename = async function (from, to) {
    if (pattern.test(String(to))) pause();
    return rename.call(this, from, to);
  };
  const { renameSync } = fs;
  fs.renameSync = function (from, to) {
    if (pattern.test(String(to))) pause();
    return renameSync.call(this, from, to);
  };
}
if (where === 'renameSync') {
  const { renameSync } = fs;
  fs.renameSync = function (from, to) {
    if (pattern.test(String(to))) pause();
    return renameSync.call(this, from, to);
  };
}
if (where === 'git') {
  const { execFile } = childProcess;
  childProcess.execFile = function (file, args, ...rest) {
    if (file === 'git' && Array.isArray(args) && pattern.test(args.join(' '))) pause();
    return execFile.call(this, file, args, ...rest);
  };
}
syncBuiltinESMExports();
