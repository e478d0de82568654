/**
 * --output on a full disk (a 64 KB tmpfs, filled): a fix in place writes its files as it goes, and the
 * report that cannot be written is an error its summary counts (it said "0 errors", then the error).
 * Mounting needs root and a kernel that allows it: the test is skipped, saying so, where it cannot.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
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
afterAll(() => {
  if (disk) execFileSync('umount', [disk]);
});

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
    for (const f of readdirSync(disk!)) rmSync(path.join(disk!, f), { recursive: true, force: true });
  }
});

it.skipIf(!disk)(
  '--patch-dir on a disk with 0 to 6 free pages: never a patch without its mail, every failure named, the summary true',
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-fulldisk-pd-'));
    mkdirSync(path.join(dir, 'repo'));
    for (const f of ['orders.yaml', 'sam-app.yaml', 'catalog.json', 'serverless.yml'])
      cpSync(path.join(FIXTURES, 'demo', f), path.join(dir, 'repo', f));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: path.join(dir, 'repo') });
    // Committed: --patch-dir leaves untracked files out of the patch and mail.
    execFileSync('git', ['add', '-A'], { cwd: path.join(dir, 'repo') });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'init'], { cwd: path.join(dir, 'repo') });
    try {
      for (let free = 0; free <= 6; free++) {
        for (const f of readdirSync(disk!)) rmSync(path.join(disk!, f), { recursive: true, force: true });
        execFileSync('dd', ['if=/dev/zero', `of=${path.join(disk!, 'filler')}`, 'bs=4k', `count=${16 - free}`], { stdio: 'ignore' });
        const pd = path.join(disk!, 'pd');
        const r = await runCli(['fix', 'repo', '--patch-dir', pd], dir);
        const names = existsSync(pd) ? readdirSync(pd) : [];
        expect(names.includes('repo.patch'), `${free}: ${names}`).toBe(names.includes('repo.mbox'));
        const written = names.includes('summary.json') ? JSON.parse(readFileSync(path.join(pd, 'summary.json'), 'utf8')) : undefined;
        // One that says "incomplete" is the one a run writes first: the final one (the commit point) could not be written.
        const summary = written?.repositories ? written : undefined;
        if (written && !summary) expect(written.incomplete, `${free}`).toMatch(/run it again/);
        if (summary) expect(summary.repositories[0].patch === null, `${free}`).toBe(!names.includes('repo.patch'));
        if (names.includes('repo.patch') && summary) continue;
        // Something was not written: named, counted, and the table and summary line still printed.
        expect(r.code, `${free}`).toBe(2);
        expect(r.stderr, `${free}`).toMatch(/error: .*(repo\.patch|repo\.mbox|summary\.json): .*(ENOSPC|no space)/);
        expect(r.stdout, `${free}`).toMatch(/^repository +tables/);
        if (!names.includes('repo.patch')) expect(r.stderr, `${free}`).toMatch(/, no patch written\n$/);
      }
    } finally {
      for (const f of readdirSync(disk!)) rmSync(path.join(disk!, f), { recursive: true, force: true });
    }
  },
);
