/**
 * A TypeScript table created inside an expression no variable names (`this.tables.push(new Table(...))`,
 * `return new Table(...)` with code after it on its line): the fix gives it its key and no alias (binding
 * the table would move the user's code), and says so (EncryptionFacts.cautions `no-alias`) in scan's JSON
 * and message and fix's notes; not with --kms-key-arn (no key is added) nor --key-strategy shared (the
 * block's alias goes after the first of its tables the program names).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-helper.js';
import { processMemory } from '../../src/engine/memory.js';

const LABEL = 'No alias: the table is created inside `';

const CDK = `import { Stack } from 'aws-cdk-lib';
import { Table, AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export class S extends Stack {
  readonly tables: Table[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.tables.push(new Table(this, 'Orders', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
    }));
    const audit = new Table(this, 'Audit', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    this.tables.push(audit);
  }
}
`;

// A callback that returns its table with the callback's end on the same line: binding the table would move that code.
const PULUMI = `import * as aws from '@pulumi/aws';

export const tables = ['orders', 'audit'].map((n) => { return new aws.dynamodb.Table(n, { hashKey: 'id', attributes: [{ name: 'id', type: 'S' }] }); });
export const byName = ['ledger'].map((n) => {
  return new aws.dynamodb.Table(n, { hashKey: 'id', attributes: [{ name: 'id', type: 'S' }] });
});
`;

interface Table {
  address: string;
  message: string;
  cautions?: string[];
}

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-no-alias-'));
  writeFileSync(path.join(dir, 'stack.ts'), CDK);
  writeFileSync(path.join(dir, 'index.ts'), PULUMI);
  return dir;
}

async function run(args: string[], dir: string): Promise<{ tables: Record<string, Table>; notes: string; code: number }> {
  const r = await runCli([...args, '--format', 'json'], dir);
  const out = JSON.parse(r.stdout) as { tables: (Table & { file: string })[] };
  return { tables: Object.fromEntries(out.tables.map((t) => [`${t.file}:${t.address}`, t])), notes: r.stdout, code: r.code };
}

describe('a table nothing names: its key gets no alias, and the report says so', () => {
  it('scan: on the pushed and the one-line returned tables, not on the named or the returned one on its own line', async () => {
    const { tables } = await run(['scan'], project());
    expect(tables['stack.ts:Orders'].cautions).toEqual([
      `${LABEL}this.tables.push(new Table(this, 'Orders', { ...\`, which no variable names, so the fix adds its key without an alias (the key's description names the table); to have one, assign the table to a const before fixing`,
    ]);
    expect(tables['stack.ts:Orders'].message).toContain(`. ${LABEL}`);
    expect(tables['stack.ts:Audit'].cautions).toBeUndefined();
    // Pulumi resources named by a callback's parameter: `n`, then `n#2` (the second callback).
    expect(tables['index.ts:n'].cautions).toEqual([
      expect.stringContaining(`${LABEL}return new aws.dynamodb.Table(n, { hashKey: 'id', attribu...\``),
    ]);
    expect(tables['index.ts:n#2'].cautions).toBeUndefined();
  });

  it('fix: the note is printed, and the fixed file has one alias fewer than keys', async () => {
    const dir = project();
    const text = await runCli(['fix', '--dry-run'], dir);
    expect(text.stderr).toContain(`note: stack.ts:10 Orders: ${LABEL}this.tables.push(`);
    expect(text.stderr).toContain(`note: index.ts:3 n: ${LABEL}return new aws.dynamodb.Table(`);
    const diff = text.stdout.split('\n').filter((l) => l.startsWith('+'));
    expect(diff.filter((l) => /new (Key|aws\.kms\.Key)\(/.test(l)).length).toBe(4);
    expect(diff.filter((l) => /\.addAlias\(|new aws\.kms\.Alias\(/.test(l)).length).toBe(2);
  });

  it('not said with --kms-key-arn (no key is added) nor --key-strategy shared', async () => {
    const dir = project();
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    for (const args of [
      ['fix', '--dry-run', '--kms-key-arn', arn],
      ['fix', '--dry-run', '--key-strategy', 'shared'],
    ]) {
      const { tables } = await run(args, dir);
      for (const [k, t] of Object.entries(tables)) expect(t.cautions, `${args.join(' ')} ${k}`).toBeUndefined();
    }
    // The shared key's alias goes after the first table the program names, and is named after it.
    const shared = (await runCli(['fix', '--dry-run', '--key-strategy', 'shared', 'stack.ts'], dir)).stdout;
    expect(shared.split('\n').filter((l) => l.startsWith('+') && l.includes('alias/'))).toEqual([
      '+    dynamoDbTablesKey.addAlias(`alias/dynamodb/${audit.tableName}-shared`);',
    ]);
  });
});

it('a table a method call chains on (new Table(...).addGlobalSecondaryIndex(...)): the caution names the chained call, not the table', async () => {
  const text = `import { App, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';

const stack = new Stack(new App(), 'S');
new Table(stack, 'Orders', {
  partitionKey: { name: 'pk', type: AttributeType.STRING },
}).addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: AttributeType.STRING } });
`;
  const r = await processMemory([{ path: 'app.ts', text }], 'scan');
  expect(r.outcomes[0].tables[0].message).toContain(
    `${LABEL}new Table(...).addGlobalSecondaryIndex(...)\`, which no variable names, so the fix adds its key without an alias`,
  );
});
