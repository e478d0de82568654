/**
 * A table kept past its stack whose key, a key resource of the same file, is not (caution `unkept-key`:
 * src/formats/cloudformation/keptKeys.ts, src/formats/typescript/keptKeys.ts). Found by session 52's
 * deploy review (A1): kmsfix keeps a generated key only when the table is kept at fix time; a team that
 * later retains the table (AWS's guide to moving a resource between stacks starts there), turns on
 * point-in-time recovery or deletion protection, or backs it up, kept a key the stack's delete schedules
 * for deletion, and scan said customer-managed, exit 0, nothing else. The caution is said on the
 * customer-managed table; its status, and fix, stay as they were.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';

async function scanned(path: string, text: string) {
  const t = (await processMemory([{ path, text }], 'scan')).outcomes[0].tables;
  for (const x of t) expect(x.status).toBe('customer-managed');
  return t;
}

/** The caution of the file's first table (undefined: none), after checking fix leaves the file alone. */
async function caution(path: string, text: string): Promise<string | undefined> {
  const [t] = await scanned(path, text);
  const fixed = await processMemory([{ path, text }], 'fix');
  expect(fixed.output.get(path)).toBe(text);
  const c = t.cautions?.find((x) => x.startsWith('Key not kept'));
  if (c) expect(t.message).toContain(c);
  return c;
}

const yaml = (table: string, key: string, props = '', keyRef = '!GetAtt OrdersKey.Arn') => `Resources:
  Orders:
    Type: AWS::DynamoDB::Table
${table}    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
${props}      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: ${keyRef}
  OrdersKey:
    Type: AWS::KMS::Key
${key}    Properties:
      EnableKeyRotation: true
`;
const RETAIN = '    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n';

describe('CloudFormation YAML', () => {
  it('a retained table whose key has no DeletionPolicy: named with where, why, what happens, what to do', async () => {
    const c = await caution('template.yaml', yaml(RETAIN, ''));
    expect(c).toContain('DeletionPolicy: Retain and UpdateReplacePolicy: Retain keep this table');
    expect(c).toContain('its key OrdersKey (template.yaml:18:3) has no DeletionPolicy');
    expect(c).toContain("schedules the key's deletion while the table, or its backups, stay encrypted under it");
    expect(c).toContain('give OrdersKey DeletionPolicy: Retain and UpdateReplacePolicy: Retain');
    expect(c).toContain('move its key with it');
  });

  it.each([
    [
      'point-in-time recovery',
      '',
      '      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n',
      'point-in-time recovery (PointInTimeRecoveryEnabled)',
    ],
    ['deletion protection', '', '      DeletionProtectionEnabled: true\n', 'DeletionProtectionEnabled'],
    ['RetainExceptOnCreate', '    DeletionPolicy: RetainExceptOnCreate\n', '', 'DeletionPolicy: RetainExceptOnCreate'],
  ])('%s keeps the table', async (_, table, props, why) => {
    expect(await caution('template.yaml', yaml(table, '', props))).toContain(`Key not kept: ${why} keeps this table`);
  });

  it('a backup selection of the template', async () => {
    const text = `${yaml('', '    DeletionPolicy: Delete\n')}  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: plan-1
      BackupSelection:
        SelectionName: orders
        IamRoleArn: arn:aws:iam::111122223333:role/backup
        Resources:
          - !GetAtt Orders.Arn
`;
    const c = await caution('template.yaml', text);
    expect(c).toContain('an AWS::Backup::BackupSelection of the template keeps this table');
    expect(c).toContain('has DeletionPolicy: Delete');
  });

  it.each([
    ['!Ref', '!Ref OrdersKey'],
    ['a Fn::Sub', "!Sub '${OrdersKey.Arn}'"],
    ['a Fn::Join', "!Join ['', [!GetAtt OrdersKey.Arn]]"],
  ])('the key named by %s', async (_, ref) => {
    expect(await caution('template.yaml', yaml(RETAIN, '', '', ref))).toContain('its key OrdersKey');
  });

  it('a key kept on delete but not on replacement, where the table is kept on replacement', async () => {
    const c = await caution('template.yaml', yaml(RETAIN, '    DeletionPolicy: Retain\n'));
    expect(c).toContain('UpdateReplacePolicy: Retain keeps this table');
    expect(c).toContain('has no UpdateReplacePolicy');
  });

  it('a shared key: said on the table that is kept, not on the other', async () => {
    const text = yaml(RETAIN, '').replace(
      '  OrdersKey:\n',
      '  Audit:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: true\n        SSEType: KMS\n        KMSMasterKeyId: !GetAtt OrdersKey.Arn\n  OrdersKey:\n',
    );
    const [orders, audit] = await scanned('template.yaml', text);
    expect(orders.cautions?.[0]).toContain('its key OrdersKey');
    expect(audit.cautions).toBeUndefined();
  });

  it.each([
    ['the key retained', yaml(RETAIN, RETAIN)],
    ['the key retained on delete, the table on delete only', yaml('    DeletionPolicy: Retain\n', '    DeletionPolicy: Retain\n')],
    ['the table not kept', yaml('', '')],
    ['the table deleted with its stack', yaml('    DeletionPolicy: Delete\n', '')],
    ['the key a parameter (in another stack)', `Parameters:\n  KeyArn:\n    Type: String\n${yaml(RETAIN, '', '', '!Ref KeyArn')}`],
    ['the key imported from another stack', yaml(RETAIN, '', '', '!ImportValue shared-key-arn')],
  ])('nothing said: %s', async (_, text) => {
    expect(await caution('template.yaml', text)).toBeUndefined();
  });
});

