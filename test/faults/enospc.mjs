/**
 * Preloaded into the CLI by the fault tests (`node --import test/faults/enospc.mjs bin/kmsfix.js`):
 * a full disk for the files whose path matches KMSFIX_TEST_ENOSPC (a regular expression). Writes
 * to them put half their bytes on disk, then fail with ENOSPC, as a disk that fills up does.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const pattern = new RegExp(process.env.KMSFIX_TEST_ENOSPC ?? '$^');
const full = (p) =>
  Object.assign(new Error(`ENOSPC: no space left on device, write '${p}'`), { code: 'ENOSPC', errno: -28, syscall: 'write', path: p });
const half = (data) => (typeof data === 'string' ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1));

const paths = new Map();
const { openSync, writeSync, closeSync } = fs;
fs.openSync = function (p, ...rest) {
  const fd = openSync.call(this, p, ...rest);
  paths.set(fd, String(p));
  return fd;
};
fs.closeSync = function (fd) {
  paths.delete(fd);
  return closeSync.call(this, fd);
};
fs.writeSync = function (fd, data, ...rest) {
  const p = paths.get(fd);
  if (p && pattern.test(p)) {
    if (typeof data === 'string' || Buffer.isBuffer(data)) writeSync.call(this, fd, half(data));
    throw full(p);
  }
  return writeSync.call(this, fd, data, ...rest);
};
const { writeFile } = fs.promises;
fs.promises.writeFile = async function (p, data, ...rest) {
  if (pattern.test(String(p))) {
    await writeFile.call(this, p, half(data), ...rest);
    throw full(String(p));
  }
  return writeFile.call(this, p, data, ...rest);
};
syncBuiltinESMExports();
