/**
 * A table class reached through a module of the project that re-exports it (session 58, F5): `export { Table as
 * MyTable } from 'aws-cdk-lib/aws-dynamodb'` or `export * from ...` in lib/tables.ts, used as `new MyTable(...)` or
 * `new t.Table(...)`, was missed without a word. The module (and one it re-exports, two levels) is read from disk
 * (src/formats/typescript/reexports.ts); its tables are reported from their props, never fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { typescriptEntry } from '../../../src/formats/typescript/entry.js';

const TABLES = `export { Table as MyTable, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
export * from 'aws-cdk-lib/aws-dynamodb';
`;
const BARREL = `export * from '../tables';
`;
const OWN = `import { Construct } from 'constructs';
export * from 'aws-cdk-lib/aws-dynamodb';
export class Table extends Construct {}
`;
const PROVIDERS = `export { dynamodb } from '@pulumi/aws';
export { DynamodbTable as TfTable } from '@cdktf/provider-aws/lib/dynamodb-table';
`;
// The word of the table's module is nowhere in this file: the prefilter lets it in for its `new MyTable(` and relative import.
const STACK = `import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AttributeType, MyTable, TableEncryption } from './tables';
import * as t from './tables';
import { TableV2 as Deep } from './barrel';
import * as own from './own';
import { Missing } from './nowhere';

export class AppStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id, {});
    new MyTable(this, 'Mine', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    new t.Table(this, 'Spaced', {
      partitionKey: { name: 'pk', type: t.AttributeType.STRING },
      encryption: TableEncryption.AWS_MANAGED,
    });
    new Deep(this, 'Deep', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    new own.Table(this, 'Own');
    new Missing(this, 'Missing', {});
  }
}
`;
const OTHERS = `import { Construct } from 'constructs';
import { TfTable, dynamodb } from './providers';

export class Tables extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new TfTable(this, 'Tf', { name: 'tf', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });
    new dynamodb.Table('pulumi', { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });
  }
}
`;

describe('table classes re-exported by a module of the project', () => {
  it('are read through named, renamed and star re-exports (two levels), reported from their props, never fixed', async () => {
    const files = [
      { path: 'lib/tables.ts', text: TABLES },
      { path: 'lib/barrel/index.ts', text: BARREL },
      { path: 'lib/own.ts', text: OWN },
      { path: 'lib/providers.ts', text: PROVIDERS },
      { path: 'lib/stack.ts', text: STACK },
      { path: 'lib/others.ts', text: OTHERS },
    ];
    const r = await processMemory(files, 'fix', {});
    const stack = r.outcomes.find((o) => o.file.path === 'lib/stack.ts')!;
    expect(stack.error).toBeUndefined();
    const by = new Map(stack.tables.map((t) => [t.address, t]));
    // own.Table is the module's own class, Missing is not resolved: neither is a table.
    expect([...by.keys()].sort()).toEqual(['Deep', 'Mine', 'Spaced']);
    expect(by.get('Mine')).toMatchObject({ line: 12, status: 'aws-owned', fixable: false, type: 'aws-cdk-lib.aws_dynamodb.Table' });
    expect(by.get('Mine')!.message).toContain(
      "MyTable is imported from the project's module ./tables, which re-exports aws-cdk-lib.aws_dynamodb.Table, and kmsfix writes no " +
        "imports through a module of the project: import the table's class from aws-cdk-lib/aws-dynamodb itself, then run kmsfix again",
    );
    expect(by.get('Spaced')).toMatchObject({ status: 'aws-managed', fixable: false });
    expect(by.get('Deep')).toMatchObject({ status: 'aws-owned', fixable: false, type: 'aws-cdk-lib.aws_dynamodb.TableV2' });
    const others = r.outcomes.find((o) => o.file.path === 'lib/others.ts')!;
    expect(others.tables.map((t) => [t.address, t.type, t.status, t.fixable])).toEqual([
      ['Tf', '@cdktf/provider-aws.dynamodbTable.DynamodbTable', 'aws-owned', false],
      ['pulumi', 'aws.dynamodb.Table', 'aws-owned', false],
    ]);
    for (const f of files) expect(r.output.get(f.path) ?? f.text).toBe(f.text);
  });

  it('are let in by the prefilter in a file that names no table module: a new of a *Table name, and a relative import', () => {
    expect(STACK).not.toMatch(/dynamodb/i);
    expect(typescriptEntry.prefilter(STACK)).toBe(true);
    expect(typescriptEntry.prefilter(OTHERS)).toBe(true);
    // Neither a relative import without such a new, nor such a new without a relative import.
    expect(typescriptEntry.prefilter(`import { Queue } from './queue';\nnew Queue(this, 'Q');\n`)).toBe(false);
    expect(typescriptEntry.prefilter(`import { Table } from 'cli-table3';\nnew Table({ head: [] });\n`)).toBe(false);
  });
});