describe('CloudFormation JSON', () => {
  const json = (keyPolicy: Record<string, string>) =>
    JSON.stringify(
      {
        Resources: {
          Orders: {
            Type: 'AWS::DynamoDB::Table',
            DeletionPolicy: 'Retain',
            Properties: {
              BillingMode: 'PAY_PER_REQUEST',
              SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['OrdersKey', 'Arn'] } },
            },
          },
          OrdersKey: { Type: 'AWS::KMS::Key', ...keyPolicy, Properties: { EnableKeyRotation: true } },
        },
      },
      null,
      2,
    );

  it('a retained table whose key is deleted with the stack', async () => {
    const c = await caution('template.json', json({ DeletionPolicy: 'Delete' }));
    expect(c).toContain('DeletionPolicy: Retain keeps this table');
    expect(c).toMatch(/its key OrdersKey \(template\.json:\d+:\d+\) has DeletionPolicy: Delete/);
  });

  it('nothing said when the key is retained', async () => {
    expect(await caution('template.json', json({ DeletionPolicy: 'Retain' }))).toBeUndefined();
  });
});

describe('serverless.yml', () => {
  const sls = (key: string) => `service: orders
provider:
  name: aws
resources:
  Resources:
    Orders:
      Type: AWS::DynamoDB::Table
      DeletionPolicy: Retain
      Properties:
        BillingMode: PAY_PER_REQUEST
        SSESpecification:
          SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: !GetAtt OrdersKey.Arn
    OrdersKey:
      Type: AWS::KMS::Key
${key}      Properties:
        EnableKeyRotation: true
`;

  it('a retained table whose key has no DeletionPolicy', async () => {
    expect(await caution('serverless.yml', sls(''))).toContain('its key OrdersKey (serverless.yml:15:5) has no DeletionPolicy');
  });

  it('nothing said when the key is retained', async () => {
    expect(await caution('serverless.yml', sls('      DeletionPolicy: Retain\n'))).toBeUndefined();
  });
});

const cdk = (table: string, key: string, after = '') => `import * as cdk from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';

export class S extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    const ordersKey = new kms.Key(this, 'OrdersKey', {
      enableKeyRotation: true,
${key}    });
    ${table}
${after}  }
}
`;
const TABLE = (props: string) =>
  `new dynamodb.Table(this, 'Orders', {\n      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },\n      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,\n      encryptionKey: ordersKey,\n${props}    });`;
const DESTROY = '      removalPolicy: cdk.RemovalPolicy.DESTROY,\n';

