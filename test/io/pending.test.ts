/**
 * `fix --commit`'s record in the git dir (src/io/pending.ts): written atomically (whole or absent, no
 * temp file left), with what the next run needs to finish a killed one; read back as either version.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PENDING_NAME, pendingPaths, readPending, sha256, writePending } from '../../src/io/pending.js';

function root(): string {
  const r = mkdtempSync(path.join(tmpdir(), 'kmsfix-pending-'));
  mkdirSync(path.join(r, '.git'));
  return r;
}
const RECORD = {
  head: { branch: 'main', sha: 'a'.repeat(40) },
  message: 'Encrypt DynamoDB tables with a customer-managed KMS key\n',
  files: [{ path: 'infra/app.yaml', before: sha256('old'), planned: sha256('new') }],
};

describe('the --commit record', () => {
  it('holds the files with the sha256 of their bytes before and planned, the HEAD and the message; written by rename, no temp file left', () => {
    const r = root();
    writePending(r, RECORD);
    expect(readdirSync(path.join(r, '.git'))).toEqual([PENDING_NAME]);
    expect(readPending(r)).toEqual({ version: 2, pid: process.pid, ...RECORD });
    expect(sha256(Buffer.from('new'))).toBe(sha256('new'));
  });

  it('a record that cannot be written throws and leaves the one before it whole', () => {
    const r = root();
    writePending(r, RECORD);
    // Its temp file's name taken by a folder: the write fails (as root too).
    mkdirSync(path.join(r, '.git', `${PENDING_NAME}.tmp`));
    expect(() => writePending(r, { ...RECORD, message: 'other' })).toThrow();
    expect(readPending(r)).toMatchObject({ message: RECORD.message });
  });

  it('reads the record of an earlier kmsfix (its files alone) as version 1; one that does not parse as none', () => {
    const r = root();
    writeFileSync(path.join(r, '.git', PENDING_NAME), JSON.stringify({ version: 1, pid: 7, files: ['a.yaml'] }));
    const legacy = readPending(r)!;
    expect(legacy).toEqual({ version: 1, pid: 7, files: ['a.yaml'] });
    expect(pendingPaths(legacy)).toEqual(['a.yaml']);
    writeFileSync(path.join(r, '.git', PENDING_NAME), '{"version":2,"pid":7,"files":[{"pa');
    expect(readPending(r)).toBeUndefined();
    expect(readFileSync(path.join(r, '.git', PENDING_NAME), 'utf8')).toContain('version');
  });
});
