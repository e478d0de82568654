/**
 * Older generations of the frameworks' packages (issue 18): AWS CDK v1 (`@aws-cdk/aws-dynamodb`, also
 * as `import x = require(...)`), and @cdktf/provider-aws before its `lib/<resource>` layout (one
 * namespace per service). Their tables are found and reported as the current ones are; a limit is a
 * reason (`fixable: false`), never a skipped table. The fixes are in fixtures/typescript/cdk-v1-* and
 * cdktf-namespaced-*.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function scan(text: string) {
  const r = await processMemory([{ path: 'stack.ts', text }], 'scan');
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].tables;
}

describe('AWS CDK v1', () => {
  it('finds Table and CfnTable in every import style, reported under v1 names', async () => {
    const tables = await scan(`import dynamodb = require('@aws-cdk/aws-dynamodb');
import * as ddb from '@aws-cdk/aws-dynamodb';
import { Table as T, TableEncryption } from '@aws-cdk/aws-dynamodb';
import * as cdk from '@aws-cdk/core';
export class S extends cdk.Stack {
  constructor(scope: cdk.Construct, id: string) {
    super(scope, id);
    new dynamodb.Table(this, 'A', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new ddb.CfnTable(this, 'B', { keySchema: [] });
    new T(this, 'C', { partitionKey: { name: 'id', type: ddb.AttributeType.STRING }, encryption: TableEncryption.AWS_MANAGED });
  }
}
`);
    expect(tables.map((t) => [t.address, t.type, t.status, t.fixable])).toEqual([
      ['A', '@aws-cdk/aws-dynamodb.Table', 'aws-owned', true],
      ['B', '@aws-cdk/aws-dynamodb.CfnTable', 'aws-owned', true],
      ['C', '@aws-cdk/aws-dynamodb.Table', 'aws-managed', true],
    ]);
  });

  it('the CDK before 1.0 (@aws-cdk/cdk): reported, not fixable, with the reason', async () => {
    const [t] = await scan(`import dynamodb = require('@aws-cdk/aws-dynamodb');
import cdk = require('@aws-cdk/cdk');
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    new dynamodb.Table(this, 'Items', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
`);
    expect([t.address, t.status, t.fixable]).toEqual(['Items', 'aws-owned', false]);
    expect(t.blocker).toMatch(/@aws-cdk\/cdk, the AWS CDK before 1\.0.*no TableEncryption/);
  });
});

describe('CDK for Terraform, provider layouts before lib/<resource>', () => {
  it('finds DynamodbTable through lib/dynamodb, a named dynamodb namespace and the root namespace', async () => {
    const tables = await scan(`import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import * as aws from '@cdktf/provider-aws/lib/dynamodb';
import { dynamodb } from '@cdktf/provider-aws';
import * as provider from '@cdktf/provider-aws';
export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new aws.DynamodbTable(this, 'a', { name: 'a', hashKey: 'id' });
    new dynamodb.DynamodbTable(this, 'b', { name: 'b', serverSideEncryption: { enabled: true } });
    new provider.dynamodb.DynamodbTable(this, 'c', { name: 'c', serverSideEncryption: { enabled: true, kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/x' } });
  }
}
`);
    expect(tables.map((t) => [t.address, t.type, t.status])).toEqual([
      ['a', '@cdktf/provider-aws.dynamodb.DynamodbTable', 'aws-owned'],
      ['b', '@cdktf/provider-aws.dynamodb.DynamodbTable', 'aws-managed'],
      ['c', '@cdktf/provider-aws.dynamodb.DynamodbTable', 'customer-managed'],
    ]);
  });
});