describe('AWS CDK', () => {
  it('a Table with RETAIN whose key is DESTROY', async () => {
    const c = await caution('stack.ts', cdk(TABLE('      removalPolicy: cdk.RemovalPolicy.RETAIN,\n'), DESTROY));
    expect(c).toContain('removalPolicy: cdk.RemovalPolicy.RETAIN keeps this table');
    expect(c).toContain('its key ordersKey (stack.ts:8:11) has removalPolicy: cdk.RemovalPolicy.DESTROY');
    expect(c).toContain("give ordersKey removalPolicy: RemovalPolicy.RETAIN (kms.Key's default)");
  });

  it.each([
    ['a Table with no removalPolicy (RETAIN)', cdk(TABLE(''), DESTROY), "its removal policy (RemovalPolicy.RETAIN, a Table's default)"],
    [
      'a DESTROY Table with point-in-time recovery',
      cdk(TABLE(DESTROY + '      pointInTimeRecovery: true,\n'), DESTROY),
      'point-in-time recovery',
    ],
    [
      'a TableV2',
      cdk(
        "new dynamodb.TableV2(this, 'Orders', {\n      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },\n      encryption: dynamodb.TableEncryptionV2.customerManagedKey(ordersKey),\n    });",
        DESTROY,
      ),
      "RemovalPolicy.RETAIN, a TableV2's default",
    ],
    [
      'a CfnTable with deletion protection',
      cdk(
        "new dynamodb.CfnTable(this, 'Orders', {\n      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],\n      deletionProtectionEnabled: true,\n      sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: ordersKey.keyArn },\n    });",
        DESTROY,
      ),
      'deletionProtectionEnabled',
    ],
    [
      'a CfnTable retained by applyRemovalPolicy',
      cdk(
        "const orders = new dynamodb.CfnTable(this, 'Orders', {\n      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],\n      sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: ordersKey.keyArn },\n    });",
        DESTROY,
        '    orders.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN);\n',
      ),
      'orders.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN)',
    ],
    [
      'a key destroyed by applyRemovalPolicy',
      cdk(TABLE(''), '', '    ordersKey.applyRemovalPolicy(cdk.RemovalPolicy.DESTROY);\n'),
      'has ordersKey.applyRemovalPolicy(cdk.RemovalPolicy.DESTROY) (stack.ts:16:5)',
    ],
  ])('%s', async (_, text, said) => {
    expect(await caution('stack.ts', text)).toContain(said);
  });

  it('a key held by the class (this.ordersKey)', async () => {
    const text = cdk(TABLE('').replace('encryptionKey: ordersKey', 'encryptionKey: this.ordersKey'), DESTROY)
      .replace('const ordersKey = new', 'this.ordersKey = new')
      .replace('export class S extends cdk.Stack {\n', 'export class S extends cdk.Stack {\n  readonly ordersKey: kms.Key;\n');
    expect(await caution('stack.ts', text)).toContain('its key this.ordersKey (stack.ts:9:5)');
  });

  it.each([
    ["the key at kms.Key's default (RETAIN)", cdk(TABLE(''), '')],
    ['the key RETAIN', cdk(TABLE(''), '      removalPolicy: cdk.RemovalPolicy.RETAIN,\n')],
    ['the table DESTROY', cdk(TABLE(DESTROY), DESTROY)],
    [
      'a CfnTable deleted with its stack',
      cdk(
        "new dynamodb.CfnTable(this, 'Orders', {\n      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],\n      sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: ordersKey.keyArn },\n    });",
        DESTROY,
      ),
    ],
    ['the key kept by applyRemovalPolicy', cdk(TABLE(''), DESTROY, '    ordersKey.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN);\n')],
    [
      'the key from another stack',
      cdk(TABLE(''), '').replace(
        "new kms.Key(this, 'OrdersKey', {\n      enableKeyRotation: true,\n    });",
        "kms.Key.fromKeyArn(this, 'OrdersKey', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');",
      ),
    ],
  ])('nothing said: %s', async (_, text) => {
    expect(await caution('stack.ts', text)).toBeUndefined();
  });
});

const pulumi = (tableOptions: string, keyOptions = '', props = '', lib = 'aws') => `import * as aws from '@pulumi/${lib}';

const ordersKey = new aws.kms.Key('orders-key', { enableKeyRotation: true }${keyOptions});
export const orders = new aws.dynamodb.Table(
  'orders',
  {
    attributes: [{ name: 'id', type: 'S' }],
    hashKey: 'id',
${props}    serverSideEncryption: { enabled: true, kmsKeyArn: ordersKey.arn },
  },
  ${tableOptions},
);
`;
const RETAIN_ON_DELETE = '{ retainOnDelete: true }';

/** Nothing said on `text`, which differs from `cautioned` only in what keeps the key (or lets the table go): that one is said. */
async function notSaid(path: string, text: string, cautioned: string): Promise<void> {
  expect(await caution(path, cautioned)).toMatch(/^Key not kept: /);
  expect(await caution(path, text)).toBeUndefined();
}
const PITR = '    pointInTimeRecovery: { enabled: true },\n';

