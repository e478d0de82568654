/**
 * Files that serverless.yml includes with `${file(...)}` (src/formats/cloudformation/detect.ts
 * `templateOf`): a file of Resources (every top-level key a resource, or an include) is read and
 * fixed in place; a file that is one table's body is read, named after the file, and never fixed.
 * fixtures/cloudformation/serverless-resource-files has the whole layout, fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = `  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions:
      - AttributeName: id
        AttributeType: S
    KeySchema:
      - AttributeName: id
        KeyType: HASH
`;

async function scan(path: string, text: string) {
  const r = await processMemory([{ path, text }], 'scan');
  expect(r.outcomes[0]?.error).toBeUndefined();
  return (r.outcomes[0]?.tables ?? []).map((t) => ({ address: t.address, format: t.format, fixable: t.fixable, message: t.message }));
}

describe('files serverless.yml includes', () => {
  it('a file of Resources: its tables, as serverless.yml resources; an include among them is let be', async () => {
    const tables = await scan('resources/tables.yml', `Orders:\n${TABLE}Audit: \${file(audit.yml)}\n`);
    expect(tables).toMatchObject([{ address: 'Orders', format: 'serverless', fixable: true }]);
  });

  it('a document with any other key is not a file of Resources (nothing read)', async () => {
    expect(await scan('config/other.yml', `Orders:\n${TABLE}stage: dev\n`)).toEqual([]);
  });

  it("one table's body: read under the file's name, never fixed, with the step to take", async () => {
    const body = TABLE.replace(/^ {2}/gm, '');
    const tables = await scan('resources/orders-table.yml', body);
    expect(tables).toMatchObject([{ address: 'orders-table', format: 'serverless', fixable: false }]);
    expect(tables[0].message).toMatch(/Not fixable automatically: the file is one resource's body \(included by `\$\{file\(\.\.\.\)\}`\)/);
    const r = await processMemory([{ path: 'resources/orders-table.yml', text: body }], 'fix');
    expect(r.outcomes[0].newText).toBeUndefined();
  });

  it('the body of any other resource is not read', async () => {
    expect(await scan('resources/bucket.yml', 'Type: AWS::S3::Bucket\nProperties:\n  BucketName: b\n')).toEqual([]);
  });
});

describe('a file of Resources that a service file includes key by key', () => {
  it('a table included alone (`${file(...):Key}`) is declined with the step; a file included whole is fixed', async () => {
    const service = [
      'service: todo',
      'provider:',
      '  name: aws',
      'resources:',
      '  Resources:',
      '    todoTable: ${file(serverless/resources/todos/todo-table.yml):todoTable}',
      '  Outputs: ${file(serverless/resources/outputs.yml)}',
      '  extra: ${file(serverless/resources/whole.yml)}',
      '',
    ].join('\n');
    const r = await processMemory(
      [
        { path: 'serverless.yml', text: service },
        { path: 'serverless/resources/todos/todo-table.yml', text: `todoTable:\n${TABLE}` },
        { path: 'serverless/resources/whole.yml', text: `Orders:\n${TABLE}` },
      ],
      'fix',
    );
    const by = new Map(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));
    expect(by.get('todoTable')!.fixed).toBeUndefined();
    expect(by.get('todoTable')!.message).toContain(
      'Not fixable automatically: serverless.yml: ${file(serverless/resources/todos/todo-table.yml):todoTable} includes this table alone, ' +
        'so the key and alias a fix adds beside it would not be deployed',
    );
    expect(r.output.get('serverless/resources/todos/todo-table.yml') ?? `todoTable:\n${TABLE}`).toBe(`todoTable:\n${TABLE}`);
    expect(by.get('Orders')!.fixed).toBe(true);
    expect(r.output.get('serverless/resources/whole.yml')).toMatch(/^OrdersKey:\n(  #.*\n)?  Type: AWS::KMS::Key\n/m);
  });
});

describe('a template a service file includes whole', () => {
  const template = `Resources:\n  NotesTable:\n${TABLE.replace(/^/gm, '  ').replace(/ +$/, '')}`;
  const service = 'service: notes\nprovider:\n  name: aws\nresources:\n  - ${file(resources/table.yml)}\n';

  it('is written as serverless.yml is: the Framework resolves its ${...}, so no Fn::Sub (a Join instead); alone, a Sub', async () => {
    const r = await processMemory(
      [
        { path: 'serverless.yml', text: service },
        { path: 'resources/table.yml', text: template },
      ],
      'fix',
    );
    const out = r.output.get('resources/table.yml')!;
    expect(out).toContain('NotesTableKey:');
    expect(out).not.toContain('!Sub');
    expect(out).toContain("AliasName: !Join ['', [alias/dynamodb/, !Ref NotesTable]]");
    const alone = await processMemory([{ path: 'resources/table.yml', text: template }], 'fix');
    expect(alone.output.get('resources/table.yml')).toContain("AliasName: !Sub 'alias/dynamodb/${NotesTable}'");
  });
});

describe('what a fix writes where the Serverless Framework, or an AWS::Include, reads the file', () => {
  const fixed = async (path: string, text: string) => [...(await processMemory([{ path, text }], 'fix')).output.values()][0];

  it('a file of Resources no service file includes may be an AWS::Include snippet: long-form intrinsics, unless it writes short ones', async () => {
    const out = await fixed('snippets/tables.yaml', `Orders:\n${TABLE}`);
    expect(out).toContain('Fn::GetAtt: [OrdersKey, Arn]');
    expect(out).not.toMatch(/!(GetAtt|Ref|Join|Sub)\b/);
    const short = await fixed('snippets/tables.yaml', `Orders:\n${TABLE}    TableName: !Sub '\${AWS::StackName}-orders'\n`);
    expect(short).toContain('!GetAtt OrdersKey.Arn');
  });

  it('serverless.json: Fn::Join where serverless.yml gets one, not Fn::Sub (the Framework resolves ${...})', async () => {
    const service = {
      service: 'orders',
      provider: { name: 'aws' },
      resources: {
        Resources: {
          Orders: {
            Type: 'AWS::DynamoDB::Table',
            Properties: {
              BillingMode: 'PAY_PER_REQUEST',
              AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            },
          },
        },
      },
    };
    const out = await fixed('serverless.json', `${JSON.stringify(service, null, 2)}\n`);
    expect(out).toContain('"Fn::Join"');
    expect(out).not.toContain('"Fn::Sub"');
  });
});
