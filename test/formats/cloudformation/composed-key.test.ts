/**
 * A KMSMasterKeyId composed from parameters (src/formats/cfn-values/composedKey.ts): `!Sub alias/${KeyAlias}`,
 * `!Sub [..., {Name: !Ref P}]`, `!Join ['', [alias/, !Ref P]]`. Left out until session 49: with `KeyAlias`
 * defaulting to `aws/dynamodb` (or a SAM configuration passing it), such a table was customer-managed, and
 * `scan` exited 0, though it deploys with the AWS managed key.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (id: string, key: string) => `  ${id}:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: ${key}
`;

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  KeyAlias:
    Type: String
    Default: aws/dynamodb
  OwnAlias:
    Type: String
    Default: orders-key
  NoDefault:
    Type: String
  KeyArn:
    Type: String
    Default: ''
  Service:
    Type: String
    Default: dynamodb
Resources:
${table('Sub', '!Sub alias/${KeyAlias}')}${table('SubArn', '!Sub "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/${KeyAlias}"')}${table(
  'SubVars',
  `!Sub
          - alias/\${Name}
          - Name: !Ref KeyAlias`,
)}${table('SubLong', '{"Fn::Sub": "alias/aws/${Service}"}')}${table('Join', "!Join ['', ['alias/', !Ref KeyAlias]]")}${table(
  'JoinArn',
  "!Join [':', ['arn:aws:kms', !Ref 'AWS::Region', !Ref 'AWS::AccountId', !Sub 'alias/${KeyAlias}']]",
)}${table('Own', '!Sub alias/${OwnAlias}')}${table('OwnJoin', "!Join ['/', [alias, !Ref OwnAlias]]")}${table(
  'Unset',
  '!Sub alias/${NoDefault}',
)}${table('Escaped', "!Sub 'alias/${!KeyAlias}'")}${table('Whole', "!Sub '${KeyArn}'")}${table('Pseudo', '!Sub alias/${AWS::StackName}')}`;

type Row = { status: string; fixable: boolean; reason?: string };

async function run(files: Record<string, string>, command: 'scan' | 'fix' = 'scan', options = {}) {
  const r = await processMemory(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    command,
    options,
  );
  const outcome = r.outcomes.find((o) => o.file.path === 'app/template.yaml')!;
  return {
    rows: Object.fromEntries(outcome.tables.map((t) => [t.address, { status: t.status, fixable: t.fixable, reason: t.reason } as Row])),
    text: outcome.newText,
  };
}

describe('a key composed from parameters', () => {
  it('is the AWS managed key where the parameters give alias/aws/dynamodb, naming them', async () => {
    const { rows } = await run({ 'app/template.yaml': TEMPLATE });
    for (const id of ['Sub', 'SubArn', 'SubVars', 'SubLong', 'Join', 'Whole']) expect(rows[id].status, id).toBe('aws-managed');
    expect(rows.Sub.reason).toMatch(/decided by parameter KeyAlias's default \(aws\/dynamodb\)/);
    expect(rows.SubLong.reason).toMatch(/parameter Service's default \(dynamodb\)/);
    // Left to the parameter, as a `!Ref` to it is, unless --fix-parameterised.
    expect(rows.Sub.fixable).toBe(false);
  });

  it('stays customer-managed where they give another key, or unread where they give none', async () => {
    const { rows } = await run({ 'app/template.yaml': TEMPLATE });
    for (const id of ['Own', 'OwnJoin', 'Unset', 'Escaped', 'Pseudo']) expect(rows[id].status, id).toBe('customer-managed');
    // A `:`-joined ARN whose last part is a !Sub: read part by part since session 62 (customer-managed before, kept as
    // written), its KeyAlias the AWS managed key's name, as the Sub row's.
    expect(rows.JoinArn.status).toBe('aws-managed');
    expect(rows.JoinArn.reason).toMatch(/decided by parameter KeyAlias's default \(aws\/dynamodb\)/);
  });

  it('--fix-parameterised writes the key, and the output is then customer-managed', async () => {
    const { text } = await run({ 'app/template.yaml': TEMPLATE }, 'fix', { fixParameterised: true });
    expect(text).toContain('KMSMasterKeyId: !GetAtt SubKey.Arn');
    expect(text).toContain('KMSMasterKeyId: !GetAtt JoinKey.Arn');
    expect(text).toContain('KMSMasterKeyId: !Sub alias/${OwnAlias}');
    const again = await run({ 'app/template.yaml': text! });
    for (const id of ['Sub', 'SubArn', 'SubVars', 'SubLong', 'Join', 'Whole']) expect(again.rows[id].status, id).toBe('customer-managed');
  });

  it('reads each environment of a SAM configuration', async () => {
    const config = `version = 0.1
[default.deploy.parameters]
parameter_overrides = "OwnAlias=aws/dynamodb KeyAlias=prod-key"
[dev.deploy.parameters]
parameter_overrides = "KeyAlias=dev-key"
`;
    const { rows } = await run({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': config });
    // KeyAlias: prod-key and dev-key: customer-managed in both.
    expect(rows.Sub.status).toBe('customer-managed');
    expect(rows.Sub.reason ?? '').not.toMatch(/aws\/dynamodb/);
    // OwnAlias: the AWS managed key in default, its Default (orders-key) in dev: not known.
    expect(rows.Own.status).toBe('unknown');
    expect(rows.Own.reason).toMatch(/reads OwnAlias and may be alias\/aws\/dynamodb \(app\/samconfig.toml: default\)/);
    const every = config.replace('KeyAlias=dev-key', 'OwnAlias=aws/dynamodb');
    const r = await run({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': every });
    expect(r.rows.Own.status).toBe('aws-managed');
    expect(r.rows.Own.reason).toMatch(/the key's values \(reading OwnAlias\) in app\/samconfig.toml/);
  });
});
