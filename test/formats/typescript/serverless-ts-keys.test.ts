/**
 * A serverless.ts table's KMSMasterKeyId is read as a serverless.yml's is (real-world round 35, F1): through the
 * CloudFormation family's readers (Framework variables in `custom` and `params`, `${file(...)}`, a `Ref` to a
 * `resources.Parameters` Default, Fn::If), its TypeScript handed over as a node tree (src/formats/typescript/cfnTree.ts).
 * Every `'${...}'` string was taken for a customer-managed key, exit 0, where the same service as serverless.yml was
 * unknown or aws-managed. A value computed in code is not known (a property chain names a key, as --kms-key-arn writes one).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The same service as serverless.yml and as serverless.ts, its table's key written as `key` (YAML) or `tsKey` (TypeScript). */
const yml = (key: string) => `service: orders
provider:
  name: aws
params:
  dev:
    tableKey: alias/aws/dynamodb
  prod:
    tableKey: ${KEY}
custom:
  managedKey: alias/aws/dynamodb
  ownKey: ${KEY}
  tableKey:
    dev: alias/aws/dynamodb
    prod: ${KEY}
resources:
  Parameters:
    ManagedArn:
      Type: String
      Default: alias/aws/dynamodb
    OwnArn:
      Type: String
      Default: ${KEY}
  Conditions:
    IsProd: { 'Fn::Equals': ['\${sls:stage}', prod] }
  Resources:
    OwnKey:
      Type: AWS::KMS::Key
      Properties: { EnableKeyRotation: true }
    Orders:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: ${key} }
`;

const tsService = (key: string, head = '', custom = '') => `import type { AWS } from '@serverless/typescript';
${head}
const serverlessConfiguration: AWS = {
  service: 'orders',
  provider: { name: 'aws' },
  params: {
    dev: { tableKey: 'alias/aws/dynamodb' },
    prod: { tableKey: '${KEY}' },
  },
  custom: {
    managedKey: 'alias/aws/dynamodb',
    ownKey: '${KEY}',
    tableKey: { dev: 'alias/aws/dynamodb', prod: '${KEY}' },${custom}
  },
  resources: {
    Parameters: {
      ManagedArn: { Type: 'String', Default: 'alias/aws/dynamodb' },
      OwnArn: { Type: 'String', Default: '${KEY}' },
    },
    Conditions: { IsProd: { 'Fn::Equals': ['\${sls:stage}', 'prod'] } },
    Resources: {
      OwnKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      Orders: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ${key} },
        },
      },
    },
  },
};

module.exports = serverlessConfiguration;
`;

const scan = async (files: { path: string; text: string }[], path: string) =>
  (await processMemory(files, 'scan')).outcomes.find((o) => o.file.path === path)!.tables.find((t) => t.address === 'Orders')!;

