/**
 * stdout that fails (adversarial pass, session 52): `scan --format json > report.json` on a full disk
 * or under a file-size limit cut the JSON, said nothing and exited 1 (the code of findings); `fix
 * --patch - > p.diff` said "patch written to stdout", then crashed with a stack trace; `fix --patch - |
 * head -1` exited 0 saying the patch was written. Every failure of stdout now ends the run with exit 2
 * and one line, `error: cannot write to standard output: <reason> (<CODE>): the output is incomplete`,
 * a fix in place's files staying written (and said so). src/io/stdout.ts.
 *
 * /dev/full gives ENOSPC on every write; `ulimit -f` (1 KB blocks, no root needed) EFBIG after a short
 * write; a pipe closed by its reader EPIPE.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli-helper.js';
import { FIXTURES, ROOT } from '../helpers/fixture-cases.js';

const ENV = { ...process.env, NO_COLOR: '1', KMSFIX_CACHE_DIR: 'off' };
const LINE = /^error: cannot write to standard output: (.*) \(([A-Z]+)\): the output is incomplete(; .*)?$/;

/** A copy of the demo tree: four files, five tables to fix and one kmsfix cannot. */
function demo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-stdout-'));
  cpSync(path.join(FIXTURES, 'demo'), dir, { recursive: true });
  return dir;
}

/** The CLI with its stdout on /dev/full (ENOSPC at the first write). */
function toFull(args: string[], cwd: string): { code: number | null; stderr: string } {
  const fd = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', fd, 'pipe'] });
    return { code: r.status, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

/** The CLI with its stdout to `out` under `ulimit -f 1` (1 KB: the first write past it is cut, the next one fails). */
function limited(args: string[], cwd: string, out: string): { code: number | null; stderr: string } {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `ulimit -f 1; exec "${process.execPath}" "${BIN}" ${quoted} > "${out}"`], {
    cwd,
    env: ENV,
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr };
}

/** The CLI with its stdout closed by the reader before it writes anything (EPIPE). */
function closedStdout(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: ENV });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const full = existsSync('/dev/full');

describe('stdout that cannot be written: exit 2, one line, never "written"', () => {
  it.skipIf(!full)('scan --format json on a full disk (ENOSPC)', () => {
    const r = toFull(['scan', '--format', 'json', '.'], demo());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: cannot write to standard output: no space left on device (ENOSPC): the output is incomplete\n');
  });

  it('scan --format json over a file-size limit (EFBIG): the report written short is an error, not exit 1', () => {
    const dir = demo();
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-stdout-out-')), 'report.json');
    const r = limited(['scan', '--format', 'json', '.'], dir, out);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(LINE);
    expect(lines[0]).toContain('(EFBIG)');
    expect(statSync(out).size).toBe(1024);
  });

  it('fix --patch - over a file-size limit: no stack trace, and the summary does not say the patch was written', () => {
    const dir = demo();
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-stdout-out-')), 'p.diff');
    const r = limited(['fix', '--patch', '-', '.'], dir, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at |patch written/);
    // The tables whose patch was cut are said once, by the last line; the one kmsfix cannot fix is not fixed.
    expect(r.stderr.match(/^not fixed: .*$/gm)).toEqual([
      expect.stringMatching(/^not fixed: serverless\.yml:\d+ {2}FlagsTable {2}unknown/),
    ]);
    expect(r.stderr).toMatch(/; 5 planned in 4 files, 0 fixed, the patch on stdout is incomplete\n/);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^error: cannot write to standard output: .*\(EFBIG\): the output is incomplete$/,
    );
  });

  it('fix --patch - to a reader that closed the pipe (EPIPE): exit 2, not 0 with "patch written to stdout"', async () => {
    const r = await closedStdout(['fix', '--patch', '-', '.'], demo());
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/patch written|\n\s+at /);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      'error: cannot write to standard output: the reader closed the pipe before the end (EPIPE): the output is incomplete',
    );
  });

  it.skipIf(!full)('fix --yes with its report cut: the files are written whole and the error says so', async () => {
    const dir = demo();
    const r = toFull(['fix', '--yes', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/; 5 fixed in 4 files, 4 files written\n/);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      'error: cannot write to standard output: no space left on device (ENOSPC): the output is incomplete; the 4 files the fix wrote stay written',
    );
    // As a fix with its report written gives them.
    const other = demo();
    expect((await runCli(['fix', '--yes', '.'], other)).code).toBe(0);
    for (const f of ['orders.yaml', 'sam-app.yaml', 'catalog.json', 'serverless.yml'])
      expect(readFileSync(path.join(dir, f), 'utf8'), f).toBe(readFileSync(path.join(other, f), 'utf8'));
  });

  it.skipIf(!full)('--version and help: exit 2', () => {
    for (const args of [['--version'], ['help']]) {
      const r = toFull(args, ROOT);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr.trimEnd()).toMatch(LINE);
    }
  });

  it('a pipe left non-blocking by another process (EAGAIN while full, short writes): the whole report', async () => {
    const dir = demo();
    const expected = (await runCli(['scan', '--format', 'json', '.'], dir)).stdout;
    const preload = path.join(ROOT, 'test', 'faults', 'stdout-eagain.mjs');
    const r = spawnSync(process.execPath, ['--import', preload, path.join(ROOT, 'bin', 'kmsfix.js'), 'scan', '--format', 'json', '.'], {
      cwd: dir,
      env: ENV,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(expected.length).toBeGreaterThan(3000);
    expect(r.stdout).toBe(expected);
  });
});
