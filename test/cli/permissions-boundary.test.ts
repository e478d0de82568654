/**
 * Permissions boundaries beside a table (EncryptionFacts.cautions `permissions-boundary`): a key policy
 * whose principal is * cannot lift a boundary, so a role whose boundary allows no KMS action loses
 * access once its table uses a KMS key. Each format reads the boundaries its files give roles and
 * says so on each table a fix would change: scan's message and JSON, fix's notes, the commit message.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GIT_ENV, runCli, scanJson, tempTree } from '../helpers/cli-helper.js';

const LABEL = 'Permissions boundary: roles beside this table have one (';

function project(files: Record<string, string>): string {
  return tempTree('boundary', files);
}

interface Out {
  tables: { address: string; fixable: boolean; message: string; cautions?: string[] }[];
  notes: string[];
}

async function tables(dir: string): Promise<Record<string, Out['tables'][number]>> {
  const out = (await scanJson(dir)) as Out;
  return Object.fromEntries(out.tables.map((t) => [t.address, t]));
}

const TABLE_YAML = `  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  KeyedTable:
    Type: AWS::DynamoDB::Table
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
        KMSMasterKeyId: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
`;

const SAM = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  BoundaryArn:
    Type: String
Globals:
  Function:
    PermissionsBoundary: !Ref BoundaryArn
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref BoundaryArn
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
${TABLE_YAML}`;

const TF_TABLE = `resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
`;

describe('permissions boundaries beside a table', () => {
  it('CloudFormation and SAM: roles and Globals with PermissionsBoundary; a compliant table says nothing', async () => {
    const by = await tables(project({ 'template.yaml': SAM }));
    expect(by.OrdersTable.cautions).toEqual([expect.stringContaining(`${LABEL}Globals.Function.PermissionsBoundary, AppRole)`)]);
    expect(by.OrdersTable.message).toContain(`. ${LABEL}`);
    expect(by.OrdersTable.message).toContain('its boundary allows kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*');
    expect(by.KeyedTable.cautions).toBeUndefined();
    expect(by.KeyedTable.message).not.toContain('Permissions boundary');
  });

  it('a template without a boundary says nothing', async () => {
    const by = await tables(project({ 'template.yaml': `Resources:\n${TABLE_YAML}` }));
    expect(by.OrdersTable.fixable).toBe(true);
    expect(by.OrdersTable.cautions).toBeUndefined();
  });

  it('Serverless Framework: provider.iam.role.permissionsBoundary', async () => {
    const sls = `service: orders\nprovider:\n  name: aws\n  iam:\n    role:\n      permissionsBoundary: arn:aws:iam::111122223333:policy/boundary\nresources:\n  Resources:\n${TABLE_YAML.replace(/^/gm, '  ')}`;
    const by = await tables(project({ 'serverless.yml': sls }));
    expect(by.OrdersTable.cautions).toEqual([expect.stringContaining(`${LABEL}provider.iam.role.permissionsBoundary)`)]);
  });

  it("Serverless Framework: a function's own role's boundary, v4's and serverless-iam-roles-per-function's, and that plugin's for every role (deploy review, session 55)", async () => {
    const resources = `resources:\n  Resources:\n${TABLE_YAML.replace(/^/gm, '  ')}`;
    const boundary = 'arn:aws:iam::111122223333:policy/boundary';
    const v4 = `service: orders\nprovider:\n  name: aws\nfunctions:\n  api:\n    handler: h.api\n    iam:\n      role:\n        permissionsBoundary: ${boundary}\n        statements: []\n  worker:\n    handler: h.worker\n    iamPermissionsBoundary: ${boundary}\n${resources}`;
    const by = await tables(project({ 'serverless.yml': v4 }));
    expect(by.OrdersTable.cautions).toEqual([
      expect.stringContaining(`${LABEL}functions.api.iam.role.permissionsBoundary, functions.worker.iamPermissionsBoundary)`),
    ]);
    expect(by.KeyedTable.cautions).toBeUndefined();
    const global = `service: orders\nplugins:\n  - serverless-iam-roles-per-function\ncustom:\n  serverless-iam-roles-per-function:\n    iamGlobalPermissionsBoundary: ${boundary}\nprovider:\n  name: aws\nfunctions:\n  api:\n    handler: h.api\n${resources}`;
    expect((await tables(project({ 'serverless.yml': global }))).OrdersTable.cautions).toEqual([
      expect.stringContaining(`${LABEL}custom.serverless-iam-roles-per-function.iamGlobalPermissionsBoundary)`),
    ]);
    // The same service with its tables in a file it includes: the setting named where it is, not as the provider's.
    const included = await tables(
      project({
        'serverless.yml': v4.split('resources:')[0] + 'resources:\n  - ${file(resources/tables.yml)}\n',
        'resources/tables.yml': `Resources:\n${TABLE_YAML}`,
      }),
    );
    expect(included.OrdersTable.cautions).toEqual([
      expect.stringContaining(
        `${LABEL}serverless.yml: functions.api.iam.role.permissionsBoundary, serverless.yml: functions.worker.iamPermissionsBoundary)`,
      ),
    ]);
    // A function without a boundary of its own gives none.
    const plain = `service: orders\nprovider:\n  name: aws\nfunctions:\n  api:\n    handler: h.api\n    iam:\n      role:\n        statements: []\n${resources}`;
    expect((await tables(project({ 'serverless.yml': plain }))).OrdersTable.cautions).toBeUndefined();
  });

  it('Serverless Framework: a file of Resources the service includes gets the cautions of the service file (boundary, DynamoDB Local)', async () => {
    const sls =
      'service: orders\nplugins:\n  - serverless-dynamodb-local\nprovider:\n  name: aws\n  iam:\n    role:\n      permissionsBoundary: arn:aws:iam::111122223333:policy/boundary\n' +
      'resources:\n  - ${file(resources/tables.yml)}\n';
    const by = await tables(project({ 'serverless.yml': sls, 'resources/tables.yml': `Resources:\n${TABLE_YAML}` }));
    expect(by.OrdersTable.cautions).toEqual([
      expect.stringContaining(`${LABEL}serverless.yml: provider.iam.role.permissionsBoundary)`),
      expect.stringContaining('serverless-dynamodb-local'),
    ]);
    // A compliant table says nothing; the same file, included by a service without either, neither.
    expect(by.KeyedTable.cautions).toBeUndefined();
    const plain = await tables(
      project({
        'serverless.yml': 'service: orders\nprovider:\n  name: aws\nresources:\n  - ${file(resources/tables.yml)}\n',
        'resources/tables.yml': `Resources:\n${TABLE_YAML}`,
      }),
    );
    expect(plain.OrdersTable.cautions).toBeUndefined();
    // An include commented out (epicchainlabs' serverless.yml), or a boundary commented out: not configuration.
    const commented = await tables(
      project({
        'serverless.yml': sls.replace('  - ${file(resources/tables.yml)}', ' #- ${file(resources/tables.yml)}'),
        'resources/tables.yml': `Resources:\n${TABLE_YAML}`,
      }),
    );
    expect(commented.OrdersTable.cautions).toBeUndefined();
    const unbound = await tables(
      project({
        'serverless.yml': sls
          .replace('      permissionsBoundary:', '      # permissionsBoundary:')
          .replace('  - serverless-dynamodb-local\n', ''),
        'resources/tables.yml': `Resources:\n${TABLE_YAML}`,
      }),
    );
    expect(unbound.OrdersTable.cautions).toBeUndefined();
  });

  it("Terraform: a role's permissions_boundary and a module input named for one, in the module's other files", async () => {
    const iam = `resource "aws_iam_role" "app" {\n  name                 = "app"\n  permissions_boundary = var.boundary\n  assume_role_policy   = "{}"\n}\n\nmodule "lambda" {\n  source                    = "terraform-aws-modules/lambda/aws"\n  role_permissions_boundary = var.boundary\n}\n\nvariable "boundary" {\n  type = string\n}\n`;
    const by = await tables(project({ 'main.tf': TF_TABLE, 'iam.tf': iam }));
    expect(by['aws_dynamodb_table.orders'].cautions).toEqual([expect.stringContaining(`${LABEL}aws_iam_role.app, module.lambda)`)]);
    const plain = await tables(project({ 'main.tf': TF_TABLE, 'iam.tf': 'resource "aws_iam_role" "app" {\n  name = "app"\n}\n' }));
    expect(plain['aws_dynamodb_table.orders'].cautions).toBeUndefined();
  });

  it("Terraform: a caller of the table's module whose folder gives roles a boundary and uses the table (deploy review, session 49)", async () => {
    const db = `${TF_TABLE}\noutput "table_arn" {\n  value = aws_dynamodb_table.orders.arn\n}\n`;
    const role = `resource "aws_iam_role" "app" {\n  name                 = "app"\n  permissions_boundary = var.boundary\n  assume_role_policy   = "{}"\n}\n`;
    const grant = (resource: string) =>
      `resource "aws_iam_role_policy" "app" {\n  role = aws_iam_role.app.id\n  policy = jsonencode({\n    Version   = "2012-10-17"\n    Statement = [{ Effect = "Allow", Action = ["dynamodb:GetItem"], Resource = ${resource} }]\n  })\n}\n`;
    const root = (resource: string) => `module "db" {\n  source = "./db"\n}\n\n${role}\n${grant(resource)}`;
    const by = await tables(project({ 'main.tf': root('module.db.table_arn'), 'db/main.tf': db }));
    expect(by['aws_dynamodb_table.orders'].cautions).toEqual([
      expect.stringContaining(`${LABEL}aws_iam_role.app at main.tf:5 through module.db)`),
    ]);
    // A grant on every resource (`*`) uses it too; the caller's other files are read (the role in iam.tf).
    const star = await tables(
      project({ 'main.tf': 'module "db" {\n  source = "./db"\n}\n', 'iam.tf': `${role}\n${grant('"*"')}`, 'db/main.tf': db }),
    );
    expect(star['aws_dynamodb_table.orders'].cautions).toEqual([
      expect.stringContaining(`${LABEL}aws_iam_role.app at iam.tf:1 through module.db)`),
    ]);
    // A caller that does not use the table (its grant names another resource), or whose roles have no boundary: nothing.
    const other = await tables(project({ 'main.tf': root('"arn:aws:s3:::bucket"'), 'db/main.tf': db }));
    expect(other['aws_dynamodb_table.orders'].cautions).toBeUndefined();
    const plain = await tables(
      project({ 'main.tf': root('module.db.table_arn').replace('  permissions_boundary = var.boundary\n', ''), 'db/main.tf': db }),
    );
    expect(plain['aws_dynamodb_table.orders'].cautions).toBeUndefined();
  });

  it("Terraform: a local module the table (or its module's output) is passed to gives its roles a boundary, one level down (deploy review, session 55)", async () => {
    const db = `${TF_TABLE}\noutput "table_arn" {\n  value = aws_dynamodb_table.orders.arn\n}\n`;
    const api = `variable "dynamodb_arn" {\n  type = string\n}\n\nresource "aws_iam_role" "role" {\n  name                 = "api"\n  permissions_boundary = "arn:aws:iam::111122223333:policy/app-boundary"\n  assume_role_policy   = "{}"\n}\n`;
    const call = (arn: string) => `module "api" {\n  source       = "./modules/api"\n  dynamodb_arn = ${arn}\n}\n`;
    // A sibling of the table's module call in the root.
    const sibling = await tables(
      project({
        'main.tf': `module "db" {\n  source = "./modules/db"\n}\n\n${call('module.db.table_arn')}`,
        'modules/db/main.tf': db,
        'modules/api/main.tf': api,
      }),
    );
    expect(sibling['aws_dynamodb_table.orders'].cautions).toEqual([
      expect.stringContaining(`${LABEL}aws_iam_role.role at modules/api/main.tf:5 in module.api)`),
    ]);
    // The table beside the call, its attribute passed (in another file of the module).
    const beside = await tables(
      project({ 'main.tf': TF_TABLE, 'api.tf': call('aws_dynamodb_table.orders.arn'), 'modules/api/main.tf': api }),
    );
    expect(beside['aws_dynamodb_table.orders'].cautions).toEqual([
      expect.stringContaining(`${LABEL}aws_iam_role.role at modules/api/main.tf:5 in module.api)`),
    ]);
    // A module that is not given the table, or whose roles have no boundary: nothing.
    const other = await tables(project({ 'main.tf': TF_TABLE, 'api.tf': call('"arn:aws:s3:::bucket"'), 'modules/api/main.tf': api }));
    expect(other['aws_dynamodb_table.orders'].cautions).toBeUndefined();
    const plain = await tables(
      project({
        'main.tf': TF_TABLE,
        'api.tf': call('aws_dynamodb_table.orders.arn'),
        'modules/api/main.tf': api.replace(/  permissions_boundary = .*\n/, ''),
      }),
    );
    expect(plain['aws_dynamodb_table.orders'].cautions).toBeUndefined();
    // The boundary is the module's input (`var.role_permissions_boundary`, as terraform-aws-modules write it): a
    // boundary where the call sets it or its default is not null; none for a null default the call leaves (regression
    // corpus, session 55: terraform-aws-modules/eventbridge's and /lambda's examples).
    const input = api
      .replace(/  permissions_boundary = .*\n/, '  permissions_boundary = var.role_permissions_boundary\n')
      .concat('\nvariable "role_permissions_boundary" {\n  type    = string\n  default = null\n}\n');
    const unset = await tables(
      project({ 'main.tf': TF_TABLE, 'api.tf': call('aws_dynamodb_table.orders.arn'), 'modules/api/main.tf': input }),
    );
    expect(unset['aws_dynamodb_table.orders'].cautions).toBeUndefined();
    const passed = await tables(
      project({
        'main.tf': TF_TABLE,
        'api.tf': call('aws_dynamodb_table.orders.arn').replace(
          '}\n',
          '  role_permissions_boundary = "arn:aws:iam::111122223333:policy/b"\n}\n',
        ),
        'modules/api/main.tf': input,
      }),
    );
    // (the call's own input is named too, as any module call's boundary input beside the table is)
    expect(passed['aws_dynamodb_table.orders'].cautions).toEqual([
      expect.stringContaining(`${LABEL}module.api, aws_iam_role.role at modules/api/main.tf:5 in module.api)`),
    ]);
    const defaulted = await tables(
      project({
        'main.tf': TF_TABLE,
        'api.tf': call('aws_dynamodb_table.orders.arn'),
        'modules/api/main.tf': input.replace('default = null', 'default = "arn:aws:iam::111122223333:policy/b"'),
      }),
    );
    expect(defaulted['aws_dynamodb_table.orders'].cautions).toHaveLength(1);
  });

  it('Terraform: in one scan, tables of one name in several folders each get their own answer (the address expression made once, each file asked for `module` once: session 64)', async () => {
    const api = `resource "aws_iam_role" "role" {\n  name                 = "api"\n  permissions_boundary = "arn:aws:iam::111122223333:policy/app-boundary"\n  assume_role_policy   = "{}"\n}\n`;
    const call = (arn: string) => `module "api" {\n  source       = "./modules/api"\n  dynamodb_arn = ${arn}\n}\n`;
    const files: Record<string, string> = {};
    // a and c pass their table to a module whose role has a boundary; b passes something else; d calls no module.
    for (const [dir, arn] of [
      ['a', 'aws_dynamodb_table.orders.arn'],
      ['b', '"arn:aws:s3:::bucket"'],
      ['c', 'aws_dynamodb_table.orders.arn'],
    ]) {
      files[`${dir}/main.tf`] = TF_TABLE;
      files[`${dir}/api.tf`] = call(arn);
      files[`${dir}/modules/api/main.tf`] = api;
    }
    files['d/main.tf'] = TF_TABLE;
    files['d/other.tf'] = 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n';
    const out = (await scanJson(project(files))) as {
      tables: { file: string; address: string; cautions?: string[] }[];
    };
    const byFile = Object.fromEntries(out.tables.map((t) => [t.file, t.cautions]));
    expect(Object.keys(byFile).sort()).toEqual(['a/main.tf', 'b/main.tf', 'c/main.tf', 'd/main.tf']);
    for (const dir of ['a', 'c'])
      expect(byFile[`${dir}/main.tf`]).toEqual([
        expect.stringContaining(`${LABEL}aws_iam_role.role at ${dir}/modules/api/main.tf:1 in module.api)`),
      ]);
    expect(byFile['b/main.tf']).toBeUndefined();
    expect(byFile['d/main.tf']).toBeUndefined();
  });

  it('AWS CDK: a permissionsBoundary prop and PermissionsBoundary.of(...)', async () => {
    const stack = `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export class AppStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const boundary = iam.ManagedPolicy.fromManagedPolicyName(this, 'Boundary', 'developer-boundary');
    iam.PermissionsBoundary.of(this).apply(boundary);
    new iam.Role(this, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), permissionsBoundary: boundary });
    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
`;
    const by = await tables(project({ 'stack.ts': stack }));
    expect(by.Orders.cautions).toEqual([expect.stringContaining(`${LABEL}PermissionsBoundary.of(this), AppRole)`)]);
  });

  it("AWS CDK: the boundary cdk.json's context gives every role of the app", async () => {
    const stack = `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export class AppStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
`;
    const cdkJson = (context: object) => JSON.stringify({ app: 'npx ts-node bin/app.ts', context });
    const bounded = await tables(
      project({ 'lib/stack.ts': stack, 'cdk.json': cdkJson({ '@aws-cdk/core:permissionsBoundary': { name: 'developer-policy' } }) }),
    );
    expect(bounded.Orders.cautions).toEqual([
      expect.stringContaining(`${LABEL}cdk.json context @aws-cdk/core:permissionsBoundary developer-policy)`),
    ]);
    const plain = await tables(project({ 'lib/stack.ts': stack, 'cdk.json': cdkJson({}) }));
    expect(plain.Orders.cautions).toBeUndefined();
    // The app's entry file applies one to the whole app, or adds an Aspect that writes one (real-world round 31:
    // aws-lambda-sample-applications' serverless-api-backend, whose SAM twin had the caution and the CDK one none).
    const entry = `import { App, Aspects, aws_iam as iam } from 'aws-cdk-lib';
import { AppStack } from '../lib/stack';
import { PermissionsBoundaryAspect } from '../lib/boundary';
const app = new App();
const stack = new AppStack(app, 'App', { env: { region: 'eu-west-1' } });
iam.PermissionsBoundary.of(app).apply(iam.ManagedPolicy.fromManagedPolicyName(stack, 'B', 'org-boundary'));
Aspects.of(stack).add(new PermissionsBoundaryAspect('arn:aws:iam::111122223333:policy/app-boundary'));
`;
    const fromEntry = await tables(project({ 'lib/stack.ts': stack, 'bin/app.ts': entry, 'cdk.json': cdkJson({}) }));
    expect(fromEntry.Orders.cautions).toEqual([
      expect.stringContaining(`${LABEL}PermissionsBoundary.of(app) at bin/app.ts:6, new PermissionsBoundaryAspect(...) at bin/app.ts:7)`),
    ]);
    // An escape hatch in an Aspect of the table's own file.
    const aspect = stack.replace(
      '    new dynamodb.Table(',
      "    (this.node.findChild('Role') as cdk.CfnResource).addPropertyOverride('PermissionsBoundary', 'arn:aws:iam::1:policy/b');\n    new dynamodb.Table(",
    );
    // A stack or Aspect named for boundaries that applies none is not one (adversarial pass of session 48, repro 07).
    const named = entry
      .replace("iam.PermissionsBoundary.of(app).apply(iam.ManagedPolicy.fromManagedPolicyName(stack, 'B', 'org-boundary'));\n", '')
      .replace(
        'Aspects.of(stack).add(new PermissionsBoundaryAspect',
        "new PermissionsBoundaryPolicyStack(app, 'Policies');\nnew Other(new PermissionsBoundaryAspect",
      );
    const none = await tables(project({ 'lib/stack.ts': stack, 'bin/app.ts': named, 'cdk.json': cdkJson({}) }));
    expect(none.Orders.cautions).toBeUndefined();
    // An Aspect held in a const, or added by CDK v1's applyAspect (third adversarial pass).
    const held = entry.replace(
      "Aspects.of(stack).add(new PermissionsBoundaryAspect('arn:aws:iam::111122223333:policy/app-boundary'));",
      "const aspect = new PermissionsBoundaryAspect('arn:aws:iam::111122223333:policy/app-boundary');\nAspects.of(stack).add(aspect);",
    );
    const byConst = await tables(project({ 'lib/stack.ts': stack, 'bin/app.ts': held, 'cdk.json': cdkJson({}) }));
    expect(byConst.Orders.cautions).toEqual([expect.stringContaining('new PermissionsBoundaryAspect(...) at bin/app.ts:7')]);
    const hatch = await tables(project({ 'lib/stack.ts': aspect, 'cdk.json': cdkJson({}) }));
    expect(hatch.Orders.cautions).toEqual([expect.stringContaining(`${LABEL}addPropertyOverride('PermissionsBoundary') at line 8)`)]);
  });

  it('AWS CDK: the same context set in cdk.context.json, in the App props or by setContext in the entry file (deploy review, session 55)', async () => {
    const stack = `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export class AppStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  }
}
`;
    const cdkJson = (context: object) => JSON.stringify({ app: 'npx ts-node bin/app.ts', context });
    const entry = (app: string) =>
      `import * as cdk from 'aws-cdk-lib';\nimport { AppStack } from '../lib/stack';\n${app}\nnew AppStack(app, 'App', { env: { region: 'eu-west-1' } });\n`;
    const boundary = { '@aws-cdk/core:permissionsBoundary': { name: 'app-boundary' } };
    const saved = await tables(
      project({
        'lib/stack.ts': stack,
        'bin/app.ts': entry('const app = new cdk.App();'),
        'cdk.json': cdkJson({}),
        'cdk.context.json': JSON.stringify(boundary),
      }),
    );
    expect(saved.Orders.cautions).toEqual([
      expect.stringContaining(`${LABEL}cdk.context.json @aws-cdk/core:permissionsBoundary app-boundary)`),
    ]);
    // cdk.json's context wins over cdk.context.json's (the CDK CLI's order): named once, as cdk.json's.
    const both = await tables(
      project({
        'lib/stack.ts': stack,
        'cdk.json': cdkJson({ '@aws-cdk/core:permissionsBoundary': { name: 'json-boundary' } }),
        'cdk.context.json': JSON.stringify(boundary),
      }),
    );
    expect(both.Orders.cautions).toEqual([
      expect.stringContaining(`${LABEL}cdk.json context @aws-cdk/core:permissionsBoundary json-boundary)`),
    ]);
    const props = await tables(
      project({
        'lib/stack.ts': stack,
        'bin/app.ts': entry(`const app = new cdk.App({ context: { '@aws-cdk/core:permissionsBoundary': { name: 'app-boundary' } } });`),
        'cdk.json': cdkJson({}),
      }),
    );
    expect(props.Orders.cautions).toEqual([expect.stringContaining(`${LABEL}context @aws-cdk/core:permissionsBoundary at bin/app.ts:3)`)]);
    const set = await tables(
      project({
        'lib/stack.ts': stack,
        'bin/app.ts': entry(
          `const app = new cdk.App();\napp.node.setContext('@aws-cdk/core:permissionsBoundary', { name: 'app-boundary' });`,
        ),
        'cdk.json': cdkJson({}),
      }),
    );
    expect(set.Orders.cautions).toEqual([
      expect.stringContaining(`${LABEL}setContext('@aws-cdk/core:permissionsBoundary') at bin/app.ts:4)`),
    ]);
    // Another context value in the file beside: nothing.
    const other = await tables(
      project({
        'lib/stack.ts': stack,
        'cdk.json': cdkJson({}),
        'cdk.context.json': JSON.stringify({ 'acknowledged-issue-numbers': [1] }),
      }),
    );
    expect(other.Orders.cautions).toBeUndefined();
  });

  it('AWS CDK: a file the stack file imports and uses gives roles a boundary (deploy review, session 49)', async () => {
    const roles = `import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export class AppRoles extends Construct {
  public readonly appRole: iam.Role;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.appRole = new iam.Role(this, 'AppRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyName(this, 'Boundary', 'app-boundary'),
    });
  }
}

export function bound(scope: Construct): void {
  iam.PermissionsBoundary.of(scope).apply(iam.ManagedPolicy.fromManagedPolicyName(scope, 'B', 'org-boundary'));
}

export interface RolesProps {
  name: string;
}
`;
    const stack = (body: string, imported = 'AppRoles') => `import { Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ${imported} } from './roles';

export class AppStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const orders = new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
${body}
  }
}
`;
    const created = await tables(
      project({
        'lib/stack.ts': stack("    const roles = new AppRoles(this, 'Roles');\n    orders.grantReadWriteData(roles.appRole);"),
        'lib/roles.ts': roles,
        'cdk.json': JSON.stringify({ app: 'npx ts-node bin/app.ts' }),
      }),
    );
    expect(created.Orders.cautions).toEqual([
      expect.stringContaining(`${LABEL}AppRole at lib/roles.ts:10, PermissionsBoundary.of(scope) at lib/roles.ts:16)`),
    ]);
    // A function of the file that applies one, called by the stack.
    const called = await tables(project({ 'lib/stack.ts': stack('    bound(this);', 'bound'), 'lib/roles.ts': roles }));
    expect(called.Orders.cautions).toEqual([expect.stringContaining('PermissionsBoundary.of(scope) at lib/roles.ts:16')]);
    // Imported for a type only, or not used: its constructs are not in the stack.
    const typed = await tables(
      project({ 'lib/stack.ts': stack("    const p: RolesProps = { name: 'x' };", 'RolesProps'), 'lib/roles.ts': roles }),
    );
    expect(typed.Orders.cautions).toBeUndefined();
  });

  it("AWS CDK: the stack file that imports the table's construct gives its roles a boundary (real-world round 37)", async () => {
    // As aws-solutions/clickstream-analytics-on-aws: lib/stack.ts creates the construct of lib/constructs/api.ts and applies an
    // Aspect of lib/aspects.ts (addPropertyOverride('PermissionsBoundary', ...)), or CDK's PermissionsBoundary.of(this).
    const api = `import { Construct } from 'constructs';
import { Table, AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { Function, Runtime, Code } from 'aws-cdk-lib/aws-lambda';

export class Api extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const t = new Table(this, 'Dictionary', { partitionKey: { name: 'name', type: AttributeType.STRING } });
    t.grantReadWriteData(new Function(this, 'Fn', { runtime: Runtime.NODEJS_20_X, handler: 'index.handler', code: Code.fromInline('') }));
  }
}
`;
    const aspects = `import { CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

export class RolePermissionBoundaryAspect implements IAspect {
  constructor(private readonly boundary: string) {}
  public visit(node: IConstruct): void {
    if (CfnResource.isCfnResource(node) && node.cfnResourceType === 'AWS::IAM::Role') {
      node.addPropertyOverride('PermissionsBoundary', this.boundary);
    }
  }
}
`;
    const stack = (imports: string, body: string) => `import { Aspects, Stack } from 'aws-cdk-lib';
import { ManagedPolicy, PermissionsBoundary } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Api } from '../constructs/api';
${imports}
export class ControlPlaneStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Api(this, 'Api');
${body}
  }
}
`;
    const app = (stackFile: string) => ({
      'cdk.json': JSON.stringify({ app: 'npx ts-node bin/app.ts' }),
      'bin/app.ts':
        "import { App } from 'aws-cdk-lib';\nimport { ControlPlaneStack } from '../lib/stacks/stack';\nnew ControlPlaneStack(new App(), 'C');\n",
      'lib/constructs/api.ts': api,
      'lib/aspects.ts': aspects,
      'lib/stacks/stack.ts': stackFile,
    });
    const aspect = await tables(
      project(
        app(
          stack(
            "import { RolePermissionBoundaryAspect } from '../aspects';\n",
            "    Aspects.of(this).add(new RolePermissionBoundaryAspect('arn'));",
          ),
        ),
      ),
    );
    expect(Object.values(aspect)[0].cautions).toEqual([
      expect.stringContaining(`${LABEL}addPropertyOverride('PermissionsBoundary') at lib/aspects.ts:8)`),
    ]);
    const of = await tables(
      project(app(stack('', "    PermissionsBoundary.of(this).apply(ManagedPolicy.fromManagedPolicyName(this, 'B', 'b'));"))),
    );
    expect(Object.values(of)[0].cautions).toEqual([
      expect.stringContaining(`${LABEL}PermissionsBoundary.of(this) at lib/stacks/stack.ts:10)`),
    ]);
    // A stack that does not import the table's file says nothing of it.
    const other = app(stack('', "    PermissionsBoundary.of(this).apply(ManagedPolicy.fromManagedPolicyName(this, 'B', 'b'));"));
    other['lib/stacks/stack.ts'] = other['lib/stacks/stack.ts']
      .replace("import { Api } from '../constructs/api';\n", '')
      .replace("    new Api(this, 'Api');\n", '');
    expect(Object.values(await tables(project(other)))[0].cautions).toBeUndefined();
  });

  it('fix: a note per table, and the commit message says it once with the tables it concerns', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kmsfix-boundary-repo-'));
    const repo = path.join(root, 'app');
    mkdirSync(repo);
    writeFileSync(
      path.join(repo, 'template.yaml'),
      SAM.replace(
        '  KeyedTable:',
        '  AuditTable:\n' + TABLE_YAML.split('  KeyedTable:')[0].split('\n').slice(1).join('\n') + '  KeyedTable:',
      ),
    );
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
      ['commit', '-qm', 'init'],
    ])
      execFileSync('git', args, { cwd: repo, env: GIT_ENV });
    const r = await runCli(['fix', '--patch-dir', 'patches', 'app'], root);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`OrdersTable: ${LABEL}`);
    expect(r.stderr).toContain(`AuditTable: ${LABEL}`);
    const mail = readFileSync(path.join(root, 'patches', 'app.mbox'), 'utf8').replace(/\n\s+/g, ' ');
    expect(mail.split(LABEL).length).toBe(2);
    expect(mail).toContain('check the boundary before deploying (OrdersTable and AuditTable).');
  });
});
