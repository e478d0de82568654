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
  expect(r.outcomes[0].error?.message).toBeUndefined();
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

describe('a table name with a dot', () => {
  const named = (id: string, name: string) => table(id).replace('    Properties:\n', `    Properties:\n      TableName: ${name}\n`);
  it('CloudFormation: the alias name is split at each "." and joined with "-" (a KMS alias cannot hold a dot; DynamoDB names can)', async () => {
    expect(
      await aliasNames(
        template(named('Orders', 'prod.orders'), named('Carts', "!Sub '${AWS::StackName}.carts'"), named('Plain', 'plain-table')),
      ),
    ).toEqual([
      `!Join ['-', !Split ['.', !Sub 'alias/dynamodb/\${Orders}']]`,
      `!Join ['-', !Split ['.', !Sub 'alias/dynamodb/\${Carts}']]`,
      "!Sub 'alias/dynamodb/${Plain}'",
    ]);
  });

  it('a name known only at deploy time may hold one: split and joined too, unless what it is made of cannot', async () => {
    const split = (id: string) => `!Join ['-', !Split ['.', !Sub 'alias/dynamodb/\${${id}}']]`;
    const params =
      'Parameters:\n  Free:\n    Type: String\n    Default: orders\n  Listed:\n    Type: String\n    AllowedValues: [dev, prod]\n' +
      "  Patterned:\n    Type: String\n    AllowedPattern: '^[a-z0-9-]+$'\n  Dotted:\n    Type: String\n    AllowedPattern: '^[a-z0-9.-]+$'\n";
    const text = template(
      named('Free', '!Ref Free'),
      named('Listed', "!Sub '${AWS::StackName}-${Listed}'"),
      named('Patterned', '!Ref Patterned'),
      named('Dotted', "!Sub '${Dotted}-x'"),
      named('Pseudo', "!Sub '${AWS::StackName}-${AWS::Region}'"),
      named('Joined', "!Join ['-', [a, !Ref Free]]"),
      named('Attribute', "!Sub '${Other.Arn}'"),
      table('Generated'),
    ).replace('Resources:\n', () => `${params}Resources:\n`);
    expect(await aliasNames(text)).toEqual([
      split('Free'),
      "!Sub 'alias/dynamodb/${Listed}'",
      "!Sub 'alias/dynamodb/${Patterned}'",
      split('Dotted'),
      "!Sub 'alias/dynamodb/${Pseudo}'",
      split('Joined'),
      split('Attribute'),
      // A name CloudFormation generates (stack name, logical ID, suffix) holds no dot.
      "!Sub 'alias/dynamodb/${Generated}'",
    ]);
  });

  it('serverless.yml: the stage and service hold no dot; another variable may', async () => {
    const sls = (name: string) =>
      `service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n${named('Orders', name).replace(/^/gm, '  ')}`;
    const alias = async (name: string) =>
      /AliasName: (.*)/.exec((await processMemory([{ path: 'serverless.yml', text: sls(name) }], 'fix')).output.get('serverless.yml')!)![1];
    expect(await alias("'${self:service}-orders-${sls:stage}'")).toBe("!Join ['', [alias/dynamodb/, !Ref Orders]]");
    expect(await alias("'${self:custom.tableName}'")).toMatch(
      /^!Join \['-', !Split \['\.', !Join \['', \[alias\/dynamodb\/, !Ref Orders\]\]\]\]$/,
    );
  });

  it('Terraform: the alias reads the name through replace(..., ".", "-")', async () => {
    const tf = (n: string, name: string) => `resource "aws_dynamodb_table" "${n}" {\n  name     = ${name}\n  hash_key = "id"\n}\n`;
    const text = [
      tf('orders', '"prod.orders"'),
      tf('carts', '"${var.env}.carts"'),
      tf('plain', '"plain"'),
      // A name Terraform computes may hold one when applied (a variable's value, whatever its default).
      tf('named', 'var.env'),
      tf('env', '"${var.env}-env"'),
      'variable "env" {\n  type = string\n}\n',
    ].join('\n');
    const r = await processMemory([{ path: 'main.tf', text }], 'fix', {});
    const out = r.output.get('main.tf')!;
    expect(out).toContain('name          = "alias/dynamodb/${replace(aws_dynamodb_table.named.name, ".", "-")}"');
    // A registry module's table, named by its `name` input: the same rule.
    const call = (label: string, name: string) =>
      `module "${label}" {\n  source  = "terraform-aws-modules/dynamodb-table/aws"\n  name    = ${name}\n  hash_key = "id"\n}\n`;
    const modules = await processMemory(
      [
        {
          path: 'm.tf',
          text: [call('fixed', '"orders"'), call('computed', 'var.env'), 'variable "env" {\n  type = string\n}\n'].join('\n'),
        },
      ],
      'fix',
      {},
    );
    const m = modules.output.get('m.tf')!;
    expect(m).toContain('name          = "alias/dynamodb/${module.fixed.dynamodb_table_id}"');
    expect(m).toContain('name          = "alias/dynamodb/${replace(module.computed.dynamodb_table_id, ".", "-")}"');
    expect(out).toContain('name          = "alias/dynamodb/${replace(aws_dynamodb_table.env.name, ".", "-")}"');
    expect(out).toContain('name          = "alias/dynamodb/${replace(aws_dynamodb_table.orders.name, ".", "-")}"');
    expect(out).toContain('name          = "alias/dynamodb/${replace(aws_dynamodb_table.carts.name, ".", "-")}"');
    expect(out).toContain('name          = "alias/dynamodb/${aws_dynamodb_table.plain.name}"');
  });

  it("tables named by Fn::Sub's list form, one template text and different variable maps: no numbered aliases (real-world round 37, media2cloud)", async () => {
    const named = (id: string, vars: string) =>
      table(id).replace(
        '    Properties:\n',
        `    Properties:\n      TableName: !Sub\n        - \${AWS::StackName}-\${suffix}\n        - ${vars}\n`,
      );
    const mapped = `AWSTemplateFormatVersion: '2010-09-09'\nMappings:\n  T:\n    A: {S: a}\n    B: {S: b}\nResources:\n${named('ATable', 'suffix: !FindInMap [T, A, S]')}${named('BTable', 'suffix: !FindInMap [T, B, S]')}${named('CTable', 'suffix: c')}${named('DTable', 'suffix: d')}`;
    const names = await aliasNames(mapped);
    expect(names).toHaveLength(4);
    for (const n of names) expect(n).not.toMatch(/-\d'/);
  });
});
