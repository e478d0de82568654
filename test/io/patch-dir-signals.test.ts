/**
 * A signal during --patch-dir's folder sync, once its patches and mails are put in place and before
 * summary.json, its commit point (a Ctrl-C on a slow disk or NFS): the run ends `interrupted` as
 * during its renames, naming the outputs written, its lock released, summary.json still `incomplete`
 * (src/io/temp.ts heldThroughSignals). With no listener then, the signal killed it silently, lock left.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, GIT_ENV } from '../helpers/cli-helper.js';

const SHIM = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'faults', 'signal-at-sync.mjs');

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
`;

function repo(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'app.yaml'), TEMPLATE);
  for (const args of [
    ['init', '-q'],
    ['add', '.'],
    ['commit', '-q', '-m', 'init'],
  ])
    execFileSync('git', args, { cwd: dir, env: GIT_ENV });
}

describe('--patch-dir interrupted during its folder sync', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal}: interrupted, the outputs written named, the lock released, summary.json incomplete`, () => {
      const a = mkdtempSync(path.join(tmpdir(), 'kmsfix-pdsig-'));
      repo(path.join(a, 'r1'));
      repo(path.join(a, 'r2'));
      const locks = mkdtempSync(path.join(tmpdir(), 'kmsfix-locks-'));
      const out = path.join(a, 'out');
      const r = spawnSync(process.execPath, ['--import', SHIM, BIN, 'fix', '--patch-dir', out, 'r1', 'r2'], {
        cwd: a,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', KMSFIX_LOCK_DIR: locks, KMSFIX_TEST_SIGNAL_DIR: out, KMSFIX_TEST_SIGNAL: signal },
      });
      expect(r.stderr).toMatch(
        new RegExp(`kmsfix: interrupted \\(${signal}\\) during its writes: no source file changed; \\d+ outputs written \\(`),
      );
      expect(r.status).toBe(code);
      expect(readdirSync(out).filter((f) => f.endsWith('.patch'))).toHaveLength(2);
      expect(readFileSync(path.join(out, 'summary.json'), 'utf8')).toContain('"incomplete"');
      // The lock went with the exit: no lock file left for the next run to take over.
      expect(readdirSync(locks)).toEqual([]);
    }, 60_000);
  }
});
