/**
 * Tables a deploy joins into a global table through DynamoDB's API (src/formats/cloudformation/
 * apiGlobalTables.ts): a template that grants dynamodb:CreateGlobalTable or dynamodb:UpdateGlobalTable
 * (version 2017.11.29, whose replicas take no customer-managed key) or dynamodb:CreateTableReplica
 * (UpdateTable's ReplicaUpdates, 2019.11.21: replicas without a key of their Region), and a Serverless service with
 * serverless-create-global-dynamodb-table. Such tables are reported not fixable, by scan and fix
 * alike; the fixtures cloudformation/legacy-global-table-grant and serverless-global-tables-plugin
 * hold the outputs.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (id: string, name?: string) => `  ${id}:
    Type: AWS::DynamoDB::Table
    Properties:
${name ? `      TableName: ${name}\n` : ''}      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
`;

const role = (statement: string) => `  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
${statement
  .split('\n')
  .map((l) => `              ${l}`)
  .join('\n')}
`;

const template = (resources: string) =>
  `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Name:\n    Type: String\nResources:\n${resources}`;

/** Each table's fix outcome, and whether scan says the same about it. */
async function verdicts(path: string, text: string) {
  const [fix, scan] = await Promise.all([processMemory([{ path, text }], 'fix'), processMemory([{ path, text }], 'scan')]);
  expect(fix.outcomes[0].error).toBeUndefined();
  const scanned = new Map(scan.outcomes[0].tables.map((t) => [t.address, t]));
  return Object.fromEntries(
    fix.outcomes[0].tables.map((t) => {
      expect(scanned.get(t.address)?.fixable, t.address).toBe(t.fixable);
      expect(scanned.get(t.address)?.blocker, t.address).toBe(t.blocker);
      return [t.address, { fixed: t.fixed === true, fixable: t.fixable, blocker: t.blocker }];
    }),
  );
}

const LEGACY =
  'a global table of version 2017.11.29 (Legacy) takes no customer-managed key, so a fix would fail at deploy. Update the global table ' +
  'to version 2019.11.21 (Current) first';

describe('a template that grants the global table APIs of version 2017.11.29', () => {
  it('leaves the tables its Resource names (Ref, GetAtt, Fn::Sub, a literal table name), and fixes the others', async () => {
    const v = await verdicts(
      'template.yaml',
      template(
        table('Subbed') +
          table('Referenced') +
          table('Literal', 'orders') +
          table('Other', 'other') +
          table('Unnamed') +
          role(`- Effect: Allow
  Action: [dynamodb:CreateGlobalTable, dynamodb:DescribeGlobalTable]
  Resource:
    - !Sub arn:aws:dynamodb::\${AWS::AccountId}:global-table/\${Subbed}
    - !GetAtt Referenced.Arn
- Effect: Allow
  Action: dynamodb:UpdateGlobalTable
  Resource: arn:aws:dynamodb:*:123456789012:table/orders`),
      ),
    );
    expect(v.Subbed).toEqual({
      fixed: false,
      fixable: false,
      blocker: expect.stringContaining(`the template grants dynamodb:CreateGlobalTable and dynamodb:UpdateGlobalTable on it: ${LEGACY}`),
    });
    expect(v.Referenced.fixed).toBe(false);
    expect(v.Literal.fixed).toBe(false);
    for (const t of ['Other', 'Unnamed']) expect(v[t], t).toEqual({ fixed: true, fixable: true, blocker: undefined });
  });

  it('leaves every table when the Resource names none it can tell (*, a parameter), or is missing', async () => {
    for (const resource of ["'*'", '!Sub arn:aws:dynamodb:*:*:table/${Name}', '!Ref Name', null]) {
      const v = await verdicts(
        'template.yaml',
        template(
          table('A', 'a') +
            table('B') +
            role(`- Effect: Allow\n  Action: dynamodb:CreateGlobalTable${resource === null ? '' : `\n  Resource: ${resource}`}`),
        ),
      );
      for (const t of ['A', 'B']) expect(v[t].blocker, `${t} ${resource}`).toContain(LEGACY);
    }
  });

  it('reads patterns that name the APIs, in JSON too; not dynamodb:* or *, nor a Deny', async () => {
    const json = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        T: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [] } },
        P: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'DynamoDB:*Global*', Resource: '*' }] } },
        },
      },
    });
    expect((await verdicts('template.json', json)).T.blocker).toContain(LEGACY);
    for (const statement of [
      '- Effect: Allow\n  Action: dynamodb:*\n  Resource: "*"',
      '- Effect: Allow\n  Action: "*"\n  Resource: "*"',
      '- Effect: Deny\n  Action: dynamodb:CreateGlobalTable\n  Resource: "*"',
      '- Effect: Allow\n  Action: dynamodb:DescribeGlobalTable\n  Resource: "*"',
    ]) {
      const v = await verdicts('template.yaml', template(table('T') + role(statement)));
      expect(v.T, statement).toEqual({ fixed: true, fixable: true, blocker: undefined });
    }
  });

  it('SAM: a function policy statement', async () => {
    const v = await verdicts(
      'template.yaml',
      `Transform: AWS::Serverless-2016-10-31\nResources:\n${table('T')}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: i.h\n      Runtime: nodejs20.x\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: dynamodb:CreateGlobalTable\n              Resource: !Sub 'arn:aws:dynamodb::\${AWS::AccountId}:global-table/\${T}'\n`,
    );
    expect(v.T.blocker).toContain(LEGACY);
  });
});

