/** --key-strategy shared on a Terraform module: one key per module (per provider), whichever files its tables live in. */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';
import { run } from '../../../src/engine/run.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

// Replicas get keys only when their re-creation is accepted (--recreate-replicas).
const SHARED = { keyStrategy: 'shared' as const, recreateReplicas: true };
const table = (n: string, extra = '') => `resource "aws_dynamodb_table" "${n}" {\n  name     = "${n}"\n  hash_key = "id"\n${extra}}\n`;

function keysOf(texts: Iterable<string>): string[] {
  return [...texts].flatMap((t) => [...t.matchAll(/resource "aws_kms_key" "([\w-]+)"/g)].map((m) => m[1]));
}

async function fixMemory(files: MemoryFile[]) {
  const r = await processMemory(files, 'fix', SHARED);
  return { r, out: files.map((f) => ({ path: f.path, text: r.output.get(f.path)! })) };
}

describe('terraform --key-strategy shared across the files of one module', () => {
  it('a later run finds the shared key by the alias template of the key settings and points a new table at it', async () => {
    const opts = { ...SHARED, key: { alias: 'alias/platform/{table}/ddb' } };
    const first = await processMemory([{ path: 'a.tf', text: table('a') }], 'fix', opts);
    const fixed = first.output.get('a.tf')!;
    expect(fixed).toContain('name          = "alias/platform/${aws_dynamodb_table.a.name}-shared/ddb"');
    const second = await processMemory([{ path: 'a.tf', text: `${fixed}\n${table('b')}` }], 'fix', opts);
    const out = second.output.get('a.tf')!;
    expect(keysOf([out])).toEqual(['dynamodb']);
    expect(out.match(/kms_key_arn = aws_kms_key\.dynamodb\.arn/g)).toHaveLength(2);
  });

  it('fixes tables in two files with one key, declared once, and verification passes', async () => {
    const { r, out } = await fixMemory([
      { path: 'a.tf', text: table('a') },
      { path: 'b.tf', text: table('b') },
    ]);
    expect(r.outcomes.map((o) => o.error)).toEqual([undefined, undefined]);
    expect(r.outcomes.flatMap((o) => o.tables).map((t) => t.fixed)).toEqual([true, true]);
    expect(keysOf(out.map((f) => f.text))).toEqual(['dynamodb']);
    expect(out[0].text).toContain('kms_key_arn = aws_kms_key.dynamodb.arn');
    expect(out[1].text).toContain('kms_key_arn = aws_kms_key.dynamodb.arn');
    expect(out[1].text).not.toContain('resource "aws_kms');
    expect(out[0].text).toContain('description             = "KMS key for DynamoDB tables a, b"');
    expect(out[0].text).toContain('name          = "alias/dynamodb/${aws_dynamodb_table.a.name}-shared"');
    // A second run finds nothing to do.
    const again = await processMemory(out, 'fix', SHARED);
    expect(again.outcomes.flatMap((o) => o.tables).every((t) => t.compliant)).toBe(true);
    for (const f of out) expect(again.output.get(f.path)).toBe(f.text);
  });

  it('a rerun reuses the shared key an earlier run declared in another file (a table added since)', async () => {
    const first = await fixMemory([{ path: 'a.tf', text: table('a') }]);
    const { r, out } = await fixMemory([first.out[0], { path: 'b.tf', text: table('b') }]);
    expect(r.outcomes.map((o) => o.error)).toEqual([undefined, undefined]);
    expect(out[0].text).toBe(first.out[0].text);
    expect(keysOf(out.map((f) => f.text))).toEqual(['dynamodb']);
    expect(out[1].text).toBe(
      table('b', '\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.dynamodb.arn\n  }\n'),
    );
  });

  it('a rerun reuses the shared key in the same file, and a key per provider stays per provider', async () => {
    const eu = 'provider "aws" {\n  alias  = "eu"\n  region = "eu-west-1"\n}\n';
    const first = await fixMemory([{ path: 'main.tf', text: eu + '\n' + table('a') + '\n' + table('e', '  provider = aws.eu\n') }]);
    expect(keysOf([first.out[0].text])).toEqual(['dynamodb', 'dynamodb_eu']);
    const added = first.out[0].text + '\n' + table('b') + '\n' + table('f', '  provider = aws.eu\n');
    const { r, out } = await fixMemory([{ path: 'main.tf', text: added }]);
    expect(r.outcomes[0].error).toBeUndefined();
    expect(keysOf([out[0].text])).toEqual(['dynamodb', 'dynamodb_eu']);
    expect(out[0].text).toContain(
      table('b', '\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.dynamodb.arn\n  }\n'),
    );
    expect(out[0].text).toContain('kms_key_arn = aws_kms_key.dynamodb_eu.arn\n  }\n}\n');
  });

  it("a rerun reuses the shared key's replica keys; a replica region it has no replica key for is declined, saying why", async () => {
    const providers =
      'provider "aws" {\n  alias  = "eu"\n  region = "eu-west-1"\n}\n\nprovider "aws" {\n  alias  = "ap"\n  region = "ap-southeast-2"\n}\n';
    const replica = (r: string) => `\n  replica {\n    region_name = "${r}"\n  }\n`;
    const first = await fixMemory([{ path: 'main.tf', text: providers + '\n' + table('a', replica('eu-west-1')) }]);
    expect(first.out[0].text).toContain('resource "aws_kms_replica_key" "dynamodb_eu"');
    const added = first.out[0].text + '\n' + table('b', replica('eu-west-1')) + '\n' + table('c', replica('ap-southeast-2'));
    const { r, out } = await fixMemory([{ path: 'main.tf', text: added }]);
    expect(r.outcomes[0].error).toBeUndefined();
    const tables = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect(tables.get('aws_dynamodb_table.b')!.fixed).toBe(true);
    expect(out[0].text).toContain(
      table(
        'b',
        replica('eu-west-1').replace('\n  }', '\n    kms_key_arn = aws_kms_replica_key.dynamodb_eu.arn\n  }') +
          '\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.dynamodb.arn\n  }\n',
      ),
    );
    expect(out[0].text).toContain(table('c', replica('ap-southeast-2')));
    expect(tables.get('aws_dynamodb_table.c')!.fixed).toBeUndefined();
    expect(tables.get('aws_dynamodb_table.c')!.message).toContain(
      'the module\'s shared key aws_kms_key.dynamodb has no aws_kms_replica_key created through provider aws.ap (replica region "ap-southeast-2")',
    );
    expect(keysOf([out[0].text])).toEqual(['dynamodb']);
  });

  it('a generated per-table key is not taken for a shared key', async () => {
    const perTable = await processMemory([{ path: 'a.tf', text: table('a') }], 'fix');
    const { out } = await fixMemory([
      { path: 'a.tf', text: perTable.output.get('a.tf')! },
      { path: 'b.tf', text: table('b') },
    ]);
    expect(keysOf(out.map((f) => f.text))).toEqual(['a', 'dynamodb']);
  });

  it('on disk (the module-dir fixture): fix writes both files with one key, a second fix changes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tf-shared-'));
    cpSync(path.join(FIXTURES, 'terraform', 'module-dir', 'input'), dir, { recursive: true });
    const opts = { cwd: dir, mode: 'fix' as const, workers: 0, acceptAwsManaged: false, keyStrategy: 'shared' as const };
    const r = await run(['.'], opts);
    expect(r.outcomes.map((o) => o.error)).toEqual([undefined, undefined]);
    const changed = r.outcomes
      .filter((o) => o.newText !== undefined)
      .map((o) => o.file.path)
      .sort();
    expect(changed).toEqual(['main.tf', 'users.tf']);
    const texts = r.outcomes.map((o) => o.newText!);
    expect(keysOf(texts)).toEqual(['dynamodb']);
    expect(texts[1]).toContain('kms_key_arn = aws_kms_key.dynamodb.arn');
    // The run returns outcomes; write them as the CLI would, then run again.
    const { writeFileSync } = await import('node:fs');
    for (const o of r.outcomes) writeFileSync(path.join(dir, o.file.path), o.newText!);
    const again = await run(['.'], opts);
    expect(again.outcomes.every((o) => o.newText === undefined && !o.error)).toBe(true);
    expect(keysOf(['kms.tf', 'main.tf', 'users.tf'].map((f) => readFileSync(path.join(dir, f), 'utf8')))).toEqual(['orders', 'dynamodb']);
  });
});
