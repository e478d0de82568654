/**
 * A table given a lookup of the AWS managed key (src/formats/typescript/awsManagedKey.ts) uses that key:
 * aws-managed, as a CloudFormation `KMSMasterKeyId: alias/aws/dynamodb` is, not customer-managed. The
 * adversarial pass met it after the roll back step of docs/rolling-back.md for a table that was AWS managed (Pulumi's
 * `aws.kms.getAlias`, CDKTF's `DataAwsKmsAlias`) and with CDK's `Alias.fromAliasName(..., 'alias/aws/dynamodb')`.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const cdk = (encryption: string, pre = '') => `import { Aws, Stack } from 'aws-cdk-lib';
import { AttributeType, Table, TableEncryption, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Alias, Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export class S extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { env: { region: 'eu-west-1' } });
${pre}    new ${encryption.includes('V2') ? 'TableV2' : 'Table'}(this, 'Orders', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      ${encryption},
    });
  }
}
`;

const pulumi = (key: string, pre = '') => `import * as aws from '@pulumi/aws';
${pre}
export const orders = new aws.dynamodb.Table('orders', {
  attributes: [{ name: 'id', type: 'S' }],
  hashKey: 'id',
  billingMode: 'PAY_PER_REQUEST',
  serverSideEncryption: { enabled: true, kmsKeyArn: ${key} },
});
`;

const cdktf = (key: string) => `import { Construct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsKmsAlias } from '@cdktf/provider-aws/lib/data-aws-kms-alias';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const managed = new DataAwsKmsAlias(this, 'managed', { name: 'alias/aws/dynamodb' });
    new DynamodbTable(this, 'orders', {
      name: 'orders',
      hashKey: 'id',
      attribute: [{ name: 'id', type: 'S' }],
      serverSideEncryption: { enabled: true, kmsKeyArn: ${key} },
    });
  }
}

const app = new App();
new S(app, 's');
app.synth();
`;

async function statusOf(path: string, text: string) {
  const scan = await processMemory([{ path, text }], 'scan');
  const t = scan.outcomes[0].tables[0];
  const fix = await processMemory([{ path, text }], 'fix');
  return { status: t.status, fixable: t.fixable, message: t.message, out: fix.outcomes[0].newText };
}

describe('a lookup of the AWS managed key is aws-managed', () => {
  it('AWS CDK: Alias.fromAliasName, Key.fromKeyArn of the alias ARN, Key.fromLookup, through a const; TableV2 customerManagedKey(...)', async () => {
    const managed = 'encryption: TableEncryption.CUSTOMER_MANAGED,\n      encryptionKey: ';
    for (const [encryption, pre] of [
      [`${managed}Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb')`, ''],
      [`${managed}Key.fromKeyArn(this, 'K', \`arn:aws:kms:\${Aws.REGION}:\${Aws.ACCOUNT_ID}:alias/aws/dynamodb\`)`, ''],
      [`${managed}Key.fromLookup(this, 'K', { aliasName: 'alias/aws/dynamodb' })`, ''],
      [`${managed}awsKey`, "    const awsKey = Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb');\n"],
      [`encryption: TableEncryptionV2.customerManagedKey(Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb'))`, ''],
      // A let never assigned again, a const object's member, a field the class assigns once (adversarial pass).
      [`${managed}awsKey`, "    let awsKey = Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb');\n"],
      [`${managed}keys.dynamo`, "    const keys = { dynamo: Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb') };\n"],
      [`${managed}this.dynamoKey`, "    this.dynamoKey = Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb');\n"],
    ]) {
      const r = await statusOf('lib/s.ts', cdk(encryption, pre));
      expect([r.status, r.fixable], encryption).toEqual(['aws-managed', true]);
      expect(r.out, encryption).toContain('new Key(this, ');
      expect(r.out, encryption).not.toMatch(/encryptionKey: (Alias|Key\.from|awsKey)|customerManagedKey\(Alias/);
    }
    // No `encryption` written: CDK uses the key given, here the AWS managed one (adversarial pass).
    const implicit = await statusOf('lib/s.ts', cdk("encryptionKey: Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb')"));
    expect([implicit.status, implicit.fixable]).toEqual(['aws-managed', true]);
    // A value the code replaces is not read (adversarial pass: a fix swapped a production key).
    for (const [encryption, pre] of [
      [
        `${managed}awsKey`,
        "    let awsKey = Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb');\n    [awsKey] = [Alias.fromAliasName(this, 'P', 'alias/prod')];\n",
      ],
      [
        `${managed}keys.dynamo`,
        "    const keys = { dynamo: Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb') };\n    keys.dynamo = Alias.fromAliasName(this, 'P', 'alias/prod');\n",
      ],
    ]) {
      // A member of a const object the file changes is not known (session 59: it may as well be set to the AWS managed key).
      const want = pre.includes('keys.dynamo =') ? 'unknown' : 'customer-managed';
      expect((await statusOf('lib/s.ts', cdk(encryption, pre))).status, pre).toBe(want);
    }
    // A field of the same name elsewhere (`this.orders = new Table(...)`) assigns no member of the const object (adversarial pass).
    const member = await statusOf(
      'lib/s.ts',
      cdk(
        `${managed}keys.orders`,
        "    const keys = { orders: Alias.fromAliasName(this, 'K', 'alias/aws/dynamodb') };\n    (this as any).orders = 1;\n",
      ),
    );
    expect(member.status).toBe('aws-managed');
    // Another alias: a customer-managed key.
    const other = await statusOf('lib/s.ts', cdk(`${managed}Alias.fromAliasName(this, 'K', 'alias/orders')`));
    expect(other.status).toBe('customer-managed');
  });

  it('Pulumi: aws.kms.getAliasOutput(...).targetKeyArn, getAlias(...).then(...), getKey; CDKTF: DataAwsKmsAlias', async () => {
    for (const [key, pre] of [
      ['managed.targetKeyArn', "const managed = aws.kms.getAliasOutput({ name: 'alias/aws/dynamodb' });"],
      ["aws.kms.getAlias({ name: 'alias/aws/dynamodb' }).then((a) => a.targetKeyArn)", ''],
      ["aws.kms.getKeyOutput({ keyId: 'alias/aws/dynamodb' }).arn", ''],
      ['pulumi.output(aws.kms.getAlias({ name: "alias/aws/dynamodb" })).targetKeyArn', "import * as pulumi from '@pulumi/pulumi';"],
    ]) {
      const r = await statusOf('index.ts', pulumi(key, pre));
      expect([r.status, r.fixable], key).toEqual(['aws-managed', true]);
      expect(r.out, key).toContain('kmsKeyArn: ordersKey.arn');
    }
    expect((await statusOf('index.ts', pulumi("aws.kms.getAliasOutput({ name: 'alias/orders' }).targetKeyArn"))).status).toBe(
      'customer-managed',
    );
    const tf = await statusOf('main.ts', cdktf('managed.targetKeyArn'));
    expect([tf.status, tf.fixable]).toEqual(['aws-managed', true]);
  });
});

// Checked in round 37 beside Pulumi's getKey by a config value (test/formats/chosen-alias-lookups.test.ts): CDKTF's
// DataAwsKmsKey reads its keyId as Pulumi's getKey does; only the AWS managed key's alias or its ARN (literal, or a
// TerraformVariable's default) is that key, a key id, a key ARN, another alias or a value passed in a key of the account.
it.each([
  ["'alias/aws/dynamodb'", 'aws-managed'],
  ["'arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb'", 'aws-managed'],
  ['keyVar.stringValue', 'aws-managed'],
  ["'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'", 'customer-managed'],
  ["'1234abcd-12ab-34cd-56ef-1234567890ab'", 'customer-managed'],
  ["'alias/orders'", 'customer-managed'],
  ['process.env.TABLE_KEY_ID!', 'customer-managed'],
])('CDKTF: DataAwsKmsKey({ keyId: %s }) is %s', async (keyId, expected) => {
  const text = cdktf('managed.arn')
    .replace(
      "import { DataAwsKmsAlias } from '@cdktf/provider-aws/lib/data-aws-kms-alias';",
      "import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';",
    )
    .replace("import { App, TerraformStack } from 'cdktf';", "import { App, TerraformStack, TerraformVariable } from 'cdktf';")
    .replace(
      "const managed = new DataAwsKmsAlias(this, 'managed', { name: 'alias/aws/dynamodb' });",
      `const keyVar = new TerraformVariable(this, 'tableKey', { type: 'string', default: 'alias/aws/dynamodb' });\n    const managed = new DataAwsKmsKey(this, 'managed', { keyId: ${keyId} });`,
    );
  expect(text).toContain('new DataAwsKmsKey(');
  expect((await statusOf('main.ts', text)).status).toBe(expected);
});

// Adversarial pass s59 F5: Pulumi's read of an existing alias or key (the resource class's static `get`, or the `id`
// resource option) is a lookup too, as getAlias is: the AWS managed key's alias there was read as a key of the account.
it.each([
  ["aws.kms.Alias.get('ddb', 'alias/aws/dynamodb').targetKeyArn", '', 'aws-managed'],
  ['ddb.targetKeyArn', "const ddb = aws.kms.Alias.get('ddb', 'alias/aws/dynamodb');", 'aws-managed'],
  ["aws.kms.Key.get('ddb', 'alias/aws/dynamodb').arn", '', 'aws-managed'],
  ["aws.kms.Alias.get('ddb', 'arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb').targetKeyArn.apply((a) => a)", '', 'aws-managed'],
  ['ddb.targetKeyArn', "const ddb = new aws.kms.Alias('ddb', { targetKeyId: 'x' }, { id: 'alias/aws/dynamodb' });", 'aws-managed'],
  ['ddb.arn', "const ddb = new aws.kms.Key('ddb', {}, { id: 'alias/aws/dynamodb' });", 'aws-managed'],
  // The alias a stack's config chooses: not known.
  [
    "aws.kms.Alias.get('ddb', config.require('keyAlias')).targetKeyArn",
    "import * as pulumi from '@pulumi/pulumi';\nconst config = new pulumi.Config();",
    'unknown',
  ],
  ["aws.kms.Alias.get('ddb', 'alias/orders').targetKeyArn", '', 'customer-managed'],
  ["aws.kms.Key.get('ddb', '1234abcd-12ab-34cd-56ef-1234567890ab').arn", '', 'customer-managed'],
  ['ddb.targetKeyArn', "const ddb = new aws.kms.Alias('ddb', { name: 'alias/orders', targetKeyId: 'x' });", 'customer-managed'],
])('Pulumi: %s (%s) is %s', async (key, pre, expected) => {
  const r = await statusOf('index.ts', pulumi(key, pre));
  expect(r.status).toBe(expected);
  if (expected === 'aws-managed') expect(r.out).toContain('kmsKeyArn: ordersKey.arn');
});

// Adversarial pass s63 M2: the alias ARN split between literals joined with `+` was read as a key of the account.
it("a + of literals (or consts) that spells the AWS managed key's alias, in place: aws-managed; one ending in another key: as before", async () => {
  for (const [key, pre, want] of [
    [`'arn:aws:kms:eu-west-1:111111111111:alias/' + 'aws/dynamodb'`, '', 'aws-managed'],
    [`'arn:aws:kms:eu-west-1:111111111111:' + alias`, `const alias = 'alias/aws/' + 'dynamodb';`, 'aws-managed'],
    [`'arn:aws:kms:eu-west-1:111111111111:' + 'key/1'`, '', 'customer-managed'],
  ])
    expect((await statusOf('index.ts', pulumi(key, pre))).status, key).toBe(want);
});
