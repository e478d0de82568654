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
  // v8's value, a ninth variable, is past the depth kmsfix follows: not known (second adversarial pass, L1: it was read
  // as a key passed at deploy, customer-managed, as any chain cut there, also one ending with the managed alias); not
  // an error, the table kept.
  expect([passed.status, passed.message]).toEqual([
    'unknown',
    'KMSMasterKeyId is ${self:custom.v0}, whose value (custom.v8) is a chain of variables more than 8 deep, too deep for ' +
      'kmsfix to follow (it may end at alias/aws/dynamodb): not known from the code alone, so kmsfix does not change it: ' +
      'check the deployed value or set it explicitly',
  ]);
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

/**
 * Second adversarial pass of session 63. F1: the entries of a map chosen by the stage were read as their text, so an
 * entry that is itself a variable naming the managed alias, or a !Sub ending with it, was customer-managed; each entry
 * is now read as a `self:` value is. F2: `custom.x: { Ref: AWS::NoValue }` behind `${self:custom.x}` was customer-managed
 * where in place it is the key not written (aws-managed). L1: a chain of `self:` values deeper than kmsfix follows was
 * customer-managed; where it ends is not known (it may be the managed alias): unknown.
 */
const SUB_MANAGED = "!Sub 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/dynamodb'";

it.each([
  // One entry the AWS managed key through another variable: unknown, naming it.
  [`  awsa: alias/aws/dynamodb\n  keys:\n    dev: \${self:custom.awsa}\n    prod: ${KEY}\n`, '${self:custom.keys.${sls:stage}}', 'unknown'],
  // Every entry the AWS managed key (a !Sub ending with it; through a variable, under a stage's path).
  [`  keys:\n    dev: ${SUB_MANAGED}\n    prod: ${SUB_MANAGED}\n`, '${self:custom.keys.${sls:stage}}', 'aws-managed'],
  [
    `  awsa: alias/aws/dynamodb\n  stages:\n    dev:\n      key: \${self:custom.awsa}\n`,
    '${self:custom.stages.${sls:stage}.key}',
    'aws-managed',
  ],
  // Customer-managed keys through variables stay so.
  [`  cmk: ${KEY}\n  keys:\n    dev: \${self:custom.cmk}\n    prod: ${KEY}\n`, '${self:custom.keys.${sls:stage}}', 'customer-managed'],
])('a map chosen by the stage: each entry read as a self: value (%#: %s)', async (custom, key, status) => {
  const t = await scan(service(custom, key));
  expect(t.status).toBe(status);
  if (status === 'unknown') expect(t.message).toContain('whose value may be alias/aws/dynamodb (custom.keys.dev)');
});

it('a map chosen by the stage whose entries choose from maps: each map read once, not once per path', async () => {
  // Eight maps of eight entries, each entry choosing from the next map: 8^8 paths if each were read again.
  const maps = [...Array(8).keys()]
    .map((i) => `  m${i}:\n${[...Array(8).keys()].map((j) => `    s${j}: \${self:custom.m${i + 1}.\${sls:stage}}\n`).join('')}`)
    .join('');
  evaluations.count = 0;
  const t = await scan(service(`${maps}  m8:\n    dev: alias/aws/dynamodb\n`, '${self:custom.m0.${sls:stage}}'));
  expect(t.status).toBe('aws-managed');
  // Nine maps, each once.
  expect(evaluations.count).toBe(9);
});

it('custom.x: { Ref: AWS::NoValue } behind ${self:custom.x} is the key not written, as in place: aws-managed', async () => {
  const inPlace = await scan(service('  other: x\n', '{ Ref: AWS::NoValue }'));
  const viaSelf = await scan(service('  nov: { Ref: AWS::NoValue }\n', '${self:custom.nov}'));
  const inMap = await scan(service('  keys:\n    dev: !Ref AWS::NoValue\n', '${self:custom.keys.${sls:stage}}'));
  expect([inPlace.status, viaSelf.status, inMap.status]).toEqual(['aws-managed', 'aws-managed', 'aws-managed']);
});

it('a chain of self: values deeper than kmsfix follows is unknown, saying so; one just within it is read', async () => {
  const chain = (n: number) =>
    [...Array(n).keys()].map((i) => `  d${i}: \${self:custom.d${i + 1}}\n`).join('') + `  d${n}: alias/aws/dynamodb\n`;
  const deep = await scan(service(chain(12), '${self:custom.d0}'));
  expect([deep.status, deep.fixable]).toEqual(['unknown', false]);
  expect(deep.message).toContain('whose value (custom.d8) is a chain of variables more than 8 deep, too deep for kmsfix to follow');
  expect((await scan(service(chain(8), '${self:custom.d0}'))).status).toBe('aws-managed');
  // A customer-managed key at the end: not known either (kmsfix did not read that far).
  expect((await scan(service(chain(12).replace('alias/aws/dynamodb', KEY), '${self:custom.d0}'))).status).toBe('unknown');
});