const CURRENT =
  "the template grants dynamodb:CreateTableReplica on it, with which UpdateTable (ReplicaUpdates) adds replicas through DynamoDB's API, " +
  "outside the template and without a key of their Region: a table with a customer-managed key needs one of each replica's Region, " +
  'so a fix would fail at deploy';

describe('a template that grants dynamodb:CreateTableReplica (UpdateTable ReplicaUpdates, version 2019.11.21)', () => {
  it('leaves the tables its Resource names (GetAtt, a Fn::Sub of another Region), and fixes the others', async () => {
    const v = await verdicts(
      'template.yaml',
      template(
        table('Backup') +
          table('Subbed') +
          table('Other') +
          role(`- Effect: Allow
  Action: [dynamodb:UpdateTable, dynamodb:CreateTableReplica, dynamodb:DescribeTable]
  Resource:
    - !GetAtt Backup.Arn
    - !Sub arn:\${AWS::Partition}:dynamodb:\${Name}:\${AWS::AccountId}:table/\${Subbed}`),
      ),
    );
    for (const t of ['Backup', 'Subbed'])
      expect(v[t], t).toEqual({ fixed: false, fixable: false, blocker: expect.stringContaining(CURRENT) });
    expect(v.Other).toEqual({ fixed: true, fixable: true, blocker: undefined });
  });

  it('reads patterns that name it, in JSON too; not dynamodb:*, dynamodb:UpdateTable alone, nor a Deny', async () => {
    const json = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        T: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [] } },
        P: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'DynamoDB:*Replica*', Resource: '*' }] } },
        },
      },
    });
    expect((await verdicts('template.json', json)).T.blocker).toContain(
      CURRENT.replace('dynamodb:CreateTableReplica', 'DynamoDB:*Replica*'),
    );
    for (const statement of [
      '- Effect: Allow\n  Action: dynamodb:*\n  Resource: "*"',
      '- Effect: Allow\n  Action: dynamodb:UpdateTable\n  Resource: "*"',
      '- Effect: Allow\n  Action: dynamodb:UpdateTableReplicaAutoScaling\n  Resource: "*"',
      '- Effect: Deny\n  Action: dynamodb:CreateTableReplica\n  Resource: "*"',
    ]) {
      const v = await verdicts('template.yaml', template(table('T') + role(statement)));
      expect(v.T, statement).toEqual({ fixed: true, fixable: true, blocker: undefined });
    }
  });

  it("a table both versions' grants name gets the Legacy step, which comes first", async () => {
    const v = await verdicts(
      'template.yaml',
      template(
        table('T') +
          role('- Effect: Allow\n  Action: [dynamodb:CreateTableReplica, dynamodb:UpdateGlobalTable]\n  Resource: !GetAtt T.Arn'),
      ),
    );
    expect(v.T.blocker).toContain(LEGACY);
    expect(v.T.blocker).not.toContain('CreateTableReplica');
  });

  it('a Serverless service: provider.iam statements', async () => {
    const text = `service: s\nprovider:\n  name: aws\n  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: [dynamodb:CreateTableReplica]\n          Resource: !GetAtt Notes.Arn\nresources:\n  Resources:\n${table(
      'Notes',
    )
      .split('\n')
      .map((l) => (l ? `  ${l}` : l))
      .join('\n')}`;
    expect((await verdicts('serverless.yml', text)).Notes).toEqual({
      fixed: false,
      fixable: false,
      blocker: expect.stringContaining(CURRENT),
    });
  });
});

