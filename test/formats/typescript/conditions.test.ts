/**
 * An AWS CDK table made conditional past its props (`cfnOptions.condition = c` on its resource,
 * src/formats/typescript/conditions.ts) is not fixed: a key and alias without the condition would
 * stay when it is false, the alias naming a table that does not exist (CloudFormation rejects the
 * template). Fixture: typescript/cdk-conditional-table.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function scan(body: string) {
  const text = `import * as cdk from 'aws-cdk-lib';
import { Table, AttributeType } from 'aws-cdk-lib/aws-dynamodb';
const partitionKey = { name: 'id', type: AttributeType.STRING };
export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string, cond: cdk.CfnCondition, other: cdk.CfnResource) {
    super(scope, id);
${body}
  }
}
`;
  const r = await processMemory([{ path: 'stack.ts', text }], 'scan');
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].tables.map((t) => [t.address, t.fixable, t.message.includes('gets a Condition')]);
}

describe('AWS CDK tables made conditional', () => {
  it('the table the condition is set on, not the others', async () => {
    expect(
      await scan(`    const a = new Table(this, 'A', { partitionKey });
    const b = new Table(this, 'B', { partitionKey });
    (a.node.defaultChild as cdk.CfnResource).cfnOptions.condition = cond;
    const q = new cdk.CfnResource(this, 'Q', { type: 'AWS::SQS::Queue' });
    q.cfnOptions.condition = cond;`),
    ).toEqual([
      ['A', false, true],
      ['B', true, false],
    ]);
  });

  it('a resource the file does not name may be any of its tables', async () => {
    expect(
      await scan(`    new Table(this, 'A', { partitionKey });
    other.cfnOptions.condition = cond;`),
    ).toEqual([['A', false, true]]);
  });

  it("a NestedStack's nestedStackResource (AWS::CloudFormation::Stack) is never a table", async () => {
    expect(
      await scan(`    new Table(this, 'A', { partitionKey });
    const webUi = new cdk.NestedStack(this, 'WebUI');
    const r = webUi.nestedStackResource as cdk.CfnResource;
    r.cfnOptions.condition = cond;
    (webUi.nestedStackResource as cdk.CfnResource).cfnOptions.condition = cond;
    webUi.nestedStackResource!.cfnOptions.condition = cond;`),
    ).toEqual([['A', true, false]]);
  });

  it('no condition: fixed as before', async () => {
    expect(await scan(`    new Table(this, 'A', { partitionKey });`)).toEqual([['A', true, false]]);
  });
});
