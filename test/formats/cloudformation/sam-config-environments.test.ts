/**
 * SAM's configuration file (src/formats/cfn-values/environments.ts): the parameter values each
 * environment's `sam deploy --config-env <env>` passes. Left out since session 46 (a parameter's Default
 * decided, as for Checkov): a template whose key parameter defaults to a key was customer-managed though
 * `[prod.deploy.parameters]` passes `alias/aws/dynamodb`; a key every environment passes, behind
 * `!If [HasKey, ...]` on an empty Default, was unknown.
 */
import { describe, expect, it } from 'vitest';
import { parameterOverrides } from '../../../src/formats/cfn-values/environments.js';
import { processMemory } from '../../../src/engine/memory.js';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ARN2 = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const table = (id: string, sse: string) => `  ${id}:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
${sse}`;

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  KmsKeyArn:
    Type: String
    Default: ''
  TableKey:
    Type: String
    Default: ${ARN}
  NoDefault:
    Type: String
  Encrypt:
    Type: String
    Default: 'true'
Conditions:
  HasKey: !Not [!Equals [!Ref KmsKeyArn, '']]
  InUsEast: !Equals [!Ref 'AWS::Region', us-east-1]
Resources:
${table(
  'Guarded',
  `      SSESpecification: !If
        - HasKey
        - SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: !Ref KmsKeyArn
        - !Ref AWS::NoValue
`,
)}${table(
  'Keyed',
  `      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !Ref TableKey
`,
)}${table(
  'Unset',
  `      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !Ref NoDefault
`,
)}${table(
  'Switched',
  `      SSESpecification:
        SSEEnabled: !Ref Encrypt
`,
)}${table(
  'ByRegion',
  `      SSESpecification: !If
        - InUsEast
        - SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: !Ref TableKey
        - !Ref AWS::NoValue
`,
)}`;

type Row = { status: string; fixable: boolean; reason?: string };

async function scan(files: Record<string, string>, main = 'app/template.yaml', options = {}): Promise<Record<string, Row>> {
  const all = Object.entries(files).map(([path, text]) => ({ path, text }));
  const r = await processMemory(all, 'scan', options);
  const outcome = r.outcomes.find((o) => o.file.path === main)!;
  return Object.fromEntries(outcome.tables.map((t) => [t.address, { status: t.status, fixable: t.fixable, reason: t.reason }]));
}

const toml = (envs: Record<string, string>) =>
  `version = 0.1\n${Object.entries(envs)
    .map(([env, overrides]) => `[${env}.deploy.parameters]\nstack_name = "app-${env}"\nparameter_overrides = ${overrides}\n`)
    .join('')}`;

describe('a SAM configuration decides the parameters a table reads', () => {
  it('no configuration: the Defaults decide, as before', async () => {
    const r = await scan({ 'app/template.yaml': TEMPLATE });
    expect(r.Guarded.status).toBe('unknown');
    expect(r.Keyed.status).toBe('customer-managed');
    expect(r.Switched.status).toBe('aws-managed');
  });

  it('every environment passes a key: customer-managed, naming the file and environments', async () => {
    const config = toml({
      default: `"KmsKeyArn=${ARN} NoDefault=${ARN}"`,
      prod: `["KmsKeyArn=${ARN2}", "NoDefault=${ARN2}", "TableKey=${ARN2}"]`,
    });
    const r = await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': config });
    expect(r.Guarded.status).toBe('customer-managed');
    expect(r.Guarded.reason).toMatch(/condition HasKey in app\/samconfig\.toml \(default, prod: true\)/);
    expect(r.Keyed.status).toBe('customer-managed');
    expect(r.Keyed.reason).toMatch(/parameter TableKey's values in app\/samconfig\.toml \(default: arn:aws:kms:eu-west-1:111122223333/);
    expect(r.Unset.status).toBe('customer-managed');
  });

  it('one environment passes the AWS managed key: unknown, naming it; every one: aws-managed, left to the parameter', async () => {
    const some = toml({ default: `"TableKey=${ARN}"`, prod: '"TableKey=alias/aws/dynamodb"' });
    const r = await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': some });
    expect(r.Keyed.status).toBe('unknown');
    expect(r.Keyed.reason).toMatch(/whose value may be alias\/aws\/dynamodb \(app\/samconfig\.toml: prod\)/);
    const every = toml({ default: '"TableKey=alias/aws/dynamodb"', prod: '"TableKey=alias/aws/dynamodb"' });
    const e = await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': every });
    expect(e.Keyed).toMatchObject({ status: 'aws-managed', fixable: false });
  });

  it('an Fn::If condition no environment makes true: AWS owned in each, left to the condition', async () => {
    const config = toml({ default: '"Encrypt=true"', prod: '"KmsKeyArn=\'\'"' });
    const r = await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': config });
    expect(r.Guarded).toMatchObject({ status: 'aws-owned', fixable: false });
    const mixed = toml({ default: `"KmsKeyArn=${ARN}"`, prod: '"Encrypt=true"' });
    expect((await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': mixed })).Guarded.status).toBe('unknown');
  });

  it('a switch per environment: the same in each decides, else unknown', async () => {
    const off = toml({ default: '"Encrypt=false"', prod: '"Encrypt=False"' });
    expect((await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': off })).Switched.status).toBe('aws-owned');
    const mixed = toml({ default: '"Encrypt=false"', prod: '"Encrypt=true"' });
    const r = await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': mixed });
    expect(r.Switched.status).toBe('unknown');
    expect(r.Switched.reason).toMatch(/default: false; prod: true/);
  });

  it('a condition on a pseudo parameter stays unknown', async () => {
    const config = toml({ default: `"TableKey=${ARN}"` });
    expect((await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': config })).ByRegion.status).toBe('unknown');
  });

  it('a configuration that does not parse: every parameter read is unknown, naming the file', async () => {
    const r = await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': '[default.deploy.parameters\nx = 1\n' });
    expect(r.Keyed.status).toBe('unknown');
    expect(r.Keyed.reason).toMatch(/app\/samconfig\.toml, which kmsfix cannot read \(it does not parse/);
  });

  it('YAML configurations (not JSON ones), and `global` parameters', async () => {
    const yaml = `version: 0.1\ndefault:\n  global:\n    parameters:\n      parameter_overrides: TableKey=alias/aws/dynamodb\n  deploy:\n    parameters:\n      stack_name: app\n`;
    expect((await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.yaml': yaml })).Keyed.status).toBe('aws-managed');
    const json = JSON.stringify({
      version: 0.1,
      prod: { deploy: { parameters: { parameter_overrides: ['TableKey=alias/aws/dynamodb'] } } },
    });
    // The SAM CLI reads no JSON configuration (its reader for .json is disabled): the Default decides (adversarial pass, repro 03).
    expect((await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.json': json })).Keyed.status).toBe('customer-managed');
  });

  it('template_file: an environment deploying another template does not count; a configuration above counts where it names this one', async () => {
    const other = `version = 0.1\n[prod.deploy.parameters]\ntemplate_file = "other.yaml"\nparameter_overrides = "TableKey=alias/aws/dynamodb"\n[default.deploy.parameters]\nparameter_overrides = "TableKey=${ARN}"\n`;
    expect((await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': other })).Keyed.status).toBe('customer-managed');
    const above = `version = 0.1\n[prod.deploy.parameters]\ntemplate_file = "app/template.yaml"\nparameter_overrides = "TableKey=alias/aws/dynamodb"\n`;
    expect((await scan({ 'app/template.yaml': TEMPLATE, 'samconfig.toml': above })).Keyed.status).toBe('aws-managed');
    const built = `version = 0.1\n[prod.deploy.parameters]\ntemplate_file = ".aws-sam/build/template.yaml"\nparameter_overrides = "TableKey=alias/aws/dynamodb"\n`;
    expect((await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': built })).Keyed.status).toBe('aws-managed');
  });

  it('a file per environment (`--config-file samconfig-prod.toml`, real-world round 31): every one counts', async () => {
    const files = {
      'app/template.yaml': TEMPLATE,
      'app/samconfig-dev.toml': toml({ default: '"TableKey=alias/aws/dynamodb"' }),
      'app/samconfig_prod.toml': toml({ default: `"TableKey=${ARN}"` }),
    };
    const r = await scan(files);
    expect(r.Keyed.status).toBe('unknown');
    expect(r.Keyed.reason).toMatch(/\(app\/samconfig-dev\.toml, app\/samconfig_prod\.toml: samconfig-dev\.toml default\)/);
    // samconfig.toml with samconfig.yaml beside it: the SAM CLI reads the first only.
    const both = { 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': toml({ default: `"TableKey=${ARN}"` }) };
    const yaml = 'version: 0.1\ndefault:\n  deploy:\n    parameters:\n      parameter_overrides: TableKey=alias/aws/dynamodb\n';
    expect((await scan({ ...both, 'app/samconfig.yaml': yaml })).Keyed.status).toBe('customer-managed');
  });

  it('adversarial pass of session 48: the forms and choices the SAM CLI makes', async () => {
    const keyed = async (files: Record<string, string>, main = 'app/template.yaml') => (await scan({ ...files }, main)).Keyed;
    // parameter_overrides as a TOML table, a YAML list of mappings, a file:// parameters file (SAM CLI 1.152 and later).
    const table =
      'version = 0.1\n[default.deploy.parameters]\nstack_name = "app"\n[default.deploy.parameters.parameter_overrides]\nTableKey = "alias/aws/dynamodb"\n';
    expect((await keyed({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': table })).status).toBe('aws-managed');
    const maps = 'version: 0.1\nprod:\n  deploy:\n    parameters:\n      parameter_overrides:\n        - TableKey: alias/aws/dynamodb\n';
    expect((await keyed({ 'app/template.yaml': TEMPLATE, 'app/samconfig.yaml': maps })).status).toBe('aws-managed');
    const file = 'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "file://params/prod.yaml"\n';
    const params = { 'app/params/prod.yaml': 'TableKey: alias/aws/dynamodb\n' };
    expect((await keyed({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': file, ...params })).status).toBe('aws-managed');
    const missing = await keyed({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': file });
    expect(missing.status).toBe('unknown');
    expect(missing.reason).toMatch(/file:\/\/params\/prod\.yaml, which kmsfix does not find/);
    // A merge key; a command's null overrides replace the global ones.
    const merge = 'common: &c\n  parameter_overrides: TableKey=alias/aws/dynamodb\ndefault:\n  deploy:\n    parameters:\n      <<: *c\n';
    expect((await keyed({ 'app/template.yaml': TEMPLATE, 'app/samconfig.yaml': merge })).status).toBe('aws-managed');
    const nulled = `default:\n  global:\n    parameters:\n      parameter_overrides: TableKey=${ARN2}\n  deploy:\n    parameters:\n      parameter_overrides: ~\n`;
    expect((await keyed({ 'app/template.yaml': TEMPLATE.replace(ARN, 'alias/aws/dynamodb'), 'app/samconfig.yaml': nulled })).status).toBe(
      'aws-managed',
    );
    // sam sync's own overrides deploy too.
    const sync = `version = 0.1\n[dev.deploy.parameters]\nstack_name = "a"\n[dev.sync.parameters]\nparameter_overrides = "TableKey=alias/aws/dynamodb"\n`;
    expect((await keyed({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': sync })).reason).toMatch(/dev \(sam sync\)/);
    // A template of another name beside the configuration (a nested stack's, or `-t`): its Defaults count too.
    const other = await scan(
      { 'app/tables.yaml': TEMPLATE, 'app/samconfig.toml': toml({ default: `"TableKey=${ARN2}"` }) },
      'app/tables.yaml',
    );
    expect(other.Keyed.status).toBe('customer-managed');
    const nested = await scan(
      { 'app/tables.yaml': TEMPLATE.replace(ARN, 'alias/aws/dynamodb'), 'app/samconfig.toml': toml({ default: `"TableKey=${ARN2}"` }) },
      'app/tables.yaml',
    );
    expect(nested.Keyed.status).toBe('unknown');
    // A configuration above naming the template counts beside the folder's own.
    const above =
      'version = 0.1\n[default.deploy.parameters]\ntemplate_file = "app/template.yaml"\nparameter_overrides = "TableKey=alias/aws/dynamodb"\n';
    const local = 'version = 0.1\n[local.deploy.parameters]\nstack_name = "l"\n';
    expect((await keyed({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': local, 'samconfig.toml': above })).status).toBe('unknown');
    // An SSM parameter's override names the parameter, not its value: a condition on it stays unknown.
    const ssm = TEMPLATE.replace('  Encrypt:\n    Type: String', '  Encrypt:\n    Type: AWS::SSM::Parameter::Value<String>').replace(
      "HasKey: !Not [!Equals [!Ref KmsKeyArn, '']]",
      "HasKey: !Equals [!Ref Encrypt, 'yes']",
    );
    const r = await scan({ 'app/template.yaml': ssm, 'app/samconfig.toml': toml({ default: '"Encrypt=/prod/encrypt KmsKeyArn=x"' }) });
    expect(r.Guarded.status).toBe('unknown');
  });

  it('a YAML configuration of nested aliases is read in its own size (adversarial pass, repro 07)', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const bomb = `${levels.join('\n')}\ndefault:\n  deploy:\n    parameters:\n      parameter_overrides: TableKey=alias/aws/dynamodb\n`;
    expect((await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.yaml': bomb })).Keyed.status).toBe('aws-managed');
  });

  it('second adversarial pass: replica keys, a table with a Condition of its own, many parameter files', async () => {
    const global = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  ReplicaKey:
    Type: String
    Default: ${ARN}
  Stage:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Global:
    Type: AWS::DynamoDB::GlobalTable
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
      Replicas:
        - Region: !Ref AWS::Region
          SSESpecification:
            KMSMasterKeyId: !Ref ReplicaKey
${table(
  'ProdOnly',
  `      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !Ref ReplicaKey
