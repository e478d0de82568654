/**
 * Preloaded into the CLI by the fault tests (`node --import test/faults/eio-folder.mjs bin/kmsfix.js`):
 * a disk that fails (EIO) the fsync of the folders whose path matches KMSFIX_TEST_EIO_FOLDER (a regular
 * expression, tested on the resolved path), as a failing disk does once the renames into it are made.
 * Files are synced as usual; only a folder's sync fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';

const pattern = new RegExp(process.env.KMSFIX_TEST_EIO_FOLDER ?? '$^');
const eio = () => Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO', errno: -5, syscall: 'fsync' });
const folders = new Map();
const { openSync, open, closeSync, close, fsyncSync, fsync } = fs;
const isFolder = (p) => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};
const watched = (p) => isFolder(p) && pattern.test(path.resolve(String(p)));
fs.openSync = function (p, ...rest) {
  const fd = openSync.call(this, p, ...rest);
  if (watched(p)) folders.set(fd, String(p));
  return fd;
};
fs.open = function (p, ...rest) {
  const cb = rest.pop();
  return open.call(this, p, ...rest, (err, fd) => {
    if (!err && watched(p)) folders.set(fd, String(p));
    cb(err, fd);
  });
};
fs.closeSync = function (fd) {
  folders.delete(fd);
  return closeSync.call(this, fd);
};
fs.close = function (fd, ...rest) {
  folders.delete(fd);
  return close.call(this, fd, ...rest);
};
fs.fsyncSync = function (fd) {
  if (folders.has(fd)) throw eio();
  return fsyncSync.call(this, fd);
};
fs.fsync = function (fd, cb) {
  if (folders.has(fd)) return setImmediate(() => cb(eio()));
  return fsync.call(this, fd, cb);
};
syncBuiltinESMExports();
