/**
 * A low hard limit on open files (a container run with `--ulimit nofile=64:64`): a fix in place of
 * 300 one-table templates in one folder writes them all. Each temp file is closed once its own sync
 * ends, at most TEMPS_OPEN open at once (src/io/write.ts writeGroups); kept open until the whole
 * chunk's syncs ended, they ran out of handles (EMFILE on most files).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli-helper.js';

const template = (n: number) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Table${n}:
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

describe('a fix in place under a low limit on open files', () => {
  it('ulimit -n 64, 300 files in one folder: every file written, exit 0, no temp file left', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-nofile-'));
    const files = Array.from({ length: 300 }, (_, i) => `t${String(i).padStart(3, '0')}.yaml`);
    for (const [i, f] of files.entries()) writeFileSync(path.join(dir, f), template(i));
    const locks = mkdtempSync(path.join(tmpdir(), 'kmsfix-locks-'));
    // `ulimit -n` in sh lowers the hard limit too (node raises its soft limit to the hard one).
    const r = spawnSync('sh', ['-c', 'ulimit -n 64 && exec "$0" "$@"', process.execPath, BIN, 'fix', '--yes', '--quiet', dir], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', KMSFIX_LOCK_DIR: locks },
    });
    expect(r.stderr).not.toContain('EMFILE');
    expect(r.status).toBe(0);
    for (const f of files) expect(readFileSync(path.join(dir, f), 'utf8'), f).toContain('KMSMasterKeyId');
    expect(readdirSync(dir).filter((f) => f.startsWith('.kmsfix-'))).toEqual([]);
  }, 60_000);
});
