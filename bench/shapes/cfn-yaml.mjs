/**
 * CloudFormation YAML as people write it by hand: templates, SAM templates and serverless.yml,
 * with or without YAML anchors, aliases and merge keys. With anchors, as real templates use them:
 * defaults merged into tables' and functions' Properties (`<<: *tableDefaults`, from Metadata or
 * serverless `custom:`), a tag list anchored on the first resource and aliased on the others,
 * Properties fragments (AttributeDefinitions, KeySchema, StreamSpecification, Environment,
 * SSESpecification) anchored on first use and aliased later, whole Properties aliased from Metadata,
 * and now and then a table kmsfix cannot fix (its resource merges `<<: *tableResource`).
 */
import { REGIONS, WORDS, cap, comment, words } from './common.mjs';

const ATTRS = (keys) => keys.map(([n, t]) => `- AttributeName: ${n}\n  AttributeType: ${t}\n`).join('');
const KEYS = (keys) => keys.map(([n], i) => `- AttributeName: ${n}\n  KeyType: ${i ? 'RANGE' : 'HASH'}\n`).join('');
/** Indent every line of a block by `ind`. */
const block = (text, ind) => text.replace(/^(?=.)/gm, ind);

/** One SSESpecification variant (none, disabled, KMS without key, the AWS managed alias, an own key, "true" as a string). */
function sse(r, ind, keyParam, anchor = '') {
  const k = r.int(0, 5);
  const i2 = ind + '  ';
  const head = `${ind}SSESpecification:${anchor ? ` &${anchor}` : ''}\n`;
  if (k === 0) return '';
  if (k === 1) return `${head}${i2}SSEEnabled: false${r.chance(0.5) ? ' # TODO: encrypt' : ''}\n`;
  if (k === 2) return `${head}${i2}SSEEnabled: true\n`;
  if (k === 3) return `${head}${i2}SSEEnabled: true\n${i2}SSEType: KMS\n${i2}KMSMasterKeyId: alias/aws/dynamodb\n`;
  if (k === 4) return `${head}${i2}SSEEnabled: true\n${i2}SSEType: KMS\n${i2}KMSMasterKeyId: !Ref ${keyParam}\n`;
  return `${head}${i2}SSEEnabled: "true"\n`;
}

/**
 * The state of one template's anchors: which are defined so far (an alias may only follow its
 * anchor), and the style: 'none', 'metadata' (defaults in Metadata or custom:, merged), 'inline'
 * (fragments anchored on first use), or 'both'.
 */
function anchorState(r, on) {
  const style = on ? r.pick(['metadata', 'inline', 'both', 'both']) : 'none';
  return { style, defined: new Set(), merged: style === 'metadata' || style === 'both', inline: style === 'inline' || style === 'both' };
}

/** An anchored fragment: `&name` on first use, `*name` after (or written out when anchors are off). */
function fragment(r, a, name, key, ind, body) {
  if (!a.inline) return `${ind}${key}:\n${block(body, ind + '  ')}`;
  if (a.defined.has(name)) return `${ind}${key}: *${name}\n`;
  if (!r.chance(0.7)) return `${ind}${key}:\n${block(body, ind + '  ')}`;
  a.defined.add(name);
  return `${ind}${key}: &${name}\n${block(body, ind + '  ')}`;
}

