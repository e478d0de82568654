/** --kms-key-arn validated: ARNs, alias names and each format's expressions; a table whose file cannot take the value is declined. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processMemory } from '../../src/engine/memory.js';
import { describe, expect, it } from 'vitest';
import { keyArnKinds, keyArnProblem, keyArnUsage } from '../../src/rule/keyArn.js';
import { commitMessage, commitText } from '../../src/report/commitMessage.js';
import { runCli, snapshot, scanJson, copyTree, tempDir } from '../helpers/cli-helper.js';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TF = 'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n';

/** A CloudFormation YAML template, a JSON one, a serverless.yml and a Terraform module. */
function mixed(): string {
  const dir = copyTree(tempDir('arn'), {
    'cfn/t.yaml': 'cloudformation/yaml-no-sse/input.yaml',
    'cfn/j.json': 'cloudformation/json-4space/input.json',
    'sls/serverless.yml': 'cloudformation/serverless/input.yml',
  });
  // What the expressions below name is declared (kms-key-arn-declared.test.ts: what is not, is declined).
  const edit = (file: string, from: string, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
  edit(path.join(dir, 'cfn/t.yaml'), 'Parameters:\n', 'Parameters:\n  TableKeyArn:\n    Type: String\n');
  edit(
    path.join(dir, 'cfn/t.yaml'),
    'Resources:\n',
    'Resources:\n  SharedKey:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n\n',
  );
  edit(path.join(dir, 'cfn/j.json'), '{\n', '{\n    "Parameters": { "TableKeyArn": { "Type": "String" } },\n');
  mkdirSync(path.join(dir, 'tf'));
  writeFileSync(path.join(dir, 'tf', 'main.tf'), `variable "table_key_arn" {\n  type = string\n}\n\n${TF}`);
  return dir;
}

describe('what --kms-key-arn accepts', () => {
  it('key and alias ARNs of every partition, alias names, and expressions by family', () => {
    expect(keyArnKinds(ARN)).toEqual(['key-arn']);
    expect(keyArnKinds('arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab')).toEqual(['key-arn']);
    expect(keyArnKinds('arn:aws-cn:kms:cn-north-1:111122223333:alias/app')).toEqual(['alias-arn']);
    expect(keyArnKinds('alias/app/orders')).toEqual(['alias']);
    for (const t of ['var.key_arn', 'local.key_arn', 'module.kms.key_arn', 'data.aws_kms_key.k.arn', 'aws_kms_key.main.arn'])
      expect(keyArnKinds(t)).toEqual(['terraform']);
    for (const c of ['!Ref KeyArn', '!GetAtt Key.Arn', '!ImportValue shared-key', "!Sub 'arn:${AWS::Partition}:kms:x'"]) {
      expect(keyArnKinds(c)).toEqual(['cloudformation']);
    }
    expect(keyArnKinds('${config.keyArn}')).toEqual(['interpolation']);
    expect(keyArnKinds('props.keyArn')).toEqual(['typescript']);
    expect(keyArnKinds('this.key.keyArn')).toEqual(['typescript']);
  });

  it('refuses a bare word, a malformed ARN, an empty value and the AWS managed key, each with its reason', () => {
    expect(keyArnUsage('foo')).toMatch(/^--kms-key-arn 'foo' is not a KMS key ARN .* nor an expression kmsfix can write/);
    expect(keyArnUsage('arn:aws:kms:eu-west-1:111122223333:key/x')).toContain('is not a KMS key ARN');
    expect(keyArnUsage('arn:aws:s3:::bucket')).toContain('is not a KMS key ARN');
    expect(keyArnUsage(' ')).toBe('--kms-key-arn must not be empty');
    expect(keyArnUsage('alias/aws/dynamodb')).toContain('not an AWS managed key');
    expect(keyArnUsage('arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb')).toContain('not an AWS managed key');
    expect(keyArnUsage('var.x')).toBeUndefined();
    // A value SSM holds reads `unknown` (session 62): a fix with it would fail its verification.
    expect(keyArnUsage('${ssm:/org/ddb-key}')).toContain('a value SSM holds in each account');
    expect(keyArnUsage('${param:tableKeyArn}')).toBeUndefined();
  });

  it("refuses an ARN whose partition is not its Region's (adversarial pass of session 61, M1)", () => {
    expect(keyArnUsage('arn:aws-cn:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab')).toBe(
      "--kms-key-arn 'arn:aws-cn:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab': the Region eu-west-1 is in the partition aws, not aws-cn",
    );
    expect(keyArnUsage('arn:aws:kms:cn-north-1:111122223333:alias/app')).toContain(
      'the Region cn-north-1 is in the partition aws-cn, not aws',
    );
    expect(keyArnUsage('arn:aws:kms:us-gov-west-1:111122223333:alias/app')).toContain('in the partition aws-us-gov');
    expect(keyArnUsage('arn:aws:kms:eusc-de-east-1:111122223333:alias/app')).toContain('in the partition aws-eusc');
    for (const ok of [
      ARN,
      'arn:aws-cn:kms:cn-north-1:111122223333:alias/app',
      'arn:aws-us-gov:kms:us-gov-east-1:111122223333:alias/app',
      'arn:aws-iso:kms:us-iso-east-1:111122223333:alias/app',
      'arn:aws-iso-b:kms:us-isob-east-1:111122223333:alias/app',
      // Partitions kmsfix refused before (adversarial pass 2 of session 61).
      'arn:aws-iso-e:kms:eu-isoe-west-1:111122223333:alias/app',
      'arn:aws-iso-f:kms:us-isof-south-1:111122223333:alias/app',
      'arn:aws-eusc:kms:eusc-de-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    ])
      expect(keyArnUsage(ok)).toBeUndefined();
  });

  it('which family writes what', () => {
    expect(keyArnProblem(ARN, 'terraform')).toBeUndefined();
    expect(keyArnProblem('alias/app', 'cloudformation')).toBeUndefined();
    expect(keyArnProblem('alias/app', 'terraform')).toContain("Terraform takes a key's ARN");
    // An alias ARN: written as a data aws_kms_key's .arn (the provider reads the key's ARN back: session 64).
    expect(keyArnProblem('arn:aws:kms:us-east-1:111122223333:alias/app', 'terraform')).toBeUndefined();
    expect(keyArnProblem('arn:aws:kms:us-east-1:111122223333:alias/app', 'cloudformation')).toBeUndefined();
    // Pulumi's AWS provider is bridged from Terraform's: the same read-back (adv2 s64).
    expect(keyArnProblem('arn:aws:kms:us-east-1:111122223333:alias/app', 'pulumi-yaml')).toContain('reads an alias ARN back');
    expect(keyArnProblem('alias/app', 'typescript')).toContain('TypeScript code takes an ARN');
    expect(keyArnProblem('var.x', 'cloudformation')).toContain('a CloudFormation template takes');
    expect(keyArnProblem('!Ref P', 'terraform')).toContain('Terraform takes');
    expect(keyArnProblem('!Ref P', 'pulumi-yaml')).toContain('Pulumi YAML takes');
    expect(keyArnProblem('${key.arn}', 'pulumi-yaml')).toBeUndefined();
    expect(keyArnProblem('props.keyArn', 'typescript')).toBeUndefined();
    expect(keyArnProblem('props.keyArn', 'terraform')).toContain('Terraform takes');
    // A value of no known kind is the CLI's to refuse: the engine's API passes it on.
    expect(keyArnProblem('x', 'terraform')).toBeUndefined();
  });
});

describe('fix --kms-key-arn', () => {
  it('foo is refused before anything is read (exit 2)', async () => {
    const dir = mixed();
    const before = snapshot(dir);
    const r = await runCli(['fix', '--yes', '--kms-key-arn', 'foo'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("kmsfix: --kms-key-arn 'foo' is not a KMS key ARN");
    expect(snapshot(dir)).toEqual(before);
  });

  it('!Ref P: intrinsic functions in templates, in the file own form; Terraform tables declined with the reason', async () => {
    const dir = mixed();
    const tf = readFileSync(path.join(dir, 'tf', 'main.tf'), 'utf8');
    const r = await runCli(['fix', '--yes', '--kms-key-arn', '!Ref TableKeyArn'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'cfn', 't.yaml'), 'utf8')).toContain('        KMSMasterKeyId: !Ref TableKeyArn\n');
    expect(readFileSync(path.join(dir, 'cfn', 'j.json'), 'utf8')).toMatch(/"KMSMasterKeyId": \{\s+"Ref": "TableKeyArn"\s+\}/);
    expect(readFileSync(path.join(dir, 'tf', 'main.tf'), 'utf8')).toBe(tf);
    expect(r.stderr).toContain('not fixed: tf/main.tf:5  aws_dynamodb_table.t  aws-owned');
    expect(r.stderr).toContain("--kms-key-arn !Ref TableKeyArn cannot be written here: Terraform takes a key's ARN");
    // Fixed tables rescan customer-managed (the intrinsic is read back as a key reference).
    const scan = await scanJson(dir, ['cfn']);
    expect(scan.tables.map((t: { status: string }) => t.status)).toEqual(['customer-managed', 'customer-managed']);
  });

  it('!GetAtt and !ImportValue', async () => {
    for (const [value, written] of [
      ['!GetAtt SharedKey.Arn', 'KMSMasterKeyId: !GetAtt SharedKey.Arn'],
      ['!ImportValue platform-dynamodb-key-arn', 'KMSMasterKeyId: !ImportValue platform-dynamodb-key-arn'],
    ]) {
      const dir = mixed();
      const r = await runCli(['fix', '--yes', '--kms-key-arn', value, 'cfn/t.yaml'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(path.join(dir, 'cfn', 't.yaml'), 'utf8')).toContain(written);
    }
  });

  it('var.x: Terraform writes the expression; templates are left as they are', async () => {
    const dir = mixed();
    const r = await runCli(['fix', '--yes', '--kms-key-arn', 'var.table_key_arn'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'tf', 'main.tf'), 'utf8')).toContain('kms_key_arn = var.table_key_arn');
    expect(r.stderr).toContain('not fixed: cfn/t.yaml:18  OrdersTable  aws-owned');
    expect(r.stderr).toContain('a CloudFormation template takes an ARN');
    expect(r.stderr).toMatch(/5 tables in 4 files: .*\(1 fixable\).*; 1 fixed in 1 file, 1 file written/);
  });

  it('${param:...}: a Serverless Framework variable in serverless.yml, declined in a plain template', async () => {
    const dir = mixed();
    const r = await runCli(['fix', '--yes', '--kms-key-arn', '${param:tableKeyArn}', 'cfn', 'sls'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'sls', 'serverless.yml'), 'utf8')).toContain('KMSMasterKeyId: ${param:tableKeyArn}');
    expect(r.stderr).toContain('is a Serverless Framework variable, which only serverless.yml resolves');
    expect(readFileSync(path.join(dir, 'cfn', 't.yaml'), 'utf8')).not.toContain('KMSMasterKeyId');
  });

  it('alias/NAME: CloudFormation writes it; Terraform, which takes an ARN, declines', async () => {
    const dir = mixed();
    const r = await runCli(['fix', '--yes', '--kms-key-arn', 'alias/app/orders', 'cfn/t.yaml', 'tf'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'cfn', 't.yaml'), 'utf8')).toContain('KMSMasterKeyId: alias/app/orders');
    expect(r.stderr).toContain("Terraform takes a key's ARN, an alias ARN (its key read by a data aws_kms_key)");
  });
});

describe("--kms-key-arn an alias ARN in TypeScript: CDK's CfnTable writes it, CDK's L2 tables (s65), CDKTF and Pulumi (Terraform's provider) decline (adv2 s64)", () => {
  const ALIAS = 'arn:aws:kms:us-east-1:111122223333:alias/orders';
  const pulumi =
    'import * as aws from "@pulumi/aws";\nexport const t = new aws.dynamodb.Table("orders", { attributes: [{ name: "id", type: "S" }], hashKey: "id" });\n';
  const cdktf =
    'import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";\nimport { TerraformStack } from "cdktf";\n' +
    'export class S extends TerraformStack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n' +
    '    new DynamodbTable(this, "orders", { name: "orders", hashKey: "id", attribute: [{ name: "id", type: "S" }] });\n  }\n}\n';
  const cdk =
    'import { Stack } from "aws-cdk-lib";\nimport { Table, AttributeType } from "aws-cdk-lib/aws-dynamodb";\n' +
    'export class S extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n' +
    '    new Table(this, "Orders", { partitionKey: { name: "id", type: AttributeType.STRING } });\n  }\n}\n';

  it.each([
    ['Pulumi', pulumi, "Pulumi's AWS provider reads an alias ARN back"],
    ['CDKTF', cdktf, "CDK for Terraform's AWS provider reads an alias ARN back"],
  ])('%s: declined, the file unchanged', async (_, text, reason) => {
    const r = await processMemory([{ path: 'index.ts', text }], 'fix', { kmsKeyArn: ALIAS });
    expect(r.output.get('index.ts')).toBe(text);
    expect(r.outcomes[0].tables[0].message).toContain(reason);
  });

  it('CDK Table: declined, its grants would name the key by the alias ARN, which IAM does not apply to the key (s65 deploy review)', async () => {
    const granted = cdk
      .replace('    new Table(', '    const t = new Table(')
      .replace('  }\n}\n', '    t.grantReadData(this.fnRole);\n  }\n}\n');
    for (const text of [cdk, granted, cdk.replace(/\bTable\b/g, 'TableV2')]) {
      const r = await processMemory([{ path: 'index.ts', text }], 'fix', { kmsKeyArn: ALIAS });
      expect(r.output.get('index.ts')).toBe(text);
      expect(r.outcomes[0].tables[0].message).toContain('an IAM policy whose Resource is an alias ARN does not apply to the key');
    }
    // A key's ARN is written: CDK's grants then name the key.
    const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const r = await processMemory([{ path: 'index.ts', text: granted }], 'fix', { kmsKeyArn: key });
    expect(r.output.get('index.ts')).toContain(key);
  });

  it('CDK CfnTable: written (CloudFormation takes an alias ARN; an L1 table has no grants)', async () => {
    const l1 =
      'import { Stack } from "aws-cdk-lib";\nimport { CfnTable } from "aws-cdk-lib/aws-dynamodb";\n' +
      'export class S extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n' +
      '    new CfnTable(this, "Orders", { keySchema: [{ attributeName: "id", keyType: "HASH" }], attributeDefinitions: [{ attributeName: "id", attributeType: "S" }] });\n  }\n}\n';
    const r = await processMemory([{ path: 'index.ts', text: l1 }], 'fix', { kmsKeyArn: ALIAS });
    expect(r.output.get('index.ts')).toContain(ALIAS);
  });
});

// Session 65's deploy review: a key of another Region was fixed in without a word where the table's Region is not known
// (the deploy then fails). The key line names the key's Region, as for templates, and where kmsfix reads a table's (the
// app's entry and the stacks' aws:region since region2: kms-key-arn-stack-regions.test.ts; a stack file without a
// Pulumi.yaml, as here, is not a project's).
describe('--kms-key-arn in code: the key line names the key Region and where kmsfix reads a table Region', () => {
  const pulumi =
    'import * as aws from "@pulumi/aws";\nexport const t = new aws.dynamodb.Table("orders", { attributes: [{ name: "id", type: "S" }], hashKey: "id" });\n';
  const cdk =
    'import { Stack } from "aws-cdk-lib";\nimport { Table, AttributeType } from "aws-cdk-lib/aws-dynamodb";\n' +
    'export class S extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n' +
    '    new Table(this, "Orders", { partitionKey: { name: "id", type: AttributeType.STRING } });\n  }\n}\n';
  it.each([
    ['Pulumi', pulumi, "on the default provider, each stack's aws:region (Pulumi.<stack>.yaml)"],
    ['CDK', cdk, "the literal env.region of its stack where the table's own file or the CDK app's entry creates it"],
  ])('%s', async (_, text, where) => {
    const files = [{ path: 'index.ts', text }];
    if (_ === 'Pulumi') files.push({ path: 'Pulumi.dev.yaml', text: 'config:\n  aws:region: us-east-1\n' });
    const r = await processMemory(files, 'fix', { kmsKeyArn: ARN });
    expect(r.output.get('index.ts')).toContain(ARN);
    const message = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', kmsKeyArn: ARN, version: '0' })).replace(/\s+/g, ' ');
    expect(message).toContain(`key: the existing key ${ARN}; the key is in eu-west-1: deploy this stack there only`);
    expect(message).toContain(where);
  });
});
