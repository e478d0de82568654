/**
 * An output put in place whose folder the disk cannot sync after the rename (EIO, test/faults/eio-folder.mjs):
 * `--patch FILE` and `-o FILE` are written, whole, but not surely on disk. The summary says the patch is written
 * (it said "no patch written" beside "is written, but its folder could not be flushed"), the report's error that it
 * is written (it said "the report is not written: ... is written"), and the run fails (exit 2), as a fix in place
 * whose folder cannot be flushed does.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli-helper.js';
import { FIXTURES } from '../helpers/fixture-cases.js';

const EIO_FOLDER = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'faults', 'eio-folder.mjs');
const LOCKS = mkdtempSync(path.join(tmpdir(), 'kmsfix-locks-'));

/** A folder with a template to fix (app.yaml) and an `out` folder whose sync fails with EIO; the CLI run in it. */
function run(args: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-unflushed-'));
  cpSync(path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'input.yaml'), path.join(dir, 'app.yaml'));
  mkdirSync(path.join(dir, 'out'));
  const r = spawnSync(process.execPath, ['--import', EIO_FOLDER, BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', KMSFIX_LOCK_DIR: LOCKS, KMSFIX_TEST_EIO_FOLDER: `${path.sep}out$` },
  });
  return { dir, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('an output whose folder cannot be flushed (EIO) is said written, not surely on disk', () => {
  it('fix --patch FILE: the patch is written and the table fixed in it, said so; exit 2', () => {
    const r = run(['fix', '--patch', 'out/fix.patch', 'app.yaml']);
    expect(readFileSync(path.join(r.dir, 'out', 'fix.patch'), 'utf8')).toMatch(/^--- a\/app\.yaml\n/m);
    expect(r.stderr).toContain(
      'error: out/fix.patch: the patch is written, but its folder could not be flushed to disk (input/output error (EIO)): a power loss may undo it\n',
    );
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      '1 table in 1 file: 0 compliant, 1 non-compliant (1 fixable), 1 error; 1 fixed in 1 file, patch written to out/fix.patch (not surely on disk: its folder could not be flushed)',
    );
    expect(r.stderr).not.toContain('no patch written');
    expect(r.stderr).not.toContain('not fixed:');
    expect(r.code).toBe(2);
  });

  it('fix --patch FILE --format json: the table fixed, the error said', () => {
    const r = run(['fix', '--patch', 'out/fix.patch', '--format', 'json', 'app.yaml']);
    const report = JSON.parse(r.stdout);
    expect(report.tables.map((t: { fixed: boolean }) => t.fixed)).toEqual([true]);
    expect(report.errors).toEqual([
      {
        file: 'out/fix.patch',
        message: 'the patch is written, but its folder could not be flushed to disk (input/output error (EIO)): a power loss may undo it',
      },
    ]);
    expect(r.code).toBe(2);
  });

  it('fix --dry-run -o FILE: the report is written, said so; exit 2', () => {
    const r = run(['fix', '--dry-run', '-o', 'out/report.diff', 'app.yaml']);
    expect(readFileSync(path.join(r.dir, 'out', 'report.diff'), 'utf8')).toMatch(/^--- a\/app\.yaml\n/m);
    expect(r.stderr).toContain(
      'error: out/report.diff: the report is written, but its folder could not be flushed to disk (input/output error (EIO)): a power loss may undo it\n',
    );
    expect(r.stderr).not.toContain('not written');
    expect(r.code).toBe(2);
  });
});
