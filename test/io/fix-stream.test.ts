/**
 * A fix in place without a prompt writes as it goes (src/io/stream.ts, issue 16): each chunk of
 * verified groups is written while the run still reads, the run keeps no fixed text after its
 * write, and what is printed and written is what a dry run shows, across several chunks.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/engine/run.js';
import { FixStream } from '../../src/io/stream.js';
import { runCli } from '../helpers/cli-helper.js';

const template = (i: number) =>
  `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Orders${i}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n` +
  `      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n`;

/** More files than one chunk holds (256), each a table to fix, one folder each. */
const FILES = 300;
const dirs: string[] = [];

function tree(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-stream-'));
  dirs.push(dir);
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(dir, `s${String(i).padStart(3, '0')}`);
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'template.yaml'), template(i));
  }
  return dir;
}

const fileOf = (dir: string, i: number) => path.join(dir, `s${String(i).padStart(3, '0')}`, 'template.yaml');

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('fix in place, written as it goes', () => {
  it('writes the first chunk while the run still reads, and keeps no fixed text after the writes', async () => {
    const dir = tree();
    const stream = new FixStream(false, { show: () => undefined, content: (o) => o.newText! });
    let writtenBeforeLastRead: boolean | undefined;
    const result = await run(['.'], {
      cwd: dir,
      mode: 'fix',
      workers: 0,
      keyStrategy: 'per-table',
      acceptAwsManaged: false,
      onProgress: (p) => {
        if (p.scanned === p.candidates) writtenBeforeLastRead = readFileSync(fileOf(dir, 0), 'utf8').includes('KMSMasterKeyId');
      },
      onVerified: (outcomes, replace) => stream.add(outcomes, replace),
      onVerifiedEnd: () => stream.finish(),
    });
    expect(writtenBeforeLastRead).toBe(true);
    // The last file, of the last chunk, is written by finish() (onVerifiedEnd, before run() returns).
    expect(readFileSync(fileOf(dir, FILES - 1), 'utf8')).toContain('KMSMasterKeyId');
    expect(stream.written.size).toBe(FILES);
    expect(stream.failed.size).toBe(0);
    // The run's result holds no text of any file, fixed or not: only tables and where they are.
    expect(result.outcomes).toHaveLength(FILES);
    for (const o of result.outcomes) {
      expect(o.file.text).toBe('');
      expect(o.newText).toBeUndefined();
      expect(o.edits).toBeUndefined();
      expect(stream.written.has(o)).toBe(true);
    }
  });

  it('prints the same diff as a dry run, across chunks, and writes what it prints (text and JSON)', async () => {
    const env = { KMSFIX_WORKERS: '0' };
    const a = tree();
    const dry = await runCli(['fix', '--dry-run', '.'], a, undefined, env);
    const fix = await runCli(['fix', '--yes', '.'], a, undefined, env);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toBe(dry.stdout);
    expect(fix.stderr).toContain(`fixed in ${FILES} files, ${FILES} files written`);
    const b = tree();
    const json = JSON.parse((await runCli(['fix', '--yes', '--format', 'json', '.'], b, undefined, env)).stdout);
    expect(json.files).toHaveLength(FILES);
    expect(json.files.map((f: { diff: string }) => f.diff).join('')).toBe(dry.stdout);
    expect(json.files.every((f: { written: boolean }) => f.written)).toBe(true);
    for (const i of [0, 123, FILES - 1]) expect(readFileSync(fileOf(b, i), 'utf8')).toBe(readFileSync(fileOf(a, i), 'utf8'));
  }, 120_000);
});
