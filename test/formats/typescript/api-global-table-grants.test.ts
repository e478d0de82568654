/**
 * AWS CDK code granting a DynamoDB API that makes a table's replicas outside the stack (an
 * AwsCustomResource calling updateTable with ReplicaUpdates: dynamodb:CreateTableReplica; a function
 * joining a 2017.11.29 global table: dynamodb:CreateGlobalTable) was fixed, where the same grant in a
 * CloudFormation template keeps its tables from being fixed (the deploy would fail once the table had a
 * key and its replicas none of their Region). The tables the statement names, or all when it names none.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const stack = (statement: string) => `import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
export class S extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const orders = new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const carts = new dynamodb.Table(this, 'Carts', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new cr.AwsCustomResource(this, 'AddReplica', {
      onCreate: { service: 'DynamoDB', action: 'updateTable', parameters: { TableName: orders.tableName }, physicalResourceId: cr.PhysicalResourceId.of('r') },
      policy: cr.AwsCustomResourcePolicy.fromStatements([${statement}]),
    });
  }
}
`;

it.each([
  [
    'CreateTableReplica on orders.tableArn',
    "new iam.PolicyStatement({ actions: ['dynamodb:UpdateTable', 'dynamodb:CreateTableReplica'], resources: [orders.tableArn] })",
    { Orders: false, Carts: true },
  ],
  [
    "a pattern naming it, on '*'",
    "new iam.PolicyStatement({ actions: ['dynamodb:*Replica*'], resources: ['*'] })",
    { Orders: false, Carts: false },
  ],
  [
    'CreateGlobalTable in a JSON statement',
    "iam.PolicyStatement.fromJson({ Effect: 'Allow', Action: 'dynamodb:CreateGlobalTable', Resource: '*' })",
    { Orders: false, Carts: false },
  ],
  [
    'dynamodb:* (grants everything, names no such API)',
    "new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] })",
    { Orders: true, Carts: true },
  ],
  [
    'a Deny of them (grants nothing)',
    "new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['dynamodb:CreateTableReplica'], resources: ['*'] })",
    { Orders: true, Carts: true },
  ],
  [
    'other actions',
    "new iam.PolicyStatement({ actions: ['dynamodb:UpdateTable'], resources: [orders.tableArn] })",
    { Orders: true, Carts: true },
  ],
])('%s', async (_, statement, fixable) => {
  const r = await processMemory([{ path: 'stack.ts', text: stack(statement) }], 'scan');
  expect(Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, t.fixable]))).toEqual(fixable);
  const blocked = r.outcomes[0].tables.find((t) => !t.fixable);
  if (blocked) expect(blocked.message).toMatch(/the policy statement at line 12 grants dynamodb:/);
});
