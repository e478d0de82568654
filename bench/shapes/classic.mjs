/**
 * The bench's first corpus shapes ("classic", sessions 1 to 6 of docs/performance.md): one
 * CloudFormation YAML or JSON template, Terraform main.tf or CDK stack per folder, with realistic
 * tables (comments, GSIs, replicas, count/for_each, partial SSE settings, every encryption status)
 * among ordinary resources, no YAML anchors; and a sparse tree of small application files, ~5%
 * infrastructure. The fast-parser, property and scale tests draw their inputs from these functions:
 * their output must not change for a given seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REGIONS, WORDS, cap, comment, prng } from './common.mjs';

// ---------------------------------------------------------------- CloudFormation YAML

/** SSE variants with their status: none, disabled, KMS without key (aws-managed), alias/aws/dynamodb, own key. */
function cfnSse(r, ind, name) {
  const k = r.int(0, 5);
  const i2 = ind + '  ';
  if (k === 0) return '';
  if (k === 1) return `${ind}SSESpecification:\n${i2}SSEEnabled: false ${r.chance(0.5) ? '# TODO: encrypt' : ''}\n`;
  if (k === 2) return `${ind}SSESpecification:\n${i2}SSEEnabled: true\n`;
  if (k === 3) return `${ind}SSESpecification:\n${i2}SSEEnabled: true\n${i2}SSEType: KMS\n${i2}KMSMasterKeyId: alias/aws/dynamodb\n`;
  if (k === 4) return `${ind}SSESpecification:\n${i2}SSEEnabled: true\n${i2}SSEType: KMS\n${i2}KMSMasterKeyId: !Ref ${name}KeyArn\n`;
  return `${ind}SSESpecification:\n${i2}SSEEnabled: "true"\n`;
}

function yamlTable(r, name, global) {
  const gsis = r.int(0, 3);
  let s = `  ${comment(r, '#')}\n  ${name}:\n    Type: ${global ? 'AWS::DynamoDB::GlobalTable' : 'AWS::DynamoDB::Table'}\n`;
  if (r.chance(0.4)) s += `    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n`;
  s += `    Properties:\n`;
  if (!global && r.chance(0.5)) s += `      TableName: !Sub '\${AWS::StackName}-${name.toLowerCase()}'\n`;
  s += `      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions:\n        - AttributeName: pk\n          AttributeType: S\n        - AttributeName: sk\n          AttributeType: S\n`;
  for (let g = 0; g < gsis; g++) s += `        - AttributeName: gsi${g}pk\n          AttributeType: ${r.pick(['S', 'N'])}\n`;
  s += `      KeySchema:\n        - AttributeName: pk\n          KeyType: HASH\n        - AttributeName: sk\n          KeyType: RANGE\n`;
  if (gsis) {
    s += `      GlobalSecondaryIndexes:\n`;
    for (let g = 0; g < gsis; g++) {
      s += `        - IndexName: by-${r.pick(WORDS)}-${g}\n          KeySchema:\n            - AttributeName: gsi${g}pk\n              KeyType: HASH\n          Projection:\n            ProjectionType: ${r.pick(['ALL', 'KEYS_ONLY'])}\n`;
    }
  }
  if (r.chance(0.5)) s += `      StreamSpecification:\n        StreamViewType: NEW_AND_OLD_IMAGES\n`;
  if (r.chance(0.3)) s += `      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n`;
  if (global) {
    s += `      SSESpecification:\n        SSEEnabled: true\n        SSEType: KMS\n      Replicas:\n        - Region: !Ref AWS::Region\n`;
    if (r.chance(0.5)) s += `        - Region: ${r.pick(REGIONS)}\n`;
  } else {
    s += cfnSse(r, '      ', name);
  }
  s += `      Tags:\n        - Key: team\n          Value: ${r.pick(WORDS)}\n`;
  return s;
}

function yamlFiller(r, name) {
  return r.pick([
    `  ${name}Function:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Timeout: ${r.int(3, 30)}\n      MemorySize: ${r.pick([128, 256, 512, 1024])}\n      Role: !GetAtt ${name}Role.Arn\n      Code:\n        S3Bucket: !Ref ArtifactBucket\n        S3Key: !Sub '\${Version}/${name}.zip'\n      Environment:\n        Variables:\n          TABLE: !Ref ${name}\n          LOG_LEVEL: info\n`,
    `  ${name}Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n      ManagedPolicyArns:\n        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n`,
    `  ${name}Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n      VersioningConfiguration:\n        Status: Enabled\n`,
    `  ${name}Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: ${r.int(30, 900)}\n      MessageRetentionPeriod: 1209600\n      KmsMasterKeyId: alias/aws/sqs\n`,
  ]);
}