/** Metadata holding the defaults a template merges; `serverless` puts the same under custom:. */
function defaults(r, a, keyParam, ind, { functions = true } = {}) {
  if (!a.merged) return '';
  const i2 = ind + '  ';
  const i3 = i2 + '  ';
  let s = `${ind}TableDefaults: &tableDefaults\n${i2}BillingMode: PAY_PER_REQUEST\n`;
  if (r.chance(0.6)) s += `${i2}PointInTimeRecoverySpecification:\n${i3}PointInTimeRecoveryEnabled: true\n`;
  if (r.chance(0.3)) s += `${i2}DeletionProtectionEnabled: true\n`;
  s += `${ind}Encrypted: &encrypted\n${i2}SSESpecification:\n${i3}SSEEnabled: true\n${i3}SSEType: KMS\n${i3}KMSMasterKeyId: !Ref ${keyParam}\n`;
  if (functions) {
    s += `${ind}FunctionDefaults: &functionDefaults\n${i2}Runtime: nodejs22.x\n${i2}MemorySize: ${r.pick([256, 512, 1024])}\n${i2}Timeout: ${r.int(5, 30)}\n${i2}TracingConfig:\n${i3}Mode: Active\n`;
    a.defined.add('functionDefaults');
  }
  a.defined.add('tableDefaults').add('encrypted');
  if (r.chance(0.5)) {
    s += `${ind}PkSkTable: &pkSkProps\n${i2}BillingMode: PAY_PER_REQUEST\n${i2}AttributeDefinitions:\n${block(
      ATTRS([
        ['pk', 'S'],
        ['sk', 'S'],
      ]),
      i3,
    )}${i2}KeySchema:\n${block(KEYS([['pk'], ['sk']]), i3)}`;
    a.defined.add('pkSkProps');
  }
  if (r.chance(0.15)) {
    s += `${ind}TableResource: &tableResource\n${i2}Type: AWS::DynamoDB::Table\n${i2}Properties:\n${i3}BillingMode: PAY_PER_REQUEST\n${i3}AttributeDefinitions:\n${block(ATTRS([['id', 'S']]), i3 + '  ')}${i3}KeySchema:\n${block(KEYS([['id']]), i3 + '  ')}`;
    a.defined.add('tableResource');
  }
  return s;
}

/** A tag list: anchored on the first resource that has one, aliased on the others. */
function tags(r, a, ind, team) {
  const body = `- Key: team\n  Value: ${team}\n- Key: cost-center\n  Value: '${r.int(1000, 9999)}'\n`;
  return fragment(r, a, 'tags', 'Tags', ind, body);
}

/** A table resource at indent `ind` (its name at `ind`, its keys below). */
export function table(r, a, name, ind, { keyParam, team, tableName }) {
  const i1 = ind + '  ';
  const i2 = i1 + '  ';
  if (a.defined.has('tableResource') && r.chance(0.2)) {
    // Read by kmsfix, not fixed (its Properties come from a merge key on the resource).
    return `${ind}${name}:\n${i1}<<: *tableResource\n`;
  }
  let s = `${ind}# ${comment(r, '').trim()}\n${ind}${name}:\n${i1}Type: AWS::DynamoDB::Table\n`;
  if (r.chance(0.4)) s += `${i1}DeletionPolicy: Retain\n${i1}UpdateReplacePolicy: Retain\n`;
  if (a.defined.has('pkSkProps') && r.chance(0.25)) return `${s}${i1}Properties: *pkSkProps\n`;
  s += `${i1}Properties:\n`;
  let encrypted = false;
  if (a.merged && r.chance(0.75)) {
    encrypted = r.chance(0.2);
    s += `${i2}<<: ${encrypted ? '[*tableDefaults, *encrypted]' : '*tableDefaults'}\n`;
  } else {
    s += `${i2}BillingMode: ${r.pick(['PAY_PER_REQUEST', 'PAY_PER_REQUEST', 'PROVISIONED'])}\n`;
    if (s.endsWith('PROVISIONED\n'))
      s += `${i2}ProvisionedThroughput:\n${i2}  ReadCapacityUnits: ${r.int(1, 50)}\n${i2}  WriteCapacityUnits: ${r.int(1, 50)}\n`;
  }
  if (tableName) s += `${i2}TableName: ${tableName}\n`;
  const gsis = r.chance(0.4) ? r.int(1, 3) : 0;
  if (gsis) {
    const extra = Array.from({ length: gsis }, (_, g) => [`gsi${g}pk`, r.pick(['S', 'N'])]);
    s += `${i2}AttributeDefinitions:\n${block(ATTRS([['pk', 'S'], ['sk', 'S'], ...extra]), i2 + '  ')}`;
  } else {
    s += fragment(
      r,
      a,
      'pkSkAttrs',
      'AttributeDefinitions',
      i2,
      ATTRS([
        ['pk', 'S'],
        ['sk', 'S'],
      ]),
    );
  }
  s += fragment(r, a, 'pkSkKeys', 'KeySchema', i2, KEYS([['pk'], ['sk']]));
  if (gsis) {
    s += `${i2}GlobalSecondaryIndexes:\n`;
    for (let g = 0; g < gsis; g++) {
      s += block(
        `- IndexName: by-${r.pick(WORDS)}-${g}\n  KeySchema:\n    - AttributeName: gsi${g}pk\n      KeyType: HASH\n  Projection:\n    ProjectionType: ${r.pick(['ALL', 'KEYS_ONLY'])}\n`,
        i2 + '  ',
      );
    }
  }
  if (r.chance(0.5)) s += fragment(r, a, 'stream', 'StreamSpecification', i2, 'StreamViewType: NEW_AND_OLD_IMAGES\n');
  if (r.chance(0.3)) s += `${i2}TimeToLiveSpecification:\n${i2}  AttributeName: expiresAt\n${i2}  Enabled: true\n`;
  if (!encrypted) {
    if (a.inline && a.defined.has('sse') && r.chance(0.3)) s += `${i2}SSESpecification: *sse\n`;
    else {
      const anchor = a.inline && !a.defined.has('sse') && r.chance(0.3) ? 'sse' : '';
      const text = sse(r, i2, keyParam, anchor);
      if (anchor && text) a.defined.add('sse');
      s += text;
    }
  }
  s += tags(r, a, i2, team);
  return s;
}

