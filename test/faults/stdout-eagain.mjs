/**
 * Preloaded into the CLI by test/cli/stdout-failures.test.ts (`node --import test/faults/stdout-eagain.mjs
 * bin/kmsfix.js`): stdout as a full pipe that another process made non-blocking. Each write to fd 1
 * first says EAGAIN (the pipe is full), then takes at most 1000 bytes (a short write), as such a pipe
 * does while its reader is slow.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const { writeSync } = fs;
let full = false;
fs.writeSync = function (fd, data, ...rest) {
  if (fd !== 1) return writeSync.call(this, fd, data, ...rest);
  full = !full;
  if (full)
    throw Object.assign(new Error('EAGAIN: resource temporarily unavailable, write'), { code: 'EAGAIN', errno: -11, syscall: 'write' });
  if (typeof data === 'string') return writeSync.call(this, fd, data.slice(0, 1000));
  const [offset = 0, length = data.length - offset] = rest;
  return writeSync.call(this, fd, data, offset, Math.min(length, 1000));
};
syncBuiltinESMExports();
