/**
 * --kms-key-arn and the Region a project, not the table's file, gives a table's stack (session 65, region2; the deploy
 * review's F3): a CDK stack class the app's entry creates with `env: { region }`, and a Pulumi program (TypeScript
 * or YAML) whose stacks set `aws:region` for the default provider. A table whose stacks deploy only to other Regions
 * than the key's is declined naming both Regions and where each was read; stacks in the key's Region and others:
 * declined naming the others; none known: fixed as before.
 */
import { describe, expect, it } from 'vitest';
import { processMemory, type MemoryFile } from '../../../src/engine/memory.js';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

async function verdicts(files: MemoryFile[]) {
  const r = await processMemory(files, 'fix', { kmsKeyArn: ARN });
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error.message] : []))).toEqual([]);
  const tables = Object.fromEntries(
    r.outcomes.flatMap((o) =>
      o.tables.map((t) => [
        t.address,
        { fixed: t.fixed === true, declined: t.fixed ? undefined : t.message.split('Not fixable automatically: ')[1] },
      ]),
    ),
  );
  return { tables, output: r.output };
}

const STACK = `import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

export class OrdersStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  }
}
`;

const cdkApp = (creation: string): MemoryFile[] => [
  { path: 'cdk.json', text: JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/app.ts' }) },
  {
    path: 'bin/app.ts',
    text: `import * as cdk from 'aws-cdk-lib';\nimport { OrdersStack } from '../lib/orders-stack';\n\nconst app = new cdk.App();\n${creation}\n`,
  },
  { path: 'lib/orders-stack.ts', text: STACK },
];

describe("CDK: the app's entry gives the stack class its env.region", () => {
  it('another Region: declined, both Regions and the entry line named', async () => {
    const r = await verdicts(cdkApp("new OrdersStack(app, 'Orders', { env: { account: '111122223333', region: 'eu-west-1' } });"));
    expect(r.tables.Orders).toEqual({
      fixed: false,
      declined:
        "--kms-key-arn names a key in us-east-1, and this table is in eu-west-1 (OrdersStack, created in bin/app.ts line 5 with env.region eu-west-1): a table's key must be in its Region. " +
        "The deploy would fail and CloudFormation would roll the stack back: give a key of that Region (a multi-Region key's replica there)",
    });
    expect(r.output.get('lib/orders-stack.ts')).toBe(STACK);
  });

  it("two stacks, one in the key's Region: declined naming the other", async () => {
    const r = await verdicts(
      cdkApp(
        "new OrdersStack(app, 'Dev', { env: { region: 'us-east-1' } });\nnew OrdersStack(app, 'Prod', { env: { region: 'eu-west-1' } });",
      ),
    );
    expect(r.tables.Orders.fixed).toBe(false);
    expect(r.tables.Orders.declined).toContain(
      'this table is in eu-west-1 (OrdersStack, created in bin/app.ts line 6 with env.region eu-west-1)',
    );
    expect(r.tables.Orders.declined).toContain("a key is in one Region, and the table's other stacks deploy to us-east-1");
  });

  it('an env or a Region held in a const of the entry is read', async () => {
    for (const creation of [
      "const env = { account: '111122223333', region: 'eu-west-1' };\nnew OrdersStack(app, 'Orders', { env });",
      "const region = 'eu-west-1';\nnew OrdersStack(app, 'Orders', { env: { region } });",
    ]) {
      const r = await verdicts(cdkApp(creation));
      expect(r.tables.Orders.declined, creation).toContain(
        'this table is in eu-west-1 (OrdersStack, created in bin/app.ts line 6 with env.region eu-west-1)',
      );
    }
    // A const the entry changes after its declaration may hold any Region.
    const changed = await verdicts(
      cdkApp("const env = { region: 'eu-west-1' };\nenv.region = 'us-east-1';\nnew OrdersStack(app, 'Orders', { env });"),
    );
    expect(changed.tables.Orders.fixed).toBe(true);
  });

  it("the key's Region, or none known: fixed as before", async () => {
    for (const creation of [
      "new OrdersStack(app, 'Orders', { env: { region: 'us-east-1' } });",
      "new OrdersStack(app, 'Orders', { env: { region: process.env.CDK_DEFAULT_REGION } });",
      "new OrdersStack(app, 'Orders', {});",
    ]) {
      const r = await verdicts(cdkApp(creation));
      expect(r.tables.Orders, creation).toEqual({ fixed: true, declined: undefined });
    }
  });
});

const PULUMI_TS = `import * as aws from '@pulumi/aws';

export const orders = new aws.dynamodb.Table('orders', {
  attributes: [{ name: 'id', type: 'S' }],
  hashKey: 'id',
});
`;

const PULUMI_YAML = `name: shop
runtime: yaml
resources:
  orders:
    type: aws:dynamodb:Table
    properties:
      attributes:
        - name: id
          type: S
      hashKey: id
`;

const stack = (region: string) => `config:\n  aws:region: ${region}\n`;

describe("Pulumi: the default provider's aws:region in each stack's file", () => {
  const ts = (stacks: Record<string, string>, project = 'name: shop\nruntime: nodejs\n'): MemoryFile[] => [
    { path: 'Pulumi.yaml', text: project },
    { path: 'index.ts', text: PULUMI_TS },
    ...Object.entries(stacks).map(([path, text]) => ({ path, text })),
  ];
  const yaml = (stacks: Record<string, string>): MemoryFile[] => [
    { path: 'Pulumi.yaml', text: PULUMI_YAML },
    ...Object.entries(stacks).map(([path, text]) => ({ path, text })),
  ];

  it.each([
    ['TypeScript', ts],
    ['YAML', yaml],
  ])('%s: every stack in another Region: declined, naming the stack file', async (_, project) => {
    const r = await verdicts(project({ 'Pulumi.prod.yaml': stack('eu-west-1') }));
    expect(r.tables.orders).toEqual({
      fixed: false,
      declined:
        "--kms-key-arn names a key in us-east-1, and this table is in eu-west-1 (stack prod: Pulumi.prod.yaml aws:region eu-west-1): a table's key must be in its Region. " +
        "`pulumi up` would stop at the table on that stack: give a key of that Region (a multi-Region key's replica there)",
    });
  });

  it.each([
    ['TypeScript', ts],
    ['YAML', yaml],
  ])("%s: Pulumi.dev.yaml in the key's Region, Pulumi.prod.yaml not: declined naming prod", async (_, project) => {
    const r = await verdicts(project({ 'Pulumi.dev.yaml': stack('us-east-1'), 'Pulumi.prod.yaml': stack('eu-west-1') }));
    expect(r.tables.orders.fixed).toBe(false);
    expect(r.tables.orders.declined).toContain('this table is in eu-west-1 (stack prod: Pulumi.prod.yaml aws:region eu-west-1)');
    expect(r.tables.orders.declined).not.toContain('Pulumi.dev.yaml');
    expect(r.tables.orders.declined).toContain("a key is in one Region, and the table's other stacks deploy to us-east-1");
  });

  it.each([
    ['TypeScript', ts],
    ['YAML', yaml],
  ])("%s: every stack in the key's Region, or none set: fixed", async (_, project) => {
    for (const stacks of [
      { 'Pulumi.dev.yaml': stack('us-east-1') },
      { 'Pulumi.dev.yaml': 'config:\n  shop:env: dev\n' },
      { 'Pulumi.dev.yaml': 'environment:\n  - aws/prod\n' },
    ]) {
      const r = await verdicts(project(stacks));
      expect(r.tables.orders, JSON.stringify(stacks)).toEqual({ fixed: true, declined: undefined });
    }
  });

  it("TypeScript: the project's default aws:region counts for a stack that sets none", async () => {
    const r = await verdicts(
      ts({ 'Pulumi.dev.yaml': 'config:\n  shop:env: dev\n' }, 'name: shop\nruntime: nodejs\nconfig:\n  aws:region: eu-west-1\n'),
    );
    expect(r.tables.orders.declined).toContain('(stack dev: Pulumi.yaml config aws:region eu-west-1, which Pulumi.dev.yaml does not set)');
  });

  it("TypeScript: a table on an explicit provider does not take the stack's aws:region", async () => {
    const files = ts({ 'Pulumi.prod.yaml': stack('eu-west-1') });
    files[1] = {
      path: 'index.ts',
      text: PULUMI_TS.replace(
        "import * as aws from '@pulumi/aws';\n",
        "import * as aws from '@pulumi/aws';\nconst east = new aws.Provider('east', { region: 'us-east-1' });\n",
      ).replace("hashKey: 'id',\n});", "hashKey: 'id',\n}, { provider: east });"),
    };
    const r = await verdicts(files);
    expect(r.tables.orders).toEqual({ fixed: true, declined: undefined });
  });
});
