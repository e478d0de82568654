/**
 * A Serverless service's provider.stackPolicy, which the Framework sets on its stack at each deploy: a
 * Deny of Update:Modify on a table makes CloudFormation fail the update that changes its encryption (an
 * update in place) and roll the deploy back, that one and every later one. Such a table is not fixed,
 * the step naming the statement; statements that leave the update in place allowed change nothing.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const service = (policy: string) => `service: orders
provider:
  name: aws
  stackPolicy:
    - Effect: Allow
      Principal: '*'
      Action: 'Update:*'
      Resource: '*'
${policy}resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
`;

it.each([
  [
    'Update:* on the table',
    "    - Effect: Deny\n      Principal: '*'\n      Action: 'Update:*'\n      Resource: LogicalResourceId/OrdersTable\n",
    false,
  ],
  [
    'Update:Modify on a pattern',
    "    - Effect: Deny\n      Principal: '*'\n      Action: [Update:Modify]\n      Resource: 'LogicalResourceId/Orders*'\n",
    false,
  ],
  [
    'Update:* on every DynamoDB table (a ResourceType condition)',
    "    - Effect: Deny\n      Principal: '*'\n      Action: 'Update:*'\n      Resource: '*'\n      Condition:\n        StringEquals:\n          ResourceType: [AWS::DynamoDB::Table]\n",
    false,
  ],
  [
    'all but Update:Replace (NotAction)',
    "    - Effect: Deny\n      Principal: '*'\n      NotAction: Update:Replace\n      Resource: '*'\n",
    false,
  ],
  [
    'Update:Replace and Update:Delete only',
    "    - Effect: Deny\n      Principal: '*'\n      Action: [Update:Replace, Update:Delete]\n      Resource: '*'\n",
    true,
  ],
  [
    'Update:* on another resource',
    "    - Effect: Deny\n      Principal: '*'\n      Action: 'Update:*'\n      Resource: LogicalResourceId/Queue\n",
    true,
  ],
  [
    'Update:* on other resource types',
    "    - Effect: Deny\n      Principal: '*'\n      Action: 'Update:*'\n      Resource: '*'\n      Condition:\n        StringEquals:\n          ResourceType: [AWS::RDS::DBInstance]\n",
    true,
  ],
  ['no Deny', '', true],
])('a stack policy with a Deny of %s: fixable %s', async (_, policy, fixable) => {
  const text = service(policy);
  const t = (await processMemory([{ path: 'serverless.yml', text }], 'scan')).outcomes[0].tables[0];
  expect(t.fixable).toBe(fixable);
  if (!fixable) expect(t.message).toMatch(/provider\.stackPolicy\[1\] \(Deny .*\) denies Update:Modify on OrdersTable/);
  const r = await processMemory([{ path: 'serverless.yml', text }], 'fix');
  expect(r.output.get('serverless.yml') !== text).toBe(fixable);
});

it('a policy with no Allow that covers the table denies its update too (a stack policy protects what it does not allow)', async () => {
  const text = service('').replace(
    "      Action: 'Update:*'\n      Resource: '*'\n",
    "      Action: 'Update:*'\n      Resource: 'LogicalResourceId/*LambdaFunction'\n",
  );
  const t = (await processMemory([{ path: 'serverless.yml', text }], 'scan')).outcomes[0].tables[0];
  expect(t.fixable).toBe(false);
  expect(t.message).toContain('no statement of it allows the update, and a stack policy denies what it does not allow');
  expect(t.message).toContain('allow Update:Modify on LogicalResourceId/OrdersTable in it');
});