describe('Pulumi TypeScript', () => {
  it('a table with retainOnDelete whose key has none: named with where, why, what pulumi destroy does, what to do', async () => {
    const c = await caution('index.ts', pulumi(RETAIN_ON_DELETE));
    expect(c).toContain('Key not kept: retainOnDelete: true keeps this table');
    expect(c).toContain('its key ordersKey (index.ts:3:7) has no retainOnDelete: pulumi destroy');
    expect(c).toContain("schedules the key's deletion while the table, or its backups, stay encrypted under it");
    expect(c).toContain('give ordersKey the resource option retainOnDelete: true');
  });

  it.each([
    [
      'point-in-time recovery (the backup DynamoDB keeps)',
      pulumi('{}', ', { retainOnDelete: false }', PITR),
      'point-in-time recovery keeps',
    ],
    ['the key retainOnDelete: false', pulumi('{}', ', { retainOnDelete: false }', PITR), 'has retainOnDelete: false'],
    // retainOnDelete skips the provider's delete: DynamoDB's deletion protection is never asked, the key is deleted after.
    [
      'retainOnDelete beside deletion protection',
      pulumi(RETAIN_ON_DELETE, '', '    deletionProtectionEnabled: true,\n'),
      'Key not kept: retainOnDelete: true keeps this table',
    ],
    [
      'an aws-native table and key',
      pulumi(RETAIN_ON_DELETE, '', '', 'aws-native').replace(
        'serverSideEncryption: { enabled: true, kmsKeyArn: ordersKey.arn }',
        "sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: ordersKey.arn }",
      ),
      'its key ordersKey (index.ts:3:7) has no retainOnDelete',
    ],
    [
      'a key held by a component (this.ordersKey)',
      `import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export class Orders extends pulumi.ComponentResource {
  readonly ordersKey: aws.kms.Key;
  constructor(name: string) {
    super('acme:Orders', name);
    this.ordersKey = new aws.kms.Key(\`\${name}-key\`, { enableKeyRotation: true }, { parent: this });
    new aws.dynamodb.Table(name, { hashKey: 'id', serverSideEncryption: { enabled: true, kmsKeyArn: this.ordersKey.arn } }, { parent: this, retainOnDelete: true });
  }
}
`,
      'its key this.ordersKey (index.ts:8:5)',
    ],
  ])('%s', async (_, text, said) => {
    expect(await caution('index.ts', text)).toContain(said);
  });

  it.each([
    ['the key retainOnDelete', pulumi(RETAIN_ON_DELETE, ', { retainOnDelete: true }')],
    ['the key protected (its destroy fails)', pulumi(RETAIN_ON_DELETE, ', { protect: true }')],
    [
      'the key options a variable kmsfix does not read',
      pulumi(RETAIN_ON_DELETE, ', keyOptions').replace('const ordersKey', 'declare let keyOptions: {};\nconst ordersKey'),
    ],
    ['the table not kept', pulumi('{}')],
    ['the table retainOnDelete: false', pulumi('{ retainOnDelete: false }')],
    // Pulumi refuses to delete a protected resource and deletes dependents first: the destroy fails before the key.
    ['the table protected', pulumi('{ protect: true }')],
    ['the table protected, with retainOnDelete', pulumi('{ protect: true, retainOnDelete: true }')],
    // DynamoDB refuses the table's delete, and the destroy stops before the key the table depends on.
    [
      'point-in-time recovery on a deletion-protected table',
      pulumi('{}', '', PITR + '    deletionProtectionEnabled: true,\n'),
      pulumi('{}', '', PITR),
    ],
    [
      'the key from another stack',
      pulumi(RETAIN_ON_DELETE).replace(
        "new aws.kms.Key('orders-key', { enableKeyRotation: true })",
        "aws.kms.Key.get('orders-key', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')",
      ),
    ],
  ])('nothing said: %s', async (_, text, cautioned = pulumi(RETAIN_ON_DELETE)) => {
    await notSaid('index.ts', text, cautioned);
  });
});

