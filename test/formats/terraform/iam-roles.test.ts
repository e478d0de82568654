/**
 * The roles a Terraform module grants DynamoDB actions on a table and no KMS action (caution `iam-roles`,
 * src/formats/terraform/iamRoles.ts): with --key-policy iam they lose access once the fix is applied, and
 * the fix names each with what grants it and where (file:line from the table's folder). Read in the
 * module's other files too; a role with any KMS action, or a policy kmsfix cannot read, is not named.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = (label: string, name: string) =>
  `resource "aws_dynamodb_table" "${label}" {\n  name         = "${name}"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n` +
  '  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n';

const ROLE = (label: string, extra = '') =>
  `resource "aws_iam_role" "${label}" {\n  name = "${label}"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n` +
  '    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]\n  })\n' +
  `${extra}}\n`;

const IAM = [
  ROLE('app'), // lines 1-7
  'resource "aws_iam_role_policy" "db" {\n  role   = aws_iam_role.app.id\n  policy = data.aws_iam_policy_document.db.json\n}\n', // 8-11
  'data "aws_iam_policy_document" "db" {\n  statement {\n    actions   = ["dynamodb:GetItem", "dynamodb:Query"]\n' + // 12-14
    '    resources = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]\n  }\n' + // 15-16
    '  statement {\n    actions   = ["s3:GetObject"]\n    resources = ["*"]\n  }\n}\n', // 17-21
  ROLE('worker'), // 22-28
  'resource "aws_iam_policy" "worker" {\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n' + // 29-32
    '      { Effect = "Allow", Action = ["dynamodb:PutItem"], Resource = "arn:aws:dynamodb:*:*:table/audit-*" },\n    ]\n  })\n}\n', // 33-36
  'resource "aws_iam_role_policy_attachment" "worker" {\n  role       = aws_iam_role.worker.name\n  policy_arn = aws_iam_policy.worker.arn\n}\n', // 37-40
  ROLE('full'), // 41-47
  'resource "aws_iam_role_policy_attachment" "full" {\n  role       = aws_iam_role.full.name\n  policy_arn = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"\n}\n', // 48-51
  ROLE(
    'withkms',
    '  inline_policy {\n    name = "db"\n    policy = jsonencode({\n      Statement = [\n        { Effect = "Allow", Action = ["dynamodb:*"], Resource = "*" },\n' +
      '        { Effect = "Allow", Action = ["kms:Decrypt"], Resource = "*" },\n      ]\n    })\n  }\n',
  ),
  ROLE('unknown'),
  'resource "aws_iam_role_policy" "unknown" {\n  role   = aws_iam_role.unknown.id\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["dynamodb:*"], Resource = "*" }] })\n}\n',
  'resource "aws_iam_role_policy_attachment" "unknown" {\n  role       = aws_iam_role.unknown.name\n  policy_arn = var.extra_policy\n}\n',
  'resource "aws_iam_role_policy" "outside" {\n  role   = "someone-elses-role"\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["dynamodb:*"], Resource = "*" }] })\n}\n',
].join('');

async function named(files: { path: string; text: string }[], mode: 'iam' | 'drop-in' = 'iam') {
  const r = await processMemory(files, 'fix', { keyPolicy: mode });
  return Object.fromEntries(
    r.outcomes
      .flatMap((o) => o.tables)
      .map((t) => [t.address, t.cautions?.find((c) => c.startsWith('IAM roles: '))?.replace(/ (is|are) granted DynamoDB.*/, '')]),
  );
}

