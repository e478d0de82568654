/**
 * --output on a full disk (a 64 KB tmpfs, filled): a fix in place writes its files as it goes, and the
 * report that cannot be written is an error its summary counts (it said "0 errors", then the error).
 * Mounting needs root and a kernel that allows it: the test is skipped, saying so, where it cannot.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { runCli } from '../helpers/cli-helper.js';

/** A mounted 64 KB tmpfs, or undefined when this machine cannot make one. */
function smallDisk(): string | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-fulldisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return undefined;
  }
}

const disk = process.getuid?.() === 0 ? smallDisk() : undefined;
if (!disk) console.log('full-disk.test.ts: skipped: mounting a small tmpfs needs root and a kernel that allows it');

it.skipIf(!disk)('fix -o on a full disk: the report that cannot be written is an error in the summary (exit 2)', async () => {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${path.join(disk!, 'filler')}`, 'bs=4k', 'count=16'], { stdio: 'ignore' });
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-fulldisk-src-'));
    mkdirSync(path.join(dir, 'repo'));
    cpSync(path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'input.yaml'), path.join(dir, 'repo', 'app.yaml'));
    const r = await runCli(['fix', '--yes', 'repo', '-o', path.join(disk!, 'changes.diff')], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^1 table in 1 file: .*, 1 error; 1 fixed in 1 file, 1 file written$/);
    expect(r.stderr).toMatch(/error: .*changes\.diff: the report is not written: .*(ENOSPC|no space)/);
    // Said once, before the summary.
    expect(r.stderr.match(/changes\.diff/g)).toHaveLength(1);
  } finally {
    execFileSync('umount', [disk!]);
  }
});
