/**
 * A resource whose lifecycle.replace_triggered_by names a table (whole, an instance, or server_side_encryption) is
 * replaced by the apply of a fix of that table: another table becomes a new, empty one. Such a table is not fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const TABLE = (label: string) =>
  `resource "aws_dynamodb_table" "${label}" {\n  name         = "${label}"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`;

const COPY = (trigger: string) =>
  `resource "aws_dynamodb_table" "copy" {\n  name         = "copy"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n\n  lifecycle {\n    replace_triggered_by = [${trigger}]\n  }\n}\n`;

const LAMBDA = (trigger: string) =>
  `resource "aws_lambda_function" "reader" {\n  function_name = "reader"\n  role          = "arn:aws:iam::111122223333:role/r"\n\n  lifecycle {\n    replace_triggered_by = [\n      ${trigger},\n    ]\n  }\n}\n`;

async function tables(files: { path: string; text: string }[]) {
  const scan = await processMemory(files, 'scan');
  const fix = await processMemory(files, 'fix');
  const pick = (r: typeof scan, label: string) =>
    r.outcomes.flatMap((o) => o.tables).find((t) => t.address === `aws_dynamodb_table.${label}`)!;
  return {
    orders: pick(scan, 'orders'),
    fixedOrders: pick(fix, 'orders'),
    output: fix.output,
    errors: [...scan.outcomes, ...fix.outcomes].map((o) => o.error).filter(Boolean),
  };
}

describe('terraform: replace_triggered_by naming a table a fix would change', () => {
  it('another table naming it whole: not fixable, the table named with its file and line; that table still fixed', async () => {
    const r = await tables([{ path: 'main.tf', text: `${TABLE('orders')}\n${COPY('aws_dynamodb_table.orders')}` }]);
    expect(r.errors).toEqual([]);
    expect(r.orders.fixable).toBe(false);
    expect(r.fixedOrders.fixed).toBeUndefined();
    expect(r.orders.blocker).toContain(
      'aws_dynamodb_table.copy (main.tf:23: aws_dynamodb_table.orders) names this table in lifecycle.replace_triggered_by, ' +
        "so the terraform apply of a fix, which changes the table's server_side_encryption, would replace it: " +
        'aws_dynamodb_table.copy would be a new, empty table (its items lost). ' +
        'Take aws_dynamodb_table.orders out of its replace_triggered_by (or name only an attribute the fix does not change, ' +
        'such as aws_dynamodb_table.orders.arn), apply, then run kmsfix again',
    );
    expect(r.output.get('main.tf')).toContain('kms_key_arn = aws_kms_key.copy.arn');
    expect(r.output.get('main.tf')).not.toContain('aws_kms_key.orders');
  });

  it('instances and attributes under server_side_encryption decline; arn, id and name do not', async () => {
    for (const [trigger, fixable] of [
      ['aws_dynamodb_table.orders[0]', false],
      ['aws_dynamodb_table.orders["k"]', false],
      ['aws_dynamodb_table.orders.server_side_encryption', false],
      ['aws_dynamodb_table.orders.server_side_encryption[0].kms_key_arn', false],
      ['aws_dynamodb_table.orders.arn', true],
      ['aws_dynamodb_table.orders.id', true],
      ['aws_dynamodb_table.orders.name', true],
      ['aws_dynamodb_table.orders_archive', true],
      ['[for t in [aws_dynamodb_table.orders] : t.server_side_encryption]', false],
    ] as const) {
      const r = await tables([{ path: 'main.tf', text: `${TABLE('orders')}\n${LAMBDA(trigger)}` }]);
      expect([trigger, r.orders.fixable]).toEqual([trigger, fixable]);
      if (!fixable) expect(r.orders.blocker).toContain('aws_lambda_function.reader (main.tf:17: ');
    }
    const unread = await tables([{ path: 'main.tf', text: `${TABLE('orders')}\n${LAMBDA('[for t in [aws_dynamodb_table.orders] : t]')}` }]);
    expect(unread.orders.blocker).toContain('an expression kmsfix does not read, which may name this table');
    expect(unread.orders.blocker).toContain('aws_lambda_function.reader would be destroyed and re-created (an outage while it is)');
  });

  it('in another file of the module, HCL or JSON; and a table file beside it', async () => {
    const hcl = await tables([
      { path: 'main.tf', text: TABLE('orders') },
      { path: 'lambda.tf', text: LAMBDA('aws_dynamodb_table.orders') },
    ]);
    expect(hcl.orders.fixable).toBe(false);
    expect(hcl.orders.blocker).toContain('aws_lambda_function.reader (lambda.tf:6: aws_dynamodb_table.orders)');
    const json = await tables([
      { path: 'main.tf', text: TABLE('orders') },
      {
        path: 'lambda.tf.json',
        text: '{\n  "resource": {\n    "aws_lambda_function": {\n      "reader": {\n        "function_name": "reader",\n        "lifecycle": {\n          "replace_triggered_by": ["${aws_dynamodb_table.orders.server_side_encryption}"]\n        }\n      }\n    }\n  }\n}\n',
      },
    ]);
    expect(json.orders.fixable).toBe(false);
    expect(json.orders.blocker).toContain(
      'aws_lambda_function.reader (lambda.tf.json:7: aws_dynamodb_table.orders.server_side_encryption)',
    );
    const tablesBeside = await tables([
      { path: 'main.tf', text: TABLE('orders') },
      { path: 'copy.tf', text: COPY('aws_dynamodb_table.orders') },
    ]);
    expect(tablesBeside.orders.fixable).toBe(false);
    expect(tablesBeside.orders.blocker).toContain('aws_dynamodb_table.copy (copy.tf:12: aws_dynamodb_table.orders)');
  });
});

describe('terraform: replace_triggered_by naming a resource that changes with the table', () => {
  const DATA = (args: string, type = 'terraform_data', label = 'sse') => `resource "${type}" "${label}" {\n  ${args}\n}\n`;

  it('terraform_data reading the table whole or its server_side_encryption, named by another table: declined, the chain named', async () => {
    for (const [args, fixable] of [
      ['triggers_replace = [aws_dynamodb_table.orders.server_side_encryption]', false],
      ['input = aws_dynamodb_table.orders', false],
      ['input = { sse = aws_dynamodb_table.orders.server_side_encryption[0].kms_key_arn }', false],
      ['input = "${aws_dynamodb_table.orders.server_side_encryption[0].enabled}"', false],
      ['input = aws_dynamodb_table.orders.arn', true],
      ['input = aws_dynamodb_table.orders[0].name', true],
      ['depends_on = [aws_dynamodb_table.orders]', true],
      ['input = aws_dynamodb_table.orders_archive', true],
    ] as const) {
      const r = await tables([{ path: 'main.tf', text: `${TABLE('orders')}\n${DATA(args)}\n${COPY('terraform_data.sse')}` }]);
      expect(r.errors).toEqual([]);
      expect([args, r.orders.fixable]).toEqual([args, fixable]);
    }
    const r = await tables([
      { path: 'main.tf', text: TABLE('orders') },
      { path: 'data.tf', text: DATA('triggers_replace = [aws_dynamodb_table.orders.server_side_encryption]') },
      { path: 'copy.tf', text: COPY('terraform_data.sse.output') },
    ]);
    expect(r.orders.blocker).toContain(
      'aws_dynamodb_table.copy (copy.tf:12: terraform_data.sse.output, which changes with this table: aws_dynamodb_table.orders -> terraform_data.sse) ' +
        'names this table in lifecycle.replace_triggered_by',
    );
    expect(r.orders.blocker).toContain('aws_dynamodb_table.copy would be a new, empty table (its items lost)');
    expect(r.orders.blocker).toContain(
      'Take aws_dynamodb_table.orders out of its replace_triggered_by and out of the arguments of terraform_data.sse (or name only',
    );
  });

  it('a null_resource, and a chain of two: declined; a chain that names nothing of the table: fixed', async () => {
    const nullResource = await tables([
      {
        path: 'main.tf',
        text: `${TABLE('orders')}\n${DATA('triggers = { key = aws_dynamodb_table.orders.server_side_encryption[0].kms_key_arn }', 'null_resource', 'watch')}\n${LAMBDA('null_resource.watch')}`,
      },
    ]);
    expect(nullResource.orders.fixable).toBe(false);
    expect(nullResource.orders.blocker).toContain('which changes with this table: aws_dynamodb_table.orders -> null_resource.watch');
    const two = await tables([
      {
        path: 'main.tf',
        text:
          `${TABLE('orders')}\n${DATA('input = aws_dynamodb_table.orders')}\n` +
          `${DATA('triggers_replace = [terraform_data.sse.output]', 'terraform_data', 'second')}\n${COPY('terraform_data.second')}`,
      },
    ]);
    expect(two.orders.fixable).toBe(false);
    expect(two.orders.blocker).toContain('aws_dynamodb_table.orders -> terraform_data.sse -> terraform_data.second)');
    const unrelated = await tables([
      {
        path: 'main.tf',
        text: `${TABLE('orders')}\n${DATA('input = aws_dynamodb_table.orders.arn')}\n${DATA('input = terraform_data.sse.output', 'terraform_data', 'second')}\n${COPY('terraform_data.second')}`,
      },
    ]);
    expect(unrelated.orders.fixable).toBe(true);
    expect(unrelated.fixedOrders.fixed).toBe(true);
  });

  it('through a local (adversarial pass 2 of session 58, F3): declined, the local in the chain', async () => {
    const r = await tables([
      {
        path: 'main.tf',
        text: `${TABLE('orders')}\nlocals {\n  sse = aws_dynamodb_table.orders.server_side_encryption\n}\n\n${DATA('input = local.sse')}\n${COPY('terraform_data.sse')}`,
      },
    ]);
    expect(r.orders.fixable).toBe(false);
    expect(r.orders.blocker).toContain('which changes with this table: aws_dynamodb_table.orders -> local.sse -> terraform_data.sse)');
    const arn = await tables([
      {
        path: 'main.tf',
        text: `${TABLE('orders')}\nlocals {\n  arn = aws_dynamodb_table.orders.arn\n}\n\n${DATA('input = local.arn')}\n${COPY('terraform_data.sse')}`,
      },
    ]);
    expect(arn.orders.fixable).toBe(true);
  });

  it('a resource that changes with the table through an argument and is replaced through a trigger declared after it: declined', async () => {
    const copy = COPY('terraform_data.sse').replace(
      '  billing_mode',
      '  stream_view_type = aws_dynamodb_table.orders.server_side_encryption[0].kms_key_arn\n  billing_mode',
    );
    const r = await tables([
      { path: 'main.tf', text: `${TABLE('orders')}\n${copy}\n${DATA('input = aws_dynamodb_table.orders.server_side_encryption')}` },
    ]);
    expect(r.orders.fixable).toBe(false);
    expect(r.orders.blocker).toContain('aws_dynamodb_table.copy would be a new, empty table');
  });
});

describe('CDK for Terraform: lifecycle.replaceTriggeredBy of another construct naming the table', () => {
  const program = (trigger: string, before = '') =>
    "import { Construct } from 'constructs';\nimport { TerraformStack } from 'cdktf';\n" +
    "import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\n" +
    "import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';\n\n" +
    'export class Tables extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
    "    const orders = new DynamodbTable(this, 'orders', { name: 'orders', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });\n" +
    before +
    `    new LambdaFunction(this, 'reader', { functionName: 'reader', role: 'r', lifecycle: { replaceTriggeredBy: ${trigger} } });\n` +
    '  }\n}\n';

  it('the table, its fqn, its serverSideEncryption, a const array, a string address, an entry not read: declined; arn: fixed', async () => {
    for (const [trigger, before, fixable] of [
      ['[orders]', '', false],
      ['[orders.fqn]', '', false],
      ['[orders.serverSideEncryption]', '', false],
      ['triggers', '    const triggers = [orders];\n', false],
      ["['aws_dynamodb_table.orders']", '', false],
      ["['aws_dynamodb_table.orders.arn']", '', true],
      ['[pick(orders)]', '', false],
      ['[orders.arn]', '', true],
      ['[orders.name]', '', true],
    ] as const) {
      const scan = await processMemory([{ path: 'main.ts', text: program(trigger, before) }], 'scan');
      const t = scan.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'orders')!;
      expect([trigger, t.fixable]).toEqual([trigger, fixable]);
      if (!fixable) expect(t.blocker).toContain("LambdaFunction 'reader' (main.ts:");
    }
    const scan = await processMemory([{ path: 'main.ts', text: program('[orders]') }], 'scan');
    expect(scan.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'orders')!.blocker).toContain(
      "LambdaFunction 'reader' (main.ts:10: orders) names this table in lifecycle.replaceTriggeredBy, so the cdktf deploy (terraform apply) " +
        "of a fix, which changes the table's serverSideEncryption, would replace it: LambdaFunction 'reader' would be destroyed and re-created " +
        '(an outage while it is). Take orders out of its replaceTriggeredBy (or name only an attribute the fix does not change, such as orders.arn), ' +
        'deploy, then run kmsfix again',
    );
  });
});
