/**
 * Pulumi YAML tables created through a provider (`options: provider: ${name}`): the key, its alias and
 * the lookups of its policy go through that provider, so the key is in the table's Region and its
 * policy names that Region; verification refuses a key created elsewhere. The one-run output is
 * fixtures/pulumi-yaml/resource-options.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { detectPulumiYaml } from '../../../src/formats/pulumi-yaml/detect.js';
import { verifyPulumiYaml } from '../../../src/formats/pulumi-yaml/verify.js';

const provider = (name: string, region: string) => `  ${name}:\n    type: pulumi:providers:aws\n    properties:\n      region: ${region}\n`;
const table = (name: string, through?: string) =>
  `  ${name}:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: id\n` +
  (through ? `    options:\n      provider: \${${through}}\n` : '');
const program = (...resources: string[]) => `name: app\nruntime: yaml\nresources:\n${resources.join('')}`;

const file = (text: string) => ({ path: 'Pulumi.yaml', absPath: '/Pulumi.yaml', text });

async function fix(text: string, keyStrategy: 'per-table' | 'shared' = 'per-table') {
  const r = await processMemory([{ path: 'Pulumi.yaml', text }], 'fix', { keyStrategy });
  expect(r.outcomes[0].error).toBeUndefined();
  return { tables: r.outcomes[0].tables, out: r.output.get('Pulumi.yaml') ?? text };
}

describe('Pulumi YAML: a table created through a provider', () => {
  it("a later run reuses that provider's policy and lookups for a new table of the same provider", async () => {
    const first = await fix(program(provider('eu', 'eu-west-1'), table('orders', 'eu')));
    expect(first.out).toContain(
      '  regionEu:\n    fn::invoke:\n      function: aws:getRegion\n      options:\n        provider: ${eu}\n      return: name\n',
    );
    expect(first.out).toContain('kms:ViaService: dynamodb.${regionEu}.amazonaws.com');
    const again = await fix(`${first.out}${table('events', 'eu')}`);
    expect(again.tables.find((t) => t.address === 'events')!.fixed).toBe(true);
    const added = again.out.slice(first.out.length - 1);
    expect(again.out.startsWith(first.out.slice(0, first.out.indexOf('resources:')))).toBe(true);
    expect(added).toContain('      policy: ${dynamodbKeyPolicyEu}\n    options:\n      provider: ${eu}\n');
    expect(added).toContain('  eventsKeyAlias:\n    type: aws:kms:Alias\n');
  });

  it('--key-strategy shared: one key per provider, each through its own', async () => {
    const { out } = await fix(program(table('local'), provider('eu', 'eu-west-1'), table('orders', 'eu'), table('events', 'eu')), 'shared');
    expect(out).toContain('  dynamodbTablesKey:\n    type: aws:kms:Key\n');
    expect(out).toContain('      policy: ${dynamodbKeyPolicy}\n  dynamodbTablesKeyAlias:\n');
    expect(out).toContain('  dynamodbTablesKeyEu:\n    type: aws:kms:Key\n');
    expect(out).toContain("      description: 'KMS key for DynamoDB tables orders, events'\n");
    expect(out).toContain('      policy: ${dynamodbKeyPolicyEu}\n    options:\n      provider: ${eu}\n');
    expect(out.match(/kmsKeyArn: \$\{dynamodbTablesKeyEu\.arn\}/g)).toHaveLength(2);
  });

  it("verification refuses a key that is not created through the table's provider", async () => {
    const text = program(provider('eu', 'eu-west-1'), table('orders', 'eu'));
    const { out } = await fix(text);
    const wrong = out.replace(
      '      policy: ${dynamodbKeyPolicyEu}\n    options:\n      provider: ${eu}\n',
      '      policy: ${dynamodbKeyPolicyEu}\n',
    );
    expect(wrong).not.toBe(out);
    const before = detectPulumiYaml(file(text));
    expect(
      verifyPulumiYaml(before, detectPulumiYaml(file(out)), ['orders'], {
        keyStrategy: 'per-table',
        acceptAwsManaged: false,
      }),
    ).toEqual([]);
    expect(
      verifyPulumiYaml(before, detectPulumiYaml(file(wrong)), ['orders'], {
        keyStrategy: 'per-table',
        acceptAwsManaged: false,
      }),
    ).toEqual(["key ordersKey of table orders is not created through the table's provider"]);
  });
});

describe('Pulumi YAML --kms-key-arn: a key of another Region than the provider the table goes through', () => {
  it("is declined with the reason; a table of the key's Region, or on the default provider, gets the ARN", async () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const text = program(
      provider('eu', 'eu-west-1'),
      provider('home', 'us-east-1'),
      table('orders', 'eu'),
      table('carts', 'home'),
      table('plain'),
    );
    const r = await processMemory([{ path: 'Pulumi.yaml', text }], 'fix', { kmsKeyArn: arn });
    const by = new Map(r.outcomes[0].tables.map((t) => [t.address, t]));
    expect(by.get('orders')!.fixed).toBeUndefined();
    expect(by.get('orders')!.message).toContain(
      "Not fixable automatically: --kms-key-arn names a key in us-east-1, and this table is in eu-west-1 (provider ${eu}): a table's key must be in its Region",
    );
    expect(by.get('carts')!.fixed).toBe(true);
    expect(by.get('plain')!.fixed).toBe(true);
    expect(r.output.get('Pulumi.yaml')!.match(/kmsKeyArn: /g)).toHaveLength(2);
  });
});

describe('Pulumi YAML: a table name a KMS alias cannot hold', () => {
  it("a literal name with a '.' gets an alias of that name, each '.' written '-'; other names are read at deploy", async () => {
    const named = (name: string, value: string) =>
      `  ${name}:\n    type: aws:dynamodb:Table\n    properties:\n      name: ${value}\n      hashKey: id\n`;
    const { out } = await fix(program(named('orders', 'prod.orders'), named('carts', 'carts')));
    expect(out).toContain('      name: alias/dynamodb/prod-orders\n');
    expect(out).toContain("      name: 'alias/dynamodb/${carts.name}'\n");
  });
});
