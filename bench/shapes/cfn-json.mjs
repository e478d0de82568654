/**
 * A large JSON template as synthesizers write them and teams commit them (a CDK app's template,
 * checked in): hashed logical IDs, aws:cdk:path metadata, functions with roles and policies built
 * with Fn::Join, tables with every encryption setting, the bootstrap parameter and rule; 20 to 90 KB.
 */
import { WORDS, cap } from './common.mjs';

const hash = (r) => Array.from({ length: 8 }, () => '0123456789ABCDEF'[r.int(0, 15)]).join('');

export function cfnJsonSynth(r) {
  const stack = `${cap(r.pick(WORDS))}Stack`;
  const res = {};
  const outputs = {};
  const meta = (p) => ({ 'aws:cdk:path': `${stack}/${p}` });
  const dataKey = `DataKey${hash(r)}`;
  res[dataKey] = {
    Type: 'AWS::KMS::Key',
    Properties: {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: [
          {
            Action: 'kms:*',
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
            Resource: '*',
          },
        ],
        Version: '2012-10-17',
      },
    },
    UpdateReplacePolicy: 'Retain',
    DeletionPolicy: 'Retain',
    Metadata: meta('DataKey/Resource'),
  };
  for (let i = r.int(3, 12); i > 0; i--) {
    const w = r.pick(WORDS);
    const id = `${cap(w)}${i}Table${hash(r)}`;
    const props = {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    };
    const k = r.int(0, 4);
    if (k === 1) props.SSESpecification = { SSEEnabled: false };
    if (k === 2) props.SSESpecification = { SSEEnabled: true };
    if (k === 3) props.SSESpecification = { KMSMasterKeyId: { 'Fn::GetAtt': [dataKey, 'Arn'] }, SSEEnabled: true, SSEType: 'KMS' };
    if (r.chance(0.4)) props.StreamSpecification = { StreamViewType: 'NEW_AND_OLD_IMAGES' };
    if (r.chance(0.3)) props.PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: true };
    res[id] = {
      Type: 'AWS::DynamoDB::Table',
      Properties: props,
      UpdateReplacePolicy: 'Retain',
      DeletionPolicy: 'Retain',
      Metadata: meta(`${cap(w)}${i}/Resource`),
    };
    outputs[`${cap(w)}${i}TableName`] = { Value: { Ref: id } };
    for (let f = r.int(1, 4); f > 0; f--) {
      const fn = `${cap(w)}${i}Fn${f}`;
      const role = `${fn}ServiceRole${hash(r)}`;
      res[role] = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
            Version: '2012-10-17',
          },
          ManagedPolicyArns: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] },
          ],
        },
        Metadata: meta(`${fn}/ServiceRole/Resource`),
      };
      const policy = `${fn}ServiceRoleDefaultPolicy${hash(r)}`;
      res[policy] = {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyDocument: {
            Statement: [
              {
                Action: [
                  'dynamodb:BatchGetItem',
                  'dynamodb:BatchWriteItem',
                  'dynamodb:ConditionCheckItem',
                  'dynamodb:DeleteItem',
                  'dynamodb:DescribeTable',
                  'dynamodb:GetItem',
                  'dynamodb:GetRecords',
                  'dynamodb:GetShardIterator',
                  'dynamodb:PutItem',
                  'dynamodb:Query',
                  'dynamodb:Scan',
                  'dynamodb:UpdateItem',
                ],
                Effect: 'Allow',
                Resource: [{ 'Fn::GetAtt': [id, 'Arn'] }, { Ref: 'AWS::NoValue' }],
              },
            ],
            Version: '2012-10-17',
          },
          PolicyName: `${fn}ServiceRoleDefaultPolicy${hash(r)}`,
          Roles: [{ Ref: role }],
        },
        Metadata: meta(`${fn}/ServiceRole/DefaultPolicy/Resource`),
      };
      res[`${fn}${hash(r)}`] = {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: {
            S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
            S3Key: `${hash(r)}${hash(r)}${hash(r)}${hash(r)}.zip`,
          },
          Environment: { Variables: { TABLE_NAME: { Ref: id }, NODE_OPTIONS: '--enable-source-maps' } },
          Handler: 'index.handler',
          MemorySize: r.pick([256, 512, 1024]),
          Role: { 'Fn::GetAtt': [role, 'Arn'] },
          Runtime: 'nodejs22.x',
          Timeout: r.int(3, 30),
          TracingConfig: { Mode: 'Active' },
        },
        DependsOn: [policy],
        Metadata: {
          ...meta(`${fn}/Resource`),
          'aws:asset:path': `asset.${hash(r)}${hash(r)}`,
          'aws:asset:is-bundled': true,
          'aws:asset:property': 'Code',
        },
      };
    }
  }
  res.CDKMetadata = {
    Type: 'AWS::CDK::Metadata',
    Properties: { Analytics: `v2:deflate64:${Array.from({ length: 40 }, () => hash(r)).join('')}` },
    Metadata: meta('CDKMetadata/Default'),
  };
  const doc = {
    Description: `${stack} (synthesized)`,
    Resources: res,
    Outputs: outputs,
    Parameters: {
      BootstrapVersion: {
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: '/cdk-bootstrap/hnb659fds/version',
        Description:
          'Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]',
      },
    },
    Rules: {
      CheckBootstrapVersion: {
        Assertions: [
          {
            Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1', '2', '3', '4', '5'], { Ref: 'BootstrapVersion' }] }] },
            AssertDescription: "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.",
          },
        ],
      },
    },
  };
  return JSON.stringify(doc, null, r.pick([1, 2])) + '\n';
}
