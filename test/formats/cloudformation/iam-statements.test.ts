/**
 * The one reader of a template's IAM statements (src/formats/cfn-values/iamStatements.ts), which
 * apiGlobalTables.ts, iamRoles.ts and backupSelections.ts filter each for what they ask.
 */
import { describe, expect, it } from 'vitest';
import { child, parseYaml, type CMap } from '../../../src/formats/yaml/tree.js';
import type { CfnTemplate } from '../../../src/formats/cloudformation/tableTypes.js';
import {
  iamPrincipals,
  iamStatements,
  positions,
  resourceItems,
  rolesOf,
  statementOf,
  tablesOf,
  type IamStatement,
} from '../../../src/formats/cfn-values/iamStatements.js';

function template(text: string, flavor: CfnTemplate['flavor'] = 'cloudformation'): CfnTemplate {
  const root = parseYaml(text)[0].root as CMap;
  const resources = child(root, flavor === 'serverless' ? 'resources' : 'Resources') as CMap;
  const inner = flavor === 'serverless' ? (child(resources, 'Resources') as CMap) : resources;
  return { flavor, root, resources: inner, resourcesPath: flavor === 'serverless' ? ['resources', 'Resources'] : ['Resources'], doc: 0 };
}

const TABLES = `  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
  Archive:
    Type: AWS::DynamoDB::GlobalTable
  Queue:
    Type: AWS::SQS::Queue
`;

/** A statement's actions, and what each Resource item resolves to (tables, or its text). */
function summary(s: IamStatement, t: CfnTemplate) {
  return {
    effect: s.effect,
    actions: s.actions,
    resources: resourceItems(s, tablesOf(t))?.map((i) => (i.tables.length > 0 ? i.tables : (i.sub ?? i.plain ?? null))),
  };
}

describe('iamStatements: every statement of a document, once', () => {
  const text = `Resources:
${TABLES}  Writer:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: write
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [dynamodb:PutItem, 'dynamodb:GetItem ']
                Resource: [!GetAtt Orders.Arn, !Ref Queue]
              - &deny
                Effect: Deny
                Action: dynamodb:DeleteTable
                Resource: '*'
              - Effect: Allow
                NotAction: kms:*
                Resource: !Sub 'arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${Archive}'
  Again:
    Type: AWS::IAM::Policy
    Properties:
      Roles: [!Ref Writer]
      PolicyDocument:
        Statement:
          - *deny
          - Effect: Allow
            Action: !If [IsProd, dynamodb:CreateBackup, !Ref AWS::NoValue]
            Resource:
              - arn:aws:dynamodb:*:*:table/orders-*
              - !Sub ['arn:aws:dynamodb:*:*:table/\${T}', {T: !Ref Orders}]
  Replicator:
    Type: Custom::Replicas
    Properties:
      Statement:
        Action: dynamodb:CreateTableReplica
`;

  it('reads each statement where it is written, an alias once, in the order written', () => {
    const t = template(text);
    const { statements } = iamStatements(t.root);
    expect(statements.map((s) => summary(s, t))).toEqual([
      { effect: 'Allow', actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], resources: [['Orders'], null] },
      { effect: 'Deny', actions: ['dynamodb:DeleteTable'], resources: ['*'] },
      {
        effect: 'Allow',
        actions: [],
        resources: [['Archive']],
      },
      {
        effect: 'Allow',
        actions: ['IsProd', 'dynamodb:CreateBackup', undefined],
        resources: ['arn:aws:dynamodb:*:*:table/orders-*', ['Orders']],
      },
      // A custom resource's properties: a function may turn them into a policy.
      { effect: undefined, actions: ['dynamodb:CreateTableReplica'], resources: undefined },
    ]);
    expect(statements[2].notAction).toBe(true);
    // A tagged list is a condition's value: opaque, read item by item, and at any depth.
    expect(statements[3]).toMatchObject({ opaque: true, anyActions: ['IsProd', 'dynamodb:CreateBackup', 'AWS::NoValue'] });
    expect(statements[0].opaque).toBe(false);
  });

  it('is read once per parsed document: the same statements, the same objects', () => {
    const t = template(text);
    const first = iamStatements(t.root);
    expect(iamStatements(t.root)).toBe(first);
    expect(statementOf(first.statements[0].node)).toBe(first.statements[0]);
    expect(iamStatements(null)).toEqual({ statements: [], templates: [] });
  });

  it('gives each statement its position, file:line', () => {
    const t = template(text);
    const at = positions(text, 'template.yaml');
    expect(iamStatements(t.root).statements.map((s) => at(s.offset))).toEqual([
      'template.yaml:17',
      'template.yaml:21',
      'template.yaml:24',
      'template.yaml:34',
      'template.yaml:43',
    ]);
  });

  it('finds SAM DynamoDB policy templates anywhere', () => {
    const t = template(`Resources:
${TABLES}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - DynamoDBBackupFullAccessPolicy: {TableName: !Ref Orders}
        - SQSSendMessagePolicy: {QueueName: q}
`);
    const { templates } = iamStatements(t.root);
    expect(templates.map((x) => [x.name, child(x.value, 'TableName')?.kind])).toEqual([['DynamoDBBackupFullAccessPolicy', 'scalar']]);
  });
});