/** A global table: always written out (kmsfix does not fix one whose settings go through an anchor). */
function globalTable(r, name, ind) {
  const i1 = ind + '  ';
  const i2 = i1 + '  ';
  let s = `${ind}${name}:\n${i1}Type: AWS::DynamoDB::GlobalTable\n${i1}Properties:\n${i2}BillingMode: PAY_PER_REQUEST\n`;
  s += `${i2}AttributeDefinitions:\n${block(ATTRS([['pk', 'S']]), i2 + '  ')}${i2}KeySchema:\n${block(KEYS([['pk']]), i2 + '  ')}`;
  s += `${i2}StreamSpecification:\n${i2}  StreamViewType: NEW_AND_OLD_IMAGES\n${i2}SSESpecification:\n${i2}  SSEEnabled: true\n${i2}  SSEType: KMS\n`;
  s += `${i2}Replicas:\n${i2}  - Region: !Ref AWS::Region\n`;
  if (r.chance(0.6)) s += `${i2}  - Region: ${r.pick(REGIONS)}\n`;
  return s;
}

function role(_r, base, table, ind) {
  const i1 = ind + '  ';
  const i2 = i1 + '  ';
  return `${ind}${base}Role:\n${i1}Type: AWS::IAM::Role\n${i1}Properties:\n${i2}AssumeRolePolicyDocument:\n${i2}  Version: '2012-10-17'\n${i2}  Statement:\n${i2}    - Effect: Allow\n${i2}      Principal:\n${i2}        Service: lambda.amazonaws.com\n${i2}      Action: sts:AssumeRole\n${i2}ManagedPolicyArns:\n${i2}  - !Sub 'arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'\n${i2}Policies:\n${i2}  - PolicyName: table-access\n${i2}    PolicyDocument:\n${i2}      Version: '2012-10-17'\n${i2}      Statement:\n${i2}        - Effect: Allow\n${i2}          Action:\n${i2}            - dynamodb:GetItem\n${i2}            - dynamodb:PutItem\n${i2}            - dynamodb:Query\n${i2}          Resource:\n${i2}            - !GetAtt ${table}.Arn\n${i2}            - !Sub '\${${table}.Arn}/index/*'\n`;
}

/**
 * Ordinary resources around the tables: a function (with its role, or SAM policies), a queue with
 * its dead-letter queue, an alarm (`conditions`: the template has IsProd), a topic, a log group.
 */
