/**
 * stdout closed by its reader (`kmsfix scan | head -1`, the reader gone): the CLI died with an unhandled EPIPE and a
 * stack trace. It drops the rest of its output and goes on to its end (a fix's writes complete), then
 * exits 2 saying its output is incomplete (session 52: it exited as if all was written;
 * test/cli/stdout-failures.test.ts has the other failures of stdout).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli-helper.js';
import { FIXTURES } from '../helpers/fixture-cases.js';

/** Run the CLI with its stdout closed by the reader before it writes anything. */
function closedStdout(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('stdout closed early', () => {
  it('scan: no crash, exit 2 and one line saying the output is incomplete', async () => {
    const r = await closedStdout(['scan', '--verbose', '.'], FIXTURES);
    expect(r.stderr).not.toMatch(/Unhandled|\n\s+at /);
    expect(r.stderr.split('\n').filter((l) => l.includes('EPIPE'))).toEqual([
      'error: cannot write to standard output: the reader closed the pipe before the end (EPIPE): the output is incomplete',
    ]);
    expect(r.code).toBe(2);
  }, 60_000);

  it('fix --yes: the files are still written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-epipe-'));
    cpSync(path.join(FIXTURES, 'cloudformation'), dir, { recursive: true });
    const r = await closedStdout(['fix', '--yes', '.'], dir);
    expect(r.stderr).not.toMatch(/Unhandled|\n\s+at /);
    expect(r.stderr).toMatch(/\(EPIPE\): the output is incomplete; the \d+ files the fix wrote stay written\n$/);
    expect(r.code).toBe(2);
    expect(readFileSync(path.join(dir, 'yaml-no-sse', 'input.yaml'), 'utf8')).toBe(
      readFileSync(path.join(FIXTURES, 'cloudformation', 'yaml-no-sse', 'expected.yaml'), 'utf8'),
    );
  }, 60_000);
});