const service = (custom: string, plugins = '  - serverless-create-global-dynamodb-table\n') =>
  `service: s\nprovider:\n  name: aws\nplugins:\n${plugins}${custom}resources:\n  Resources:\n${table('A')
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join(
      '\n',
    )}    G:\n      Type: AWS::DynamoDB::GlobalTable\n      Properties:\n        KeySchema: []\n        Replicas: [{ Region: !Ref AWS::Region }]\n`;

describe('a Serverless service with serverless-create-global-dynamodb-table', () => {
  it("leaves its AWS::DynamoDB::Table resources (version 2017.11.29, the plugin's default), not an AWS::DynamoDB::GlobalTable", async () => {
    const v = await verdicts('serverless.yml', service('custom:\n  globalTables:\n    regions: [eu-west-1]\n'));
    expect(v.A).toEqual({
      fixed: false,
      fixable: false,
      blocker: expect.stringContaining(
        `the service's plugin serverless-create-global-dynamodb-table (custom.globalTables, version v1: its default) joins it into a global table after each deploy: ${LEGACY}`,
      ),
    });
    expect(v.G.blocker ?? '').not.toContain('serverless-create-global-dynamodb-table');
  });

  it('version: v2 adds replicas without a key of their Region', async () => {
    const v = await verdicts('serverless.yml', service('custom:\n  globalTables:\n    version: v2\n    regions: [eu-west-1]\n'));
    expect(v.A.blocker).toContain('(custom.globalTables, version: v2) adds its replicas through DynamoDB');
    expect(v.A.fixed).toBe(false);
  });

  it('a variable as custom counts; no custom.globalTables, or no plugin, does not', async () => {
    expect((await verdicts('serverless.yml', service('custom: ${file(custom.yml)}\n'))).A.fixed).toBe(false);
    expect((await verdicts('serverless.yml', service('custom:\n  other: 1\n'))).A.fixed).toBe(true);
    expect(
      (await verdicts('serverless.yml', service('custom:\n  globalTables:\n    regions: [eu-west-1]\n', '  - serverless-offline\n'))).A
        .fixed,
    ).toBe(true);
  });

  it('plugin 1.x: a list of tables by Output key or name leaves those only', async () => {
    const text = `service: s\nprovider:\n  name: aws\nplugins: [serverless-create-global-dynamodb-table]\ncustom:\n  globalTables:\n    - regions: [eu-west-1]\n      tableKey: NotesName\n    - regions: [eu-west-1]\n      tableName: tags\nresources:\n  Resources:\n${[
      table('Notes'),
      table('Tags', 'tags'),
      table('Other', 'other'),
    ]
      .join('')
      .split('\n')
      .map((l) => (l ? `  ${l}` : l))
      .join('\n')}  Outputs:\n    NotesName:\n      Value: !Ref Notes\n`;
    const v = await verdicts('serverless.yml', text);
    expect(v.Notes.fixed).toBe(false);
    expect(v.Tags.fixed).toBe(false);
    expect(v.Other.fixed).toBe(true);
  });

  it('a file of Resources the service includes: its tables too (scan and fix alike)', async () => {
    const files = (custom: string) => [
      {
        path: 'serverless.yml',
        text: `service: s\nprovider:\n  name: aws\nplugins:\n  - serverless-create-global-dynamodb-table\n${custom}resources:\n  Resources: \${file(resources/tables.yml)}\n`,
      },
      { path: 'resources/tables.yml', text: table('Notes').replace(/^ {2}/gm, '') },
    ];
    for (const [custom, fixed] of [
      ['custom:\n  globalTables:\n    regions: [eu-west-1]\n', false],
      ['custom:\n  other: 1\n', true],
    ] as const) {
      for (const mode of ['scan', 'fix'] as const) {
        const t = (await processMemory(files(custom), mode)).outcomes.flatMap((o) => o.tables).find((x) => x.address === 'Notes')!;
        expect(t.fixable, `${mode} ${custom}`).toBe(fixed);
        if (!fixed) expect(t.blocker).toContain(LEGACY);
      }
    }
  });

  it("a grant in the service file for an included file's tables, and in an included file for the service's own", async () => {
    const grant = (resource: string) =>
      `- Effect: Allow\n  Action: [dynamodb:CreateGlobalTable, dynamodb:DescribeGlobalTable]\n  Resource: ${resource}\n`;
    const indent = (text: string, n: number) => text.replace(/^(?=.)/gm, ' '.repeat(n));
    // The serverless-stack layout: the role in serverless.yml, the tables in a file of Resources it includes.
    const service = (resource: string) => [
      {
        path: 'serverless.yml',
        text: `service: s\nprovider:\n  name: aws\n  iam:\n    role:\n      statements:\n${indent(grant(resource), 8)}resources:\n  - \${file(resources/tables.yml)}\n`,
      },
      { path: 'resources/tables.yml', text: `Resources:\n${table('Notes')}${table('Other')}` },
    ];
    for (const [resource, notes, other] of [
      ["'*'", false, false],
      ['!GetAtt Notes.Arn', false, true],
    ] as const) {
      for (const mode of ['scan', 'fix'] as const) {
        const tables = (await processMemory(service(resource), mode)).outcomes.flatMap((o) => o.tables);
        const at = (id: string) => tables.find((x) => x.address === id)!;
        expect([at('Notes').fixable, at('Other').fixable], `${mode} ${resource}`).toEqual([notes, other]);
        expect(at('Notes').blocker).toContain(
          `serverless.yml, which includes this file, grants dynamodb:CreateGlobalTable on it: ${LEGACY}`,
        );
      }
    }
    // The reverse: the table in serverless.yml, the role in an included file.
    const reverse = (action: string) => [
      {
        path: 'serverless.yml',
        text: `service: s\nprovider:\n  name: aws\nresources:\n  - \${file(resources/iam.yml)}\n  - Resources:\n${indent(table('Notes'), 4)}`,
      },
      {
        path: 'resources/iam.yml',
        text: `Resources:\n${role(grant("'*'").replace('CreateGlobalTable', action))}`,
      },
    ];
    for (const mode of ['scan', 'fix'] as const) {
      const notes = (await processMemory(reverse('CreateGlobalTable'), mode)).outcomes
        .flatMap((o) => o.tables)
        .find((x) => x.address === 'Notes')!;
      expect(notes.fixable, mode).toBe(false);
      expect(notes.blocker).toContain(`resources/iam.yml, which the service includes, grants dynamodb:CreateGlobalTable on it: ${LEGACY}`);
      const plain = (await processMemory(reverse('GetItem'), mode)).outcomes.flatMap((o) => o.tables).find((x) => x.address === 'Notes')!;
      expect(plain.fixable, mode).toBe(true);
    }
  });

  it('serverless.ts: the plugin and its custom.globalTables', async () => {
    const ts = (plugins: string) => `import type { AWS } from '@serverless/typescript';
const config: AWS = {
  service: 's',
  provider: { name: 'aws', runtime: 'nodejs20.x' },
  plugins: [${plugins}],
  custom: { globalTables: { version: 'v2', regions: ['eu-west-1'] } },
  resources: {
    Resources: {
      Notes: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [], AttributeDefinitions: [] } },
    },
  },
};
module.exports = config;
`;
    const v = await verdicts('serverless.ts', ts("'serverless-create-global-dynamodb-table'"));
    expect(v.Notes.fixed).toBe(false);
    expect(v.Notes.blocker).toContain('(custom.globalTables, version: v2) adds its replicas');
    expect((await verdicts('serverless.ts', ts("'serverless-offline'"))).Notes.fixed).toBe(true);
  });
});
