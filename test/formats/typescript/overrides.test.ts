/**
 * Escape hatches: a CDK `addPropertyOverride('SSESpecification', ...)` or a CDKTF
 * `addOverride('server_side_encryption', ...)` decides the deployed encryption past the props. Such a
 * table was reported from its props (aws-owned) and "fixed": the override still won at synth, and the
 * fix added an unused key whose alias named the wrong key. It is unknown, never fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const CDK = `import { Stack } from 'aws-cdk-lib';
import { AttributeType, CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = new Key(this, 'K', { enableKeyRotation: true });
    const t = new Table(this, 'T', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    (t.node.defaultChild as CfnTable).addPropertyOverride('SSESpecification', { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: key.keyArn });
    const other = new Table(this, 'Other', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    const cfn = other.node.defaultChild as CfnTable;
    cfn.addOverride('Properties.SSESpecification.KMSMasterKeyId', key.keyArn);
    new Table(this, 'Plain', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  }
}
`;

const CDKTF = `import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

export class S extends TerraformStack {
  constructor(scope: Construct, id: string, keyArn: string) {
    super(scope, id);
    const users = new DynamodbTable(this, 'users', { name: 'users', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });
    users.addOverride('server_side_encryption', { enabled: true, kms_key_arn: keyArn });
  }
}
`;

describe('escape hatches that set a table encryption', () => {
  it('CDK: the overridden tables are unknown and not fixed, with the override named; the others are fixed', async () => {
    const r = await processMemory([{ path: 'stack.ts', text: CDK }], 'fix', {});
    const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect(by.get('T')).toMatchObject({ status: 'unknown', fixable: false });
    expect(by.get('T')!.reason).toBe(
      "its encryption is set by an escape hatch, addPropertyOverride('SSESpecification', ...) at line 11, which kmsfix does not read",
    );
    expect(by.get('Other')).toMatchObject({ status: 'unknown', fixable: false });
    expect(by.get('Other')!.reason).toContain("addOverride('Properties.SSESpecification.KMSMasterKeyId', ...) at line 14");
    expect(by.get('Plain')).toMatchObject({ status: 'aws-owned', fixed: true });
    const out = r.output.get('stack.ts')!;
    expect(out).not.toMatch(/new Key\(this, 'TKey'|new Key\(this, 'OtherKey'/);
  });

  it('CDKTF: addOverride of server_side_encryption', async () => {
    const r = await processMemory([{ path: 'main.ts', text: CDKTF }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.status, t.fixed])).toEqual([['users', 'unknown', undefined]]);
    expect(r.output.get('main.ts') ?? CDKTF).toBe(CDKTF);
  });

  it('an override the file does not tie to a table (a helper parameter) makes every table of the file unknown; other overrides change nothing', async () => {
    const helper = CDK.replace(
      "    (t.node.defaultChild as CfnTable).addPropertyOverride('SSESpecification'",
      "    encrypt(t.node.defaultChild as CfnTable);\n    function encrypt(c: CfnTable) { c.addPropertyOverride('SSESpecification'",
    ).replace('key.keyArn });\n    const other', 'key.keyArn }); }\n    const other');
    const r = await processMemory([{ path: 'stack.ts', text: helper }], 'scan', {});
    expect(r.outcomes[0].error).toBeUndefined();
    expect(r.outcomes[0].tables.map((t) => t.status)).toEqual(['unknown', 'unknown', 'unknown']);
    const billing = CDK.replaceAll("'SSESpecification'", "'BillingMode'").replace(
      "'Properties.SSESpecification.KMSMasterKeyId'",
      "'Properties.TableClass'",
    );
    const plain = await processMemory([{ path: 'stack.ts', text: billing }], 'scan', {});
    expect(plain.outcomes[0].tables.map((t) => t.status)).toEqual(['aws-owned', 'aws-owned', 'aws-owned']);
  });

  it("a project's helper given a table and the encryption path (another file's overrideProperty): that table is unknown", async () => {
    const text = `import { Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { overrideProperty } from './cfn';
export class DataLayer {
  readonly registry: Table;
  constructor(scope: Stack) {
    this.registry = new Table(scope, 'ResourceRegistry', { partitionKey: { name: 'account', type: AttributeType.STRING } });
    overrideProperty(this.registry, 'SSESpecification', { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/central' });
    const state = new Table(scope, 'State', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    overrideProperty(state, 'DeletionProtectionEnabled', true);
  }
}
`;
    const r = await processMemory([{ path: 'data.ts', text }], 'scan', {});
    expect(r.outcomes[0].error).toBeUndefined();
    expect(r.outcomes[0].tables.map((t) => [t.address, t.status, t.fixable])).toEqual([
      ['ResourceRegistry', 'unknown', false],
      ['State', 'aws-owned', true],
    ]);
    expect(r.outcomes[0].tables[0].message).toMatch(/may be set by overrideProperty\(\.\.\., 'SSESpecification', \.\.\.\) at line 8/);
  });

  it("the L1 property set after the props (Amplify's model tables) and CDKTF's encryption setters: unknown, never fixed", async () => {
    const cdk = `import * as cdk from 'aws-cdk-lib';
import { AttributeType, CfnTable, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    const table = new Table(this, 'TodoTable', { partitionKey: { name: 'id', type: AttributeType.STRING }, encryption: TableEncryption.DEFAULT });
    const cfnTable = table.node.defaultChild as CfnTable;
    cfnTable.sseSpecification = { sseEnabled: cdk.Fn.conditionIf('UseSSE', true, false) };
    const l1 = new CfnTable(this, 'L1', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }] });
    l1.sseSpecification = { sseEnabled: true };
    const plain = new Table(this, 'Plain', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    plain.node.addMetadata('sseSpecification', 'not an assignment');
  }
}
`;
    const r = await processMemory([{ path: 'stack.ts', text: cdk }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.status, t.fixed ?? false])).toEqual([
      ['TodoTable', 'unknown', false],
      ['L1', 'unknown', false],
      ['Plain', 'aws-owned', true],
    ]);
    expect(r.outcomes[0].tables[0].reason).toBe(
      'its encryption is set by an escape hatch, the assignment .sseSpecification = ... at line 8, which kmsfix does not read',
    );
    const cdktf = CDKTF.replace(
      "users.addOverride('server_side_encryption', { enabled: true, kms_key_arn: keyArn });",
      'users.putServerSideEncryption({ enabled: true, kmsKeyArn: keyArn });',
    );
    const t = await processMemory([{ path: 'main.ts', text: cdktf }], 'scan', {});
    expect(t.outcomes[0].tables.map((x) => [x.address, x.status, x.fixable])).toEqual([['users', 'unknown', false]]);
    expect(t.outcomes[0].tables[0].message).toContain('putServerSideEncryption(...) at line 9');
  });

  it('Pulumi transforms that name serverSideEncryption: a stack transform of the file (every table), a table’s own transforms', async () => {
    const text = `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
const platformKey = new aws.kms.Key('platform', { enableKeyRotation: true });
pulumi.runtime.registerResourceTransform(async (args) =>
  args.type === 'aws:dynamodb/table:Table'
    ? { props: { ...args.props, serverSideEncryption: { enabled: true, kmsKeyArn: platformKey.arn } }, opts: args.opts }
    : undefined,
);
export const orders = new aws.dynamodb.Table('orders', { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }] });
`;
    const r = await processMemory([{ path: 'index.ts', text }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.status, t.fixed ?? false])).toEqual([['orders', 'unknown', false]]);
    expect(r.outcomes[0].tables[0].reason).toBe(
      'its encryption may be set by the stack transform registerResourceTransform(...) at line 4, which kmsfix does not read',
    );
    // The transform a stack registers by name, declared in the file.
    const named = text
      .replace('pulumi.runtime.registerResourceTransform(async (args) =>', 'const encryptTables = async (args: any) =>')
      .replace('    : undefined,\n);', '    : undefined;\npulumi.runtime.registerResourceTransform(encryptTables);');
    expect(named).toContain('registerResourceTransform(encryptTables)');
    expect((await processMemory([{ path: 'index.ts', text: named }], 'scan', {})).outcomes[0].tables[0].status).toBe('unknown');
    const own = `import * as aws from '@pulumi/aws';
export const scratch = new aws.dynamodb.Table('scratch', { hashKey: 'pk', serverSideEncryption: { enabled: true, kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/x' } }, {
  transforms: [async (args) => ({ props: { ...args.props, serverSideEncryption: { enabled: false } }, opts: args.opts })],
});
const off = async (args: any) => ({ props: { ...args.props, serverSideEncryption: { enabled: false } }, opts: args.opts });
export const named = new aws.dynamodb.Table('named', { hashKey: 'pk' }, { transforms: [off] });
export const tagged = new aws.dynamodb.Table('tagged', { hashKey: 'pk' }, {
  transforms: [async (args) => ({ props: { ...args.props, tags: { team: 'data' } }, opts: args.opts })],
});
`;
    const o = await processMemory([{ path: 'index.ts', text: own }], 'scan', {});
    expect(o.outcomes[0].tables.map((t) => [t.address, t.status])).toEqual([
      ['scratch', 'unknown'],
      ['named', 'unknown'],
      ['tagged', 'aws-owned'],
    ]);
  });

  // Adversarial pass s61 M3: a table's transforms held in an `opts` const were said at the line of another resource's
  // transforms (a component's, later in the file), not at the const's.
  it("Pulumi: a table's transforms taken from an opts const are said at the const's transforms line", async () => {
    const text = `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
const off: pulumi.ResourceTransform = async (args) => ({ props: { ...args.props, serverSideEncryption: { enabled: false } }, opts: args.opts });
const opts: pulumi.CustomResourceOptions = {
  protect: true,
  transforms: [off],
};
export const orders = new aws.dynamodb.Table('orders', { hashKey: 'pk', attributes: [{ name: 'pk', type: 'S' }] }, opts);
class Box extends pulumi.ComponentResource {
  constructor(name: string, o?: pulumi.ComponentResourceOptions) {
    super('x:box', name, {}, o);
  }
}
new Box('b', { transforms: [off] });
`;
    const r = await processMemory([{ path: 'index.ts', text }], 'scan', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.status])).toEqual([['orders', 'unknown']]);
    expect(r.outcomes[0].tables[0].reason).toBe('its encryption may be set by its transforms option at line 6, which kmsfix does not read');
  });

  it("another resource's L1 property or CDKTF setter (a DAX cluster's) is not a table's; an Aspect's, behind instanceof CfnTable, is", async () => {
    const dax = `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as dax from 'aws-cdk-lib/aws-dax';
export class S extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const cache = new dax.CfnCluster(this, 'Cache', { iamRoleArn: 'arn', nodeType: 'dax.t3.small', replicationFactor: 1 });
    cache.sseSpecification = { sseEnabled: true };
  }
}
`;
    expect((await processMemory([{ path: 'stack.ts', text: dax }], 'scan', {})).outcomes[0].tables.map((t) => t.status)).toEqual([
      'aws-owned',
    ]);
    const aspect = `import { Aspects, IAspect, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { IConstruct } from 'constructs';
class PlatformKey implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof dynamodb.CfnTable) node.sseSpecification = { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: 'arn' };
  }
}
export class S extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    Aspects.of(this).add(new PlatformKey());
    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
`;
    expect((await processMemory([{ path: 'stack.ts', text: aspect }], 'scan', {})).outcomes[0].tables.map((t) => t.status)).toEqual([
      'unknown',
    ]);
  });

  // Adversarial pass s61 F3: each of these removed a table's customer-managed key after its props and was reported
  // customer-managed, where the same escape hatch written with a literal path or `.sseSpecification =` was unknown.
  it.each([
    [
      "const path = 'SSESpecification';\n    (t.node.defaultChild as CfnTable).addPropertyDeletionOverride(path);",
      "addPropertyDeletionOverride('SSESpecification', ...) at line 12",
    ],
    [
      'Object.assign(t.node.defaultChild as CfnTable, { sseSpecification: { sseEnabled: false } });',
      'Object.assign(..., { sseSpecification: ... }) at line 11',
    ],
    ["(t.node.defaultChild as CfnTable)['sseSpecification'] = undefined;", 'the assignment .sseSpecification = ... at line 11'],
    [
      "const o = 'addPropertyDeletionOverride' as const;\n    (t.node.defaultChild as CfnTable)[o]('SSESpecification');",
      "addPropertyDeletionOverride('SSESpecification', ...) at line 12",
    ],
  ])('CDK: %s (a path or method held in a const, Object.assign, an element-access write): unknown', async (hatch, said) => {
    const text = `import { Stack } from 'aws-cdk-lib';
import { AttributeType, CfnTable, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = new Key(this, 'K', { enableKeyRotation: true });
    const t = new Table(this, 'T', { partitionKey: { name: 'id', type: AttributeType.STRING }, encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key });
    ${hatch}
  }
}
`;
    const r = await processMemory([{ path: 'stack.ts', text }], 'scan', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.status])).toEqual([['T', 'unknown']]);
    expect(r.outcomes[0].tables[0].reason).toContain(said);
    // The ordinary form keeps its status: other properties set the same ways leave the table customer-managed.
    const other = text.replace(hatch, hatch.replaceAll('SSESpecification', 'TableClass').replaceAll('sseSpecification', 'tableClass'));
    const plain = await processMemory([{ path: 'stack.ts', text: other }], 'scan', {});
    expect(plain.outcomes[0].tables.map((t) => t.status)).toEqual(['customer-managed']);
  });

  it("CDKTF: addOverride of a path held in a const (s61 F3): unknown; another resource's Object.assign: not a table's", async () => {
    const held = CDKTF.replace(
      "users.addOverride('server_side_encryption',",
      "const p = 'server_side_encryption';\n    users.addOverride(p,",
    );
    const r = await processMemory([{ path: 'main.ts', text: held }], 'scan', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.status])).toEqual([['users', 'unknown']]);
    expect(r.outcomes[0].tables[0].reason).toContain("addOverride('server_side_encryption', ...) at line 10");
    const assigned = CDKTF.replace(
      "users.addOverride('server_side_encryption', { enabled: true, kms_key_arn: keyArn });",
      'Object.assign(this, { sseSpecification: { enabled: true } });',
    );
    const other = await processMemory([{ path: 'main.ts', text: assigned }], 'scan', {});
    expect(other.outcomes[0].tables[0].status).not.toBe('unknown');
  });
});
