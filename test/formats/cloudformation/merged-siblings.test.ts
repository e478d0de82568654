/**
 * Files a deployer merges into one template (src/formats/cloudformation/mergedSiblings.ts): a Copilot addons
 * folder, a Serverless `resources:` list of `${file(...)}` items. Real-world round 37: new logical IDs were named
 * apart from the table's own file only, so a sibling's `ordersKey` was declared again (Copilot refuses the merge;
 * the Framework deep-merges the two bodies), and `--key-strategy shared` wrote `DynamoDBTablesKey` into each addon.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (id: string, indent = '  ') =>
  `${indent}${id}:
${indent}  Type: AWS::DynamoDB::Table
${indent}  Properties:
${indent}    BillingMode: PAY_PER_REQUEST
${indent}    AttributeDefinitions:
${indent}      - AttributeName: pk
${indent}        AttributeType: S
${indent}    KeySchema:
${indent}      - AttributeName: pk
${indent}        KeyType: HASH
`;
const topicKey = (id: string) => `Resources:\n  ${id}:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n`;
const ids = (text: string) => [...text.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]);

async function fix(files: Record<string, string>, options = {}) {
  const r = await processMemory(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    'fix',
    options,
  );
  return r.output;
}

describe('new logical IDs are new across files merged into one template', () => {
  it("Copilot addons: a sibling addon's ID is taken (per table)", async () => {
    const out = await fix({
      'copilot/api/addons/orders.yml': `Resources:\n${table('orders')}`,
      'copilot/api/addons/topic.yml': topicKey('ordersKey'),
    });
    expect(ids(out.get('copilot/api/addons/orders.yml')!)).toEqual(['orders', 'ordersKey2', 'ordersKey2Alias']);
    expect(out.get('copilot/api/addons/topic.yml')).toBe(topicKey('ordersKey'));
  });

  it('Copilot addons, --key-strategy shared: one key per file that holds tables, named apart, saying which', async () => {
    const out = await fix(
      {
        'copilot/api/addons/orders.yml': `Resources:\n${table('orders')}`,
        'copilot/api/addons/sessions.yml': `Resources:\n${table('sessions')}`,
        'copilot/api/addons/addons.parameters.yml': 'Parameters:\n  X: y\n',
      },
      { keyStrategy: 'shared' },
    );
    const orders = out.get('copilot/api/addons/orders.yml')!;
    const sessions = out.get('copilot/api/addons/sessions.yml')!;
    expect(ids(orders)).toEqual(['orders', 'DynamoDBTablesKey', 'DynamoDBTablesKeyAlias']);
    expect(ids(sessions)).toEqual(['sessions', 'DynamoDBTablesKey2', 'DynamoDBTablesKey2Alias']);
    expect(sessions).toContain(
      'one key per file of copilot/api/addons/orders.yml, copilot/api/addons/sessions.yml: Copilot merges copilot/api/addons/ into one template',
    );
    // One file with tables: the set's one key, its description as for a lone file.
    const one = await fix(
      { 'copilot/api/addons/orders.yml': `Resources:\n${table('orders')}`, 'copilot/api/addons/topic.yml': topicKey('DynamoDBTablesKey') },
      { keyStrategy: 'shared' },
    );
    expect(ids(one.get('copilot/api/addons/orders.yml')!)).toEqual(['orders', 'DynamoDBTablesKey2', 'DynamoDBTablesKey2Alias']);
    expect(one.get('copilot/api/addons/orders.yml')).toContain('Description: KMS key for DynamoDB table orders\n');
  });

  it("Serverless resources list: a listed file's ID is taken, from a listed file and from serverless.yml itself", async () => {
    const service = 'service: s\nprovider:\n  name: aws\nresources:\n  - ${file(resources/orders.yml)}\n  - ${file(resources/queue.yml)}\n';
    const out = await fix({
      'serverless.yml': service,
      'resources/orders.yml': `Resources:\n${table('OrdersTable')}`,
      'resources/queue.yml': topicKey('OrdersTableKey'),
    });
    expect(ids(out.get('resources/orders.yml')!)).toEqual(['OrdersTable', 'OrdersTableKey2', 'OrdersTableKey2Alias']);
    const inline = `service: s\nprovider:\n  name: aws\nresources:\n  - Resources:\n${table('OrdersTable', '      ')}  - \${file(resources/queue.yml)}\n`;
    const own = await fix({ 'serverless.yml': inline, 'resources/queue.yml': topicKey('OrdersTableKey') });
    expect(own.get('serverless.yml')).toMatch(/^ {6}OrdersTableKey2:/m);
    expect(own.get('serverless.yml')).not.toMatch(/^ {6}OrdersTableKey:/m);
  });

  it('a file deployed alone: unchanged behaviour', async () => {
    const out = await fix({ 'stack/orders.yml': `Resources:\n${table('orders')}`, 'stack/topic.yml': topicKey('ordersKey') });
    expect(ids(out.get('stack/orders.yml')!)).toEqual(['orders', 'ordersKey', 'ordersKeyAlias']);
  });
});
