/**
 * Which changes of a table's settings `const` count (session 59's second adversarial pass, F5 and F6;
 * src/formats/typescript/mutatedConsts.ts, unreadProps.ts). A change counts when it may reach what kmsfix reads: a
 * prop not in UNREAD_TABLE_PROPS (the encryption settings, replicas, Region, options...), one kmsfix cannot name, the
 * whole const, written as an assignment of any operator, `++`/`--`, `delete`, a destructuring or `for...of` /
 * `for...in` target, or a call that may change it. A change of a prop kmsfix does not read (`args.tags.stage =
 * 'prod'`, `props.billingMode = ...`) and a call of a function of the file that only reads its parameter leave the
 * table read as written: fixed.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

async function tables(path: string, text: string, mode: 'scan' | 'fix' = 'scan') {
  const r = await processMemory([{ path, text }], mode, {});
  expect(r.outcomes[0].error).toBeUndefined();
  return {
    newText: r.outcomes[0].newText as string | undefined,
    t: Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address, { status: t.status, message: t.message, fixed: t.fixed === true }])),
  };
}

/** A Pulumi program: `args` a const of table args with a customer-managed key, `change` after it, then the table. */
const pulumi = (change: string, before = '') =>
  "import * as aws from '@pulumi/aws';\n" +
  "const key = new aws.kms.Key('k', { enableKeyRotation: true });\n" +
  before +
  'const args = {\n' +
  "  attributes: [{ name: 'id', type: 'S' }],\n  hashKey: 'id',\n  billingMode: 'PAY_PER_REQUEST',\n" +
  "  tags: { team: 'orders' } as Record<string, string>,\n" +
  '  serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } as any,\n};\n' +
  change +
  "\nexport const orders = new aws.dynamodb.Table('orders', args);\n";

describe('F5: a change written as a destructuring or loop target, ++/--, a compound assignment', () => {
  const changes = [
    '[args.serverSideEncryption] = [undefined];',
    '({ sse: args.serverSideEncryption } = { sse: undefined });',
    '[[args.serverSideEncryption]] = [[undefined]];',
    '[{ s: args.serverSideEncryption }] = [{ s: undefined }];',
    '[args.serverSideEncryption = undefined] = [];',
    '[, ...args.serverSideEncryption] = [1, 2];',
    '({ ...args.serverSideEncryption } = { enabled: false });',
    '[(args.serverSideEncryption as any)] = [undefined];',
    'for (args.serverSideEncryption of [undefined]) {}',
    'for (args.serverSideEncryption in { x: 1 }) {}',
    '[args.serverSideEncryption.enabled] = [false];',
    'args.serverSideEncryption.enabled &&= false;',
    'args.serverSideEncryption ||= undefined;',
    'args.serverSideEncryption ??= undefined;',
    'args.serverSideEncryption.kmsKeyArn += "x";',
    'args.serverSideEncryption.enabled++;',
    '--args.serverSideEncryption.enabled;',
  ];
  for (const change of changes)
    it(`\`${change}\`: unknown, the change named`, async () => {
      const { t } = await tables('index.ts', pulumi(change));
      expect(t.orders.status).toBe('unknown');
      expect(t.orders.message).toContain('props are args, a const the file changes after its declaration (line 10: ');
    });

  it('the same targets in a key const: the key member unknown', async () => {
    const text = (change: string) =>
      "import * as aws from '@pulumi/aws';\n" +
      "const key = new aws.kms.Key('k', { enableKeyRotation: true });\n" +
      'const keys = { orders: key.arn as any };\n' +
      change +
      "\nexport const orders = new aws.dynamodb.Table('orders', { hashKey: 'id', serverSideEncryption: { enabled: true, kmsKeyArn: keys.orders } });\n";
    expect((await tables('index.ts', text(''))).t.orders.status).toBe('customer-managed');
    for (const change of [
      "[keys.orders] = ['alias/aws/dynamodb'];",
      "({ x: keys.orders } = { x: 'alias/aws/dynamodb' });",
      "for (keys.orders of ['alias/aws/dynamodb']) {}",
    ]) {
      const { t } = await tables('index.ts', text(change));
      expect([change, t.orders.status]).toEqual([change, 'unknown']);
      expect(t.orders.message).toContain(
        'the key keys.orders is a member of keys, a const the file changes after its declaration (line 4: ',
      );
    }
  });

  it('its members assigned to other names by destructuring, a loop over its members: no change', async () => {
    const { t } = await tables(
      'index.ts',
      pulumi(
        'let a: unknown;\nlet b: unknown;\n[a] = [args.serverSideEncryption];\n({ b } = { b: args.hashKey });\nfor (const x of [args.serverSideEncryption]) console.log(x, a, b);',
      ),
    );
    expect(t.orders.status).toBe('customer-managed');
  });
});

