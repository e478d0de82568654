/**
 * The AWS managed key written through a function (session 58, adversarial F1-F4): Terraform `format`/`join`, Pulumi
 * `pulumi.interpolate`/`concat`/`all().apply`, Pulumi YAML `fn::join`/`fn::secret`, CDK `Fn.join`/`Fn.sub`/`formatArn`,
 * CloudFormation `Fn::Sub`/`Fn::Join` of literals and `Fn::Select` were customer-managed (exit 0). The rule
 * (src/rule/composedKey.ts): a composed text that names alias/aws/dynamodb is aws-managed; one that only may be it
 * (coalesce, select with an index not known, a for_each data source's instance) is unknown.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

async function scan(files: Record<string, string>, main: string) {
  const r = await processMemory(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    'scan',
  );
  return r.outcomes.find((o) => o.file.path === main)!.tables.map((t) => [t.status, t.reason] as const);
}

const tf = (key: string) => `data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_kms_alias" "m" {
  name = "alias/aws/dynamodb"
}
data "aws_kms_key" "byeach" {
  for_each = toset(["alias/aws/dynamodb"])
  key_id   = each.key
}
resource "aws_kms_key" "own" {}

resource "aws_dynamodb_table" "t" {
  name         = "t"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = ${key}
  }
}
`;

describe('Terraform: kms_key_arn through format/join, coalesce, a for_each data source', () => {
  it.each([
    [
      'format("arn:aws:kms:%s:%s:alias/aws/dynamodb", data.aws_region.current.name, data.aws_caller_identity.current.account_id)',
      'aws-managed',
    ],
    [
      'join(":", ["arn:aws:kms", data.aws_region.current.name, data.aws_caller_identity.current.account_id, "alias/aws/dynamodb"])',
      'aws-managed',
    ],
    ['coalesce(data.aws_kms_alias.m.target_key_arn, "unused")', 'unknown'],
    ['data.aws_kms_key.byeach["alias/aws/dynamodb"].arn', 'unknown'],
    [
      'format("arn:aws:kms:%s:%s:alias/orders", data.aws_region.current.name, data.aws_caller_identity.current.account_id)',
      'customer-managed',
    ],
    ['coalesce(aws_kms_key.own.arn, "unused")', 'customer-managed'],
  ])('%s: %s', async (key, status) => {
    const [[got, reason]] = await scan({ 'main.tf': tf(key) }, 'main.tf');
    expect(got).toBe(status);
    if (status !== 'customer-managed') expect(reason).toContain(key.slice(0, 30));
  });

  // A choice read as one (adversarial pass 2 of session 58, F4): the alias of a branch its condition does not take makes
  // the chosen key neither aws-managed nor unknown; the branch taken is read as the key.
  it.each([
    ['true', 'aws_kms_key.own.arn', 'customer-managed'],
    ['false', 'aws_kms_key.own.arn', 'aws-managed'],
    ['true', 'format("arn:aws:kms:%s:111122223333:alias/aws/dynamodb", data.aws_region.current.name)', 'aws-managed'],
  ])('var.use_cmk (default %s) ? %s : "alias/aws/dynamodb": %s', async (on, chosen, status) => {
    const text = tf(`var.use_cmk ? ${chosen} : "alias/aws/dynamodb"`) + `variable "use_cmk" {\n  default = ${on}\n}\n`;
    const [[got]] = await scan({ 'main.tf': text }, 'main.tf');
    expect(got).toBe(status);
  });
  // A piece that is a local or a variable holding the alias (adversarial pass 2 of session 58, F1): read as a template
  // string's interpolation is, the reason saying what decided it; a local holding the user's key stays theirs.
  const pieces = `locals {
  ddb_alias = "alias/aws/dynamodb"
  own_key   = "key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
variable "key_alias" {
  default = "aws/dynamodb"
}
`;
  it.each([
    ['join(":", ["arn:aws:kms:us-east-1:111122223333", local.ddb_alias])', 'aws-managed', 'local.ddb_alias = "alias/aws/dynamodb"'],
    [
      'format("arn:aws:kms:us-east-1:%s:alias/%s", data.aws_caller_identity.current.account_id, var.key_alias)',
      'aws-managed',
      'key_alias defaults to "aws/dynamodb"',
    ],
    [
      'format("arn:aws:kms:%s:%s:%s", data.aws_region.current.name, data.aws_caller_identity.current.account_id, local.ddb_alias)',
      'aws-managed',
      '',
    ],
    ['join(":", ["arn:aws:kms:us-east-1:111122223333", local.own_key])', 'customer-managed', ''],
    ['format("arn:aws:kms:us-east-1:111122223333:%s", aws_kms_key.own.key_id)', 'customer-managed', ''],
  ])('a piece through a local or a variable: %s: %s', async (key, status, why) => {
    const [[got, reason]] = await scan({ 'main.tf': tf(key) + pieces }, 'main.tf');
    expect(got).toBe(status);
    expect(reason).toContain(why);
  });
});

const cfn = (key: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: ${key}
`;

describe('CloudFormation: KMSMasterKeyId through Fn::Sub/Fn::Join of literals, Fn::Select', () => {
  it.each([
    ["!Sub ['arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:${Alias}', {Alias: alias/aws/dynamodb}]", 'aws-managed'],
    ["!Join ['/', [alias, aws, dynamodb]]", 'aws-managed'],
    ['!Select [1, [arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, alias/aws/dynamodb]]', 'aws-managed'],
    ['!Select [0, [arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, alias/aws/dynamodb]]', 'customer-managed'],
    [
      '!Select [!Ref AWS::AccountId, [arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, alias/aws/dynamodb]]',
      'unknown',
    ],
    ['!Select [0, !Split [",", "alias/aws/dynamodb,x"]]', 'unknown'],
    ["!Join ['/', [alias, orders]]", 'customer-managed'],
    // A Fn::Sub variable that is itself composed, a Fn::Join over a Fn::Split of a literal (session 62's adversarial
    // pass, M4: customer-managed before).
    ["!Sub ['${A}', {A: !Join ['', [alias/aws/, dynamodb]]}]", 'aws-managed'],
    ["!Sub ['arn:aws:kms:${AWS::Region}:${AWS::AccountId}:${A}', {A: !Sub ['alias/${S}', {S: aws/dynamodb}]}]", 'aws-managed'],
    ["!Join ['', !Split ['-', 'alias/aws/dynamo-db']]", 'aws-managed'],
    ["!Sub ['${A}', {A: !Join ['/', [key, 1234abcd-12ab-34cd-56ef-1234567890ab]]}]", 'customer-managed'],
    ["!Join ['', !Split ['-', 'alias/orders-db']]", 'customer-managed'],
    // A dynamic reference: what SSM or Secrets Manager holds in each account, as a parameter of an SSM parameter type.
    ["'{{resolve:ssm:/keys/ddb}}'", 'unknown'],
    ["'{{resolve:ssm-secure:/keys/ddb}}'", 'unknown'],
    ["'{{resolve:secretsmanager:ddb-key:SecretString:arn}}'", 'unknown'],
  ])('%s: %s', async (key, status) => {
    const [[got]] = await scan({ 'template.yaml': cfn(key) }, 'template.yaml');
    expect(got).toBe(status);
  });

  // A piece that is a Mappings value holding the alias (adversarial pass 2 of session 58, F1): that value, as the key
  // written as the lookup is; a value of the user's key stays theirs.
  const mappings = `Mappings:
  Keys:
    ddb:
      alias: alias/aws/dynamodb
      own: key/1234abcd-12ab-34cd-56ef-1234567890ab
`;
  it.each([
    ["!Join [':', ['arn:aws:kms', !Ref 'AWS::Region', !Ref 'AWS::AccountId', !FindInMap [Keys, ddb, alias]]]", 'aws-managed'],
    ["!Sub ['arn:aws:kms:${AWS::Region}:${AWS::AccountId}:${A}', {A: !FindInMap [Keys, ddb, alias]}]", 'aws-managed'],
    ["!Join [':', ['arn:aws:kms', !Ref 'AWS::Region', !Ref 'AWS::AccountId', !FindInMap [Keys, ddb, own]]]", 'customer-managed'],
  ])('a Mappings piece: %s: %s', async (key, status) => {
    const [[got]] = await scan({ 'template.yaml': cfn(key) + mappings }, 'template.yaml');
    expect(got).toBe(status);
  });
});

// A piece that is a const of the file holding the alias (adversarial pass 2 of session 58, F1): that string; a const
// holding the user's key, or text that only mentions the alias, is no such piece.
const TS_CONSTS = `const ddbAlias = 'alias/aws/dynamodb';
const ddbName = 'aws/dynamodb';
const keys = { ddb: 'alias/aws/dynamodb' };
const ownKey = 'key/1234abcd-12ab-34cd-56ef-1234567890ab';
const about = 'a key, not alias/aws/dynamodb';
`;

const pulumiTs = (key: string, consts = '') => `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
${consts}
const region = pulumi.output('us-east-1');
const account = pulumi.output('111122223333');
const managed = aws.kms.getAliasOutput({ name: 'alias/aws/dynamodb' });

export const t = new aws.dynamodb.Table('t', {
  attributes: [{ name: 'pk', type: 'S' }],
  hashKey: 'pk',
  billingMode: 'PAY_PER_REQUEST',
  serverSideEncryption: { enabled: true, kmsKeyArn: ${key} },
});
`;

describe('Pulumi TypeScript: kmsKeyArn through pulumi.interpolate, concat, all().apply', () => {
  it.each([
    ['pulumi.interpolate`arn:aws:kms:${region}:${account}:alias/aws/dynamodb`', 'aws-managed'],
    ['pulumi.all([region, account]).apply(([r, a]) => `arn:aws:kms:${r}:${a}:alias/aws/dynamodb`)', 'aws-managed'],
    ['pulumi.interpolate`${managed.targetKeyArn}`', 'aws-managed'],
    ["pulumi.concat('arn:aws:kms:', region, ':', account, ':alias/aws/dynamodb')", 'aws-managed'],
    ['pulumi.interpolate`arn:aws:kms:${region}:${account}:alias/orders`', 'customer-managed'],
  ])('%s: %s', async (key, status) => {
    const [[got]] = await scan({ 'index.ts': pulumiTs(key), 'Pulumi.yaml': 'name: app\nruntime: nodejs\n' }, 'index.ts');
    expect(got).toBe(status);
  });

  it.each([
    ['pulumi.interpolate`arn:aws:kms:${region}:${account}:${ddbAlias}`', 'aws-managed'],
    ['pulumi.interpolate`arn:aws:kms:${region}:${account}:alias/${ddbName}`', 'aws-managed'],
    ["pulumi.concat('arn:aws:kms:', region, ':', account, ':', keys.ddb)", 'aws-managed'],
    ['pulumi.interpolate`arn:aws:kms:${region}:${account}:${ownKey}`', 'customer-managed'],
    ['pulumi.interpolate`arn:aws:kms:${region}:${account}:key/${about.length}`', 'customer-managed'],
  ])('a const piece: %s: %s', async (key, status) => {
    const [[got]] = await scan({ 'index.ts': pulumiTs(key, TS_CONSTS), 'Pulumi.yaml': 'name: app\nruntime: nodejs\n' }, 'index.ts');
    expect(got).toBe(status);
  });
});

const cdk = (key: string, consts = '') => `import { ArnFormat, Fn, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
${consts}
export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new dynamodb.Table(this, 'T', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: kms.Key.fromKeyArn(this, 'K', ${key}),
    });
    new dynamodb.CfnTable(this, 'L1', {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: ${key} },
    });
  }
}
`;

describe('AWS CDK: a key ARN through formatArn, Fn.join, Fn.sub', () => {
  it.each([
    [
      "this.formatArn({ service: 'kms', resource: 'alias', resourceName: 'aws/dynamodb', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })",
      'aws-managed',
    ],
    ["Fn.join(':', ['arn:aws:kms', this.region, this.account, 'alias/aws/dynamodb'])", 'aws-managed'],
    ["Fn.sub('arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/dynamodb')", 'aws-managed'],
    ["Fn.join(':', ['arn:aws:kms', this.region, this.account, 'alias/orders'])", 'customer-managed'],
  ])('%s: %s', async (key, status) => {
    const got = await scan({ 'lib/s.ts': cdk(key) }, 'lib/s.ts');
    expect(got.map(([s]) => s)).toEqual([status, status]);
  });

  it.each([
    ["Fn.join(':', ['arn:aws:kms', this.region, this.account, ddbAlias])", 'aws-managed'],
    ["Fn.sub('arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/${Name}', { Name: ddbName })", 'aws-managed'],
    [
      "this.formatArn({ service: 'kms', resource: 'alias', resourceName: ddbName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })",
      'aws-managed',
    ],
    ["Fn.join(':', ['arn:aws:kms', this.region, this.account, ownKey])", 'customer-managed'],
  ])('a const piece: %s: %s', async (key, status) => {
    const got = await scan({ 'lib/s.ts': cdk(key, TS_CONSTS) }, 'lib/s.ts');
    expect(got.map(([s]) => s)).toEqual([status, status]);
  });
});

const pulumiYaml = (key: string) => `name: app
runtime: yaml
resources:
  t:
    type: aws:dynamodb:Table
    properties:
      attributes: [{name: pk, type: S}]
      hashKey: pk
      billingMode: PAY_PER_REQUEST
      serverSideEncryption:
        enabled: true
        kmsKeyArn:
          ${key}
`;

describe('Pulumi YAML: kmsKeyArn through fn::join, fn::secret', () => {
  it.each([
    ['fn::join: [":", ["arn:aws:kms", "${region}", "111122223333", "alias/aws/dynamodb"]]', 'aws-managed'],
    ['fn::secret: alias/aws/dynamodb', 'aws-managed'],
    ['fn::select: [0, {fn::split: [",", "alias/aws/dynamodb,x"]}]', 'unknown'],
    ['fn::join: [":", ["arn:aws:kms", "${region}", "111122223333", "alias/orders"]]', 'customer-managed'],
  ])('%s: %s', async (key, status) => {
    const [[got]] = await scan({ 'Pulumi.yaml': pulumiYaml(key) }, 'Pulumi.yaml');
    expect(got).toBe(status);
  });
  // An item that is a `variables:` entry holding the alias (adversarial pass 2 of session 58, F1): that string; an entry
  // holding the user's key stays theirs.
  const variables = `variables:
  ddbAlias: alias/aws/dynamodb
  ddbName: aws/dynamodb
  ownKey: key/1234abcd-12ab-34cd-56ef-1234567890ab
`;
  it.each([
    ['fn::join: [":", ["arn:aws:kms", "${region}", "111122223333", "${ddbAlias}"]]', 'aws-managed'],
    ['fn::join: ["", ["arn:aws:kms:us-east-1:111122223333:alias/", "${ddbName}"]]', 'aws-managed'],
    ['fn::join: [":", ["arn:aws:kms", "${region}", "111122223333", "${ownKey}"]]', 'customer-managed'],
  ])('a variables piece: %s: %s', async (key, status) => {
    const [[got]] = await scan({ 'Pulumi.yaml': pulumiYaml(key) + variables }, 'Pulumi.yaml');
    expect(got).toBe(status);
  });
});
