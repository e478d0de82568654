/**
 * A table created through a subclass of a table class (`class AuditTable extends Table { constructor(...)
 * { super(scope, id, {...}) } }`, as test helpers and platform libraries write them) was a silent miss.
 * It is read at the super call, named after the class, wherever the class is created, and never
 * fixed; classes that extend anything else are not tables.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const FILE = `import { Stack } from 'aws-cdk-lib';
import { AttributeType, Table, TableEncryption, TableV2, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import * as aws from '@pulumi/aws';
import type { Construct } from 'constructs';

export class AuditTable extends Table {
  constructor(scope: Construct, id: string) {
    super(scope, id, { partitionKey: { name: 'id', type: AttributeType.STRING } });
  }
}

export class KeyedTable extends Table {
  constructor(scope: Construct, id: string) {
    super(scope, id, { partitionKey: { name: 'id', type: AttributeType.STRING }, encryption: TableEncryption.CUSTOMER_MANAGED });
  }
}

export class ExtendedTable extends TableV2 {
  constructor(scope: Construct, id: string, extra: Partial<TableProps> = {}) {
    super(scope, id, { partitionKey: { name: 'id', type: AttributeType.STRING }, ...extra });
  }
}

export class SessionsTable extends aws.dynamodb.Table {
  constructor(name: string) {
    super(name, { attributes: [{ name: 'id', type: 'S' }], hashKey: 'id' });
  }
}

export class AppStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id, {});
    new AuditTable(this, 'Audit');
  }
}
`;

describe('tables created through a subclass of a table class', () => {
  it('are reported at the super call, named after the class, and never fixed', async () => {
    const r = await processMemory([{ path: 'tables.ts', text: FILE }], 'fix', {});
    expect(r.outcomes[0].error).toBeUndefined();
    const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect([...by.keys()].sort()).toEqual(['AuditTable', 'ExtendedTable', 'KeyedTable', 'SessionsTable']);
    expect(by.get('AuditTable')).toMatchObject({ line: 8, status: 'aws-owned', type: 'AuditTable (aws-cdk-lib.aws_dynamodb.Table)' });
    expect(by.get('AuditTable')!.message).toContain(
      'Not fixable automatically: the table is created through the class AuditTable, a subclass of aws-cdk-lib.aws_dynamodb.Table, ' +
        'which kmsfix does not rewrite: set the encryption in its super(...) props (or let its callers pass one) by hand',
    );
    expect(by.get('KeyedTable')!.status).toBe('customer-managed');
    expect(by.get('ExtendedTable')!.status).toBe('unknown');
    expect(by.get('SessionsTable')).toMatchObject({ status: 'aws-owned', fixable: false });
    expect(r.output.get('tables.ts') ?? FILE).toBe(FILE);
  });

  it("a subclass of the file's own subclass (declared before or after it) is a table too, unknown: its base may change the props", async () => {
    const text = `import { AttributeType, Table, TableEncryption, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

export class CounterTable extends BaseTable {
  constructor(scope: Construct, id: string) {
    super(scope, id, { partitionKey: { name: 'id', type: AttributeType.STRING }, encryption: TableEncryption.AWS_MANAGED });
  }
}

export class BaseTable extends Table {
  constructor(scope: Construct, id: string, props: TableProps) {
    super(scope, id, { ...props, encryption: TableEncryption.DEFAULT });
  }
}

class Unrelated extends Map<string, string> {
  constructor() {
    super();
  }
}
`;
    const r = await processMemory([{ path: 'tables.ts', text }], 'scan', {});
    const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect([...by.keys()].sort()).toEqual(['BaseTable', 'CounterTable']);
    expect(by.get('CounterTable')).toMatchObject({ line: 6, status: 'unknown', fixable: false });
    expect(by.get('CounterTable')!.message).toContain(
      'the table is created through BaseTable, a subclass of aws-cdk-lib.aws_dynamodb.Table of this file, whose constructor may change the props CounterTable passes it',
    );
  });

  it('a class without a constructor (declared, or a class expression a const holds) is read at each of its news, never fixed', async () => {
    const text = `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

const Anon = class extends dynamodb.Table {};
class Plain extends dynamodb.TableV2 {}
class Through extends Plain {}
class Keyed extends dynamodb.Table {
  constructor(scope: Construct, id: string) {
    super(scope, id, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
class AfterKeyed extends Keyed {}

export class AppStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id, {});
    new Anon(this, 'Anon', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new Anon(this, 'AnonKeyed', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
    });
    new Plain(this, 'Plain', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new Through(this, 'Through', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new AfterKeyed(this, 'AfterKeyed');
  }
}
`;
    const r = await processMemory([{ path: 'tables.ts', text }], 'fix', {});
    expect(r.outcomes[0].error).toBeUndefined();
    const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect([...by.keys()].sort()).toEqual(['AfterKeyed', 'Anon', 'AnonKeyed', 'Keyed', 'Plain', 'Through']);
    expect(by.get('Anon')).toMatchObject({ line: 18, status: 'aws-owned', fixable: false, type: 'Anon (aws-cdk-lib.aws_dynamodb.Table)' });
    expect(by.get('Anon')!.message).toContain(
      'the table is created through the class Anon, a subclass of aws-cdk-lib.aws_dynamodb.Table, which kmsfix does not rewrite: ' +
        'set the encryption in the props this new Anon(...) passes by hand',
    );
    expect(by.get('AnonKeyed')).toMatchObject({ status: 'aws-managed', fixable: false });
    expect(by.get('Plain')).toMatchObject({ status: 'aws-owned', fixable: false, type: 'Plain (aws-cdk-lib.aws_dynamodb.TableV2)' });
    // Through a subclass without a constructor the props are the new's; through one with a constructor they may change.
    expect(by.get('Through')).toMatchObject({ status: 'aws-owned', fixable: false });
    expect(by.get('AfterKeyed')).toMatchObject({ status: 'unknown', fixable: false });
    expect(r.output.get('tables.ts') ?? text).toBe(text);
  });
});
