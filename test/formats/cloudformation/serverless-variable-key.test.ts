/**
 * A KMSMasterKeyId written as one Serverless variable was read as a customer-managed key whatever it
 * resolved to: `${self:custom.tableKey}` with custom.tableKey `alias/aws/dynamodb` was called compliant.
 * The variable is read in the service file: every value it may take the AWS managed key, that key
 * (aws-managed, fixed); some (a stage's param, a fallback), unknown; none, a customer-managed key as before.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const service = (key: string) => `service: orders
provider:
  name: aws
params:
  default:
    tableKey: alias/aws/dynamodb
  prod:
    tableKey: ${KEY}
custom:
  managedKey: alias/aws/dynamodb
  ownKey: ${KEY}
  viaManaged: \${self:custom.managedKey}
  viaOwn: \${self:custom.ownKey}
  loop: \${self:custom.loop}
  nested:
    key: \${param:tableKey}
  byStage:
    dev: alias/aws/dynamodb
    prod: ${KEY}
  ownByStage:
    dev: ${KEY}
  stages:
    dev:
      kmsKey: alias/aws/dynamodb
    prod:
      kmsKey: ${KEY}
resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        SSESpecification:
          SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: ${key}
`;

it.each([
  ['${self:custom.managedKey}', 'aws-managed', true],
  ['${self:custom.ownKey}', 'customer-managed', false],
  // A variable whose value is another is what that one gives (session 49's adversarial pass; customer-managed before).
  ['${self:custom.nested.key} (another variable: ${param:tableKey})', 'unknown', false],
  ['${self:custom.viaManaged} (another variable: ${self:custom.managedKey})', 'aws-managed', true],
  ['${self:custom.viaOwn} (another variable: ${self:custom.ownKey})', 'customer-managed', false],
  ['${self:custom.loop} (a variable that names itself)', 'customer-managed', false],
  ['${param:tableKey} (the default stage’s value is the AWS managed key)', 'unknown', false],
  ["${ssm:/platform/key, 'alias/aws/dynamodb'} (a fallback)", 'unknown', false],
  // SSM holds the key in each account: not known, as a parameter of an SSM parameter type (customer-managed before session 62).
  ['${ssm:/platform/key}', 'unknown', false],
  // A variable in the path (real-world round 35): read as the fallback says (customer-managed before).
  ["${ssm:/shop/${sls:stage}/tableKey, 'alias/aws/dynamodb'} (a fallback, a variable in the path)", 'unknown', false],
  ['${ssm:/shop/${sls:stage}/tableKey}', 'unknown', false],
  ['${env:TABLE_KEY, ""}', 'unknown', false],
  ['${self:custom.byStage.${sls:stage}} (a map chosen by the stage: real-world round 28)', 'unknown', false],
  ['${self:custom.ownByStage.${self:provider.stage}}', 'customer-managed', false],
  ['${self:custom.stages.${sls:stage}.kmsKey} (adversarial pass)', 'unknown', false],
  ["${self:custom.ownByStage.${sls:stage}, 'alias/aws/dynamodb'} (a fallback for a stage the map lacks)", 'unknown', false],
  ['${self:custom.byStage.${sls:stage}, ${ssm:/shared/key}} (a variable as the fallback)', 'unknown', false],
  // A chain of sources, read as the Framework resolves it: the first that gives a value (session 62's adversarial pass, F3:
  // each was customer-managed before).
  ['${opt:key, self:custom.managedKey} (a deploy without --key gets the AWS managed key)', 'unknown', false],
  ['${opt:key, self:custom.ownKey} (a key passed at deploy, else a customer-managed key)', 'customer-managed', false],
  ['${self:custom.missing, self:custom.managedKey} (a path the file lacks, then the AWS managed key)', 'unknown', false],
  ["${self:custom.missing, ssm:/keys/x, 'alias/aws/dynamodb'} (two fallbacks)", 'unknown', false],
  [`\${self:custom.missing, ssm:/keys/x, '${KEY}'} (SSM, then a customer-managed key)`, 'unknown', false],
  ['${opt:key, ${self:custom.managedKey}} (a variable as the fallback)', 'unknown', false],
  ['${self:custom.managedKey, opt:key} (the first source always resolves)', 'aws-managed', true],
  ['${self:custom.ownByStage.${sls:stage}, self:custom.managedKey} (a stage the map lacks gets the AWS managed key)', 'unknown', false],
  // An AWS managed key whichever stage: alias/aws/dynamodb or another service's, which DynamoDB refuses.
  ['alias/aws/${sls:stage}', 'unknown', false],
  ['arn:aws:kms:us-east-1:111122223333:alias/aws/${opt:service}', 'unknown', false],
])('%s', async (written, status, fixable) => {
  const key = written.split(' (')[0];
  const t = (await processMemory([{ path: 'serverless.yml', text: service(key) }], 'scan')).outcomes[0].tables[0];
  expect([t.status, t.fixable]).toEqual([status, fixable]);
});

/** Every stage's value the AWS managed key (adversarial pass of session 47, last pass): that key, as a file's would be. */
it.each([
  ['${param:managed}', 'params:\n  default:\n    managed: alias/aws/dynamodb\n  prod:\n    managed: ""\n'],
  ['${self:custom.allManaged.${sls:stage}}', ''],
])('%s, every value the AWS managed key: aws-managed, fixed', async (key, params) => {
  const text = service(key)
    .replace(/^params:\n(?: {2}.*\n)+/m, params)
    .replace(/^custom:\n/m, 'custom:\n  allManaged:\n    dev: alias/aws/dynamodb\n    prod: alias/aws/dynamodb\n');
  const t = (await processMemory([{ path: 'serverless.yml', text }], 'scan')).outcomes[0].tables[0];
  expect([t.status, t.fixable]).toEqual(['aws-managed', true]);
  // A fallback that is a key keeps it unknown.
  const withKey = text.replace(key, `${key.slice(0, -1)}, '${KEY}'}`);
  expect((await processMemory([{ path: 'serverless.yml', text: withKey }], 'scan')).outcomes[0].tables[0].status).toBe('unknown');
});