`,
).replace('    Type: AWS::DynamoDB::Table', '    Type: AWS::DynamoDB::Table\n    Condition: IsProd')}`;
    const withDefault = await scan({ 'app/template.yaml': global.replace(`Default: ${ARN}`, 'Default: alias/aws/dynamodb') });
    // Left to the parameter, as a table's key is (third adversarial pass: a plain fix replaced !Ref ReplicaKey).
    expect(withDefault.Global).toMatchObject({ status: 'aws-managed', fixable: false });
    const config = toml({ default: '"ReplicaKey=alias/aws/dynamodb"', prod: `"Stage=prod ReplicaKey=${ARN2}"` });
    const r = await scan({ 'app/template.yaml': global, 'app/samconfig.toml': config });
    expect(r.Global.status).toBe('unknown');
    // ProdOnly exists in prod only, where the key is a customer-managed one.
    expect(r.ProdOnly.status).toBe('customer-managed');
    // file:// parameter files: at most 16 read for an environment.
    const many = Array.from({ length: 20 }, (_, i) => `"file://p${i}.yaml"`).join(', ');
    const files: Record<string, string> = {
      'app/template.yaml': TEMPLATE,
      'app/samconfig.toml': `version = 0.1\n[default.deploy.parameters]\nparameter_overrides = [${many}]\n`,
    };
    for (let i = 0; i < 20; i++) files[`app/p${i}.yaml`] = `TableKey: ${ARN}\n`;
    const budget = await scan(files);
    expect(budget.Keyed.reason).toMatch(/names more than 16 parameter files/);
  });

  it('--fix-parameterised fixes a table every environment leaves without a customer-managed key', async () => {
    const config = toml({ default: '"TableKey=alias/aws/dynamodb"' });
    const r = await scan({ 'app/template.yaml': TEMPLATE, 'app/samconfig.toml': config }, 'app/template.yaml', {
      fixParameterised: true,
    });
    expect(r.Keyed).toMatchObject({ status: 'aws-managed', fixable: true });
  });
});

describe('parameter_overrides, as the SAM CLI reads them', () => {
  it.each([
    ['KmsKeyArn=arn:x Stage=prod', { KmsKeyArn: 'arn:x', Stage: 'prod' }],
    ['KmsKeyArn="arn:x" Name=\'a b\' Esc=a\\ b', { KmsKeyArn: 'arn:x', Name: 'a b', Esc: 'a b' }],
    ['ParameterKey=KmsKeyArn,ParameterValue=arn:x ParameterKey=Stage,ParameterValue=prod', { KmsKeyArn: 'arn:x', Stage: 'prod' }],
    ['KmsKeyArn=arn:x Empty=""', { KmsKeyArn: 'arn:x', Empty: '' }],
    ['  Padded=1  ', { Padded: '1' }],
  ])('%j', (written, values) => {
    expect(Object.fromEntries(parameterOverrides(written))).toEqual(values);
  });
});
