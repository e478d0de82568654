/** Running the built CLI (bin/kmsfix.cjs, package.json "bin") as a user would, in a given folder. */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES, ROOT } from './fixture-cases.js';

export const BIN = path.join(ROOT, 'bin', 'kmsfix.cjs');

/** The environment for git in a test repository: an identity to commit with. */
export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

export function runCli(
  args: string[],
  cwd: string,
  input?: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** `kmsfix scan --format json ...args` in `cwd` (with `env` over the test's environment): its JSON report, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: a report read as JSON.parse reads it, each test casting it to what it asks.
export async function scanJson(cwd: string, args: string[] = [], env: Record<string, string> = {}): Promise<any> {
  return JSON.parse((await runCli(['scan', '--format', 'json', ...args], cwd, undefined, env)).stdout);
}

/** A new temp folder, `kmsfix-<name>-...`. */
export function tempDir(name: string): string {
  return mkdtempSync(path.join(tmpdir(), `kmsfix-${name}-`));
}

/** Writes `files` (path under `dir` -> text or bytes) under `dir`, with their folders; `dir` returned. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** A new temp folder (tempDir) holding `files` (writeTree). */
export function tempTree(name: string, files: Record<string, string | Buffer>): string {
  return writeTree(tempDir(name), files);
}

/** Copies files into `dir` (path under `dir` -> path under `from`, the fixtures by default), with their folders; `dir` returned. */
export function copyTree(dir: string, files: Record<string, string>, from = FIXTURES): string {
  for (const [to, src] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    cpSync(path.join(from, src), path.join(dir, to));
  }
  return dir;
}

/** Every file under `dir` (but .git) and its bytes, to compare a tree before and after a run. */
export function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

const PAUSE = path.join(ROOT, 'test', 'faults', 'pause.mjs');

/**
 * The CLI paused (test/faults/pause.mjs) at `point`; `there` runs while it waits (a signal, a git checkout), then it
 * goes on, with `env` over the test's environment. Its exit code (or the signal that ended it) and stderr.
 */
export function pausedCli(
  args: string[],
  cwd: string,
  point: string,
  there: (pid: number) => void,
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const signals = mkdtempSync(path.join(tmpdir(), 'kmsfix-pause-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', PAUSE, BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env, KMSFIX_TEST_PAUSE: point, KMSFIX_TEST_PAUSE_DIR: signals },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      if (!existsSync(path.join(signals, 'paused'))) return;
      clearInterval(poll);
      there(child.pid!);
      writeFileSync(path.join(signals, 'go'), '');
    }, 5);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stderr });
    });
  });
}
