/**
 * serverless-plugin-additional-stacks deploys each `custom.additionalStacks.<name>` of a serverless.yml
 * as a CloudFormation stack of its own (its Resources taken as given): its tables are reported under
 * the stack's name, and each fix puts the key and alias in the same stack's Resources.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (indent: string, name: string) =>
  [
    `${name}:`,
    '  Type: AWS::DynamoDB::Table',
    '  Properties:',
    '    BillingMode: PAY_PER_REQUEST',
    '    KeySchema: [{AttributeName: pk, KeyType: HASH}]',
    '    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]',
  ]
    .map((l) => indent + l)
    .join('\n');

describe('serverless-plugin-additional-stacks', () => {
  it("a logical ID in the service's stack and in an additional stack: two tables, each fixed with a key in its own stack, named by that stack's names", async () => {
    const text = [
      'service: orders',
      'provider: {name: aws}',
      'plugins: [serverless-plugin-additional-stacks]',
      'custom:',
      '  additionalStacks:',
      '    permanent:',
      '      Resources:',
      table('        ', 'OrdersTable'),
      '      Outputs:',
      '        OrdersTableKey:',
      '          Value: !Ref OrdersTable',
      'resources:',
      '  Resources:',
      table('    ', 'OrdersTable'),
      '',
    ].join('\n');
    const r = await processMemory([{ path: 'serverless.yml', text }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.fixed])).toEqual([
      ['OrdersTable', true],
      ['additionalStacks.permanent.OrdersTable', true],
    ]);
    const out = r.output.get('serverless.yml')!;
    const [stack, service] = out.split('\nresources:\n');
    // The stack's Outputs name OrdersTableKey: its key takes the next name; the service's stack has its own names.
    expect(stack).toContain('        OrdersTableKey2:\n          # checkov:skip');
    expect(stack).toContain('KMSMasterKeyId: !GetAtt OrdersTableKey2.Arn');
    expect(stack).toContain('        OrdersTableKey2Alias:\n');
    expect(service).toContain('    OrdersTableKey:\n');
    expect(service).toContain('KMSMasterKeyId: !GetAtt OrdersTableKey.Arn');
    const again = await processMemory([{ path: 'serverless.yml', text: out }], 'scan');
    expect(again.outcomes[0].tables.map((t) => t.status)).toEqual(['customer-managed', 'customer-managed']);
  });

  it('serverless.json: the stack is read and fixed too, its alias a Fn::Join (the Framework resolves ${...})', async () => {
    const doc = {
      service: 'orders',
      provider: { name: 'aws' },
      custom: {
        additionalStacks: {
          permanent: {
            Deploy: 'After',
            Resources: {
              OrdersTable: {
                Type: 'AWS::DynamoDB::Table',
                DeletionPolicy: 'Retain',
                Properties: {
                  TableName: '${self:service}-orders',
                  BillingMode: 'PAY_PER_REQUEST',
                  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
                  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
                },
              },
            },
          },
        },
      },
    };
    const r = await processMemory([{ path: 'serverless.json', text: JSON.stringify(doc, null, 2) + '\n' }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.fixed])).toEqual([['additionalStacks.permanent.OrdersTable', true]]);
    const resources = JSON.parse(r.output.get('serverless.json')!).custom.additionalStacks.permanent.Resources;
    expect(Object.keys(resources)).toEqual(['OrdersTable', 'OrdersTableKey', 'OrdersTableKeyAlias']);
    expect(resources.OrdersTable.Properties.SSESpecification.KMSMasterKeyId).toEqual({ 'Fn::GetAtt': ['OrdersTableKey', 'Arn'] });
    // A retained table keeps its key.
    expect(resources.OrdersTableKey.DeletionPolicy).toBe('Retain');
    expect(resources.OrdersTableKeyAlias.Properties.AliasName).toEqual({ 'Fn::Join': ['', ['alias/dynamodb/', { Ref: 'OrdersTable' }]] });
  });

  it("a stack written as a list of maps (the plugin merges them): the table's map gets the key, named apart from the other maps' names", async () => {
    const text = [
      'service: orders',
      'provider: {name: aws}',
      'custom:',
      '  additionalStacks:',
      '    permanent:',
      '      - ${file(stacks/permanent-base.yml)}',
      '      - Resources:',
      '          OrdersTableKey:',
      '            Type: AWS::SNS::Topic',
      '      - Resources:',
      table('          ', 'OrdersTable'),
      '',
    ].join('\n');
    const r = await processMemory([{ path: 'serverless.yml', text }], 'fix', {});
    expect(r.outcomes[0].tables.map((t) => [t.address, t.fixed])).toEqual([['additionalStacks.permanent.OrdersTable', true]]);
    const out = r.output.get('serverless.yml')!;
    expect(out).toContain('KMSMasterKeyId: !GetAtt OrdersTableKey2.Arn');
    expect(out.indexOf('          OrdersTableKey2:\n')).toBeGreaterThan(out.indexOf('          OrdersTable:\n'));
  });

  it('--key-strategy shared: one key per stack, its alias named after a table of that stack by its logical ID', async () => {
    const text = [
      'service: orders',
      'provider: {name: aws}',
      'custom:',
      '  additionalStacks:',
      '    permanent:',
      '      Resources:',
      table('        ', 'OrdersTable'),
      table('        ', 'CartsTable'),
      'resources:',
      '  Resources:',
      table('    ', 'SessionsTable'),
      '',
    ].join('\n');
    const r = await processMemory([{ path: 'serverless.yml', text }], 'fix', { keyStrategy: 'shared' });
    expect(r.outcomes[0].tables.map((t) => t.fixed)).toEqual([true, true, true]);
    const [stack, service] = r.output.get('serverless.yml')!.split('\nresources:\n');
    expect(stack.match(/^ {8}DynamoDBTablesKey:$/gm)).toHaveLength(1);
    expect(stack).toContain("AliasName: !Join ['', [alias/dynamodb/, !Ref OrdersTable, '-shared']]");
    expect(stack).toContain("Description: 'KMS key for DynamoDB tables OrdersTable, CartsTable'");
    expect(service.match(/^ {4}DynamoDBTablesKey:$/gm)).toHaveLength(1);
  });

  it("CloudFormation's 500 resources are counted per stack", async () => {
    const topics = Array.from({ length: 498 }, (_, i) => `        Topic${i}:\n          Type: AWS::SNS::Topic`).join('\n');
    const text = [
      'service: orders',
      'provider: {name: aws}',
      'custom:',
      '  additionalStacks:',
      '    permanent:',
      '      Resources:',
      table('        ', 'OrdersTable'),
      topics,
      'resources:',
      '  Resources:',
      table('    ', 'SessionsTable'),
      '',
    ].join('\n');
    const r = await processMemory([{ path: 'serverless.yml', text }], 'fix', {});
    const [service, stack] = r.outcomes[0].tables;
    expect(stack.address).toBe('additionalStacks.permanent.OrdersTable');
    expect(stack.fixed).toBeUndefined();
    expect(stack.message).toContain('the template holds 499 resources, and the 2 a fix adds');
    expect(service.fixed).toBe(true);
  });

  it("serverless-dynamodb-local migrates the stacks' tables too (with the plugin listed): the same note", async () => {
    const text = [
      'service: orders',
      'provider: {name: aws}',
      'plugins: [serverless-plugin-additional-stacks, serverless-dynamodb-local]',
      'custom:',
      '  additionalStacks:',
      '    permanent:',
      '      Resources:',
      table('        ', 'OrdersTable'),
      '',
    ].join('\n');
    const r = await processMemory([{ path: 'serverless.yml', text }], 'scan');
    expect(r.outcomes[0].tables[0].message).toContain('Local development: serverless-dynamodb-local passes SSESpecification');
  });

  it("serverless.ts (the TypeScript family): the stack's table is fixed in its stack's Resources object", async () => {
    const t = "{ Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] } }";
    const text = `module.exports = {\n  service: 'orders',\n  custom: { additionalStacks: { permanent: { Resources: {\n    OrdersTable: ${t},\n  } } } },\n  resources: { Resources: {\n    OrdersTable: ${t},\n  } },\n};\n`;
    const r = await processMemory([{ path: 'serverless.ts', text }], 'fix', {});
    expect(r.outcomes[0].tables.map((x) => [x.address, x.fixed])).toEqual([
      ['OrdersTable', true],
      ['OrdersTable#2', true],
    ]);
    const [stack, service] = r.output.get('serverless.ts')!.split('  resources: {');
    expect(stack).toContain('OrdersTableKey: {');
    expect(service).toContain('OrdersTableKey: {');
  });

  it('a file of stacks a service includes by key (`${file(resources/dynamodb.yml):stack}`): read and fixed in place (real-world round 28)', async () => {
    const service = [
      'service: usage',
      'provider: {name: aws}',
      'plugins: [serverless-plugin-additional-stacks]',
      'custom:',
      '  additionalStacks:',
      '    dynamodb: ${file(./resources/dynamodb.yml):stack}',
      '',
    ].join('\n');
    const stacks = ['stack:', '  StackName: ${self:service}-dynamodb', '  Resources:', table('    ', 'UsageTable'), ''].join('\n');
    const files = [
      { path: 'serverless.yml', text: service },
      { path: 'resources/dynamodb.yml', text: stacks },
    ];
    const r = await processMemory(files, 'fix', {});
    expect(r.outcomes.flatMap((o) => o.tables).map((x) => [x.address, x.status, x.fixed])).toEqual([
      ['stack.UsageTable', 'aws-owned', true],
    ]);
    const out = r.output.get('resources/dynamodb.yml')!;
    // The key in the same stack's Resources, its alias written as the Framework resolves it.
    expect(out).toContain('KMSMasterKeyId: !GetAtt UsageTableKey.Arn');
    expect(out).toMatch(/\n    UsageTableKey:\n/);
    expect(out).toContain("AliasName: !Join ['', [alias/dynamodb/, !Ref UsageTable]]");
    // Idempotent.
    const again = await processMemory([{ path: 'resources/dynamodb.yml', text: out }], 'fix', {});
    expect(again.outcomes[0].newText === undefined || again.outcomes[0].newText === out).toBe(true);
  });
});
