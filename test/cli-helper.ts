/** Running the built CLI (bin/kmsfix.js) as a user would, in a given folder. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './fixture-cases.js';

export const BIN = path.join(ROOT, 'bin', 'kmsfix.js');

export function runCli(args: string[], cwd: string, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