/** Serverless v4's `stages.<stage>.params` (adversarial pass of session 47, repro 03): read as v3's `params`. */
it('${param:tableKey} with v4 stages.<stage>.params: unknown where a stage (default) gives the AWS managed key', async () => {
  const v4 = service('${param:tableKey}')
    .replace(/params:\n {2}default:\n {4}tableKey: alias\/aws\/dynamodb\n {2}prod:\n {4}tableKey: \S+\n/, '')
    .concat(`stages:\n  prod:\n    params:\n      tableKey: ${KEY}\n  default:\n    params:\n      tableKey: alias/aws/dynamodb\n`);
  expect(v4).not.toMatch(/^params:/m);
  const t = (await processMemory([{ path: 'serverless.yml', text: v4 }], 'scan')).outcomes[0].tables[0];
  expect([t.status, t.fixable]).toEqual(['unknown', false]);
  expect(t.reason).toMatch(/stages\.default\.params\.tableKey/);
});

/**
 * A key read from a file per stage (adversarial pass of session 47, repro 02): `${file(./config/${sls:stage}.yml):kmsKeyArn}`,
 * or `${self:custom.kmsKeyArn}` with `custom: ${file(...)}`. It was taken as a customer-managed key whatever the files held.
 */
describe('a key the Framework reads from a file', () => {
  const scan = async (key: string, files: Record<string, string>, custom = '') => {
    const text = service(key).replace(/^custom:\n/m, `custom:\n${custom}`);
    const all = [{ path: 'svc/serverless.yml', text }, ...Object.entries(files).map(([p, t]) => ({ path: `svc/${p}`, text: t }))];
    return (await processMemory(all, 'scan')).outcomes.find((o) => o.file.path === 'svc/serverless.yml')!.tables[0];
  };
  const perStage = '${file(./config/${sls:stage}.yml):kmsKeyArn}';

  it('a stage file holds the AWS managed key: unknown, naming it', async () => {
    const t = await scan(perStage, { 'config/dev.yml': 'kmsKeyArn: alias/aws/dynamodb\n', 'config/prod.yml': `kmsKeyArn: ${KEY}\n` });
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toMatch(/whose value may be alias\/aws\/dynamodb \(svc\/config\/dev\.yml\)/);
  });

  it('every stage file holds a key: customer-managed; every one the AWS managed key: aws-managed, fixed', async () => {
    const own = await scan(perStage, { 'config/dev.yml': `kmsKeyArn: ${KEY}\n`, 'config/prod.yml': `kmsKeyArn: ${KEY}\n` });
    expect(own.status).toBe('customer-managed');
    const managed = await scan(perStage, { 'config/dev.yml': 'kmsKeyArn: alias/aws/dynamodb\n', 'config/prod.yml': "kmsKeyArn: ''\n" });
    expect([managed.status, managed.fixable]).toEqual(['aws-managed', true]);
  });

  it('no file found, or one kmsfix does not read (JavaScript): unknown', async () => {
    expect((await scan(perStage, {})).status).toBe('unknown');
    const js = await scan('${file(./config/${sls:stage}.js):kmsKeyArn}', { 'config/dev.js': 'module.exports = {}' });
    expect(js.status).toBe('unknown');
  });

  it('a stage file holding another value (Fn::ImportValue): a key there, not a stage that deploys nothing (adversarial pass, repro 04)', async () => {
    const imported = '{"kmsKeyArn": {"Fn::ImportValue": "platform-DynamoKmsKeyArn"}}';
    const t = await scan(perStage.replace('.yml', '.json'), {
      'config/dev.json': '{"kmsKeyArn": "alias/aws/dynamodb"}',
      'config/prod.json': imported,
    });
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    const own = await scan(perStage.replace('.yml', '.json'), {
      'config/dev.json': `{"kmsKeyArn": "${KEY}"}`,
      'config/prod.json': imported,
    });
    expect(own.status).toBe('customer-managed');
  });

  it('a fallback for a stage file without the path: its value (adversarial pass, repro 05)', async () => {
    const withFallback = "${file(./config/${sls:stage}.yml):kmsKeyArn, 'alias/aws/dynamodb'}";
    const files = { 'config/dev.yml': 'other: 1\n', 'config/prod.yml': `kmsKeyArn: ${KEY}\n` };
    expect((await scan(withFallback, files)).status).toBe('unknown');
    // Without a fallback, dev fails to package: prod alone deploys, with its key.
    expect((await scan(perStage, files)).status).toBe('customer-managed');
    // A fallback that is a variable: not known.
    expect((await scan('${file(./config/${sls:stage}.yml):kmsKeyArn, ${ssm:/k}}', files)).status).toBe('unknown');
  });

  it('a custom entry that is a file, read through ${self:custom.fromFile.kmsKeyArn}; JSON files', async () => {
    const files = { 'env/dev.json': '{"kmsKeyArn": "alias/aws/dynamodb"}', 'env/prod.json': `{"kmsKeyArn": "${KEY}"}` };
    const entry = '  fromFile: ${file(./env/${sls:stage}.json)}\n';
    const t = await scan('${self:custom.fromFile.kmsKeyArn}', files, entry);
    expect(t.status).toBe('unknown');
    expect(t.reason).toMatch(/svc\/env\/dev\.json/);
    // Without the entry, the path reads nothing: the variable is taken as a key, as before.
    expect((await scan('${self:custom.fromFile.kmsKeyArn}', files)).status).toBe('customer-managed');
  });

  // Adversarial pass of session 64: a key the stage chooses inside one file was customer-managed whatever the file held.
  it('a key chosen by a variable inside the file (${file(./keys.yml):${sls:stage}}): each entry may be the key', async () => {
    const one = { 'keys.yml': `dev: ${KEY}\nprod: alias/aws/dynamodb\n` };
    for (const key of ['${file(./keys.yml):${sls:stage}}', '${file(./keys.yml):${opt:stage, self:provider.stage}}']) {
      const t = await scan(key, one);
      expect([t.status, t.fixable]).toEqual(['unknown', false]);
      expect(t.reason).toMatch(/whose value may be alias\/aws\/dynamodb \(svc\/keys\.yml\)/);
    }
    // Through a custom entry that is the file, the stage after it; under a key of the file.
    const t = await scan('${self:custom.keys.${sls:stage}}', one, '  keys: ${file(./keys.yml)}\n');
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    const nested = await scan('${file(./keys.yml):tables.${sls:stage}.key}', {
      'keys.yml': 'tables:\n  dev:\n    key: alias/aws/dynamodb\n',
    });
    expect([nested.status, nested.fixable]).toEqual(['aws-managed', true]);
    // Every entry a key: customer-managed; every one the AWS managed key: aws-managed, fixed.
    expect((await scan('${file(./keys.yml):${sls:stage}}', { 'keys.yml': `dev: ${KEY}\nprod: ${KEY}\n` })).status).toBe('customer-managed');
    const managed = await scan('${file(./keys.yml):${sls:stage}}', { 'keys.yml': 'dev: alias/aws/dynamodb\n' });
    expect([managed.status, managed.fixable]).toEqual(['aws-managed', true]);
    // A literal fallback for a stage the file lacks is one of them; entries a merge key brings in too.
    expect((await scan("${file(./keys.yml):${sls:stage}, 'alias/aws/dynamodb'}", { 'keys.yml': `dev: ${KEY}\n` })).status).toBe('unknown');
    const merged = { 'keys.yml': `base: &base\n  prod: alias/aws/dynamodb\nkeys:\n  <<: *base\n  dev: ${KEY}\n` };
    expect((await scan('${file(./keys.yml):keys.${sls:stage}}', merged)).status).toBe('unknown');
  });

  it('a stage map chosen by a variable holding one of its own (${self:custom.keys.${opt:stage, ${self:provider.stage}}}): its entries', async () => {
    const custom = `  allManaged:\n    dev: alias/aws/dynamodb\n    prod: alias/aws/dynamodb\n  own:\n    dev: ${KEY}\n`;
    const managed = await scan('${self:custom.allManaged.${opt:stage, ${self:provider.stage}}}', {}, custom);
    expect([managed.status, managed.fixable]).toEqual(['aws-managed', true]);
    expect((await scan('${self:custom.own.${opt:stage, ${self:provider.stage}}}', {}, custom)).status).toBe('customer-managed');
    // Nested deeper: not known, and said so (it was "a chain more than 8 deep").
    const deeper = await scan('${self:custom.allManaged.${opt:stage, ${env:S, ${self:provider.stage}}}}', {}, custom);
    expect(deeper.status).toBe('unknown');
    expect(deeper.reason).toMatch(/nested too deep for kmsfix to read/);
  });

  it("a stage map in the service file with a merge key: the merged entries are the map's (not one entry '<<')", async () => {
    const custom = `  base: &base\n    prod: alias/aws/dynamodb\n  mkeys:\n    <<: *base\n    dev: ${KEY}\n  allManaged:\n    <<: *base\n`;
    const t = await scan('${self:custom.mkeys.${sls:stage}}', {}, custom);
    expect([t.status, t.fixable]).toEqual(['unknown', false]);
    expect(t.reason).toMatch(/may be alias\/aws\/dynamodb \(custom\.mkeys\.prod\)/);
    expect((await scan('${self:custom.allManaged.${sls:stage}}', {}, custom)).status).toBe('aws-managed');
  });
});