describe('serverless.ts: a KMSMasterKeyId read as the same serverless.yml reads it', () => {
  // [key in YAML, key in TypeScript, the status both give]
  it.each([
    ["'${self:custom.tableKey.${sls:stage}}'", "'${self:custom.tableKey.${sls:stage}}'", 'unknown'],
    ["'${param:tableKey}'", "'${param:tableKey}'", 'unknown'],
    ["'${self:custom.managedKey}'", "'${self:custom.managedKey}'", 'aws-managed'],
    // A template literal without substitutions (`\${` escaped) is a string too.
    ["'${self:custom.ownKey}'", '`\\${self:custom.ownKey}`', 'customer-managed'],
    [
      `"\${ssm:/shop/\${sls:stage}/tableKey, 'alias/aws/dynamodb'}"`,
      `"\${ssm:/shop/\${sls:stage}/tableKey, 'alias/aws/dynamodb'}"`,
      'unknown',
    ],
    [
      "{ 'Fn::If': [IsProd, { Ref: OwnKey }, alias/aws/dynamodb] }",
      "{ 'Fn::If': ['IsProd', { Ref: 'OwnKey' }, 'alias/aws/dynamodb'] }",
      'unknown',
    ],
    ['{ Ref: ManagedArn }', "{ Ref: 'ManagedArn' }", 'aws-managed'],
    ['{ Ref: OwnArn }', "{ Ref: 'OwnArn' }", 'customer-managed'],
    ["{ 'Fn::GetAtt': [OwnKey, Arn] }", "{ 'Fn::GetAtt': ['OwnKey', 'Arn'] }", 'customer-managed'],
  ])('%s', async (ymlKey, tsKey, status) => {
    const fromYml = await scan([{ path: 'yml/serverless.yml', text: yml(ymlKey) }], 'yml/serverless.yml');
    const fromTs = await scan([{ path: 'ts/serverless.ts', text: tsService(tsKey) }], 'ts/serverless.ts');
    expect([fromYml.status, fromYml.fixable]).toEqual([fromTs.status, fromTs.fixable]);
    expect(fromTs.status).toBe(status);
    // The same words, the key as written in each file (TypeScript's quotes).
    const words = (r: string | undefined) => r?.replace(/'/g, '').slice(0, 40);
    if (status !== 'customer-managed') expect(words(fromTs.reason)).toBe(words(fromYml.reason));
  });

  it('a Ref to a parameter defaulting to the AWS managed key is left to the parameter, as in a template', async () => {
    const t = await scan([{ path: 'serverless.ts', text: tsService("{ Ref: 'ManagedArn' }") }], 'serverless.ts');
    expect([t.status, t.fixable]).toEqual(['aws-managed', false]);
    expect(t.reason).toContain("decided by parameter ManagedArn's default (alias/aws/dynamodb)");
  });

  it('${file(...)} of per-stage files: what the files hold', async () => {
    const key = "'${file(./config/${sls:stage}.json):kmsKeyArn}'";
    const files = (dev: string) => [
      { path: 'svc/serverless.ts', text: tsService(key) },
      { path: 'svc/config/dev.json', text: JSON.stringify({ kmsKeyArn: dev }) },
      { path: 'svc/config/prod.json', text: JSON.stringify({ kmsKeyArn: 'alias/aws/dynamodb' }) },
    ];
    const managed = await scan(files('alias/aws/dynamodb'), 'svc/serverless.ts');
    expect([managed.status, managed.fixable]).toEqual(['aws-managed', true]);
    expect((await scan(files(KEY), 'svc/serverless.ts')).status).toBe('unknown');
    // No file found: unknown, as in a serverless.yml.
    expect((await scan([{ path: 'svc/serverless.ts', text: tsService(key) }], 'svc/serverless.ts')).status).toBe('unknown');
  });
});

describe('serverless.ts: values computed in code', () => {
  it('a const of the file is followed; a value custom computes in code is not known', async () => {
    const viaConst = await scan(
      [
        {
          path: 'serverless.ts',
          text: tsService('managed', "const managed = '${self:custom.fromConst}';", '\n    fromConst: MANAGED,').replace(
            'import type',
            "const MANAGED = 'alias/aws/dynamodb';\nimport type",
          ),
        },
      ],
      'serverless.ts',
    );
    expect(viaConst.status).toBe('aws-managed');
    const computed = await scan(
      [
        {
          path: 'serverless.ts',
          text: tsService("'${self:custom.computed}'", 'declare function keyFor(stage: string): string;', "\n    computed: keyFor('dev'),"),
        },
      ],
      'serverless.ts',
    );
    expect([computed.status, computed.reason]).toEqual([
      'unknown',
      'KMSMasterKeyId is ${self:custom.computed}, whose value kmsfix does not read (custom.computed: computed in code)',
    ]);
    // A stage map built in code, and params spread from elsewhere.
    const stageMap = tsService(
      "'${self:custom.byStage.${sls:stage}}'",
      'declare const stages: Record<string, string>;',
      '\n    byStage: stages,',
    );
    expect((await scan([{ path: 'serverless.ts', text: stageMap }], 'serverless.ts')).status).toBe('unknown');
    const spread = tsService("'${param:tableKey}'", 'declare const base: object;').replace(
      "dev: { tableKey: 'alias/aws/dynamodb' },",
      '...base,',
    );
    expect((await scan([{ path: 'serverless.ts', text: spread }], 'serverless.ts')).status).toBe('unknown');
  });

  it('a key computed in code is unknown; a property chain names a key (as --kms-key-arn writes one)', async () => {
    for (const [key, status] of [
      ['keyFor(`prod`)', 'unknown'],
      ['`arn:aws:kms:us-east-1:111122223333:key/${id}`', 'unknown'],
      ["isProd ? OWN : 'alias/aws/dynamodb'", 'unknown'],
      ['process.env.TABLE_KEY_ARN', 'customer-managed'],
      ['OWN', 'customer-managed'],
    ] as const) {
      const head = `declare function keyFor(s: string): string;\ndeclare const id: string;\ndeclare const isProd: boolean;\nconst OWN = '${KEY}';`;
      const t = await scan([{ path: 'serverless.ts', text: tsService(key, head) }], 'serverless.ts');
      expect([key, t.status]).toEqual([key, status]);
      if (status === 'unknown') expect(t.fixable).toBe(false);
    }
  });
});

describe('serverless.ts: an SSESpecification chosen by Fn::If', () => {
  const withBlock = (block: string) =>
    tsService("'x'").replace("SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'x' }", `SSESpecification: ${block}`);

  it("is read choice by choice, as a serverless.yml's (it was a block without SSEEnabled: aws-owned, fixed inside the Fn::If)", async () => {
    const own =
      "{ 'Fn::If': ['IsProd', { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['OwnKey', 'Arn'] } }, { Ref: 'AWS::NoValue' }] }";
    const t = await scan([{ path: 'serverless.ts', text: withBlock(own) }], 'serverless.ts');
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    // No choice customer-managed: not customer-managed, and not rewritten (the step says what to write).
    const none = "{ 'Fn::If': ['IsProd', { SSEEnabled: true }, { Ref: 'AWS::NoValue' }] }";
    const r = await processMemory([{ path: 'serverless.ts', text: withBlock(none) }], 'fix', { fixParameterised: true });
    const t2 = r.outcomes[0].tables.find((x) => x.address === 'Orders')!;
    expect(t2.status).not.toBe('customer-managed');
    expect(t2.fixable).toBe(false);
    expect(t2.message).toContain('its SSESpecification is chosen by Fn::If');
  });
});
