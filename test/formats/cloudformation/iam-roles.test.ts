/**
 * The roles a template grants DynamoDB actions on a table and no KMS action (caution `iam-roles`,
 * src/formats/cfn-values/iamRoles.ts): with --key-policy iam they lose access once the fix deploys,
 * and the fix names each with what grants it and where. The default key policy lets them through
 * DynamoDB: nothing is said then. A role kmsfix cannot read whole, or with any KMS action, is not named.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = (id: string, name?: string) =>
  `  ${id}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n${name ? `      TableName: ${name}\n` : ''}      BillingMode: PAY_PER_REQUEST\n` +
  '      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n';

const ROLE = (id: string, statements: string, extra = '') =>
  `  ${id}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n` +
  `            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n${extra}` +
  (statements ? `      Policies:\n        - PolicyName: db\n          PolicyDocument:\n            Statement:\n${statements}` : '');

const SAM_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n";

/** The roles named on each table by a fix under `mode` (undefined: no caution). */
async function named(text: string, mode: 'iam' | 'drop-in' = 'iam', path = 'template.yaml'): Promise<Record<string, string | undefined>> {
  const r = await processMemory([{ path, text }], 'fix', { keyPolicy: mode });
  return Object.fromEntries(
    r.outcomes[0].tables.map((t) => [
      t.address,
      t.cautions
        ?.find((c) => c.startsWith('IAM roles: '))
        ?.split(' are granted')[0]
        .split(' is granted')[0],
    ]),
  );
}