/** A stack transform that keeps the resources of `type` (session 63's deploy review, F1: SST's removal, written by hand). */
const keepsOnDestroy = (text: string, type = 'aws:dynamodb/table:Table') =>
  text.replace(
    '\nconst ordersKey',
    `import * as pulumi from '@pulumi/pulumi';

pulumi.runtime.registerStackTransformation((args) =>
  args.type === '${type}' ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { retainOnDelete: true }) } : undefined,
);
const ordersKey`,
  );

describe('Pulumi TypeScript: a transform of the file that keeps tables', () => {
  it("a stack transform giving tables retainOnDelete: said as the table's own retainOnDelete is", async () => {
    const c = await caution('index.ts', keepsOnDestroy(pulumi('{}')));
    expect(c).toContain('Key not kept: retainOnDelete of the stack transform registerStackTransformation(...) at line 4 keeps this table');
    expect(c).toContain('give ordersKey the resource option retainOnDelete: true');
  });

  it('a transform setting retainOnDelete: false for another type and true for tables keeps them (adv2 s64)', async () => {
    const text = keepsOnDestroy(pulumi('{}')).replace(
      '  args.type ===',
      "  args.type === 'aws:s3/bucket:Bucket' ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { retainOnDelete: false }) } :\n  args.type ===",
    );
    expect(text).toContain('retainOnDelete: false');
    expect(await caution('index.ts', text)).toContain(
      'Key not kept: retainOnDelete of the stack transform registerStackTransformation(...)',
    );
  });

  it.each([
    ['the key retainOnDelete', keepsOnDestroy(pulumi('{}', ', { retainOnDelete: true }'))],
    [
      'a transform setting retainOnDelete: false alone',
      keepsOnDestroy(pulumi('{}')).replace('retainOnDelete: true }) }', 'retainOnDelete: false }) }'),
    ],
    ['a transform of another type only', keepsOnDestroy(pulumi('{}'), 'aws:s3/bucket:Bucket')],
  ])('nothing said: %s', async (_, text) => {
    await notSaid('index.ts', text, keepsOnDestroy(pulumi('{}')));
  });
});

/**
 * An SST v3 app (session 63's deploy review, F1): SST's removal ("retain" by default) gives its tables retainOnDelete
 * and not their keys, so `sst remove` schedules the deletion of a key the kept table is encrypted under.
 */
const sstConfig = (removal: string) => `/// <reference path="./.sst/platform/config.d.ts" />
export default $config({
  app(input) {
    return { name: "orders", ${removal}home: "aws" };
  },
  async run() {
    await import("./infra/storage");
  },
});
`;
const sstStorage = (keyOptions = '') => `const key = new aws.kms.Key("OrdersKey", { enableKeyRotation: true }${keyOptions});

export const table = new sst.aws.Dynamo("Orders", {
  fields: { pk: "string" },
  primaryIndex: { hashKey: "pk" },
  transform: { table: { serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } } },
});
`;
const STAGE_REMOVAL = 'removal: input?.stage === "production" ? "retain" : "remove", ';

/** The caution of the app's table (undefined: none); `config` undefined: no sst.config.ts. */
async function sstCaution(config: string | undefined, storage: string): Promise<string | undefined> {
  const files = [{ path: 'infra/storage.ts', text: storage }, ...(config === undefined ? [] : [{ path: 'sst.config.ts', text: config }])];
  const out = await processMemory(files, 'scan');
  const t = out.outcomes.flatMap((o) => o.tables).find((x) => x.address === 'Orders');
  expect(t?.status).toBe('customer-managed');
  return t?.cautions?.find((x) => x.startsWith('Key not kept'));
}

