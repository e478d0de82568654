/**
 * A KMSMasterKeyId written as `${self:custom.x}` where custom.x holds a value that is not a plain string nor one whole
 * variable (`arn:aws:kms:${aws:region}:${aws:accountId}:alias/aws/dynamodb`, a Fn::Join, a !Sub, a dynamic reference)
 * was read as "a key passed at deploy": customer-managed (adversarial pass of session 63, F2), in a serverless.yml and a
 * serverless.ts alike. The value is read as the same value written in place of the key is (one reader: cfn-values
 * keySetting), so each status here is the in-place one. And a chain of `self:` variables whose alternatives multiply
 * (nine entries of n sources each: n^8 paths) took minutes and then failed as "nested too deeply to parse" (M3): each
 * chain is read once, its values once, at most 256 of them.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { MAX_VALUES, evaluations } from '../../../src/formats/serverless/variables.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const table = (key: string) => `resources:
  Resources:
    T:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        SSESpecification:
          SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: ${key}
`;
const service = (custom: string, key: string) => `service: shop\nprovider:\n  name: aws\ncustom:\n${custom}${table(key)}`;

const scan = async (text: string, file = 'serverless.yml') => {
  const o = (await processMemory([{ path: file, text }], 'scan')).outcomes[0];
  expect(o.error).toBeUndefined();
  return o.tables[0];
};

it.each([
  ['arn:aws:kms:${aws:region}:${aws:accountId}:alias/aws/dynamodb', 'aws-managed'],
  ["{'Fn::Join': ['', ['arn:aws:kms:', {Ref: 'AWS::Region'}, ':', {Ref: 'AWS::AccountId'}, ':alias/aws/dynamodb']]}", 'aws-managed'],
  ["!Sub 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/dynamodb'", 'aws-managed'],
  ["'{{resolve:ssm:/keys/ddb}}'", 'unknown'],
  ['arn:aws:kms:${aws:region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'customer-managed'],
  [KEY, 'customer-managed'],
])('custom.key: %s is read as the same value written as the key (%s)', async (value, status) => {
  const inPlace = await scan(service('  other: x\n', value));
  const viaSelf = await scan(service(`  key: ${value}\n`, '${self:custom.key}'));
  // Through a second variable too (`nested.key: ${self:custom.key}`).
  const viaTwo = await scan(service(`  key: ${value}\n  nested:\n    key: \${self:custom.key}\n`, '${self:custom.nested.key}'));
  expect([inPlace.status, viaSelf.status, viaTwo.status]).toEqual([status, status, status]);
});

it('a dynamic reference names the value it reads; a chain that may reach the managed alias is unknown', async () => {
  const ssm = await scan(service("  key: '{{resolve:ssm:/keys/ddb}}'\n", '${self:custom.key}'));
  expect(ssm.message).toContain("whose value (custom.key) is '{{resolve:ssm:/keys/ddb}}', whose value SSM holds in each account");
  const chain = await scan(
    service('  key: arn:aws:kms:${aws:region}:${aws:accountId}:alias/aws/dynamodb\n', '${opt:key, self:custom.key}'),
  );
  expect([chain.status, chain.fixable]).toEqual(['unknown', false]);
  // A map (an object that is no intrinsic function) given as the key: not a string, as in place.
  expect((await scan(service('  key:\n    a: b\n', '${self:custom.key}'))).status).toBe('unknown');
});

it('serverless.ts: a custom value holding variables that ends with the managed alias is aws-managed', async () => {
  const ts = `const serverlessConfiguration = {
  service: 'shop',
  provider: { name: 'aws', runtime: 'nodejs20.x' },
  custom: { arnKey: 'arn:aws:kms:\${aws:region}:\${aws:accountId}:alias/aws/dynamodb', ssmKey: '{{resolve:ssm:/keys/ddb}}' },
  resources: {
    Resources: {
      T1: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: '\${self:custom.arnKey}' },
        },
      },
      T2: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: '\${self:custom.ssmKey}' },
        },
      },
    },
  },
};
module.exports = serverlessConfiguration;
`;
  const o = (await processMemory([{ path: 'serverless.ts', text: ts }], 'scan')).outcomes[0];
  expect(o.tables.map((t) => [t.address, t.status])).toEqual([
    ['T1', 'aws-managed'],
    ['T2', 'unknown'],
  ]);
});

/** Nine entries, each a chain of n `self:custom.<next>` sources, the last `last`: about n^8 paths, each the same. */
const chains = (n: number, last: string) =>
  [...Array(8).keys()]
    .map(
      (i) =>
        `  v${i}: \${${Array(n)
          .fill(`self:custom.v${i + 1}`)
          .join(', ')}}\n`,
    )
    .join('') + `  v8: ${last}\n`;

it.each([6, 16])('nine chained entries of %i sources each: each chain read once, the table reported', async (n) => {
  evaluations.count = 0;
  const passed = await scan(service(chains(n, '${opt:key}'), '${self:custom.v0}'));
  // A key passed at deploy (customer-managed), as one source each gives; not an error, the table kept.
  expect([passed.status, passed.message]).toEqual(['customer-managed', 'Encrypted with customer-managed key ${self:custom.v0}']);
  // Nine chains, each once.
  expect(evaluations.count).toBe(9);
  const managed = await scan(service(chains(n, 'alias/aws/dynamodb'), '${self:custom.v0}'));
  expect(managed.status).toBe('aws-managed');
});

it(`a variable with more than ${MAX_VALUES} possible values: unknown, saying so`, async () => {
  const stages = [...Array(MAX_VALUES + 44).keys()]
    .map((i) => `  s${i}:\n    key: arn:aws:kms:us-east-1:111122223333:key/k${i}\n`)
    .join('');
  const t = await scan(`${service('  other: x\n', '${param:key}')}params:\n${stages}`);
  expect([t.status, t.fixable]).toEqual(['unknown', false]);
  expect(t.message).toContain(
    `KMSMasterKeyId is \${param:key}, which may take more than ${MAX_VALUES} values, too many for kmsfix to read`,
  );
  // Just under the cap: each a customer-managed key, read.
  const fewer = [...Array(MAX_VALUES).keys()].map((i) => `  s${i}:\n    key: arn:aws:kms:us-east-1:111122223333:key/k${i}\n`).join('');
  expect((await scan(`${service('  other: x\n', '${param:key}')}params:\n${fewer}`)).status).toBe('customer-managed');
});
