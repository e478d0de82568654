/**
 * A CDK table whose props spread what kmsfix cannot read (a parameter) may get replicas from it: it
 * is not fixed, and the reason says that the replicas may come from the spread (before: "this file
 * gives no key ARN for the replica Regions" of a table with no replicas written anywhere).
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const FILE = `import { Construct } from 'constructs';
import { Table, TableEncryption, TableProps, TablePropsV2, TableV2, TableEncryptionV2 } from 'aws-cdk-lib/aws-dynamodb';

export class Tables extends Construct {
  constructor(scope: Construct, id: string, v2: TablePropsV2, v1: TableProps) {
    super(scope, id);
    new TableV2(this, 'Two', { ...v2, encryption: TableEncryptionV2.dynamoOwnedKey() });
    new Table(this, 'One', { ...v1, encryption: TableEncryption.DEFAULT });
    new TableV2(this, 'Written', { partitionKey: v2.partitionKey, replicas: [{ region: 'eu-west-2' }] });
  }
}
`;

it('replicas that may come from a spread are said so; replicas written keep the reason they had', async () => {
  const tables = (await processMemory([{ path: 'tables.ts', text: FILE }], 'scan')).outcomes[0].tables;
  const by = Object.fromEntries(tables.map((t) => [t.address, t]));
  expect(by.Two.fixable).toBe(false);
  expect(by.Two.blocker).toMatch(
    /^replicas may come from the spread \.\.\.v2, and a KMS key serves one Region: .*customerManagedKey\(key\) here by hand/,
  );
  expect(by.One.fixable).toBe(false);
  expect(by.One.blocker).toMatch(
    /^replicationRegions may come from the spread \.\.\.v1, and CDK does not support TableEncryption\.CUSTOMER_MANAGED/,
  );
  expect(by.Written.blocker).toMatch(/^a KMS key serves one Region and this file gives no key ARN for the replica Regions/);
});

it('a Table with replicationRegions: [] is not fixed: CDK refuses CUSTOMER_MANAGED beside any (thomasstep/site-analytics); a TableV2 with replicas: [] is', async () => {
  const text = `import { Construct } from 'constructs';
import { AttributeType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';

export class Tables extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Table(this, 'Primary', { partitionKey: { name: 'pk', type: AttributeType.STRING }, replicationRegions: [] });
    new TableV2(this, 'Second', { partitionKey: { name: 'pk', type: AttributeType.STRING }, replicas: [] });
  }
}
`;
  const by = Object.fromEntries((await processMemory([{ path: 'tables.ts', text }], 'scan')).outcomes[0].tables.map((t) => [t.address, t]));
  expect(by.Primary.fixable).toBe(false);
  expect(by.Primary.blocker).toMatch(/^CDK refuses TableEncryption\.CUSTOMER_MANAGED beside any replicationRegions, \[\] too .*remove it/);
  expect(by.Second.fixable).toBe(true);
});

it('a TableV2 whose replicas the file adds later (table.addReplica in a loop) is not fixed: CDK wants a key ARN per replica Region (real-world round 27)', async () => {
  const text = `import { Construct } from 'constructs';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';

export class GlobalTable extends Construct {
  constructor(scope: Construct, id: string, regions: string[]) {
    super(scope, id);
    const table = new TableV2(this, 'Global', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    for (const region of regions) table.addReplica({ region });
    const other = new TableV2(this, 'Other', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    other.grantReadData(this as any);
  }
}
`;
  const tables = (await processMemory([{ path: 'global.ts', text }], 'scan')).outcomes[0].tables;
  expect(tables.map((t) => [t.address, t.fixable])).toEqual([
    ['Global', false],
    ['Other', true],
  ]);
  expect(tables[0].blocker).toMatch(/^its replicas are added by table\.addReplica\(\.\.\.\) at line 8, and a KMS key serves one Region/);
});