describe("SST v3: the app's removal keeps its tables", () => {
  it("a removal chosen per stage: said, with the key SST's removal keeps", async () => {
    const c = await sstCaution(sstConfig(STAGE_REMOVAL), sstStorage());
    expect(c).toContain(
      'Key not kept: SST\'s removal: input?.stage === "production" ? "retain" : "remove" (sst.config.ts) keeps this table',
    );
    expect(c).toContain('its key key (storage.ts:1:7) has no retainOnDelete: sst remove');
    expect(c).toContain('give key the resource option retainOnDelete: $app.removal !== "remove"');
  });

  it('no removal: SST\'s default, "retain"', async () => {
    expect(await sstCaution(sstConfig(''), sstStorage())).toContain(
      'SST\'s removal, "retain" by default (sst.config.ts sets none) keeps this table',
    );
  });

  it("only the app's own removal counts: one elsewhere in sst.config.ts is not the app's (adv2 s64)", async () => {
    const elsewhere = sstConfig('').replace('export default', 'const cleanup = { removal: "remove" };\nexport default');
    expect(await sstCaution(elsewhere, sstStorage())).toContain('SST\'s removal, "retain" by default (sst.config.ts sets none)');
    const inRun = sstConfig('').replace(
      'await import',
      'new sst.aws.Bucket("B", { transform: { bucket: { removal: "remove" } } });\n    await import',
    );
    expect(await sstCaution(inRun, sstStorage())).toContain('"retain" by default');
  });

  it.each([
    [
      'a shorthand removal',
      sstConfig('removal, ').replace('    return', '    const removal = input?.stage === "production" ? "retain" : "remove";\n    return'),
    ],
    ['a spread after it', sstConfig('removal: "remove", ...input.extra, ')],
    [
      'two returns',
      sstConfig('removal: "remove", ').replace(
        '    return',
        '    if (input?.stage === "production") return { name: "orders", removal: "retain" };\n    return',
      ),
    ],
  ])('a removal kmsfix cannot read keeps the table: %s', async (_, config) => {
    expect(await sstCaution(config, sstStorage())).toContain('whose app(...) return kmsfix does not read');
  });

  it.each([
    [
      'an arrow app',
      sstConfig('removal: "remove", ').replace(
        'app(input) {\n    return { name: "orders", removal: "remove", home: "aws" };\n  }',
        'app: (input) => ({ name: "orders", removal: "remove", home: "aws" })',
      ),
      sstStorage(),
    ],
    ['removal "remove"', sstConfig('removal: "remove", '), sstStorage()],
    ['removal "retain-all" (the key kept too)', sstConfig('removal: "retain-all", '), sstStorage()],
    ['the key kept as SST keeps the table', sstConfig(STAGE_REMOVAL), sstStorage(', { retainOnDelete: $app.removal !== "remove" }')],
    ['no sst.config.ts', undefined, sstStorage()],
  ])('nothing said: %s', async (_, config, storage) => {
    expect(await sstCaution(config, storage)).toBeUndefined();
  });
});

const pulumiYaml = (tableOptions: string, keyOptions = '', key = '${ordersKey.arn}') => `name: orders
runtime: yaml
config:
  tableKey:
    type: string
resources:
  ordersKey:
    type: aws:kms:Key
    properties:
      enableKeyRotation: true
${keyOptions}  orders:
    type: aws:dynamodb:Table
    properties:
      attributes:
        - name: id
          type: S
      hashKey: id
      serverSideEncryption:
        enabled: true
        kmsKeyArn: ${key}
${tableOptions}`;
const YAML_RETAIN = '    options:\n      retainOnDelete: true\n';

describe('Pulumi YAML', () => {
  it('a table with options.retainOnDelete whose key has none', async () => {
    const c = await caution('Pulumi.yaml', pulumiYaml(YAML_RETAIN));
    expect(c).toContain('Key not kept: options.retainOnDelete: true keeps this table');
    expect(c).toContain('its key ordersKey (Pulumi.yaml:7:3) has no options.retainOnDelete: pulumi destroy');
    expect(c).toContain('give ordersKey the resource option retainOnDelete: true');
  });

  it('point-in-time recovery, the key retainOnDelete: false', async () => {
    const text = pulumiYaml('', '    options:\n      retainOnDelete: false\n').replace(
      '      serverSideEncryption:',
      '      pointInTimeRecovery:\n        enabled: true\n      serverSideEncryption:',
    );
    const c = await caution('Pulumi.yaml', text);
    expect(c).toContain('Key not kept: point-in-time recovery keeps this table');
    expect(c).toContain('has options.retainOnDelete: false');
  });

  it.each([
    ['the key retainOnDelete', pulumiYaml(YAML_RETAIN, '    options:\n      retainOnDelete: true\n')],
    ['the key protected', pulumiYaml(YAML_RETAIN, '    options:\n      protect: true\n')],
    ['the table not kept', pulumiYaml('')],
    ['the table protected', pulumiYaml('    options:\n      protect: true\n')],
    ['the key a config value (another stack)', pulumiYaml(YAML_RETAIN, '', '${tableKey}')],
  ])('nothing said: %s', async (_, text) => {
    await notSaid('Pulumi.yaml', text, pulumiYaml(YAML_RETAIN));
  });
});