describe('CloudFormation and SAM: roles granted DynamoDB and no KMS action', () => {
  const sam =
    SAM_HEAD +
    TABLE('Orders') +
    '  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n' +
    '      InlineCode: "exports.handler=async()=>1"\n      Policies:\n        - AWSLambdaBasicExecutionRole\n        - DynamoDBCrudPolicy:\n            TableName: !Ref Orders\n' +
    ROLE(
      'Role',
      '              - Effect: Allow\n                Action: [dynamodb:GetItem, dynamodb:PutItem]\n                Resource: !GetAtt Orders.Arn\n',
    );

  it('a SAM policy template and an inline policy of a role, with file:line (the session 49 example)', async () => {
    const t = await named(sam);
    expect(t.Orders).toBe('IAM roles: with --key-policy iam, Fn (DynamoDBCrudPolicy, template.yaml:22) and Role (template.yaml:36)');
  });

  it('a function whose role Globals give: SAM ignores its Policies', async () => {
    const text = sam.replace('Resources:\n', 'Globals:\n  Function:\n    Role: arn:aws:iam::111122223333:role/shared\nResources:\n');
    expect((await named(text)).Orders).toBe('IAM roles: with --key-policy iam, Role (template.yaml:39)');
  });

  it('the default key policy (drop-in) says nothing: it lets them through DynamoDB', async () => {
    expect((await named(sam, 'drop-in')).Orders).toBeUndefined();
  });

  it('a role that has any KMS action, or a policy kmsfix cannot read, is not named', async () => {
    const text =
      SAM_HEAD +
      TABLE('Orders') +
      ROLE(
        'WithKms',
        '              - Effect: Allow\n                Action: dynamodb:*\n                Resource: "*"\n' +
          '              - Effect: Allow\n                Action: kms:Decrypt\n                Resource: "*"\n',
      ) +
      ROLE(
        'Unknown',
        '              - Effect: Allow\n                Action: dynamodb:Query\n                Resource: "*"\n',
        '      ManagedPolicyArns:\n        - arn:aws:iam::111122223333:policy/team-policy\n',
      ) +
      ROLE('Star', '              - Effect: Allow\n                Action: "*"\n                Resource: "*"\n') +
      '  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: i.h\n      Runtime: nodejs20.x\n      InlineCode: x\n' +
      '      Policies:\n        - DynamoDBReadPolicy:\n            TableName: !Ref Orders\n        - KMSDecryptPolicy:\n            KeyId: abc\n' +
      '  Own:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: i.h\n      Runtime: nodejs20.x\n      InlineCode: x\n' +
      '      Role: arn:aws:iam::111122223333:role/x\n      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref Orders\n';
    expect((await named(text)).Orders).toBeUndefined();
  });

  it('policies attached by Roles and by ManagedPolicyArns, an AWS managed DynamoDB policy, a stream event; names and wildcards', async () => {
    const text =
      SAM_HEAD +
      TABLE('Orders', 'orders') +
      TABLE('Audit', 'audit-log') +
      ROLE('Worker', '') +
      '  WorkerPolicy:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: p\n      Roles: [!Ref Worker]\n      PolicyDocument:\n        Statement:\n' +
      '          - Effect: Allow\n            Action: dynamodb:PutItem\n            Resource: !Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders"\n' +
      ROLE('Reader', '', '      ManagedPolicyArns:\n        - !Ref ReadPolicy\n') +
      '  ReadPolicy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n' +
      '          - Effect: Allow\n            Action: [dynamodb:GetItem]\n            Resource: arn:aws:dynamodb:*:*:table/audit-*\n' +
      ROLE('Admin', '', '      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess\n') +
      '  Consumer:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: i.h\n      Runtime: nodejs20.x\n      InlineCode: x\n' +
      '      Events:\n        Changes:\n          Type: DynamoDB\n          Properties:\n            Stream: !GetAtt Orders.StreamArn\n            StartingPosition: LATEST\n';
    const t = await named(text);
    expect(t.Orders).toBe(
      'IAM roles: with --key-policy iam, Worker (WorkerPolicy, template.yaml:41), Admin (AmazonDynamoDBFullAccess, template.yaml:71) and Consumer (Changes event, template.yaml:79)',
    );
    expect(t.Audit).toBe(
      'IAM roles: with --key-policy iam, Reader (ReadPolicy, template.yaml:59) and Admin (AmazonDynamoDBFullAccess, template.yaml:71)',
    );
  });

  it('a JSON template, and a statement on another table or a parameter names nothing', async () => {
    const text = JSON.stringify(
      {
        Parameters: { Name: { Type: 'String' } },
        Resources: {
          Orders: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } },
          Other: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } },
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: {},
              Policies: [
                {
                  PolicyName: 'db',
                  PolicyDocument: {
                    Statement: [
                      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::Sub': '${Orders.Arn}/index/*' } },
                      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: { 'Fn::Sub': 'arn:aws:dynamodb:eu-west-1:1:table/${Name}' } },
                      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
                    ],
                  },
                },
              ],
            },
          },
        },
      },
      null,
      2,
    );
    const t = await named(text, 'iam', 'template.json');
    expect(t.Orders).toBe('IAM roles: with --key-policy iam, Role (template.json:39)');
    expect(t.Other).toBeUndefined();
  });

  it('Serverless Framework: the service role, from provider.iam.role.statements and provider.iamRoleStatements', async () => {
    const service = (iam: string) =>
      `service: app\nprovider:\n  name: aws\n${iam}functions:\n  hello:\n    handler: h.h\nresources:\n  Resources:\n` +
      TABLE('Orders').replace(/^/gm, '  ');
    const statement = '        - Effect: Allow\n          Action: dynamodb:GetItem\n          Resource: !GetAtt OrdersTable.Arn\n';
    const statements = (
      await named(
        service(`  iam:\n    role:\n      statements:\n${statement.replace(/^/gm, '  ')}`.replaceAll('OrdersTable', 'Orders')),
        'iam',
        'serverless.yml',
      )
    ).Orders;
    expect(statements).toBe('IAM roles: with --key-policy iam, IamRoleLambdaExecution (provider.iam.role.statements, serverless.yml:7)');
    const legacy = (
      await named(
        service(`  iamRoleStatements:\n${statement.replace(/^ {2}/gm, '  ')}`.replaceAll('OrdersTable', 'Orders')),
        'iam',
        'serverless.yml',
      )
    ).Orders;
    expect(legacy).toBe('IAM roles: with --key-policy iam, IamRoleLambdaExecution (provider.iamRoleStatements, serverless.yml:5)');
    // A role given by ARN: the service makes none.
    const external = `  iam:\n    role: arn:aws:iam::111122223333:role/app\n  iamRoleStatements:\n${statement}`.replaceAll(
      'OrdersTable',
      'Orders',
    );
    expect((await named(service(external), 'iam', 'serverless.yml')).Orders).toBeUndefined();
  });
});

describe('Serverless Framework: an ARN whose table part is the TableName written with the same variables', () => {
  const service = (resource: string, name = '${self:provider.environment.TODOS_TABLE}') =>
    'service: todos\nprovider:\n  name: aws\n  environment:\n    TODOS_TABLE: ${self:service}-${sls:stage}\n' +
    '  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action: [dynamodb:GetItem, dynamodb:PutItem]\n' +
    `          Resource: "${resource}"\nfunctions:\n  create:\n    handler: h.create\nresources:\n  Resources:\n` +
    (TABLE('Todos', name) + TABLE('Audit', '${self:service}-audit')).replace(/^(?=.)/gm, '  ');

  it('names the service role on that table only (the serverless/examples shape, with a Region variable)', async () => {
    const t = await named(
      service('arn:aws:dynamodb:${opt:region, self:provider.region}:*:table/${self:provider.environment.TODOS_TABLE}'),
      'iam',
      'serverless.yml',
    );
    expect(t.Todos).toBe('IAM roles: with --key-policy iam, IamRoleLambdaExecution (provider.iam.role.statements, serverless.yml:9)');
    expect(t.Audit).toBeUndefined();
  });

  it('a variable written otherwise than the TableName, or a plain template input, names no table', async () => {
    const other = await named(service('arn:aws:dynamodb:${aws:region}:*:table/${self:custom.table}'), 'iam', 'serverless.yml');
    expect(other.Todos).toBeUndefined();
    const sam =
      SAM_HEAD +
      TABLE('Orders', "'${TableName}'") +
      ROLE(
        'Role',
        '              - Effect: Allow\n                Action: dynamodb:GetItem\n                Resource: !Sub "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}"\n',
      );
    expect((await named(sam)).Orders).toBeUndefined();
  });
});

describe('SAM connectors: the source role SAM gives DynamoDB read or write on the table (real-world round 39 F1)', () => {
  const FN = (id: string, extra = '', props = '') =>
    `  ${id}:\n    Type: AWS::Serverless::Function\n${extra}    Properties:\n      Handler: i.h\n      Runtime: nodejs20.x\n      InlineCode: x\n${props}`;
  const embedded = (destination: string, permissions = '[Read, Write]') =>
    `    Connectors:\n      TableConn:\n        Properties:\n          Destination: ${destination}\n          Permissions: ${permissions}\n`;

  it("an embedded connector names its function (by Id or by the table's Arn)", async () => {
    const byId = await named(SAM_HEAD + FN('Fn', embedded('{Id: Orders}')) + TABLE('Orders') + TABLE('Other'));
    expect(byId.Orders).toBe('IAM roles: with --key-policy iam, Fn (TableConn connector, template.yaml:7)');
    expect(byId.Other).toBeUndefined();
    const byArn = await named(
      SAM_HEAD + FN('Fn', embedded('{Type: AWS::DynamoDB::Table, Arn: !GetAtt Orders.Arn}', '[Read]')) + TABLE('Orders'),
    );
    expect(byArn.Orders).toBe('IAM roles: with --key-policy iam, Fn (TableConn connector, template.yaml:7)');
  });

  it('AWS::Serverless::Connector names its source, a Destination list too; a role of the template the source runs as', async () => {
    const connector = (source: string, destination: string) =>
      `  Conn:\n    Type: AWS::Serverless::Connector\n    Properties:\n      Source:\n        Id: ${source}\n      Destination: ${destination}\n      Permissions:\n        - Write\n`;
    const t = await named(SAM_HEAD + FN('Fn') + TABLE('Orders') + connector('Fn', '[{Id: Queue}, {Id: Orders}]'));
    expect(t.Orders).toBe('IAM roles: with --key-policy iam, Fn (Conn connector, template.yaml:20)');
    const lambda =
      '  Plain:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt Exec.Arn\n      Handler: i.h\n      Runtime: nodejs20.x\n' +
      "      Code: {ZipFile: 'x'}\n" +
      ROLE('Exec', '');
    const viaRole = await named(SAM_HEAD + lambda + TABLE('Orders') + connector('Plain', '{Id: Orders}'));
    expect(viaRole.Orders).toBe('IAM roles: with --key-policy iam, Exec (Conn connector, template.yaml:29)');
  });

  it('no role named: a source outside the template, one with a KMS policy, a connector without Read or Write', async () => {
    const outside =
      '  Conn:\n    Type: AWS::Serverless::Connector\n    Properties:\n      Source: {Type: AWS::IAM::Role, RoleName: app}\n' +
      '      Destination: {Id: Orders}\n      Permissions: [Read]\n';
    expect((await named(SAM_HEAD + TABLE('Orders') + outside)).Orders).toBeUndefined();
    const kms = '      Policies:\n        - KMSDecryptPolicy:\n            KeyId: abc\n';
    expect((await named(SAM_HEAD + FN('Fn', embedded('{Id: Orders}'), kms) + TABLE('Orders'))).Orders).toBeUndefined();
    expect((await named(SAM_HEAD + FN('Fn', embedded('{Id: Orders}', '[]')) + TABLE('Orders'))).Orders).toBeUndefined();
  });
});

describe("serverless-iam-roles-per-function: a function's own role from its iamRoleStatements (real-world round 39 F1)", () => {
  const service = (plugins: string, fn: string, provider = '') =>
    `service: app\n${plugins}provider:\n  name: aws\n${provider}functions:\n  audit-log:\n    handler: h.h\n${fn}resources:\n  Resources:\n` +
    TABLE('Orders').replace(/^(?=.)/gm, '  ');
  const PLUGIN = 'plugins:\n  - serverless-iam-roles-per-function\n';
  const STATEMENTS =
    '    iamRoleStatements:\n      - Effect: Allow\n        Action: dynamodb:PutItem\n        Resource: !GetAtt Orders.Arn\n';

  it('names the role the plugin makes, as it names it', async () => {
    expect((await named(service(PLUGIN, STATEMENTS), 'iam', 'serverless.yml')).Orders).toBe(
      'IAM roles: with --key-policy iam, AuditDashlogIamRoleLambdaExecution (functions.audit-log.iamRoleStatements, serverless.yml:10)',
    );
  });

  it('no role named: without the plugin, with a KMS statement it inherits, with an inheritance kmsfix cannot read', async () => {
    expect((await named(service('', STATEMENTS), 'iam', 'serverless.yml')).Orders).toBeUndefined();
    const kms = '  iamRoleStatements:\n    - Effect: Allow\n      Action: kms:Decrypt\n      Resource: "*"\n';
    const inherit = (value: string) => `${STATEMENTS}    iamRoleStatementsInherit: ${value}\n`;
    expect((await named(service(PLUGIN, inherit('true'), kms), 'iam', 'serverless.yml')).Orders).toBeUndefined();
    expect((await named(service(PLUGIN, inherit('${param:inherit}')), 'iam', 'serverless.yml')).Orders).toBeUndefined();
    // Not inherited: the function's role has no KMS action.
    expect((await named(service(PLUGIN, inherit('false'), kms), 'iam', 'serverless.yml')).Orders).toBe(
      'IAM roles: with --key-policy iam, AuditDashlogIamRoleLambdaExecution (functions.audit-log.iamRoleStatements, serverless.yml:14)',
    );
  });
});

describe('serverless-appsync-plugin: the role it makes a DynamoDB data source without serviceRoleArn (real-world round 39 F1 c)', () => {
  const service = (appSync: string, plugins = 'plugins:\n  - serverless-appsync-plugin\n') =>
    `service: chat\n${plugins}provider:\n  name: aws\n${appSync}resources:\n  Resources:\n` +
    (TABLE('Messages', '${self:service}-messages') + TABLE('Other')).replace(/^(?=.)/gm, '  ');

  it('v2 (appSync, data sources by name) by Ref; v1 (custom.appSync, a list) by the TableName as written', async () => {
    const v2 =
      'appSync:\n  name: chat\n  dataSources:\n    messages:\n      type: AMAZON_DYNAMODB\n      config:\n        tableName: !Ref Messages\n';
    const t = await named(service(v2), 'iam', 'serverless.yml');
    expect(t.Messages).toBe(
      "IAM roles: with --key-policy iam, the messages data source's role (serverless-appsync-plugin, serverless.yml:10)",
    );
    expect(t.Other).toBeUndefined();
    const v1 =
      'custom:\n  appSync:\n    name: chat\n    dataSources:\n      - type: AMAZON_DYNAMODB\n        name: messages\n' +
      "        config:\n          tableName: '${self:service}-messages'\n";
    expect((await named(service(v1), 'iam', 'serverless.yml')).Messages).toBe(
      "IAM roles: with --key-policy iam, the messages data source's role (serverless-appsync-plugin, serverless.yml:10)",
    );
  });

  it("v2 inline data sources: a UNIT resolver's, a pipeline resolver's inline function's, a pipeline function's (adversarial pass 2 of session 57, M2)", async () => {
    const ds = (indent: string, table: string) =>
      `${indent}dataSource:\n${indent}  type: AMAZON_DYNAMODB\n${indent}  config:\n${indent}    tableName: { Ref: ${table} }\n`;
    const unit = `appSync:\n  name: chat\n  resolvers:\n    Query.getMessage:\n      kind: UNIT\n${ds('      ', 'Messages')}`;
    expect((await named(service(unit), 'iam', 'serverless.yml')).Messages).toBe(
      "IAM roles: with --key-policy iam, the Query_getMessage data source's role (serverless-appsync-plugin, serverless.yml:12)",
    );
    const pipeline =
      'appSync:\n  name: chat\n  resolvers:\n    Query.listMessages:\n      functions:\n        - other\n' +
      `        - code: list.js\n${ds('          ', 'Other')}  pipelineFunctions:\n    - getMessage:\n${ds('        ', 'Messages')}`;
    const t = await named(service(pipeline), 'iam', 'serverless.yml');
    expect(t.Other).toBe(
      "IAM roles: with --key-policy iam, the Query_listMessages_1 data source's role (serverless-appsync-plugin, serverless.yml:14)",
    );
    expect(t.Messages).toBe(
      "IAM roles: with --key-policy iam, the getMessage data source's role (serverless-appsync-plugin, serverless.yml:20)",
    );
    // Not a UNIT resolver: the plugin reads its functions, not a dataSource of its own.
    const notUnit = `appSync:\n  name: chat\n  resolvers:\n    Query.getMessage:\n      functions: [x]\n${ds('      ', 'Messages')}`;
    expect((await named(service(notUnit), 'iam', 'serverless.yml')).Messages).toBeUndefined();
  });

  it('no role named: a serviceRoleArn, statements with a KMS action, no plugin', async () => {
    const source = (config: string) =>
      `appSync:\n  name: chat\n  dataSources:\n    messages:\n      type: AMAZON_DYNAMODB\n      config:\n        tableName: !Ref Messages\n${config}`;
    const arn = source('        serviceRoleArn: arn:aws:iam::111122223333:role/appsync\n');
    expect((await named(service(arn), 'iam', 'serverless.yml')).Messages).toBeUndefined();
    const kms = source(
      '        iamRoleStatements:\n          - Effect: Allow\n            Action: [dynamodb:GetItem, kms:Decrypt]\n            Resource: "*"\n',
    );
    expect((await named(service(kms), 'iam', 'serverless.yml')).Messages).toBeUndefined();
    expect((await named(service(source(''), ''), 'iam', 'serverless.yml')).Messages).toBeUndefined();
  });
});

describe('SAM AWS::Serverless::GraphQLApi: the role SAM makes a DynamoDb data source without ServiceRoleArn (adversarial pass 2 of session 57, M1)', () => {
  const api = (source: string) =>
    SAM_HEAD +
    TABLE('Posts') +
    TABLE('Other') +
    '  Api:\n    Type: AWS::Serverless::GraphQLApi\n    Properties:\n      SchemaInline: "type Query { a: String }"\n      Auth:\n        Type: API_KEY\n' +
    `      DataSources:\n        DynamoDb:\n          PostsDs:\n            TableName: !Ref Posts\n            TableArn: !GetAtt Posts.Arn\n${source}`;

  it('names it on the table its TableArn names, with the API and where', async () => {
    const t = await named(api(''));
    expect(t.Posts).toBe("IAM roles: with --key-policy iam, the PostsDs data source's role (Api GraphQLApi, template.yaml:32)");
    expect(t.Other).toBeUndefined();
    expect((await named(api('            Permissions: [Read]\n'))).Posts).toBe(
      "IAM roles: with --key-policy iam, the PostsDs data source's role (Api GraphQLApi, template.yaml:32)",
    );
  });

  it('no role named: a ServiceRoleArn (a role of the template is read as a role), or the default key policy', async () => {
    expect((await named(api('            ServiceRoleArn: arn:aws:iam::111122223333:role/appsync\n'))).Posts).toBeUndefined();
    expect((await named(api(''), 'drop-in')).Posts).toBeUndefined();
  });
});

describe('Serverless: IAM statements read from files, ${file(...)} (adversarial pass 2 of session 57, M4: such roles were left out silently)', () => {
  const STATEMENT = '- Effect: Allow\n  Action: [dynamodb:GetItem]\n  Resource: !GetAtt Orders.Arn\n';
  const service = (top: string, plugins = '') =>
    `service: app\n${plugins}provider:\n  name: aws\n${top}resources:\n  Resources:\n` + TABLE('Orders').replace(/^(?=.)/gm, '  ');
  const PLUGIN = 'plugins:\n  - serverless-iam-roles-per-function\n';
  async function roles(files: { path: string; text: string }[]): Promise<string | undefined> {
    const r = await processMemory(files, 'fix', { keyPolicy: 'iam' });
    const o = r.outcomes.find((x) => x.file.path === 'serverless.yml');
    return o?.tables.find((t) => t.address === 'Orders')?.cautions?.find((c) => c.startsWith('IAM roles: '));
  }

  it("the service role's statements, a list item, a function's statements and the functions from a file: read there", async () => {
    const provider = service('  iam:\n    role:\n      statements: ${file(./iam.yml)}\n');
    expect(
      await roles([
        { path: 'serverless.yml', text: provider },
        { path: 'iam.yml', text: STATEMENT },
      ]),
    ).toMatch(
      /^IAM roles: with --key-policy iam, IamRoleLambdaExecution \(provider\.iam\.role\.statements from \.\/iam\.yml, serverless\.yml:6\) is granted/,
    );
    const item = service('  iamRoleStatements:\n    - ${file(./one.yml):statement}\n');
    const one = { path: 'one.yml', text: 'statement:\n  Effect: Allow\n  Action: dynamodb:Query\n  Resource: !GetAtt Orders.Arn\n' };
    expect(await roles([{ path: 'serverless.yml', text: item }, one])).toMatch(
      /^IAM roles: with --key-policy iam, IamRoleLambdaExecution \(provider\.iamRoleStatements from \.\/one\.yml, serverless\.yml:5\) is granted/,
    );
    const fn = service('functions:\n  get:\n    handler: h.h\n    iamRoleStatements: ${file(./iam.yml)}\n', PLUGIN);
    expect(
      await roles([
        { path: 'serverless.yml', text: fn },
        { path: 'iam.yml', text: STATEMENT },
      ]),
    ).toMatch(
      /^IAM roles: with --key-policy iam, GetIamRoleLambdaExecution \(functions\.get\.iamRoleStatements from \.\/iam\.yml, serverless\.yml:9\) is granted/,
    );
    const fns = service('functions: ${file(./functions.yml)}\n', PLUGIN);
    const functions = {
      path: 'functions.yml',
      text: `get:\n  handler: h.h\n  iamRoleStatements:\n${STATEMENT.replace(/^(?=.)/gm, '    ')}`,
    };
    expect(await roles([{ path: 'serverless.yml', text: fns }, functions])).toMatch(
      /^IAM roles: with --key-policy iam, GetIamRoleLambdaExecution \(functions\.get\.iamRoleStatements from \.\/functions\.yml, serverless\.yml:6\) is granted/,
    );
  });

  it('a file with a KMS action: not named; a file kmsfix cannot read: named as such, never silently left out', async () => {
    const provider = service('  iam:\n    role:\n      statements: ${file(./iam.yml)}\n');
    const kms = `${STATEMENT}- Effect: Allow\n  Action: kms:Decrypt\n  Resource: "*"\n`;
    expect(
      await roles([
        { path: 'serverless.yml', text: provider },
        { path: 'iam.yml', text: kms },
      ]),
    ).toBeUndefined();
    expect(await roles([{ path: 'serverless.yml', text: provider }])).toBe(
      'IAM roles: with --key-policy iam, kmsfix could not read the policies of IamRoleLambdaExecution (${file(./iam.yml)}, serverless.yml:6): ' +
        'it loses access when this deploys if they grant DynamoDB on this table and no KMS action, unless its IAM policies grant ' +
        'kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant and kms:DescribeKey on the key in a deploy before this one',
    );
    // One file per stage: not read.
    const staged = service('  iam:\n    role:\n      statements: ${file(./iam.${sls:stage}.yml)}\n');
    const stages = [
      { path: 'iam.dev.yml', text: STATEMENT },
      { path: 'iam.prod.yml', text: STATEMENT },
    ];
    expect(await roles([{ path: 'serverless.yml', text: staged }, ...stages])).toMatch(
      /kmsfix could not read the policies of IamRoleLambdaExecution \(\$\{file\(\.\/iam\.\$\{sls:stage\}\.yml\)\}, serverless\.yml:6\)/,
    );
    const fns = service('functions: ${file(./functions.yml)}\n', PLUGIN);
    expect(await roles([{ path: 'serverless.yml', text: fns }])).toMatch(
      /kmsfix could not read the policies of the functions' own roles \(serverless-iam-roles-per-function\) \(\$\{file\(\.\/functions\.yml\)\}, serverless\.yml:6\)/,
    );
  });
});

describe('a TableName a parameter gives: a grant naming the same parameter names the table (session 64 deploy review)', () => {
  const fn = (id: string, policies: string) =>
    `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: i.h\n      Runtime: nodejs20.x\n      InlineCode: x\n      Policies:\n${policies}`;
  const head = `${SAM_HEAD.replace('Resources:\n', 'Parameters:\n  TableNameParam:\n    Type: String\n  Env:\n    Type: String\nResources:\n')}`;

  it('a policy template and a short-form Fn::Sub ARN name it (aws-samples/serverless-patterns apigw-websocket-api-lambda-authorizer)', async () => {
    const text =
      head +
      fn('OnConnect', '        - DynamoDBCrudPolicy:\n            TableName: !Ref TableNameParam\n') +
      ROLE(
        'Reader',
        '              - Effect: Allow\n                Action: dynamodb:GetItem\n' +
          "                Resource: !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableNameParam}'\n",
      ) +
      TABLE('Connections', '!Ref TableNameParam');
    expect((await named(text)).Connections).toBe(
      'IAM roles: with --key-policy iam, OnConnect (DynamoDBCrudPolicy, template.yaml:16) and Reader (template.yaml:30)',
    );
  });

  it('a name written as the same Fn::Sub text too; another parameter, or a long-form Fn::Sub, is not claimed', async () => {
    const text =
      head +
      fn('Same', "        - DynamoDBReadPolicy:\n            TableName: !Sub '${Env}-orders'\n") +
      fn('Other', '        - DynamoDBReadPolicy:\n            TableName: !Ref TableNameParam\n') +
      ROLE(
        'Long',
        '              - Effect: Allow\n                Action: dynamodb:GetItem\n' +
          "                Resource: !Sub ['arn:aws:dynamodb:*:*:table/${Env}-orders', {Env: !Ref TableNameParam}]\n",
      ) +
      TABLE('Orders', "!Sub '${Env}-orders'");
    expect((await named(text)).Orders).toBe('IAM roles: with --key-policy iam, Same (DynamoDBReadPolicy, template.yaml:16)');
  });
});

describe('a TableName with parameters: an ARN pattern over the same text names it (adv2 s64)', () => {
  const head = SAM_HEAD.replace('Resources:\n', 'Parameters:\n  Env:\n    Type: String\nResources:\n');
  const reader = (id: string, arn: string) =>
    ROLE(id, `              - Effect: Allow\n                Action: dynamodb:GetItem\n                Resource: !Sub '${arn}'\n`);

  it('table/${Env}-* names ${Env}-orders; table/${AWS::StackName}-orders names ${AWS::StackName}-orders; table/prod-* names neither', async () => {
    const text =
      head +
      TABLE('Orders', "!Sub '${Env}-orders'") +
      reader('Glob', 'arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Env}-*') +
      TABLE('Stacked', "!Sub '${AWS::StackName}-orders'") +
      reader('Pseudo', 'arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${AWS::StackName}-orders') +
      reader('Prod', 'arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/prod-*');
    const t = await named(text);
    expect(t.Orders).toBe('IAM roles: with --key-policy iam, Glob (template.yaml:30)');
    expect(t.Stacked).toBe('IAM roles: with --key-policy iam, Pseudo (template.yaml:56)');
  });
});