export function cfnYaml(r, crlf) {
  const n = r.int(1, 4);
  let s = `AWSTemplateFormatVersion: '2010-09-09'\n${comment(r, '#')}\nDescription: ${cap(r.pick(WORDS))} service data\nParameters:\n  Version:\n    Type: String\n`;
  for (let i = 0; i < n; i++) s += `  T${i}KeyArn:\n    Type: String\n`;
  s += `Resources:\n  ArtifactBucket:\n    Type: AWS::S3::Bucket\n`;
  for (let i = 0; i < n; i++) {
    const name = `${cap(r.pick(WORDS))}${i}Table`.replace(/^(.)/, (c) => c);
    const tname = `T${i}`;
    s += yamlTable(r, tname, r.chance(0.1)).replace(/!Ref T(\d)KeyArn/, `!Ref T$1KeyArn`);
    for (let f = r.int(2, 6); f > 0; f--) s += yamlFiller(r, `${tname}${f}`);
    void name;
  }
  s += `Outputs:\n  Stack:\n    Value: !Ref AWS::StackName\n`;
  return crlf ? s.replace(/\n/g, '\r\n') : s;
}

// ---------------------------------------------------------------- CloudFormation JSON

export function cfnJson(r) {
  const n = r.int(1, 4);
  const res = { ArtifactBucket: { Type: 'AWS::S3::Bucket' } };
  const params = { Version: { Type: 'String' } };
  for (let i = 0; i < n; i++) {
    const gsis = r.int(0, 3);
    const props = {
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...Array.from({ length: gsis }, (_, g) => ({ AttributeName: `g${g}`, AttributeType: 'S' })),
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    };
    if (gsis)
      props.GlobalSecondaryIndexes = Array.from({ length: gsis }, (_, g) => ({
        IndexName: `by-g${g}`,
        KeySchema: [{ AttributeName: `g${g}`, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      }));
    const k = r.int(0, 4);
    if (k === 1) props.SSESpecification = { SSEEnabled: false };
    if (k === 2) props.SSESpecification = { SSEEnabled: true };
    if (k === 3) props.SSESpecification = { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/aws/dynamodb' };
    if (k === 4) {
      params[`T${i}KeyArn`] = { Type: 'String' };
      props.SSESpecification = { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { Ref: `T${i}KeyArn` } };
    }
    res[`T${i}`] = { Type: 'AWS::DynamoDB::Table', ...(r.chance(0.4) ? { DeletionPolicy: 'Retain' } : {}), Properties: props };
    for (let f = r.int(2, 6); f > 0; f--) {
      res[`T${i}Fn${f}`] = {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Timeout: r.int(3, 30),
          Role: { 'Fn::GetAtt': [`T${i}Role`, 'Arn'] },
          Environment: { Variables: { TABLE: { Ref: `T${i}` }, LOG_LEVEL: 'info' } },
          Code: { S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: { 'Fn::Sub': '${Version}/fn.zip' } },
        },
      };
    }
  }
  return (
    JSON.stringify(
      { AWSTemplateFormatVersion: '2010-09-09', Description: 'generated', Parameters: params, Resources: res },
      null,
      r.pick([2, 4]),
    ) + (r.chance(0.8) ? '\n' : '')
  );
}

// ---------------------------------------------------------------- Terraform

function tfTable(r, name) {
  const gsis = r.int(0, 3);
  const mode = r.int(0, 9);
  let s = `${comment(r, '#')}\nresource "aws_dynamodb_table" "${name}" {\n`;
  if (mode === 0) s += `  count = var.enabled ? 1 : 0\n\n`;
  if (mode === 1) s += `  for_each = toset(["${r.pick(WORDS)}", "${r.pick(WORDS)}-b"])\n\n`;
  s += `  name         = ${mode === 1 ? 'each.key' : `"\${var.prefix}-${name}"`}\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "pk"\n  range_key    = "sk"\n\n`;
  s += `  attribute {\n    name = "pk"\n    type = "S"\n  }\n\n  attribute {\n    name = "sk"\n    type = "S"\n  }\n`;
  for (let g = 0; g < gsis; g++) {
    s += `\n  attribute {\n    name = "g${g}"\n    type = "${r.pick(['S', 'N'])}"\n  }\n\n  global_secondary_index {\n    name            = "by-g${g}"\n    hash_key        = "g${g}"\n    projection_type = "${r.pick(['ALL', 'KEYS_ONLY'])}"\n  }\n`;
  }
  if (r.chance(0.15)) s += `\n  replica {\n    region_name = "${r.pick(REGIONS)}"\n  }\n`;
  const k = r.int(0, 4);
  if (k === 1) s += `\n  server_side_encryption {\n    enabled = false # TODO\n  }\n`;
  if (k === 2) s += `\n  server_side_encryption {\n    enabled = true\n  }\n`;
  if (k === 3) s += `\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = var.table_key_arn\n  }\n`;
  s += `\n  point_in_time_recovery {\n    enabled = ${r.chance(0.5)}\n  }\n\n  tags = {\n    team = "${r.pick(WORDS)}" // owner\n  }\n}\n\n`;
  return s;
}

function tfFiller(r, name) {
  return r.pick([
    `resource "aws_lambda_function" "${name}" {\n  function_name = "${name}"\n  runtime       = "nodejs20.x"\n  handler       = "index.handler"\n  role          = aws_iam_role.${name}.arn\n  timeout       = ${r.int(3, 30)}\n\n  environment {\n    variables = {\n      LOG_LEVEL = "info"\n    }\n  }\n}\n\n`,
    `resource "aws_iam_role" "${name}" {\n  name = "${name}"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { Service = "lambda.amazonaws.com" }\n      Action    = "sts:AssumeRole"\n    }]\n  })\n}\n\n`,
    `resource "aws_s3_bucket" "${name}" {\n  bucket = "\${var.prefix}-${name}"\n}\n\n`,
    `/* Queue for ${name} */\nresource "aws_sqs_queue" "${name}" {\n  name                       = "${name}"\n  visibility_timeout_seconds = ${r.int(30, 900)}\n}\n\n`,
  ]);
}

export function terraform(r) {
  let s = `variable "prefix" {\n  type = string\n}\n\nvariable "enabled" {\n  type    = bool\n  default = true\n}\n\nvariable "table_key_arn" {\n  type    = string\n  default = null\n}\n\n`;
  for (let i = r.int(1, 3); i > 0; i--) {
    s += tfTable(r, `${r.pick(WORDS)}_${i}`);
    for (let f = r.int(2, 6); f > 0; f--) s += tfFiller(r, `fn_${i}_${f}`);
  }
  return s;
}

// ---------------------------------------------------------------- CDK (TypeScript)

export function cdk(r) {
  const q = r.pick(["'", '"']);
  const n = r.int(1, 3);
  let s = `import * as cdk from ${q}aws-cdk-lib${q};\nimport * as dynamodb from ${q}aws-cdk-lib/aws-dynamodb${q};\nimport * as lambda from ${q}aws-cdk-lib/aws-lambda${q};\nimport { Construct } from ${q}constructs${q};\n\n`;
  s += `export class ${cap(r.pick(WORDS))}Stack extends cdk.Stack {\n  constructor(scope: Construct, id: string, props?: cdk.StackProps) {\n    super(scope, id, props);\n\n`;
  for (let i = 0; i < n; i++) {
    const w = r.pick(WORDS);
    s += `    ${comment(r, '//')}\n    const t${i} = new dynamodb.Table(this, ${q}${cap(w)}${i}${q}, {\n      partitionKey: { name: ${q}pk${q}, type: dynamodb.AttributeType.STRING },\n      sortKey: { name: ${q}sk${q}, type: dynamodb.AttributeType.STRING },\n      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,\n`;
    const k = r.int(0, 3);
    if (k === 1) s += `      encryption: dynamodb.TableEncryption.AWS_MANAGED,\n`;
    if (k === 2) s += `      encryption: dynamodb.TableEncryption.DEFAULT,\n`;
    if (r.chance(0.4)) s += `      removalPolicy: cdk.RemovalPolicy.RETAIN,\n`;
    s += `    });\n`;
    for (let g = r.int(0, 2); g > 0; g--)
      s += `    t${i}.addGlobalSecondaryIndex({ indexName: ${q}by-g${g}${q}, partitionKey: { name: ${q}g${g}${q}, type: dynamodb.AttributeType.STRING } });\n`;
    for (let f = r.int(1, 4); f > 0; f--) {
      s += `\n    const fn${i}${f} = new lambda.Function(this, ${q}Fn${i}${f}${q}, {\n      runtime: lambda.Runtime.NODEJS_20_X,\n      handler: ${q}index.handler${q},\n      code: lambda.Code.fromAsset(${q}lambda/${w}${q}),\n      environment: { TABLE: t${i}.tableName },\n    });\n    t${i}.grantReadWriteData(fn${i}${f});\n`;
    }
    s += '\n';
  }
  s += `  }\n}\n`;
  return s;
}

// ---------------------------------------------------------------- application code (sparse tree)

function appFile(r, ext) {
  const lines = [];
  const n = r.int(20, 200);
  if (ext === '.ts' || ext === '.js') {
    lines.push(`import { ${r.pick(WORDS)} } from './${r.pick(WORDS)}';`);
    for (let i = 0; i < n; i++)
      lines.push(
        r.pick([
          `export function ${r.pick(WORDS)}${i}(x: number) {`,
          `  const v${i} = x * ${r.int(1, 99)};`,
          `  // ${comment(r, '')}`,
          `  return v${i};`,
          '}',
        ]),
      );
  } else if (ext === '.md') {
    for (let i = 0; i < n; i++)
      lines.push(r.pick([`# ${cap(r.pick(WORDS))}`, `Some notes about the ${r.pick(WORDS)} service.`, '', `- item ${i}`]));
  } else if (ext === '.yaml' || ext === '.yml') {
    lines.push('name: ci', 'on: [push]', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:');
    for (let i = 0; i < n / 4; i++) lines.push(`      - run: npm run ${r.pick(WORDS)}`);
  } else if (ext === '.json') {
    const o = {};
    for (let i = 0; i < n / 4; i++) o[`${r.pick(WORDS)}${i}`] = r.pick([i, 'value', true, null]);
    return JSON.stringify(o, null, 2) + '\n';
  } else {
    for (let i = 0; i < n; i++) lines.push(`${r.pick(WORDS)} ${r.int(0, 1e6)}`);
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- corpora

export const FORMATS = ['yaml', 'json', 'tf', 'cdk'];

/** Dense corpus: per format a folder of many repositories' worth of infrastructure code. */
export function generateDense(root, { seed = 1, scale = 1 } = {}) {
  const r = prng(seed);
  const counts = {
    yaml: Math.round(1200 * scale),
    json: Math.round(600 * scale),
    tf: Math.round(1200 * scale),
    cdk: Math.round(600 * scale),
  };
  const files = { yaml: [], json: [], tf: [], cdk: [] };
  for (const fmt of FORMATS) {
    for (let i = 0; i < counts[fmt]; i++) {
      const dir = path.join(
        root,
        fmt,
        `repo${String(i % 40).padStart(2, '0')}`,
        r.pick(['infra', 'stacks', 'deploy', 'templates']),
        `m${Math.floor(i / 40)}`,
      );
      mkdirSync(dir, { recursive: true });
      let file;
      let text;
      if (fmt === 'yaml') {
        file = path.join(dir, `${r.pick(WORDS)}-${i}.${r.pick(['yaml', 'yml'])}`);
        text = cfnYaml(r, r.chance(0.1));
      } else if (fmt === 'json') {
        file = path.join(dir, `${r.pick(WORDS)}-${i}.template.json`);
        text = cfnJson(r);
      } else if (fmt === 'tf') {
        file = path.join(dir, 'main.tf');
        text = terraform(r);
      } else {
        file = path.join(dir, `${r.pick(WORDS)}-stack-${i}.ts`);
        text = cdk(r);
      }
      writeFileSync(file, text);
      files[fmt].push(file);
    }
  }
  return files;
}

/** Sparse tree: `total` files, `infraShare` of them infrastructure code, the rest application code. */
export function generateSparse(root, { seed = 2, total = 20000, infraShare = 0.05 } = {}) {
  const r = prng(seed);
  const exts = ['.ts', '.ts', '.js', '.md', '.json', '.yaml', '.txt', '.py'];
  let bytes = 0;
  for (let i = 0; i < total; i++) {
    const dir = path.join(root, `pkg${String(i % 100).padStart(2, '0')}`, `src${Math.floor(i / 1000)}`, `d${i % 7}`);
    mkdirSync(dir, { recursive: true });
    let name;
    let text;
    if (r.chance(infraShare)) {
      const fmt = r.pick(FORMATS);
      name = fmt === 'yaml' ? `t${i}.yaml` : fmt === 'json' ? `t${i}.json` : fmt === 'tf' ? `t${i}.tf` : `t${i}-stack.ts`;
      text = fmt === 'yaml' ? cfnYaml(r, false) : fmt === 'json' ? cfnJson(r) : fmt === 'tf' ? terraform(r) : cdk(r);
    } else {
      const ext = r.pick(exts);
      name = `f${i}${ext}`;
      text = appFile(r, ext);
    }
    writeFileSync(path.join(dir, name), text);
    bytes += Buffer.byteLength(text);
  }
  return { files: total, bytes };
}
