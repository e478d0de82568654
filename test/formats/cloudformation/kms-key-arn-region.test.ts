/**
 * --kms-key-arn names one key, in one Region, and a table's key must be in its Region (session 64's deploy review,
 * F3): a CloudFormation, SAM or Serverless table whose stack the project says deploys to another Region is declined,
 * naming both Regions and where the stack's was read (serverless.yml's provider.region, as the Framework resolves it;
 * a SAM configuration's region per environment; a global table's only replica). Where no Region is known, the table
 * is fixed, and the commit message's key line names the key's Region.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { commitMessage, commitText } from '../../../src/report/commitMessage.js';

const EAST = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const WEST = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const TABLE = `Orders:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
        KeySchema: [{AttributeName: id, KeyType: HASH}]
`;
const service = (provider: string, extra = '') =>
  `service: orders\n${extra}provider:\n  name: aws\n${provider}resources:\n  Resources:\n    ${TABLE}`;
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  ${TABLE.replace(/^ {2}/gm, '')}`;

async function verdict(files: { path: string; text: string }[], arn: string) {
  const r = await processMemory(files, 'fix', { kmsKeyArn: arn });
  const o = r.outcomes.find((x) => x.tables.length > 0)!;
  expect(o.error).toBeUndefined();
  const t = o.tables[0];
  return { fixed: t.fixed === true, declined: t.fixed ? undefined : t.message.split('Not fixable automatically: ')[1], r };
}

describe('--kms-key-arn and the Region a CloudFormation, SAM or Serverless stack deploys to', () => {
  it("serverless.yml: a literal provider.region of another Region declines the table; the key's Region fixes it", async () => {
    const files = [{ path: 'svc/serverless.yml', text: service('  region: eu-west-1\n') }];
    expect((await verdict(files, EAST)).declined).toBe(
      "--kms-key-arn names a key in us-east-1, and this table is in eu-west-1 (svc/serverless.yml:4, provider.region): a table's key must be in its Region. " +
        "The deploy would fail and CloudFormation would roll the stack back: give a key of that Region (a multi-Region key's replica there)",
    );
    expect((await verdict(files, WEST)).fixed).toBe(true);
  });

  it("provider.region as the Framework resolves it: a chain's default, a stage's map, a self: value, the Framework's default us-east-1", async () => {
    const dflt = await verdict([{ path: 'serverless.yml', text: service("  region: ${opt:region, 'eu-west-1'}\n") }], EAST);
    expect(dflt.declined).toContain(
      'this table is in eu-west-1 (serverless.yml:4, provider.region (its default where the deploy gives no --region))',
    );
    const stages = service(
      '  region: ${self:custom.regions.${sls:stage}}\n',
      'custom:\n  regions:\n    dev: us-east-1\n    prod: eu-west-1\n',
    );
    const staged = await verdict([{ path: 'serverless.yml', text: stages }], EAST);
    expect(staged.declined).toContain('this table is in eu-west-1 (serverless.yml:8, provider.region (stage prod: custom.regions.prod))');
    // Every stage's Region must be the key's: a key in eu-west-1 cannot serve dev either.
    expect((await verdict([{ path: 'serverless.yml', text: stages }], WEST)).declined).toContain('this table is in us-east-1');
    const self = service('  region: ${self:custom.region}\n', 'custom:\n  region: eu-west-1\n');
    expect((await verdict([{ path: 'serverless.yml', text: self }], EAST)).declined).toContain('provider.region (custom.region)');
    // No provider.region: the Framework deploys to us-east-1 unless given --region.
    const none = [{ path: 'serverless.yml', text: service('') }];
    expect((await verdict(none, WEST)).declined).toContain(
      "this table is in us-east-1 (serverless.yml:3, no provider.region: the Framework's default, where the deploy gives no --region)",
    );
    expect((await verdict(none, WEST)).declined).toContain(
      "or, where every deploy passes --region eu-west-1, write provider.region: ${opt:region, 'eu-west-1'}",
    );
    expect((await verdict(none, EAST)).fixed).toBe(true);
  });

  it("provider.region through a param: each stage's params.<stage> (v3) or stages.<stage>.params (v4) value; params.default ends the chain", async () => {
    // Session 65's adversarial pass: `${param:region, 'us-east-1'}` read as us-east-1 only, so that a us-east-1 key was
    // written for a service whose prod stage deploys to eu-west-1, and a eu-west-1 key declined as of us-east-1 alone.
    const v3 = service("  region: ${param:region, 'us-east-1'}\n", 'params:\n  prod:\n    region: eu-west-1\n');
    expect((await verdict([{ path: 'serverless.yml', text: v3 }], EAST)).declined).toContain(
      'this table is in eu-west-1 (serverless.yml:7, provider.region (stage prod: params.prod.region))',
    );
    expect((await verdict([{ path: 'serverless.yml', text: v3 }], WEST)).declined).toContain(
      'this table is in us-east-1 (serverless.yml:7, provider.region (its default where the deploy gives no param:region))',
    );
    const v4 = service('  region: ${param:region}\n', 'stages:\n  prod:\n    params:\n      region: eu-west-1\n');
    expect((await verdict([{ path: 'serverless.yml', text: v4 }], EAST)).declined).toContain(
      'this table is in eu-west-1 (serverless.yml:8, provider.region (stage prod: stages.prod.params.region))',
    );
    // params.default serves every stage without its own: the chain's fallback is never reached.
    const dflt = service("  region: ${param:region, 'us-east-1'}\n", 'params:\n  default:\n    region: eu-west-1\n');
    expect((await verdict([{ path: 'serverless.yml', text: dflt }], WEST)).fixed).toBe(true);
    expect((await verdict([{ path: 'serverless.yml', text: dflt }], EAST)).declined).toContain('params.default.region');
  });

  it('a Region kmsfix cannot read is not known: the table is fixed, and the key line names the key Region', async () => {
    const v = await verdict([{ path: 'serverless.yml', text: service('  region: ${env:REGION}\n') }], EAST);
    expect(v.fixed).toBe(true);
    const plain = await verdict([{ path: 'stack/template.yaml', text: TEMPLATE }], EAST);
    expect(plain.fixed).toBe(true);
    const message = commitText(commitMessage(plain.r.outcomes, { keyStrategy: 'per-table', kmsKeyArn: EAST, version: '0' }));
    expect(message.replace(/\s+/g, ' ')).toContain(
      `key: the existing key ${EAST}; the key is in us-east-1: deploy this stack there only (a table's key must be in its Region, and kmsfix found no Region for this stack)`,
    );
    // A known Region (the key's): no such words.
    const known = await verdict([{ path: 'serverless.yml', text: service('  region: us-east-1\n') }], EAST);
    expect(commitText(commitMessage(known.r.outcomes, { keyStrategy: 'per-table', kmsKeyArn: EAST, version: '0' }))).not.toContain(
      'deploy this stack there only',
    );
  });

  it("SAM: each environment's region in samconfig.toml (deploy, else global parameters); one in another Region declines", async () => {
    const config = 'version = 0.1\n[default.deploy.parameters]\nregion = "us-east-1"\n[prod.global.parameters]\nregion = "eu-west-1"\n';
    const files = [
      { path: 'app/template.yaml', text: TEMPLATE },
      { path: 'app/samconfig.toml', text: config },
    ];
    expect((await verdict(files, EAST)).declined).toContain(
      'and this table is in eu-west-1 (app/samconfig.toml:5, region of environment prod)',
    );
    expect((await verdict(files, WEST)).declined).toContain(
      'and this table is in us-east-1 (app/samconfig.toml:3, region of environment default)',
    );
    const yaml = [
      { path: 'app/template.yaml', text: TEMPLATE },
      { path: 'app/samconfig.yaml', text: 'version: 0.1\ndefault:\n  deploy:\n    parameters:\n      region: eu-west-1\n' },
    ];
    expect((await verdict(yaml, EAST)).declined).toContain('(app/samconfig.yaml:5, region of environment default)');
    expect((await verdict(yaml, WEST)).fixed).toBe(true);
  });

  it("a global table's only replica names the stack's Region; an alias ARN is checked as a key ARN is", async () => {
    const global = `Resources:
  Orders:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      Replicas:
        - Region: eu-west-1
`;
    const files = [{ path: 'g.yaml', text: global }];
    expect((await verdict(files, 'arn:aws:kms:us-east-1:111122223333:alias/orders')).declined).toContain(
      "--kms-key-arn names a key in us-east-1, and this table is in eu-west-1 (g.yaml:9, its only replica's Region, the stack's)",
    );
    expect((await verdict(files, WEST)).fixed).toBe(true);
  });
});