describe('resourceItems: a Resource resolved against the template tables', () => {
  const t = template(`Resources:
${TABLES}  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyDocument:
            Statement:
              - {Effect: Allow, Action: 'dynamodb:*', Resource: !GetAtt Orders.StreamArn}
              - {Effect: Allow, Action: 'dynamodb:*', Resource: !If [C, !GetAtt Orders.Arn, !GetAtt Archive.Arn]}
              - Effect: Allow
                Action: 'dynamodb:*'
                Resource:
                  - !Join ['', [!GetAtt Orders.Arn, /index/*]]
                  - !Sub '\${Archive.Arn}/stream/*'
                  - !Ref TableArnParameter
                  - arn:aws:dynamodb:us-east-1:123456789012:table/orders
              - {Effect: Allow, Action: 'dynamodb:*'}
              - {Effect: Allow, Action: 'dynamodb:*', Resource: }
`);
  const [own, conditional, list, none, empty] = iamStatements(t.root).statements;
  const tables = tablesOf(t);

  it('names the tables of Ref, GetAtt and Fn::Sub at any depth; other resources are not tables', () => {
    expect(tables).toEqual(new Set(['Orders', 'Archive']));
    expect(resourceItems(own, tables)?.map((i) => i.tables)).toEqual([['Orders']]);
    // A tagged list is one item (a condition's value), naming both tables it may be.
    expect(resourceItems(conditional, tables)?.map((i) => i.tables)).toEqual([['Orders', 'Archive']]);
    expect(resourceItems(list, tables)?.map((i) => [i.tables, i.sub ?? i.plain])).toEqual([
      [['Orders'], undefined],
      [['Archive'], '${Archive.Arn}/stream/*'],
      [[], undefined],
      [[], 'arn:aws:dynamodb:us-east-1:123456789012:table/orders'],
    ]);
  });

  it('is undefined without a Resource; an empty one is one item that names nothing', () => {
    expect(resourceItems(none, tables)).toBeUndefined();
    expect(resourceItems(empty, tables)?.map((i) => [i.tables, i.plain, i.sub])).toEqual([[[], undefined, undefined]]);
  });
});

describe('iamPrincipals: the roles of a template and the policies attached to each', () => {
  it('a role: its inline policies, managed ARNs, then the policies whose Roles name it; unreadable policies', () => {
    const t = template(`Resources:
${TABLES}  Writer:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyDocument:
            Statement: {Effect: Allow, Action: dynamodb:PutItem, Resource: '*'}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess, !Ref Shared]
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement: [{Effect: Allow, Action: dynamodb:Query, Resource: !GetAtt Orders.Arn}]
  Guarded:
    Type: AWS::IAM::Role
    Properties:
      Policies: !If [C, [], []]
`);
    const principals = iamPrincipals(t);
    expect(
      principals.map((p) => [
        p.name,
        p.unreadable,
        p.policies.map((x) => (x.kind === 'statement' ? `statement ${x.statement.actions[0]}${x.by ? ` by ${x.by}` : ''}` : x.kind)),
      ]),
    ).toEqual([
      ['Writer', false, ['statement dynamodb:PutItem', 'managed', 'statement dynamodb:Query by Shared']],
      ['Guarded', true, []],
    ]);
    const query = iamStatements(t.root).statements.find((s) => s.actions[0] === 'dynamodb:Query')!;
    expect(rolesOf(principals, query)).toEqual(['Writer']);
  });

  it('a SAM function without a role of its own: policy templates, documents, managed names, stream events', () => {
    const t = template(`Resources:
${TABLES}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AWSLambdaBasicExecutionRole
        - DynamoDBCrudPolicy: {TableName: !Ref Orders}
        - Statement: [{Effect: Allow, Action: dynamodb:Scan, Resource: '*'}]
        - {A: 1, B: 2}
      Events:
        Changes: {Type: DynamoDB, Properties: {Stream: !GetAtt Orders.StreamArn}}
  Owned:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Writer.Arn
      Policies: [DynamoDBCrudPolicy: {TableName: !Ref Orders}]
`);
    const [fn, ...others] = iamPrincipals(t);
    expect(others).toEqual([]);
    expect(fn.unreadable).toBe(true); // {A, B}: no policy SAM reads
    expect(fn.policies.map((x) => [x.kind, x.kind === 'template' ? x.name : x.kind === 'stream' ? x.tables : undefined])).toEqual([
      ['managed', undefined],
      ['template', 'DynamoDBCrudPolicy'],
      ['statement', undefined],
      ['stream', ['Orders']],
    ]);
  });

  it('the Serverless service role: provider.iam.role.statements, iamRoleStatements, managed policies; none for a named role', () => {
    const text = `service: orders
provider:
  name: aws
  iam:
    role:
      statements:
        - {Effect: Allow, Action: dynamodb:PutItem, Resource: '*'}
      managedPolicies: [arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess]
  iamRoleStatements:
    - {Effect: Allow, Action: dynamodb:GetItem, Resource: '*'}
resources:
  Resources:
${TABLES.replace(/^/gm, '  ')}`;
    const [role] = iamPrincipals(template(text, 'serverless'));
    expect(role.name).toBe('IamRoleLambdaExecution');
    expect(role.policies.map((x) => (x.kind === 'statement' ? x.by : x.kind))).toEqual([
      'provider.iam.role.statements',
      'provider.iamRoleStatements',
      'managed',
    ]);
    const named = text.replace('    role:\n      statements:', '    role: arn:aws:iam::1:role/r\n    x:\n      statements:');
    expect(iamPrincipals(template(named, 'serverless'))).toEqual([]);
  });
});