function filler(r, a, base, table, ind, { sam = false, bucket = 'ArtifactBucket', conditions = true } = {}) {
  const i1 = ind + '  ';
  const i2 = i1 + '  ';
  const kind = r.int(0, 6);
  if (kind <= 2) {
    const type = sam ? 'AWS::Serverless::Function' : 'AWS::Lambda::Function';
    let s = `${ind}${base}Function:\n${i1}Type: ${type}\n${i1}Properties:\n`;
    if (!sam && a.defined.has('functionDefaults')) s += `${i2}<<: *functionDefaults\n`;
    else if (!sam) s += `${i2}Runtime: nodejs22.x\n${i2}MemorySize: 512\n${i2}Timeout: ${r.int(3, 30)}\n`;
    s += `${i2}Handler: src/${base.toLowerCase()}.handler\n`;
    if (sam) s += `${i2}CodeUri: ./dist\n${i2}Policies:\n${i2}  - DynamoDBCrudPolicy:\n${i2}      TableName: !Ref ${table}\n`;
    else s += `${i2}Role: !GetAtt ${base}Role.Arn\n${i2}Code:\n${i2}  S3Bucket: !Ref ${bucket}\n${i2}  S3Key: ${base}.zip\n`;
    s += fragment(r, a, 'env', 'Environment', i2, `Variables:\n  LOG_LEVEL: info\n  NODE_OPTIONS: --enable-source-maps\n`);
    if (sam)
      s += `${i2}Events:\n${i2}  Api:\n${i2}    Type: HttpApi\n${i2}    Properties:\n${i2}      Path: /${base.toLowerCase()}\n${i2}      Method: ${r.pick(['get', 'post', 'put'])}\n`;
    return sam ? s : s + role(r, base, table, ind);
  }
  if (kind === 3)
    return `${ind}${base}Queue:\n${i1}Type: AWS::SQS::Queue\n${i1}Properties:\n${i2}VisibilityTimeout: ${r.int(30, 900)}\n${i2}MessageRetentionPeriod: 1209600\n${i2}KmsMasterKeyId: alias/aws/sqs\n${i2}RedrivePolicy:\n${i2}  deadLetterTargetArn: !GetAtt ${base}DeadLetters.Arn\n${i2}  maxReceiveCount: 5\n${ind}${base}DeadLetters:\n${i1}Type: AWS::SQS::Queue\n`;
  if (kind === 4 && conditions)
    return `${ind}${base}Alarm:\n${i1}Type: AWS::CloudWatch::Alarm\n${i1}Condition: IsProd\n${i1}Properties:\n${i2}AlarmDescription: Throttled requests on ${table}\n${i2}Namespace: AWS/DynamoDB\n${i2}MetricName: ThrottledRequests\n${i2}Dimensions:\n${i2}  - Name: TableName\n${i2}    Value: !Ref ${table}\n${i2}Statistic: Sum\n${i2}Period: 300\n${i2}EvaluationPeriods: 1\n${i2}Threshold: ${r.int(1, 100)}\n${i2}ComparisonOperator: GreaterThanOrEqualToThreshold\n${i2}TreatMissingData: notBreaching\n`;
  if (kind <= 5)
    return `${ind}${base}Topic:\n${i1}Type: AWS::SNS::Topic\n${i1}Properties:\n${i2}TopicName: !Sub '\${AWS::StackName}-${base.toLowerCase()}'\n${i2}KmsMasterKeyId: alias/aws/sns\n`;
  return `${ind}${base}Logs:\n${i1}Type: AWS::Logs::LogGroup\n${i1}Properties:\n${i2}LogGroupName: !Sub '/aws/lambda/\${AWS::StackName}-${base.toLowerCase()}'\n${i2}RetentionInDays: ${r.pick([7, 14, 30, 90, 365])}\n`;
}

/** A hand-written CloudFormation template (or a SAM one with `sam`). */
export function cfnTemplate(r, { anchors = true, crlf = false, sam = false } = {}) {
  const a = anchorState(r, anchors);
  const svc = r.pick(WORDS);
  const names = words(r, r.int(1, 5));
  let s = `AWSTemplateFormatVersion: '2010-09-09'\n`;
  if (sam) s += `Transform: AWS::Serverless-2016-10-31\n`;
  s += `Description: ${cap(svc)} service - tables, functions and queues\n${comment(r, '#')}\n\n`;
  s += `Parameters:\n  Stage:\n    Type: String\n    AllowedValues: [dev, staging, prod]\n    Default: dev\n  TablesKeyArn:\n    Type: String\n    Description: KMS key for tables that bring their own\n\n`;
  s += `Conditions:\n  IsProd: !Equals [!Ref Stage, prod]\n\n`;
  if (sam)
    s += `Globals:\n  Function:\n    Runtime: nodejs22.x\n    Timeout: ${r.int(5, 30)}\n    MemorySize: ${r.pick([256, 512])}\n    Tracing: Active\n\n`;
  if (a.merged) s += `Metadata:\n  Defaults:\n${defaults(r, a, 'TablesKeyArn', '    ')}\n`;
  s += `Resources:\n  ArtifactBucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: Enabled\n`;
  s += tags(r, a, '      ', svc);
  s += '\n';
  const tables = [];
  for (const w of names) {
    const name = `${cap(w)}Table`;
    tables.push(name);
    if (sam && r.chance(0.25)) {
      s += `  ${name}:\n    Type: AWS::Serverless::SimpleTable\n    Properties:\n      PrimaryKey:\n        Name: id\n        Type: String\n`;
      if (r.chance(0.5)) s += `      SSESpecification:\n        SSEEnabled: ${r.chance(0.5)}\n`;
    } else if (r.chance(0.05)) s += globalTable(r, name, '  ');
    else
      s += table(r, a, name, '  ', {
        keyParam: 'TablesKeyArn',
        team: svc,
        tableName: r.chance(0.5) ? `!Sub '\${AWS::StackName}-${w}'` : '',
      });
    s += '\n';
    for (let f = r.int(2, 6); f > 0; f--) s += filler(r, a, `${cap(w)}${f}`, name, '  ', { sam }) + '\n';
  }
  s += `Outputs:\n`;
  for (const t of tables) s += `  ${t}Name:\n    Value: !Ref ${t}\n    Export:\n      Name: !Sub '\${AWS::StackName}-${t}'\n`;
  return crlf ? s.replace(/\n/g, '\r\n') : s;
}

