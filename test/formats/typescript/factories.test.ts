/**
 * A table class passed as a value to a call that creates the table (Webiny's `app.addResource(aws.dynamodb.Table,
 * { name, config, opts })`, a project's `factory(dynamodb.Table, ...)`) was a silent miss: no `new` names the
 * class. Such a table is reported where the call is, never fixed (src/formats/typescript/factories.ts); a class
 * in a type, an `instanceof`, a static call on it, a test's assertion or double is not a table.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function scan(text: string, path = 'stack.ts') {
  const r = await processMemory([{ path, text }], 'fix', {});
  expect(r.outcomes[0].error).toBeUndefined();
  expect(r.output.get(path) ?? text).toBe(text);
  return r.outcomes[0].tables;
}

const STEP = 'which kmsfix does not follow: give the table a customer-managed key where its arguments are written';

describe('a table class given to a call', () => {
  it("Webiny's addResource: read through its config, never fixed", async () => {
    const tables = await scan(`import * as aws from '@pulumi/aws';
import { dynamodb } from '@pulumi/aws';
import type { PulumiApp } from '@webiny/pulumi';

export function tables(app: PulumiApp, opts: object) {
  app.addResource(aws.dynamodb.Table, { name: 'webiny', config: { hashKey: 'PK' }, opts });
  app.addResource(dynamodb.Table, { name: 'managed', config: { hashKey: 'PK', serverSideEncryption: { enabled: true } } });
  // kmsfix:ignore cache, rebuilt on deploy
  app.addResource(aws.dynamodb.Table, { name: 'cache' });
}
`);
    const by = new Map(tables.map((t) => [t.address, t]));
    expect([...by.keys()].sort()).toEqual(['cache', 'managed', 'webiny']);
    expect(by.get('webiny')).toMatchObject({ line: 6, status: 'aws-owned', fixable: false, type: 'aws.dynamodb.Table', format: 'pulumi' });
    expect(by.get('webiny')!.message).toContain(`Not fixable automatically: the table is created through app.addResource(), ${STEP}`);
    expect(by.get('webiny')!.message).toContain('for Webiny: app.resources.<name>.config.serverSideEncryption(');
    expect(by.get('managed')).toMatchObject({ status: 'aws-managed', fixable: false });
    expect(by.get('cache')!.status).toBe('suppressed');
  });

  it('any other call: reported unknown, with the step, named by a name it is given or by the call', async () => {
    const tables = await scan(`import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { TableV2 as T2 } from 'aws-cdk-lib/aws-dynamodb';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { makeConstruct } from './factory';

export class AppStack extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    makeConstruct(dynamodb.Table, this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    this.register(T2, { name: 'Events' });
    build(DynamodbTable);
    build(dynamodb.CfnTable);
  }
}
`);
    const by = new Map(tables.map((t) => [t.address, t]));
    expect([...by.keys()].sort()).toEqual(['Events', 'Orders', 'build(DynamodbTable) at line 12', 'build(dynamodb.CfnTable) at line 13']);
    expect(by.get('Orders')).toMatchObject({ line: 10, status: 'unknown', fixable: false, type: 'aws-cdk-lib.aws_dynamodb.Table' });
    expect(by.get('Orders')!.message).toContain(`Not fixable automatically: the table is created through makeConstruct(), ${STEP}`);
    expect(by.get('Orders')!.message).not.toContain('Webiny');
    expect(by.get('Events')).toMatchObject({ status: 'unknown', type: 'aws-cdk-lib.aws_dynamodb.TableV2' });
    expect(by.get('build(DynamodbTable) at line 12')).toMatchObject({ status: 'unknown', format: 'cdktf' });
  });

  it('a class that is not a value given to a call is not a table', async () => {
    const tables = await scan(`import { Aspects, IAspect, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import * as aws from '@pulumi/aws';
import type { IConstruct } from 'constructs';

function first<T>(items: unknown[], _c?: T): T { return items[0] as T; }
class Local {}

export class Checks extends Stack implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof Table) console.log(node.tableName);
  }
  check(t: Table, cls: typeof Table, stack: Stack) {
    const tables = this.node.findAll().filter((c) => c instanceof dynamodb.Table);
    const one = first<typeof Table>(tables);
    Aspects.of(this).add(this);
    const imported = Table.fromTableName(this, 'Existing', 'existing');
    const arn = dynamodb.Table.fromTableArn(this, 'ByArn', 'arn:aws:dynamodb:us-east-1:1:table/x');
    const got = aws.dynamodb.Table.get('legacy', 'legacy');
    expect(t).toBeInstanceOf(Table);
    expect(Table).toBeDefined();
    jest.spyOn(Table, 'fromTableName');
    jest.mocked(aws.dynamodb.Table);
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 1);
    assert.instanceOf(one, Table);
    register(Local, cls, imported, arn, got);
  }
}
declare const expect: any, jest: any, assert: any, register: any;
`);
    expect(tables).toEqual([]);
  });
});

it("a class given to CDK for Terraform's matchers (toHaveResourceWithProperties) is a pattern, not a table", async () => {
  const text = `import { Testing } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

it('has the table', () => {
  const synth = Testing.synthScope(() => {});
  expect(synth).toHaveResourceWithProperties(DynamodbTable, { name: 'orders' });
  expect(synth).toHaveResource(DynamodbTable);
});
`;
  const r = await processMemory([{ path: 'stack.test.ts', text }], 'scan');
  expect(r.outcomes[0].tables).toEqual([]);
});

it("a CDKTF adapter's mapping registration (registerMappingTyped(CfnTable, DynamodbTable, {...})) creates no table: only its resource function's", async () => {
  const text = `import { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { registerMappingTyped } from './utils';

export function registerDynamoDBMappings() {
  registerMappingTyped(CfnTable, DynamodbTable, {
    resource(scope: any, id: string, props: any) {
      return new DynamodbTable(scope, id, { name: props.TableName, hashKey: 'pk' });
    },
  });
}
`;
  const r = await processMemory([{ path: 'mappings.ts', text }], 'scan');
  expect(r.outcomes[0].tables.map((t) => [t.line, t.type])).toEqual([[8, '@cdktf/provider-aws.dynamodbTable.DynamodbTable']]);
});

it('a class kept as a registry key (an Aspect registering CfnTable, a Map of classes) is not a table: talis-cdk-constructs', async () => {
  const text = `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { IConstruct } from 'constructs';

export class ResourcePrefixer implements cdk.IAspect {
  private prefixers = new Map<unknown, string>();
  constructor(private readonly prefix: string) {
    this.registerPrefixer(dynamodb.CfnTable, 'tableName');
    this.prefixers.set(dynamodb.Table, 'tableName');
  }
  public visit(node: IConstruct): void {
    if (this.prefixers.has(dynamodb.CfnTable)) return;
  }
  private registerPrefixer(cls: unknown, prop: string): void {
    this.prefixers.set(cls, prop);
  }
}
`;
  const r = await processMemory([{ path: 'resource-prefixer.ts', text }], 'scan');
  expect(r.outcomes[0].tables).toEqual([]);
  // A factory that creates the class is still one.
  const made = await processMemory(
    [
      {
        path: 'stack.ts',
        text: `${text}\nmakeTable(dynamodb.Table, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });\n`,
      },
    ],
    'scan',
  );
  expect(made.outcomes[0].tables.map((t) => t.status)).toEqual(['unknown']);
});

it("Pulumi CrossGuard's type filters and its packs' test helpers create no table: pulumi/pulumi-policy-aws", async () => {
  const text = `import * as aws from '@pulumi/aws';
import { PolicyPack, validateResourceOfType, validateStackResourcesOfType } from '@pulumi/policy';
import { createResourceValidationArgs } from './util';

new PolicyPack('aws', {
  policies: [
    {
      name: 'dynamodb-table-encryption',
      enforcementLevel: 'mandatory',
      validateResource: validateResourceOfType(aws.dynamodb.Table, (table, _, reportViolation) => {
        if (!table.serverSideEncryption?.kmsKeyArn) reportViolation('no customer-managed key');
      }),
    },
    {
      name: 'dynamodb-count',
      enforcementLevel: 'advisory',
      validateStack: validateStackResourcesOfType(aws.dynamodb.Table, (tables, _, reportViolation) => {}),
    },
  ],
});
export const args = createResourceValidationArgs(aws.dynamodb.Table, { hashKey: 'id' });
`;
  const r = await processMemory([{ path: 'index.ts', text }], 'scan');
  expect(r.outcomes[0].tables).toEqual([]);
});
