/**
 * Synthesized output (src/core/synthOutput.ts, src/formats/cloudformation/synthesized.ts): tables of
 * a template `cdk synth` wrote, under cdk.out or copied beside the CDK app (Metadata aws:cdk:path and a
 * cdk.json with an app at or above), and of `cdktf synth`'s cdktf.out, are reported as read and never
 * fixed, the step sending the user to the app. A CDK-marked template with no CDK app around stays fixable.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../src/engine/memory.js';

const TEMPLATE = `Resources:
  Orders3F2A9C1B:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
    UpdateReplacePolicy: Retain
    DeletionPolicy: Retain
    Metadata:
      aws:cdk:path: OrdersStack/Orders/Resource
`;

const CDK_JSON = '{ "app": "python3 app.py" }\n';

const CDKTF = JSON.stringify(
  {
    '//': { metadata: { backend: 'local', stackName: 'orders', version: '0.20.0' } },
    provider: { aws: [{ region: 'us-east-1' }] },
    resource: {
      aws_dynamodb_table: {
        orders: {
          '//': { metadata: { path: 'orders/orders', uniqueId: 'orders' } },
          name: 'orders',
          billing_mode: 'PAY_PER_REQUEST',
          hash_key: 'id',
          attribute: [{ name: 'id', type: 'S' }],
        },
      },
    },
  },
  null,
  2,
);

async function tablesOf(files: MemoryFile[], path: string) {
  const r = await processMemory(files, 'scan');
  const o = r.outcomes.find((x) => x.file.path === path)!;
  expect(o.error).toBeUndefined();
  return o.tables;
}

async function fixed(files: MemoryFile[], path: string) {
  const r = await processMemory(files, 'fix');
  return r.outcomes.find((x) => x.file.path === path)!.newText !== undefined;
}

describe('cdk synth output beside its CDK app', () => {
  const files = [
    { path: 'etl/cdk.json', text: CDK_JSON },
    { path: 'etl/template.yaml', text: TEMPLATE },
  ];

  it('is reported as read, not fixable, the step naming the app and the synth', async () => {
    const [t] = await tablesOf(files, 'etl/template.yaml');
    expect(t).toMatchObject({ address: 'Orders3F2A9C1B', status: 'aws-owned', fixable: false });
    expect(t.message).toContain(
      'Not fixable automatically: this is `cdk synth` output (Metadata aws:cdk:path OrdersStack/Orders/Resource, from the CDK app of ' +
        'etl/cdk.json, app "python3 app.py"): the next synth overwrites it, so a fix here would never reach the app. Fix the table in ' +
        'the CDK app that generates it',
    );
    expect(t.message).toMatch(/then run cdk synth again$/);
    expect(await fixed(files, 'etl/template.yaml')).toBe(false);
  });

  it('a cdk.json in a folder above counts; one without an app does not', async () => {
    const deeper = [CDK_JSON, '{ "context": {} }\n'].map((cdk) => [
      { path: 'etl/cdk.json', text: cdk },
      { path: 'etl/synth/template.yaml', text: TEMPLATE },
    ]);
    expect((await tablesOf(deeper[0], 'etl/synth/template.yaml'))[0].fixable).toBe(false);
    expect((await tablesOf(deeper[1], 'etl/synth/template.yaml'))[0].fixable).toBe(true);
  });

  it('without a CDK app around, a CDK-marked template may be what is deployed: fixable, and fixed', async () => {
    const alone = [{ path: 'deployed/template.yaml', text: TEMPLATE }];
    expect((await tablesOf(alone, 'deployed/template.yaml'))[0].fixable).toBe(true);
    expect(await fixed(alone, 'deployed/template.yaml')).toBe(true);
  });

  it('a table without aws:cdk:path beside a cdk.json (a hand-written template the app includes) stays fixable', async () => {
    const own = [
      { path: 'etl/cdk.json', text: CDK_JSON },
      { path: 'etl/legacy.yaml', text: TEMPLATE.replace(/ {4}Metadata:\n.*\n/, '') },
    ];
    expect((await tablesOf(own, 'etl/legacy.yaml'))[0].fixable).toBe(true);
  });
});

describe('files under cdk.out and cdktf.out', () => {
  it('a template under cdk.out, with or without a CDK app around: not fixable', async () => {
    const text = JSON.stringify({
      Resources: { Orders: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } } },
    });
    const files = [{ path: 'cdk.out/OrdersStack.template.json', text }];
    const [t] = await tablesOf(files, 'cdk.out/OrdersStack.template.json');
    expect(t).toMatchObject({ status: 'aws-owned', fixable: false });
    expect(t.message).toContain('Not fixable automatically: this is `cdk synth` output (under cdk.out): the next synth overwrites it');
    // kmsfix reads a JavaScript app and rewrites TypeScript only (real-world round 28: a JavaScript app's committed template).
    expect(t.message).toContain(
      '(kmsfix fixes apps in TypeScript; in another language, give the table a customer-managed KMS key by hand)',
    );
    expect(await fixed(files, 'cdk.out/OrdersStack.template.json')).toBe(false);
  });

  it("cdktf synth's cdk.tf.json: not fixable, the step naming cdktf synth", async () => {
    const files = [{ path: 'app/cdktf.out/stacks/orders/cdk.tf.json', text: CDKTF }];
    const [t] = await tablesOf(files, 'app/cdktf.out/stacks/orders/cdk.tf.json');
    expect(t).toMatchObject({ address: 'aws_dynamodb_table.orders', status: 'aws-owned', fixable: false });
    expect(t.message).toContain('Not fixable automatically: this is `cdktf synth` output (under cdktf.out)');
    expect(t.message).toMatch(/then run cdktf synth again$/);
    expect(await fixed(files, 'app/cdktf.out/stacks/orders/cdk.tf.json')).toBe(false);
  });

  it('the same cdk.tf.json elsewhere is told by its "//" metadata: not fixable; without that metadata it is fixed', async () => {
    const files = [{ path: 'app/tf/cdk.tf.json', text: CDKTF }];
    const [t] = await tablesOf(files, 'app/tf/cdk.tf.json');
    expect(t).toMatchObject({ status: 'aws-owned', fixable: false });
    expect(t.message).toContain(`this is \`cdktf synth\` output (CDKTF's "//" metadata with stackName in it)`);
    const plain = CDKTF.replace(/"\/\/": \{\s*"metadata": \{[^{}]*\}\s*\},?/g, '');
    const hand = [{ path: 'app/tf/cdk.tf.json', text: plain }];
    expect(plain).not.toContain('"//"');
    expect((await tablesOf(hand, 'app/tf/cdk.tf.json'))[0].fixable).toBe(true);
    expect(await fixed(hand, 'app/tf/cdk.tf.json')).toBe(true);
  });

  it("Winglang's target/main.tfaws/main.tf.json: not fixable, the step naming the main.w it is compiled from", async () => {
    const { '//': _, ...rest } = JSON.parse(CDKTF) as Record<string, unknown>;
    const files = [
      { path: 'wing/main.w', text: 'bring cloud;\nlet counter = new cloud.Counter();\n' },
      { path: 'wing/target/main.tfaws/main.tf.json', text: JSON.stringify(rest, null, 2) },
    ];
    const [t] = await tablesOf(files, 'wing/target/main.tfaws/main.tf.json');
    expect(t).toMatchObject({ status: 'aws-owned', fixable: false });
    expect(t.message).toContain(
      `this is output compiled from wing/main.w (CDKTF's "//" metadata with uniqueId in it): the next compile overwrites it`,
    );
    expect(t.message).toMatch(/in wing\/main\.w by hand \(kmsfix does not rewrite it\), then compile again$/);
    expect(await fixed(files, 'wing/target/main.tfaws/main.tf.json')).toBe(false);
  });
});

// Deploy review of session 60, F2: what a construct of a package adds to a table (a resource policy, a zero-ETL
// integration) is seen in the synthesized output alone, whose step otherwise hides it: said beside it.
describe('synthesized output: who else the app lets read the table is said too', () => {
  const POLICY =
    '      ResourcePolicy:\n        PolicyDocument:\n          Version: "2012-10-17"\n          Statement:\n' +
    '            - Effect: Allow\n              Principal: { Service: glue.amazonaws.com }\n' +
    '              Action: dynamodb:ExportTableToPointInTime\n              Resource: "*"\n';
  const withPolicy = TEMPLATE.replace('    UpdateReplacePolicy', `${POLICY}    UpdateReplacePolicy`);

  it('cdk.out: a resource policy letting a service in, after the synth step; a table without one: the synth step alone', async () => {
    const [t] = await tablesOf([{ path: 'cdk.out/OrdersStack.template.yaml', text: withPolicy }], 'cdk.out/OrdersStack.template.yaml');
    expect(t.fixable).toBe(false);
    expect(t.message).toContain(
      'then run cdk synth again. In the app, this table needs more than a fix: its ResourcePolicy lets in the service glue.amazonaws.com',
    );
    const [plain] = await tablesOf([{ path: 'cdk.out/OrdersStack.template.yaml', text: TEMPLATE }], 'cdk.out/OrdersStack.template.yaml');
    expect(plain.message).not.toContain('In the app');
  });

  it('cdktf.out: a resource policy granting another account', async () => {
    const doc = JSON.parse(CDKTF);
    doc.resource.aws_dynamodb_resource_policy = {
      share: {
        resource_arn: '${aws_dynamodb_table.orders.arn}',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'dynamodb:GetItem', Resource: '*' }],
        }),
      },
    };
    const path = 'cdktf.out/stacks/orders/cdk.tf.json';
    const [t] = await tablesOf([{ path, text: JSON.stringify(doc, null, 2) }], path);
    expect(t.message).toContain(
      'then run cdktf synth again. In the app, this table needs more than a fix: its resource policy aws_dynamodb_resource_policy.share grants principals of account 222222222222',
    );
  });
});
