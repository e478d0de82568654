/**
 * Preloaded into the CLI by the tests (`node --import test/faults/eacces.mjs bin/kmsfix.js`): a folder
 * without write permission for the files whose path matches KMSFIX_TEST_EACCES (a regular
 * expression): a temp file beside one cannot be created (EACCES), as in a folder the user may not
 * write to though the file's own mode lets them (root passes that check, so the tests inject it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';

const pattern = new RegExp(process.env.KMSFIX_TEST_EACCES ?? '$^');
const { openSync } = fs;
fs.openSync = function (p, ...rest) {
  const s = String(p);
  if (path.basename(s).startsWith('.kmsfix-tmp-') && pattern.test(path.dirname(s)))
    throw Object.assign(new Error(`EACCES: permission denied, open '${s}'`), { code: 'EACCES', errno: -13, syscall: 'open', path: s });
  return openSync.call(this, p, ...rest);
};
syncBuiltinESMExports();
