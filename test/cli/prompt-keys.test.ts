/**
 * The `Apply N changes? [y/N]` prompt at a real terminal (a pseudo-terminal from Python's pty module): Ctrl-C ends the
 * run as SIGINT would (exit 130, nothing written, no stack trace), Ctrl-D answers no (exit 0). Before session 57 both
 * ended in an uncaught AbortError, exit 1, which a script reads as "would change" (adversarial pass of session 57, F2).
 * SIGTERM and SIGHUP (a terminal closed) while it waits: exit 143, or ended by SIGHUP, nothing written, the lock released; Node's
 * default action killed the run and left its lock for the next run to take over (adversarial pass of session 57, F3).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { BIN } from '../helpers/cli-helper.js';

const PYTHON = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

// Runs kmsfix fix in `dir` on a pseudo-terminal, waits for the prompt, sends `key` (or the signal it names:
// SIGTERM, SIGHUP), prints the exit code and the output.
const DRIVER = `
import os, pty, select, signal, sys, time
d, key, node, bin = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
pid, fd = pty.fork()
if pid == 0:
    os.chdir(d)
    os.environ['NO_COLOR'] = '1'
    os.execv(node, [node, bin, 'fix', '.'])
out = b''
t0 = time.time()
while b'[y/N]' not in out and time.time() - t0 < 120:
    r, _, _ = select.select([fd], [], [], 1)
    if r:
        try: out += os.read(fd, 65536)
        except OSError: break
if key.startswith('SIG'): os.kill(pid, getattr(signal, key))
else: os.write(fd, key.encode().decode('unicode_escape').encode())
while True:
    r, _, _ = select.select([fd], [], [], 30)
    if not r: break
    try: b = os.read(fd, 65536)
    except OSError: break
    if not b: break
    out += b
_, st = os.waitpid(pid, 0)
sys.stdout.write(str(os.waitstatus_to_exitcode(st)) + '\\n' + out.decode(errors='replace'))
`;

function atPrompt(key: string): { code: number; output: string; before: string; after: string; file: string; locks: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-prompt-'));
  mkdirSync(path.join(dir, 'tree'));
  cpSync(path.join(FIXTURES, 'cloudformation/yaml-no-sse/input.yaml'), path.join(dir, 'tree', 't.yaml'));
  const before = readFileSync(path.join(dir, 'tree', 't.yaml'), 'utf8');
  const lockDir = path.join(dir, 'locks');
  const r = spawnSync('python3', ['-c', DRIVER, path.join(dir, 'tree'), key, process.execPath, BIN], {
    encoding: 'utf8',
    timeout: 200_000,
    env: { ...process.env, KMSFIX_LOCK_DIR: lockDir },
  });
  const [code, ...rest] = r.stdout.split('\n');
  return {
    code: Number(code),
    output: rest.join('\n'),
    before,
    after: readFileSync(path.join(dir, 'tree', 't.yaml'), 'utf8'),
    file: dir,
    locks: readdirSync(lockDir),
  };
}

describe.skipIf(!PYTHON)('the prompt at a terminal (skipped without python3 and its pty module)', () => {
  it('Ctrl-C: exit 130, nothing written, no stack trace', () => {
    const r = atPrompt('\\x03');
    expect(r.output).toContain('Apply 1 change? [y/N]');
    expect(r.code, r.output).toBe(130);
    expect(r.after).toBe(r.before);
    expect(r.output).not.toMatch(/AbortError|at .*\.js:\d+/);
  }, 240_000);

  it('Ctrl-D: answered no, exit 0, nothing written', () => {
    const r = atPrompt('\\x04');
    expect(r.code, r.output).toBe(0);
    expect(r.after).toBe(r.before);
    expect(r.output).toContain('nothing written (answered no)');
    expect(r.output).not.toMatch(/AbortError/);
  }, 240_000);

  for (const [signal, exit] of [
    ['SIGTERM', 143],
    // Raised again once the lock is released (Node aborts in its exit once a terminal is gone): ended by SIGHUP.
    ['SIGHUP', -1],
  ] as const) {
    it(`${signal} while it waits: exit ${exit}, nothing written, said so, the lock released`, () => {
      const r = atPrompt(signal);
      expect(r.output).toContain('Apply 1 change? [y/N]');
      expect(r.code, r.output).toBe(exit);
      expect(r.after).toBe(r.before);
      expect(r.output).toContain(`kmsfix: interrupted (${signal}): nothing written`);
      expect(r.locks).toEqual([]);
    }, 240_000);
  }
});
