/**
 * A write that the disk cuts short (a nearly full disk, a file-size limit: write(2) takes part of the
 * text and no error) must never replace a file: the temp file was renamed over the template with its
 * first kilobyte only, the run said "1 file written" and exited 0 (adversarial pass, session 50).
 * `ulimit -f 1` (1 KB per file, no root needed) makes the kernel cut the write where a full disk would.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { BIN } from '../helpers/cli-helper.js';

it('a temp file written short is an error: the file keeps every byte, the run exits 2 and names it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-short-'));
  mkdirSync(path.join(dir, 'repo'));
  const input = path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'input.yaml');
  const before = readFileSync(input, 'utf8');
  // Under the limit before the fix, over it after: the new version is written short.
  expect(Buffer.byteLength(before)).toBeLessThan(1024);
  cpSync(input, path.join(dir, 'repo', 'app.yaml'));
  const r = spawnSync('bash', ['-c', `ulimit -f 1; exec "${process.execPath}" "${BIN}" fix --yes repo`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', KMSFIX_CACHE_DIR: 'off' },
  });
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/error: repo\/app\.yaml: cannot write: .*(EFBIG|too large)/);
  expect(r.stderr).toMatch(/0 files written|nothing written/);
  expect(readFileSync(path.join(dir, 'repo', 'app.yaml'), 'utf8')).toBe(before);
  // No temp file left beside it.
  expect(readdirSync(path.join(dir, 'repo'))).toEqual(['app.yaml']);
});