describe('Terraform: roles granted DynamoDB and no KMS action', () => {
  const files = [
    { path: 'infra/main.tf', text: TABLE('orders', 'orders') + TABLE('audit', 'audit-log') },
    { path: 'infra/iam.tf', text: IAM },
  ];

  it("a policy document, an aws_iam_policy attached, an AWS managed policy, in the module's other file, with file:line", async () => {
    const t = await named(files);
    expect(t['aws_dynamodb_table.orders']).toBe(
      'IAM roles: with --key-policy iam, aws_iam_role.app (data.aws_iam_policy_document.db, iam.tf:13) and aws_iam_role.full (AmazonDynamoDBFullAccess, iam.tf:48)',
    );
    expect(t['aws_dynamodb_table.audit']).toBe(
      'IAM roles: with --key-policy iam, aws_iam_role.worker (aws_iam_policy.worker, iam.tf:33) and aws_iam_role.full (AmazonDynamoDBFullAccess, iam.tf:48)',
    );
  });

  it('a role whose address only starts with the granted one is not granted', async () => {
    const text =
      TABLE('orders', 'orders') +
      ROLE('app-x') +
      IAM.slice(IAM.indexOf('resource "aws_iam_role_policy" "db"'), IAM.indexOf(ROLE('worker')));
    const t = await named([{ path: 'main.tf', text }]);
    expect(t['aws_dynamodb_table.orders']).toBeUndefined();
    const own = await named([{ path: 'main.tf', text: text + ROLE('app') }]);
    expect(own['aws_dynamodb_table.orders']).toBe(
      'IAM roles: with --key-policy iam, aws_iam_role.app (data.aws_iam_policy_document.db, main.tf:22)',
    );
  });

  it('the default key policy (drop-in) says nothing', async () => {
    const t = await named(files, 'drop-in');
    expect(t['aws_dynamodb_table.orders']).toBeUndefined();
  });

  it('a module with no DynamoDB grant says nothing', async () => {
    const t = await named([{ path: 'main.tf', text: TABLE('orders', 'orders') + ROLE('app') }]);
    expect(t['aws_dynamodb_table.orders']).toBeUndefined();
  });

  it("a role policy in the table's own file, as a heredoc", async () => {
    const text =
      TABLE('orders', 'orders') +
      ROLE('app') +
      'resource "aws_iam_role_policy" "db" {\n  role   = aws_iam_role.app.id\n  policy = <<EOF\n{\n  "Statement": [\n' +
      '    {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "${aws_dynamodb_table.orders.arn}"}\n  ]\n}\nEOF\n}\n';
    const t = await named([{ path: 'main.tf', text }]);
    expect(t['aws_dynamodb_table.orders']).toBe('IAM roles: with --key-policy iam, aws_iam_role.app (aws_iam_role_policy.db, main.tf:22)');
  });

  it('a quote inside ${...} does not end the string: the resource is read whole', async () => {
    const policy = (resource: string) =>
      TABLE('orders', 'orders') +
      ROLE('events') +
      'resource "aws_iam_role_policy" "events" {\n  role   = aws_iam_role.events.id\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["dynamodb:PutItem"],\n' +
      `    Resource = ["${resource}"] }] })\n}\n`;
    // Every DynamoDB resource of the account in a Region looked up by key: read as three strings, none of them an ARN.
    const all = await named([
      {
        path: 'main.tf',
        text: policy('arn:aws:dynamodb:${lookup(var.regions, "primary")}:${data.aws_caller_identity.current.account_id}:*'),
      },
    ]);
    expect(all['aws_dynamodb_table.orders']).toBe(
      'IAM roles: with --key-policy iam, aws_iam_role.events (aws_iam_role_policy.events, main.tf:19)',
    );
    // The "*" of a replace() is not the resource "*".
    const replaced = await named([{ path: 'main.tf', text: policy('arn:aws:dynamodb:*:*:table/${replace(var.env, "*", "")}-events') }]);
    expect(replaced['aws_dynamodb_table.orders']).toBeUndefined();
  });

  it('an action written as a template (%{ if }) may be a KMS one: the role is not named', async () => {
    const text =
      TABLE('orders', 'orders') +
      ROLE('app') +
      'resource "aws_iam_role_policy" "db" {\n  role   = aws_iam_role.app.id\n  policy = jsonencode({ Statement = [{ Effect = "Allow",\n' +
      '    Action = ["dynamodb:GetItem", "%{ if var.encrypted }kms:Decrypt%{ endif }"], Resource = "*" }] })\n}\n';
    const t = await named([{ path: 'main.tf', text }]);
    expect(t['aws_dynamodb_table.orders']).toBeUndefined();
  });
});

describe('a table named by a variable: an ARN naming the same variable names it (session 64 deploy review)', () => {
  it('a heredoc policy with table/${var.x} (aws-samples/serverless-patterns apigw-lambda-dynamodb-terraform); another variable is not claimed', async () => {
    const table = TABLE('movies', 'x').replace('"x"', 'var.dynamodb_table');
    const other = TABLE('audit', 'x').replace('"x"', '"${var.env}-audit"');
    const text =
      table +
      other +
      ROLE('app') +
      'resource "aws_iam_role_policy" "db" {\n  role   = aws_iam_role.app.id\n  policy = <<POLICY\n{\n  "Statement": [\n' +
      '    {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "arn:aws:dynamodb:*:*:table/${var.dynamodb_table}"},\n' +
      '    {"Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:*:*:table/${var.other_table}"}\n  ]\n}\nPOLICY\n}\n' +
      ROLE('audit') +
      'resource "aws_iam_role_policy" "audit" {\n  role   = aws_iam_role.audit.id\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["dynamodb:PutItem"], Resource = "arn:aws:dynamodb:*:*:table/${var.env}-audit" }] })\n}\n';
    const t = await named([{ path: 'main.tf', text }]);
    expect(t['aws_dynamodb_table.movies']).toBe('IAM roles: with --key-policy iam, aws_iam_role.app (aws_iam_role_policy.db, main.tf:31)');
    expect(t['aws_dynamodb_table.audit']).toBe(
      'IAM roles: with --key-policy iam, aws_iam_role.audit (aws_iam_role_policy.audit, main.tf:46)',
    );
  });
});

describe('a table named with variables: an ARN pattern over the same text names it (adv2 s64)', () => {
  it('table/${var.env}-* names "${var.env}-orders"; table/prod-* does not', async () => {
    const policy = (role: string, arn: string) =>
      `resource "aws_iam_role_policy" "${role}" {\n  role   = aws_iam_role.${role}.id\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["dynamodb:GetItem"], Resource = "${arn}" }] })\n}\n`;
    const text =
      TABLE('orders', 'x').replace('"x"', '"${var.env}-orders"') +
      ROLE('app') +
      policy('app', 'arn:aws:dynamodb:*:*:table/${var.env}-*') +
      ROLE('prod') +
      policy('prod', 'arn:aws:dynamodb:*:*:table/prod-*');
    const t = await named([{ path: 'main.tf', text }]);
    expect(t['aws_dynamodb_table.orders']).toBe('IAM roles: with --key-policy iam, aws_iam_role.app (aws_iam_role_policy.app, main.tf:19)');
  });
});
