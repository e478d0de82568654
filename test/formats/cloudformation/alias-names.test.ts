/**
 * The alias of a generated CloudFormation key follows src/rule/keyPolicy.ts's scheme,
 * `alias/dynamodb/<table name>` through the table's Ref (`-shared` for a shared key), and only ever
 * names a table that exists whenever the alias does (the same Condition).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (name: string, condition?: string) =>
  `  ${name}:\n    Type: AWS::DynamoDB::Table\n${condition ? `    Condition: ${condition}\n` : ''}    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n      BillingMode: PAY_PER_REQUEST\n`;
const template = (...tables: string[]) =>
  `AWSTemplateFormatVersion: '2010-09-09'\nConditions:\n  One: !Equals [!Ref AWS::Region, eu-west-1]\n  Two: !Equals [!Ref AWS::Region, eu-west-2]\nResources:\n${tables.join('')}`;

async function aliasNames(text: string, options = {}): Promise<string[]> {
  const r = await processMemory([{ path: 't.yaml', text }], 'fix', options);
  expect(r.outcomes[0].error).toBeUndefined();
  return [...r.output.get('t.yaml')!.matchAll(/AliasName: (.*)/g)].map((m) => m[1]);
}

describe('generated CloudFormation key aliases', () => {
  it('per table: alias/dynamodb/<table name>', async () => {
    expect(await aliasNames(template(table('Orders'), table('Carts', 'One')))).toEqual([
      "!Sub 'alias/dynamodb/${Orders}'",
      "!Sub 'alias/dynamodb/${Carts}'",
    ]);
  });
  it('shared: the first table, -shared', async () => {
    expect(await aliasNames(template(table('Orders'), table('Carts')), { keyStrategy: 'shared' })).toEqual([
      "!Sub 'alias/dynamodb/${Orders}-shared'",
    ]);
  });
  it('shared, tables with different Conditions: a table without one (the key has none)', async () => {
    expect(await aliasNames(template(table('Orders', 'One'), table('Carts')), { keyStrategy: 'shared' })).toEqual([
      "!Sub 'alias/dynamodb/${Carts}-shared'",
    ]);
  });
  it('shared, every table with a different Condition: the stack name, since no table always exists', async () => {
    expect(await aliasNames(template(table('Orders', 'One'), table('Carts', 'Two')), { keyStrategy: 'shared' })).toEqual([
      "!Sub 'alias/dynamodb/${AWS::StackName}-shared'",
    ]);
  });
  it('serverless.yml: Fn::Join, since the framework resolves ${...} itself', async () => {
    const sls = `service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n${table('Orders').replace(/^/gm, '  ')}`;
    const r = await processMemory([{ path: 'serverless.yml', text: sls }], 'fix');
    expect(r.output.get('serverless.yml')).toContain("AliasName: !Join ['', [alias/dynamodb/, !Ref Orders]]");
  });
});

describe('generated CloudFormation logical IDs', () => {
  it("take only the table's letters and digits (CloudFormation refuses others), a loop's ${Name} kept", async () => {
    const r = await processMemory([{ path: 't.yaml', text: template(table('recipe_table'), table('orders-v2')) }], 'fix', {});
    const out = r.output.get('t.yaml')!;
    expect([...out.matchAll(/^ {2}(\S+):$/gm)].map((m) => m[1])).toEqual([
      'recipe_table',
      'recipetableKey',
      'recipetableKeyAlias',
      'orders-v2',
      'ordersv2Key',
      'ordersv2KeyAlias',
    ]);
  });
});