/** A Serverless Framework service: anchors under custom:, merged into functions and tables. */
export function serverlessYml(r, { anchors = true } = {}) {
  const a = anchorState(r, anchors);
  const svc = `${r.pick(WORDS)}-${r.pick(['api', 'service', 'worker', 'backend'])}`;
  const names = words(r, r.int(1, 4));
  let s = `service: ${svc}\nframeworkVersion: '3'\n\n`;
  s += `provider:\n  name: aws\n  runtime: nodejs22.x\n  region: \${opt:region, '${r.pick(REGIONS)}'}\n  stage: \${opt:stage, 'dev'}\n  environment:\n`;
  for (const w of names) s += `    ${w.toUpperCase()}_TABLE: \${self:service}-${w}-\${sls:stage}\n`;
  s += `  iam:\n    role:\n      statements:\n        - Effect: Allow\n          Action:\n            - dynamodb:GetItem\n            - dynamodb:PutItem\n            - dynamodb:UpdateItem\n            - dynamodb:Query\n          Resource:\n`;
  for (const w of names) s += `            - !GetAtt ${cap(w)}Table.Arn\n`;
  s += '\n';
  if (a.merged || a.inline) {
    s += `custom:\n  tablesKeyArn: \${ssm:/${svc}/tables-key-arn, ''}\n`;
    if (a.merged) {
      s += defaults(r, a, 'TablesKeyArn', '  ', { functions: false });
      s += `  functionDefaults: &fnDefaults\n    memorySize: ${r.pick([256, 512, 1024])}\n    timeout: ${r.int(5, 30)}\n    tracing: Active\n`;
    }
    s += '\n';
  }
  s += `functions:\n`;
  for (const w of names) {
    for (const op of ['create', 'get', 'list', 'update'].slice(0, r.int(1, 4))) {
      s += `  ${op}${cap(w)}:\n`;
      if (a.merged) s += `    <<: *fnDefaults\n`;
      s += `    handler: src/handlers/${w}/${op}.handler\n    events:\n      - httpApi:\n          method: ${op === 'create' ? 'post' : op === 'update' ? 'put' : 'get'}\n          path: /${w}${op === 'list' || op === 'create' ? '' : '/{id}'}\n`;
    }
  }
  s += `\nresources:\n  Parameters:\n    TablesKeyArn:\n      Type: String\n      Default: ''\n  Resources:\n`;
  for (const w of names) {
    const name = `${cap(w)}Table`;
    if (r.chance(0.1)) {
      // An encryption setting from a Serverless variable: unknown until deployed.
      s += `    ${name}:\n      Type: AWS::DynamoDB::Table\n      Properties:\n        TableName: \${self:service}-${w}-\${sls:stage}\n        BillingMode: PAY_PER_REQUEST\n        AttributeDefinitions:\n          - AttributeName: id\n            AttributeType: S\n        KeySchema:\n          - AttributeName: id\n            KeyType: HASH\n        SSESpecification:\n          SSEEnabled: \${self:custom.sse.\${sls:stage}, false}\n`;
    } else s += table(r, a, name, '    ', { keyParam: 'TablesKeyArn', team: svc, tableName: `\${self:service}-${w}-\${sls:stage}` });
    if (r.chance(0.5)) s += filler(r, a, `${cap(w)}Events`, name, '    ', { bucket: 'ServerlessDeploymentBucket', conditions: false });
  }
  s += `  Outputs:\n`;
  for (const w of names) s += `    ${cap(w)}TableArn:\n      Value: !GetAtt ${cap(w)}Table.Arn\n`;
  return s;
}
