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
  return r.outcomes[0].tables.map((t) => [t.address, t.fixable, /(gets|may get) a Condition/.test(t.message)]);
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

  it('a helper given the table that is named for conditions or given a CfnCondition (a helper of another file)', async () => {
    expect(
      await scan(`    const a = new Table(this, 'A', { partitionKey });
    const b = new Table(this, 'B', { partitionKey });
    const c = new Table(this, 'C', { partitionKey });
    setCondition(a, cond);
    const multi = new cdk.CfnCondition(this, 'Multi', { expression: cdk.Fn.conditionEquals('a', 'b') });
    applyTo(b, multi);
    tag(c, 'team');
    const st = new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] });
    st.addCondition('StringEquals', { 'aws:PrincipalAccount': c.tableArn });`),
    ).toEqual([
      ['A', false, true],
      ['B', false, true],
      ['C', true, false],
    ]);
  });

  it('an Aspect named for conditions added to the table, not to the stack (that one conditions the key too)', async () => {
    expect(
      await scan(`    const a = new Table(this, 'A', { partitionKey });
    const b = new Table(this, 'B', { partitionKey });
    cdk.Aspects.of(a).add(new ConditionAspect(cond));
    cdk.Aspects.of(b).add(new cdk.Tag('team', 'orders'));
    cdk.Aspects.of(this).add(new ConditionAspect(cond));`),
    ).toEqual([
      ['A', false, true],
      ['B', true, false],
    ]);
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
