/**
 * A key read from a prop the file's types declare optional (src/formats/typescript/optionalProps.ts) may be left out
 * by a caller, and then the table has no key (CDK's Table: the AWS owned key; Pulumi: the AWS managed one): unknown,
 * not customer-managed (real-world round 28: GemeenteNijmegen/open-forms' `encryptionKey: this.props.key`, `key?: Key`).
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const construct = (types: string, encryption = '') => `import { AttributeType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

${types}

export class Cache extends Construct {
  private readonly props: CacheProps;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    this.props = props;
    new Table(this, 'Cache', {
      partitionKey: { name: 'id', type: AttributeType.STRING },${encryption}
      encryptionKey: this.props.key,
    });
  }
}
`;

const pulumi = (optional: string) => `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

export interface DbArgs {
  kmsKeyArn${optional}: pulumi.Input<string>;
}

export class Db extends pulumi.ComponentResource {
  constructor(name: string, args: DbArgs, opts?: pulumi.ComponentResourceOptions) {
    super('x:index:Db', name, {}, opts);
    new aws.dynamodb.Table(\`\${name}-t\`, {
      attributes: [{ name: 'id', type: 'S' }],
      hashKey: 'id',
      serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
    }, { parent: this });
  }
}
`;

async function status(path: string, text: string) {
  const t = (await processMemory([{ path, text }], 'scan')).outcomes[0].tables[0];
  return { status: t.status, message: t.message };
}

it.each([
  ['interface CacheProps {\n  key?: Key;\n}', '', 'unknown'],
  ['type CacheProps = {\n  key: Key | undefined;\n};', '', 'unknown'],
  ['interface CacheProps {\n  key: Key;\n}', '', 'customer-managed'],
  // CUSTOMER_MANAGED without a key: CDK creates one.
  ['interface CacheProps {\n  key?: Key;\n}', '\n      encryption: TableEncryption.CUSTOMER_MANAGED,', 'customer-managed'],
])('AWS CDK: %s %s', async (types, encryption, expected) => {
  const r = await status('lib/cache.ts', construct(types, encryption));
  expect(r.status).toBe(expected);
  if (expected === 'unknown') expect(r.message).toContain('the key may be left out (this.props.key: key is optional in CacheProps)');
});

it('Pulumi: an optional arg is unknown, a required one customer-managed', async () => {
  expect(await status('index.ts', pulumi('?'))).toMatchObject({ status: 'unknown' });
  expect(await status('index.ts', pulumi(''))).toMatchObject({ status: 'customer-managed' });
});

it.each([
  ['const key: string | undefined = app.node.tryGetContext("key");', 'key', 'is undefined where the context does not set it'],
  ['let key: string | undefined;', 'key', 'key is typed string | undefined'],
  [
    'const config = new pulumi.Config();\nconst key = config.get("tableKey");',
    'key',
    'is undefined in a stack whose config does not set it',
  ],
  ['const key = cfg.tableKeyArn || undefined;', 'key', 'may be undefined'],
])('a key that may be undefined when the program runs (real-world round 28): %s', async (decl, read, why) => {
  const text = `import * as pulumi from '@pulumi/pulumi';\nimport * as aws from '@pulumi/aws';\n\n${decl}\n\nexport const orders = new aws.dynamodb.Table('orders', {\n  hashKey: 'id',\n  serverSideEncryption: { enabled: true, kmsKeyArn: ${read} },\n});\n`;
  const r = await status('index.ts', text);
  expect(r.status).toBe('unknown');
  expect(r.message).toContain(why);
});

it('config.require (a stack without the value fails), process.env (the deployer sets it) and a default after ?? stay customer-managed', async () => {
  for (const decl of [
    'const key = new pulumi.Config().require("tableKey");',
    'const key = process.env.TABLE_KEY;',
    'const key = cfg.key ?? "arn:aws:kms:eu-west-1:1:key/k";',
  ]) {
    const text = `import * as pulumi from '@pulumi/pulumi';\nimport * as aws from '@pulumi/aws';\n\n${decl}\n\nexport const orders = new aws.dynamodb.Table('orders', {\n  hashKey: 'id',\n  serverSideEncryption: { enabled: true, kmsKeyArn: key },\n});\n`;
    expect((await status('index.ts', text)).status, decl).toBe('customer-managed');
  }
});

const pulumiTable = (pre: string, key: string) =>
  `import * as pulumi from '@pulumi/pulumi';\nimport * as aws from '@pulumi/aws';\n\n${pre}\n\nexport const orders = new aws.dynamodb.Table('orders', {\n  hashKey: 'id',\n  serverSideEncryption: { enabled: true, kmsKeyArn: ${key} },\n});\n`;

it.each([
  // A guard, a let the code fills in, a default that wins over the type (adversarial pass: they were unknown).
  [
    'const config = new pulumi.Config();\nconst arn = config.get("x");\nif (!arn) throw new Error("x is required");',
    'arn',
    'customer-managed',
  ],
  [
    'let key: string | undefined = process.argv[2];\nif (key === undefined) key = "arn:aws:kms:eu-west-1:1:key/k";',
    'key',
    'customer-managed',
  ],
  [
    'const config = new pulumi.Config();\nconst arn: string | undefined = config.get("x") ?? "arn:aws:kms:eu-west-1:1:key/k";',
    'arn',
    'customer-managed',
  ],
  // Variations that may still be undefined.
  ['const config = new pulumi.Config();\nlet arn = config.get("x");', 'arn', 'unknown'],
  ['const config = new pulumi.Config();', 'config.getObject<{ arn: string }>("k")?.arn', 'unknown'],
])('%s', async (pre, key, expected) => {
  expect((await status('index.ts', pulumiTable(pre, key))).status).toBe(expected);
});

it('an optional parameter, and a Config held in a class field (adversarial pass)', async () => {
  const fn = `import * as aws from '@pulumi/aws';\n\nexport function table(name: string, keyArn?: string) {\n  return new aws.dynamodb.Table(name, {\n    hashKey: 'id',\n    serverSideEncryption: { enabled: true, kmsKeyArn: keyArn },\n  });\n}\n`;
  expect((await status('index.ts', fn)).message).toContain('keyArn is an optional parameter');
  const field = `import * as pulumi from '@pulumi/pulumi';\nimport * as aws from '@pulumi/aws';\n\nexport class Db extends pulumi.ComponentResource {\n  private readonly cfg = new pulumi.Config();\n  constructor(name: string) {\n    super('x:Db', name);\n    new aws.dynamodb.Table(name, {\n      hashKey: 'id',\n      serverSideEncryption: { enabled: true, kmsKeyArn: this.cfg.get('keyArn') },\n    }, { parent: this });\n  }\n}\n`;
  expect((await status('index.ts', field)).status).toBe('unknown');
});

it.each([
  // An inline props type (BeeSolve/packages), a destructured key, an intersection, Partial<>, a config object's field (round 29).
  ['props: { readonly key?: Key } = {}', 'props.key', 'key is optional in its inline type'],
  ['props: StoreProps', 'kmsKey', 'kmsKey is optional in StoreProps', 'const { kmsKey } = props;'],
  ['props: BaseProps & KeyProps', 'props.key', 'key is optional in KeyProps'],
  ['props: Partial<Required>', 'props.key', 'key is optional in Partial<Required>'],
])('CDK: %s, read as %s', async (param, read, why, pre = '') => {
  const text = `import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

interface StoreProps {
  kmsKey?: Key;
}
interface BaseProps {
  name?: string;
}
interface KeyProps {
  key?: Key;
}
interface Required {
  key: Key;
}

export class Store extends Construct {
  constructor(scope: Construct, id: string, ${param}) {
    super(scope, id);
    ${pre}
    new Table(this, 'T', { partitionKey: { name: 'id', type: AttributeType.STRING }, encryptionKey: ${read} });
  }
}
`;
  const r = await status('lib/store.ts', text);
  expect(r.status).toBe('unknown');
  expect(r.message).toContain(why);
});

it('a throw-guarded optional prop, and a destructured key with a default, stay customer-managed', async () => {
  const guarded = construct('interface CacheProps {\n  key?: Key;\n}').replace(
    '    this.props = props;\n',
    "    this.props = props;\n    if (!this.props.key) throw new Error('key is required');\n",
  );
  expect((await status('lib/cache.ts', guarded)).status).toBe('customer-managed');
  const pulumiObject = `import * as pulumi from '@pulumi/pulumi';\nimport * as aws from '@pulumi/aws';\n\nconst config = new pulumi.Config();\nconst db = config.getObject<{ kmsKeyArn?: string }>('db') ?? {};\n\nexport const orders = new aws.dynamodb.Table('orders', {\n  hashKey: 'id',\n  serverSideEncryption: { enabled: true, kmsKeyArn: db.kmsKeyArn },\n});\n`;
  expect((await status('index.ts', pulumiObject)).message).toContain('kmsKeyArn is optional in its inline type');
});

it('assignments that do not assign the name, bindings filled in later, optional chains on required values, destructured config objects (adversarial pass)', async () => {
  // `tags[kmsKeyArn] = ...` assigns no kmsKeyArn: the let keeps config.get's value.
  const indexBy = pulumiTable(
    'const config = new pulumi.Config();\nlet kmsKeyArn = config.get("k");\nconst tags: Record<string, string> = {};\ntags[kmsKeyArn ?? "x"] = "y";',
    'kmsKeyArn',
  );
  expect((await status('index.ts', indexBy)).status).toBe('unknown');
  // A destructured let the code fills in: not read.
  const filled = construct('interface CacheProps {\n  key?: Key;\n}')
    .replace('      encryptionKey: this.props.key,', '      encryptionKey: key,')
    .replace('    this.props = props;\n', '    this.props = props;\n    let { key } = props;\n    key ??= new Key(this, "K");\n');
  expect((await status('lib/cache.ts', filled)).status).toBe('customer-managed');
  // An optional chain on a required prop.
  const chained = construct('interface CacheProps {\n  key: Key;\n}').replace(
    'encryptionKey: this.props.key,',
    'encryptionKey: this.props?.key,',
  );
  expect((await status('lib/cache.ts', chained)).status).toBe('customer-managed');
  // Destructured from config.requireObject<T>() with an optional member.
  const fromObject = pulumiTable(
    'interface Db {\n  kmsKeyArn?: string;\n}\nconst config = new pulumi.Config();\nconst { kmsKeyArn } = config.requireObject<Db>("db");',
    'kmsKeyArn',
  );
  expect((await status('index.ts', fromObject)).message).toContain('kmsKeyArn is optional in Db');
});

// A member the props interface inherits from a base of the file (real-world round 37: `OrdersTableProps extends
// BaseTableProps`, `BaseTableProps { key?: IKey }`, was customer-managed, the inherited member not looked up).
const inherited = (types: string, param: string) => `import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ImportedKeyProps } from './base';

${types}

export class Orders extends Construct {
  constructor(scope: Construct, id: string, props: ${param}) {
    super(scope, id);
    new Table(this, 'T', { partitionKey: { name: 'id', type: AttributeType.STRING }, encryptionKey: props.key });
  }
}
`;

it.each([
  [
    'interface Base { key?: Key }\ninterface OrdersProps extends Base { name: string }',
    'OrdersProps',
    'key is optional in Base (OrdersProps extends it)',
  ],
  // Several bases, a chain of them, a type alias as the base.
  [
    'interface Named { name: string }\ninterface Keyed { key?: Key }\ninterface OrdersProps extends Named, Keyed {}',
    'OrdersProps',
    'key is optional in Keyed (OrdersProps extends it)',
  ],
  [
    'interface Keyed { key?: Key }\ninterface Mid extends Keyed {}\ninterface OrdersProps extends Mid { name: string }',
    'OrdersProps',
    // The interface the props are typed with, not the one between (adversarial pass F7 named `Mid`).
    'key is optional in Keyed (OrdersProps extends it)',
  ],
  // Adversarial pass F7: the key in the interface's second declaration (TypeScript merges them), or in a base of it;
  // `Readonly<T>` (T's members).
  [
    'interface Named { name: string }\ninterface OrdersProps extends Named { name: string }\ninterface OrdersProps { key?: Key }',
    'OrdersProps',
    'key is optional in OrdersProps',
  ],
  [
    'interface Keyed { key?: Key }\ninterface OrdersProps { name: string }\ninterface OrdersProps extends Keyed {}',
    'OrdersProps',
    'key is optional in Keyed (OrdersProps extends it)',
  ],
  ['type Base = { key?: Key };\ntype CartsProps = Readonly<Base> & { name: string };', 'CartsProps', 'key is optional in Base'],
  [
    'type Keyed = { key: Key | undefined };\ninterface OrdersProps extends Keyed {}',
    'OrdersProps',
    'key is optional in Keyed (OrdersProps extends it)',
  ],
  // Partial of an interface whose key is required but inherited.
  [
    'interface KeyProps { key: Key }\ninterface NamedKeyProps extends KeyProps { name: string }',
    'Partial<NamedKeyProps>',
    'key is optional in Partial<NamedKeyProps>',
  ],
])('CDK: an inherited optional key is unknown: %s', async (types, param, why) => {
  const r = await status('lib/orders.ts', inherited(types, param));
  expect(r.status).toBe('unknown');
  expect(r.message).toContain(why);
});

it.each([
  // The interface declares the member again, required: its props have it.
  ['interface Base { key?: Key }\ninterface OrdersProps extends Base { key: Key }', 'OrdersProps'],
  ['interface Base { key: Key }\ninterface OrdersProps extends Base { name: string }', 'OrdersProps'],
  // A base of another file is not read (docs/limitations.md): as before.
  ['interface OrdersProps extends ImportedKeyProps { name: string }', 'OrdersProps'],
])('CDK: a required inherited key, or a base the file does not declare, stays customer-managed: %s', async (types, param) => {
  expect((await status('lib/orders.ts', inherited(types, param))).status).toBe('customer-managed');
});

it('Pulumi and CDKTF: an optional key inherited from a base of the file is unknown', async () => {
  const args = pulumi('?')
    .replace('export interface DbArgs {', 'export interface BaseArgs {')
    .replace('export class Db', 'export interface DbArgs extends BaseArgs {\n  hashKey: string;\n}\n\nexport class Db');
  expect(await status('index.ts', args)).toMatchObject({
    status: 'unknown',
    message: expect.stringContaining('kmsKeyArn is optional in BaseArgs (DbArgs extends it)'),
  });
  const cdktf = `import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

interface BaseProps { readonly kmsKeyArn?: string }
interface DataProps extends BaseProps { readonly name: string }

export class Data extends TerraformStack {
  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    new DynamodbTable(this, 'orders', {
      name: props.name,
      hashKey: 'id',
      attribute: [{ name: 'id', type: 'S' }],
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
    });
  }
}
`;
  expect(await status('main.ts', cdktf)).toMatchObject({
    status: 'unknown',
    message: expect.stringContaining('kmsKeyArn is optional in BaseProps (DataProps extends it)'),
  });
});

// Adversarial pass F12: 120 interfaces each extending every earlier one were walked path by path (7.9 s for the file,
// with the walk's depth then bounded at 4); each is now read once per member sought, and the depth bound is 64. Without
// the `seen` map this walk is exponential at that depth: the test then never ends, and its timeout fails it. No time is
// asserted here (the guide: speed is measured by the bench, never by timed unit tests).
it('CDK: interfaces each extending every earlier one are read once each (time linear in the bases written)', async () => {
  const types = Array.from({ length: 120 }, (_, i) => {
    const bases = Array.from({ length: i }, (_, j) => `I${j}`).join(', ');
    return `interface I${i}${i ? ` extends ${bases}` : ''} { readonly a${i}?: string }`;
  }).join('\n');
  const r = await status('lib/orders.ts', inherited(`${types}\ninterface Keyed { key?: Key }`, 'I119 & Keyed'));
  expect(r.status).toBe('unknown');
  expect(r.message).toContain('key is optional in Keyed');
});