/**
 * resources.Parameters' Defaults (real-world round 35): the Framework passes its stack no parameter values, so a `Ref`
 * to one is its Default, read as a template's is. `{Ref: KeyArn}` defaulting to alias/aws/dynamodb was customer-managed.
 * Not its Conditions: they compare Framework variables the Framework resolves first.
 */
describe("resources.Parameters: a Ref is the parameter's Default", () => {
  const withParameters = (key: string, value = 'alias/aws/dynamodb') =>
    service(key).replace(
      /^resources:\n/m,
      `resources:\n  Parameters:\n    KeyArn:\n      Type: String\n      Default: ${value}\n    Given:\n      Type: String\n` +
        "  Conditions:\n    IsProd: { 'Fn::Equals': ['${sls:stage}', prod] }\n",
    );
  const scan = async (text: string) => (await processMemory([{ path: 'serverless.yml', text }], 'scan')).outcomes[0].tables[0];

  it('a Default that is the AWS managed key: aws-managed, left to the parameter; one that is a key: customer-managed', async () => {
    const managed = await scan(withParameters('{ Ref: KeyArn }'));
    expect([managed.status, managed.fixable]).toEqual(['aws-managed', false]);
    expect(managed.reason).toContain("decided by parameter KeyArn's default (alias/aws/dynamodb)");
    expect((await scan(withParameters('{ Ref: KeyArn }', KEY))).status).toBe('customer-managed');
    // A Default that is a Framework variable: read as the key's would be.
    expect((await scan(withParameters('{ Ref: KeyArn }', '${self:custom.managedKey}'))).status).toBe('aws-managed');
    expect((await scan(withParameters('{ Ref: KeyArn }', '${param:tableKey}'))).status).toBe('unknown');
    // No Default: decided at deploy, a key as before.
    expect((await scan(withParameters('{ Ref: Given }'))).status).toBe('customer-managed');
  });

  it('a condition on ${sls:stage} is not evaluated as written: Fn::If with an AWS managed branch stays unknown', async () => {
    const t = await scan(withParameters("{ 'Fn::If': [IsProd, { 'Fn::GetAtt': [OwnKey, Arn] }, alias/aws/dynamodb] }"));
    expect(t.status).toBe('unknown');
  });
});
