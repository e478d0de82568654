/**
 * Preloaded into the CLI by the tests (`node --import test/faults/eacces.mjs bin/kmsfix.js`): a folder
 * without write permission for the files whose path matches KMSFIX_TEST_EACCES (a regular
 * expression): a temp file beside one cannot be created (EACCES), as in a folder the user may not
 * write to though the file's own mode lets them (root passes that check, so the tests inject it).
 * KMSFIX_TEST_EACCES_CODE gives another error (EPERM: an immutable folder; EROFS: a read-only
 * mount), also for access(W_OK) on a file whose path matches KMSFIX_TEST_ACCESS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';

const pattern = new RegExp(process.env.KMSFIX_TEST_EACCES ?? '$^');
const access = new RegExp(process.env.KMSFIX_TEST_ACCESS ?? '$^');
const code = process.env.KMSFIX_TEST_EACCES_CODE ?? 'EACCES';
const fail = (syscall, s) => Object.assign(new Error(`${code}: injected, ${syscall} '${s}'`), { code, syscall, path: s });
const { openSync, accessSync } = fs;
fs.openSync = function (p, ...rest) {
  const s = String(p);
  if (path.basename(s).startsWith('.kmsfix-tmp-') && pattern.test(path.dirname(s))) throw fail('open', s);
  return openSync.call(this, p, ...rest);
};
fs.accessSync = function (p, ...rest) {
  if (access.test(String(p))) throw fail('access', String(p));
  return accessSync.call(this, p, ...rest);
};
syncBuiltinESMExports();
