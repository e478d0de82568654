/**
 * Tables whose resource policy lets in another account (issue 13, section 1): a generated key lets
 * only this account use it, so such a table is reported not fixable, naming the accounts, and left
 * alone; a policy that grants only this account's principals changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (name: string, type: string, policyLines: string) => `  ${name}:
    Type: ${type}
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
${policyLines}`;

const policy = (indent: string, principal: string) =>
  [
    `ResourcePolicy:`,
    `  PolicyDocument:`,
    `    Version: '2012-10-17'`,
    `    Statement:`,
    `      - Effect: Allow`,
    `        Principal:`,
    ...principal.split('\n').map((l) => `          ${l}`),
    `        Action: dynamodb:GetItem`,
    `        Resource: '*'`,
  ]
    .map((l) => indent + l)
    .join('\n') + '\n';

async function scanOne(text: string) {
  const r = await processMemory(
    [
      {
        path: 't.yaml',
        text: `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Partner:\n    Type: String\nResources:\n  Role:\n    Type: AWS::IAM::Role\n${text}`,
      },
    ],
    'fix',
  );
  expect(r.outcomes[0].error).toBeUndefined();
  return r.outcomes[0].tables[0];
}

describe('a table whose resource policy grants another account', () => {
  it.each([
    ['an account ID', 'AWS: 111122223333', 'account 111122223333'],
    ['a role ARN of another account', 'AWS: arn:aws:iam::111122223333:role/reporting', 'account 111122223333'],
    ['a parameter', "AWS: !Sub 'arn:${AWS::Partition}:iam::${Partner}:root'", 'the account in ${Partner}'],
    ['a Ref to a parameter', 'AWS: !Ref Partner', 'the account in Partner'],
    ['any principal', "AWS: '*'", 'any principal (*)'],
    ['a bare wildcard', "'*'", 'any principal (*)'],
  ])('is not fixable when it names %s, and the message names it', async (_what, principal, named) => {
    const t = await scanOne(
      table(
        'T',
        'AWS::DynamoDB::Table',
        policy('      ', principal.startsWith("'") ? '' : principal).replace(/Principal:\n\s+\n/, `Principal: ${principal}\n`),
      ),
    );
    expect(t.fixable).toBe(false);
    expect(t.fixed).toBeUndefined();
    expect(t.message).toContain(`its ResourcePolicy lets in ${named}, which a generated key would lock out of the table`);
  });

  it('is not fixable when the stream policy grants another account', async () => {
    const stream = `      StreamSpecification:\n        StreamViewType: NEW_IMAGE\n${policy('        ', 'AWS: 111122223333')}`;
    const t = await scanOne(table('T', 'AWS::DynamoDB::Table', stream));
    expect(t.fixable).toBe(false);
    expect(t.message).toContain('account 111122223333');
  });

  it('is not fixable when a global table replica grants another account', async () => {
    const replicas = `      StreamSpecification:\n        StreamViewType: NEW_IMAGE\n      Replicas:\n        - Region: !Ref AWS::Region\n${policy('          ', 'AWS: arn:aws:iam::444455556666:root')}`;
    const t = await scanOne(
      table('G', 'AWS::DynamoDB::GlobalTable', replicas).replace('BillingMode: PAY_PER_REQUEST', 'BillingMode: PAY_PER_REQUEST'),
    );
    expect(t.fixable).toBe(false);
    expect(t.message).toContain('account 444455556666');
  });

  it('reads a policy written as a JSON string', async () => {
    const doc = `      ResourcePolicy:\n        PolicyDocument: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "dynamodb:GetItem", "Resource": "*"}]}'\n`;
    const t = await scanOne(table('T', 'AWS::DynamoDB::Table', doc));
    expect(t.fixable).toBe(false);
    expect(t.message).toContain('account 111122223333');
  });

  it.each([
    ['a role of the stack', 'AWS: !GetAtt Role.Arn'],
    ['this account', "AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'"],
    ['this account by Ref', 'AWS: !Ref AWS::AccountId'],
    ['a service', 'Service: dynamodb.amazonaws.com'],
  ])('changes nothing when it grants only %s', async (_what, principal) => {
    const t = await scanOne(table('T', 'AWS::DynamoDB::Table', policy('      ', principal)));
    expect(t.fixable).toBe(true);
    expect(t.fixed).toBe(true);
  });

  it('changes nothing when another account is only denied', async () => {
    const t = await scanOne(
      table('T', 'AWS::DynamoDB::Table', policy('      ', 'AWS: 111122223333').replace('Effect: Allow', 'Effect: Deny')),
    );
    expect(t.fixed).toBe(true);
  });
});

describe('a zero-ETL source table (real-world round 25: Redshift reads it as its service, not as a principal of the account)', () => {
  it('a ResourcePolicy granting redshift.amazonaws.com or glue.amazonaws.com: not fixable, the service and its key statement named', async () => {
    for (const service of ['redshift.amazonaws.com', '[glue.amazonaws.com]']) {
      const t = await scanOne(table('T', 'AWS::DynamoDB::Table', policy('      ', `Service: ${service}`)));
      expect(t.fixable, service).toBe(false);
      expect(t.message).toContain(
        `its ResourcePolicy lets in the service ${service.replace(/[[\]]/g, '')}, which a generated key would lock out`,
      );
      expect(t.message).toContain('aws:SourceArn of the resource that calls');
    }
    // DynamoDB's own principals need nothing of the key (a multi-account global table has its own obstacle).
    // DynamoDB's own principals, and services that work through a role of the account, need nothing of the key.
    for (const service of ['dynamodb.amazonaws.com', 'lambda.amazonaws.com', "!Sub 'lambda.${AWS::URLSuffix}'"])
      expect((await scanOne(table('T', 'AWS::DynamoDB::Table', policy('      ', `Service: ${service}`)))).fixed, service).toBe(true);
    const sub = await scanOne(table('T', 'AWS::DynamoDB::Table', policy('      ', "Service: !Sub 'redshift.${AWS::URLSuffix}'")));
    expect(sub.fixable).toBe(false);
  });

  it('a SourceArn naming the table through its TableName parameter or Sub (adversarial pass)', async () => {
    for (const [name, arn] of [
      ['!Ref Partner', "!Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Partner}'"],
      ["!Sub 'orders-${Partner}'", "!Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders-${Partner}'"],
    ]) {
      const integration = `  Integration:\n    Type: AWS::Redshift::Integration\n    Properties:\n      SourceArn: ${arn}\n      TargetArn: arn:aws:redshift:x\n`;
      const t = await scanOne(table('T', 'AWS::DynamoDB::Table', `      TableName: ${name}\n`) + integration);
      expect(t.fixable, name).toBe(false);
    }
  });

  it('an AWS::Redshift::Integration or AWS::Glue::Integration whose SourceArn is the table: not fixable; another table fixed', async () => {
    for (const [type, source] of [
      ['AWS::Redshift::Integration', '!GetAtt T.Arn'],
      ['AWS::Glue::Integration', "!Sub '${T.Arn}'"],
      ['AWS::Redshift::Integration', "!Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders'"],
    ]) {
      const integration = `  Integration:\n    Type: ${type}\n    Properties:\n      SourceArn: ${source}\n      TargetArn: arn:aws:redshift-serverless:eu-west-1:111122223333:namespace/n\n`;
      const t = await scanOne(table('T', 'AWS::DynamoDB::Table', '      TableName: orders\n') + integration);
      expect(t.fixable, type).toBe(false);
      expect(t.message).toContain(
        `the table is the source of the zero-ETL integration Integration (${type}), which reads it as its service`,
      );
      const other = await scanOne(table('T2', 'AWS::DynamoDB::Table', '') + integration);
      expect(other.fixed, type).toBe(true);
    }
  });
});
