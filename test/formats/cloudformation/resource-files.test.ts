/**
 * Files that serverless.yml includes with `${file(...)}` (src/formats/cloudformation/templates.ts
 * `templateOf`): a file of Resources (every top-level key a resource, or an include) is read and
 * fixed in place; a file that is one table's body is read, named after the file, and never fixed.
 * fixtures/cloudformation/serverless-resource-files has the whole layout, fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import type { DiskContext } from '../../../src/core/types.js';
import { cloudformation } from '../../../src/formats/cloudformation/index.js';

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
  const files = [
    { path: 'serverless.yml', text: service },
    { path: 'serverless/resources/todos/todo-table.yml', text: `todoTable:\n${TABLE}` },
    { path: 'serverless/resources/whole.yml', text: `Orders:\n${TABLE}` },
  ];
  const STEP =
    'serverless.yml: ${file(serverless/resources/todos/todo-table.yml):todoTable} includes this table alone, ' +
    'so the key and alias a fix adds beside it would not be deployed (and its KMSMasterKeyId would name a resource the stack lacks): ' +
    'include the whole file of Resources (`${file(...)}` without a key), or move the table into serverless.yml, then run kmsfix again; ' +
    'or run fix with --kms-key-arn and an existing key (it adds nothing beside the table)';
  const tablesOf = (r: Awaited<ReturnType<typeof processMemory>>) =>
    new Map(r.outcomes.flatMap((o) => o.tables.map((t) => [t.address, t])));

  it('scan says what fix does: a table included alone is not fixable, with the step; a file included whole is', async () => {
    const by = tablesOf(await processMemory(files, 'scan'));
    expect(by.get('todoTable')).toMatchObject({ status: 'aws-owned', fixable: false, blocker: STEP });
    expect(by.get('todoTable')!.message).toContain(`Not fixable automatically: ${STEP}`);
    expect(by.get('Orders')).toMatchObject({ status: 'aws-owned', fixable: true });
    expect(by.get('Orders')!.blocker).toBeUndefined();
  });

  it('fix leaves the table included alone as it is, with the same step; it fixes the file included whole', async () => {
    const r = await processMemory(files, 'fix');
    const by = tablesOf(r);
    expect(by.get('todoTable')!.fixed).toBeUndefined();
    expect(by.get('todoTable')).toMatchObject({ fixable: false, blocker: STEP });
    expect(r.output.get('serverless/resources/todos/todo-table.yml')).toBe(`todoTable:\n${TABLE}`);
    expect(by.get('Orders')!.fixed).toBe(true);
    expect(r.output.get('serverless/resources/whole.yml')).toMatch(/^OrdersKey:\n(  #.*\n)?  Type: AWS::KMS::Key\n/m);
  });

  it('with --kms-key-arn nothing is added beside the table: scan and fix take it, and fix sets its key', async () => {
    // (A key passed at deploy: `${ssm:...}` reads `unknown` since session 62, as SSM holds it in each account.)
    const kmsKeyArn = '${param:ordersTableKeyArn}';
    expect(tablesOf(await processMemory(files, 'scan', { kmsKeyArn })).get('todoTable')).toMatchObject({ fixable: true });
    const r = await processMemory(files, 'fix', { kmsKeyArn });
    expect(tablesOf(r).get('todoTable')!.fixed).toBe(true);
    const out = r.output.get('serverless/resources/todos/todo-table.yml')!;
    expect(out).toBe(
      `todoTable:\n${TABLE}    SSESpecification:\n      SSEEnabled: true\n      SSEType: KMS\n      KMSMasterKeyId: '${kmsKeyArn}'\n`,
    );
  });

  it('a table of a template (`Resources:` at its top) included alone, `${file(...):Resources.Orders}`, is not fixable either', async () => {
    const template = `Resources:\n  Orders:\n${TABLE.replace(/^/gm, '  ').replace(/ +$/, '')}`;
    const r = await processMemory(
      [
        { path: 'serverless.yml', text: 'service: s\nresources:\n  Resources:\n    Orders: ${file(./tables.yml):Resources.Orders}\n' },
        { path: 'tables.yml', text: template },
      ],
      'fix',
    );
    const orders = tablesOf(r).get('Orders')!;
    expect(orders).toMatchObject({ fixable: false });
    expect(orders.blocker).toMatch(/^serverless\.yml: \$\{file\(\.\/tables\.yml\):Resources\.Orders\} includes this table alone/);
    expect(r.output.get('tables.yml')).toBe(template);
  });
});

describe('a service in a subfolder, deployed with --config, includes paths from the working folder (Serverless v1 and v2)', () => {
  it('`${file(serverless/resources/tables.yml):OrdersTable}` in serverless/serverless.yml names serverless/resources/tables.yml (real-world round 28)', async () => {
    const r = await processMemory(
      [
        {
          path: 'serverless/serverless.yml',
          text: 'service: s\nresources:\n  Resources:\n    OrdersTable: ${file(serverless/resources/tables.yml):OrdersTable}\n',
        },
        { path: 'serverless/resources/tables.yml', text: `OrdersTable:\n${TABLE}` },
      ],
      'fix',
    );
    const t = r.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'OrdersTable')!;
    expect(t).toMatchObject({ fixable: false });
    expect(t.blocker).toMatch(
      /^serverless\/serverless\.yml: \$\{file\(serverless\/resources\/tables\.yml\):OrdersTable\} includes this table alone/,
    );
    expect(r.output.get('serverless/resources/tables.yml')).toBe(`OrdersTable:\n${TABLE}`);
  });
});

describe('what detect asks of the service files above a file', () => {
  const asked = async (path: string, text: string) => {
    const names: string[] = [];
    const context: DiskContext = {
      siblings: async () => [],
      projectFile: async (_from, name) => {
        names.push(name);
        return undefined;
      },
      folder: async () => undefined,
      treeFiles: async () => [],
      folderFiles: async () => [],
      subfolders: async () => [],
    };
    await cloudformation.detect({ path, absPath: `/p/${path}`, text }, context);
    return names;
  };

  it('only a file that could be included, with a table a fix would change', async () => {
    expect(await asked('resources/tables.yml', `Orders:\n${TABLE}`)).toEqual(['serverless.yml', 'serverless.yaml', 'serverless.ts']);
    expect(await asked('resources/tables.yml', `Resources:\n  Orders:\n${TABLE.replace(/^/gm, '  ')}`)).toHaveLength(3);
    const encrypted = `${TABLE}    SSESpecification:\n      SSEEnabled: true\n      SSEType: KMS\n      KMSMasterKeyId: arn:aws:kms:us-east-1:111122223333:key/k\n`;
    expect(await asked('resources/tables.yml', `Orders:\n${encrypted}`)).toEqual([]);
    const template = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Orders:\n${TABLE.replace(/^/gm, '  ')}`;
    expect(await asked('template.yaml', template)).toEqual([]);
    expect(await asked('serverless.yml', `service: s\nresources:\n  Resources:\n    Orders:\n${TABLE.replace(/^/gm, '    ')}`)).toEqual([]);
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

  it('by a service file of another name, deployed with --config (serverless-dynamodb.yml: real-world round 30)', async () => {
    const files = [
      { path: 'serverless-dynamodb.yml', text: service },
      { path: 'serverless.yml', text: 'service: api\nprovider:\n  name: aws\n' },
      { path: 'resources/table.yml', text: template },
    ];
    const out = (await processMemory(files, 'fix')).output.get('resources/table.yml')!;
    expect(out).not.toContain('!Sub');
    expect(out).toContain("AliasName: !Join ['', [alias/dynamodb/, !Ref NotesTable]]");
  });

  it('several service files of other names: each include counts (one including the table alone blocks it: adversarial pass)', async () => {
    const files = [
      { path: 'serverless-api.yml', text: service },
      {
        path: 'serverless-dynamodb.yml',
        text: 'service: db\nprovider:\n  name: aws\nresources:\n  Resources:\n    NotesTable: ${file(resources/table.yml):Resources.NotesTable}\n',
      },
      { path: 'resources/table.yml', text: template },
    ];
    const [t] = (await processMemory(files, 'scan')).outcomes.find((o) => o.file.path === 'resources/table.yml')!.tables;
    expect(t.fixable).toBe(false);
    expect(t.blocker).toMatch(/serverless-dynamodb\.yml/);
  });

  it('so is one whose whole Resources a service file includes, `${file(resources/table.yml):Resources}`: scan and fix take its table', async () => {
    const files = [
      { path: 'serverless.yml', text: 'service: notes\nresources:\n  Resources: ${file(resources/table.yml):Resources}\n' },
      { path: 'resources/table.yml', text: template },
    ];
    const scanned = await processMemory(files, 'scan');
    expect(scanned.outcomes.flatMap((o) => o.tables)).toMatchObject([{ address: 'NotesTable', fixable: true }]);
    const out = (await processMemory(files, 'fix')).output.get('resources/table.yml')!;
    expect(out).toContain('NotesTableKey:');
    expect(out).not.toContain('!Sub');
    expect(out).toContain("AliasName: !Join ['', [alias/dynamodb/, !Ref NotesTable]]");
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