describe('F6: a change of a prop kmsfix does not read', () => {
  it('Pulumi: tags, billing mode, hash key changed, also by destructuring: read as written, fixed', async () => {
    const text = pulumi(
      "args.tags.stage = 'prod';\n[args.billingMode] = ['PROVISIONED'];\nargs.hashKey += '';\ndelete (args as any).ttl;\n(args as any).attributes.push({ name: 'b', type: 'S' });",
    ).replace('  serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } as any,\n', '');
    const { t } = await tables('index.ts', text, 'fix');
    expect(t.orders).toMatchObject({ status: 'aws-owned', fixed: true });
  });

  it('a prop kmsfix does not read that holds a value another prop holds too: a change through it is unknown', async () => {
    const text =
      "import * as aws from '@pulumi/aws';\n" +
      "const key = new aws.kms.Key('k', { enableKeyRotation: true });\n" +
      'const sse = { enabled: true, kmsKeyArn: key.arn as any };\n' +
      "const args = { hashKey: 'id', tags: sse as any, serverSideEncryption: sse };\n" +
      "args.tags.kmsKeyArn = 'alias/aws/dynamodb';\n" +
      "export const orders = new aws.dynamodb.Table('orders', args);\n";
    const { t } = await tables('index.ts', text);
    expect(t.orders.status).toBe('unknown');
    expect(t.orders.message).toContain("(line 5: args.tags.kmsKeyArn = 'alias/aws/dynamodb')");
    const listed = await tables(
      'index.ts',
      text.replace("args.tags.kmsKeyArn = 'alias/aws/dynamodb';", "Object.assign(args.tags, { kmsKeyArn: 'alias/aws/dynamodb' });"),
    );
    expect(listed.t.orders.status).toBe('unknown');
  });

  it('the same through a spread of the const (lookup.ts): unknown, directly or spread', async () => {
    const text =
      "import * as aws from '@pulumi/aws';\n" +
      "const key = new aws.kms.Key('k', { enableKeyRotation: true });\n" +
      'const keys = { arn: key.arn as any };\n' +
      "const args = { hashKey: 'id', tags: keys as any, serverSideEncryption: { enabled: true, kmsKeyArn: keys.arn } };\n" +
      "args.tags.arn = 'alias/aws/dynamodb';\n" +
      "export const orders = new aws.dynamodb.Table('orders', { ...args, billingMode: 'PAY_PER_REQUEST' });\n" +
      "export const direct = new aws.dynamodb.Table('direct', args);\n";
    const { t } = await tables('index.ts', text);
    expect(t.orders.status).toBe('unknown');
    expect(t.orders.message).toContain(
      'serverSideEncryption may come from the spread of args, a const the file changes after its declaration (line 5:',
    );
    expect(t.direct.status).toBe('unknown');
  });

  const reaching = [
    'args.serverSideEncryption = { enabled: false };',
    'args.serverSideEncryption.enabled = false;',
    "(args as any).replicas = [{ regionName: 'eu-west-1' }];",
    "(args as any).region = 'eu-west-1';",
    "(args as any)['pointInTimeRecovery'] = { enabled: true };",
    "(args as any).name = 'other';",
    'const k = "serverSideEncryption";\n(args as any)[k] = undefined;',
    "Object.assign(args, { billingMode: 'PROVISIONED' });",
    "const same = args;\nsame.billingMode = 'PROVISIONED';",
    "const t = args.tags;\nt.stage = 'prod';",
  ];
  for (const change of reaching)
    it(`\`${change.replace(/\n/g, ' ')}\`: a prop kmsfix reads, one it cannot name, the whole const or an alias: unknown`, async () => {
      const { t } = await tables('index.ts', pulumi(change));
      expect(t.orders.status).toBe('unknown');
      expect(t.orders.message).toContain('props are args, a const the file changes after its declaration');
    });

  it('CDK TableProps and CDKTF config: billing mode, time to live, tags changed: fixed; the encryption changed: unknown', async () => {
    const cdk = (change: string) =>
      "import * as cdk from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport { Construct } from 'constructs';\n" +
      'export class S extends cdk.Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
      "    const props: dynamodb.TableProps = { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } };\n" +
      `    ${change}\n` +
      "    new dynamodb.Table(this, 'T', props);\n  }\n}\n";
    const fixed = await tables(
      'stack.ts',
      cdk("(props as any).billingMode = dynamodb.BillingMode.PAY_PER_REQUEST;\n    (props as any).timeToLiveAttribute = 'ttl';"),
      'fix',
    );
    expect(fixed.t.T).toMatchObject({ status: 'aws-owned', fixed: true });
    const changed = await tables('stack.ts', cdk('(props as any).encryption = dynamodb.TableEncryption.AWS_MANAGED;'));
    expect(changed.t.T.status).toBe('unknown');
    const replicated = await tables('stack.ts', cdk("(props as any).replicationRegions = ['eu-west-1'];"));
    expect(replicated.t.T.status).toBe('unknown');

    const cdktf = (change: string) =>
      "import { Construct } from 'constructs';\nimport { TerraformStack } from 'cdktf';\n" +
      "import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';\n" +
      'export class S extends TerraformStack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
      "    const config = { name: 'orders', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }], tags: { team: 'orders' } as Record<string, string> };\n" +
      `    ${change}\n` +
      "    new DynamodbTable(this, 'orders', config);\n  }\n}\n";
    expect((await tables('main.ts', cdktf("config.tags.stage = 'prod';"), 'fix')).t.orders).toMatchObject({
      status: 'aws-owned',
      fixed: true,
    });
    expect(
      (await tables('main.ts', cdktf('(config as any).lifecycle = { ignoreChanges: ["server_side_encryption"] };'))).t.orders.status,
    ).toBe('unknown');
    expect((await tables('main.ts', cdktf('(config as any).provider = undefined;'))).t.orders.status).toBe('unknown');
  });

  it("tags changed after the const's declaration: the key does not copy them; unchanged: it does", async () => {
    const text = (change: string) =>
      pulumi(change)
        .replace('  serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } as any,\n', '')
        .replace("const key = new aws.kms.Key('k', { enableKeyRotation: true });\n", '')
        .replace(' as Record<string, string>', '');
    const kept = await tables('index.ts', text("args.billingMode = 'PROVISIONED';"), 'fix');
    expect(kept.t.orders.fixed).toBe(true);
    expect(kept.newText).toMatch(/new aws\.kms\.Key\('orders-key', \{[^}]*tags: \{ team: 'orders' \}/);
    const changed = await tables('index.ts', text("args.tags.stage = 'prod';"), 'fix');
    expect(changed.t.orders.fixed).toBe(true);
    expect(changed.newText).toContain("new aws.kms.Key('orders-key', {");
    expect(changed.newText).not.toMatch(/new aws\.kms\.Key\('orders-key', \{[^}]*tags/);
  });
});

describe('F6: the const passed to a function of the file', () => {
  const readers = [
    'function describe(a: any): string {\n  return String(a.hashKey);\n}\nconsole.log(describe(args));',
    'function check(a: any) {\n  if (!a.hashKey || a.billingMode === "X") throw new Error(`bad ${a.hashKey}`);\n  const mode = a.billingMode;\n  console.log(mode, typeof a.tags, a.tags.team.length);\n}\ncheck(args);',
    'const log = (a: any) => console.log(JSON.stringify(a), a.serverSideEncryption ? "sse" : "none");\nlog(args);',
    'function tagsOf(label: string, a: any) {\n  return label + a.tags?.team;\n}\ntagsOf("x", args);',
  ];
  for (const helper of readers)
    it(`one that only reads it: read as written (${helper.split('\n')[0]})`, async () => {
      const { t } = await tables('index.ts', pulumi(helper));
      expect(t.orders.status).toBe('customer-managed');
    });

  const writers: [string, string][] = [
    ['has a `this` parameter before it', 'function reset(this: void, a: any) {\n  a.serverSideEncryption = undefined;\n}\nreset(args);'],
    [
      'is declared in a block the call is not in (the call names another, a global one)',
      '{\n  function reset(a: any) {\n    console.log(a.hashKey);\n  }\n  console.log(reset);\n}\nreset(args);',
    ],
    ['assigns a member', 'function reset(a: any) {\n  a.serverSideEncryption = undefined;\n}\nreset(args);'],
    ['assigns a member by destructuring', 'function reset(a: any) {\n  [a.serverSideEncryption] = [undefined];\n}\nreset(args);'],
    ['deletes a member', 'function reset(a: any) {\n  delete a.serverSideEncryption;\n}\nreset(args);'],
    ['Object.assign', 'function reset(a: any) {\n  Object.assign(a, { serverSideEncryption: undefined });\n}\nreset(args);'],
    ['passes it on', 'declare function other(a: any): void;\nfunction reset(a: any) {\n  other(a);\n}\nreset(args);'],
    [
      'passes a member on',
      'declare function other(a: any): void;\nfunction reset(a: any) {\n  other(a.serverSideEncryption);\n}\nreset(args);',
    ],
    ['returns it', 'function same(a: any) {\n  return a;\n}\nsame(args).serverSideEncryption = undefined;'],
    ['changes it through an alias', 'function reset(a: any) {\n  const b = a.serverSideEncryption;\n  b.enabled = false;\n}\nreset(args);'],
    [
      'changes it in a closure',
      'function later(a: any) {\n  setTimeout(() => {\n    a.serverSideEncryption = undefined;\n  });\n}\nlater(args);',
    ],
    ['reads `arguments`', 'function reset(a: any) {\n  arguments[0].serverSideEncryption = undefined;\n}\nreset(args);'],
    [
      'has a destructured parameter',
      'function reset({ serverSideEncryption }: any) {\n  serverSideEncryption.enabled = false;\n}\nreset(args);',
    ],
    ['has a rest parameter', 'function reset(...all: any[]) {\n  all[0].serverSideEncryption = undefined;\n}\nreset(args);'],
    ['is only declared', 'declare function reset(a: any): void;\nreset(args);'],
    [
      'is declared twice',
      'function reset(a: any) {\n  return a.hashKey;\n}\n{\n  function reset(a: any) {\n    a.serverSideEncryption = undefined;\n  }\n  reset(args);\n}',
    ],
    ['is reassigned', 'let reset = (a: any) => a.hashKey;\nreset = (a: any) => (a.serverSideEncryption = undefined);\nreset(args);'],
    [
      'shares its name with a parameter',
      'function reset(a: any) {\n  return a.hashKey;\n}\nfunction run(reset: (a: any) => void) {\n  reset(args);\n}\nrun(() => {});',
    ],
    ['spreads it', 'function copy(a: any) {\n  const c = { ...a };\n  c.serverSideEncryption.enabled = false;\n}\ncopy(args);'],
  ];
  for (const [what, helper] of writers)
    it(`one that ${what}: unknown`, async () => {
      const { t } = await tables('index.ts', pulumi(helper));
      expect(t.orders.status).toBe('unknown');
      expect(t.orders.message).toContain('props are args, a const the file changes after its declaration');
    });
});
