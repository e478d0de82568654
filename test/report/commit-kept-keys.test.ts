/**
 * The commit message of a fix that turns a switched-off table's encryption on and keeps the key it names (src/rule/cmk.ts
 * switchedOff, TableReport.keptKey): no key is created, and the key's policy is its team's (real-world round 38 F5's
 * message named "a new customer-managed KMS key of its own" and asked about the new keys' cost, users and deletion).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { commitMessage, commitText } from '../../src/report/commitMessage.js';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const table = (name: string, sse: string) =>
  `  ${name}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n${sse}`;
const KEPT = (key: string) => `      SSESpecification:\n        SSEEnabled: false\n        SSEType: KMS\n        KMSMasterKeyId: ${key}\n`;

/** The message of a fix of one template, its lines joined. */
async function message(text: string) {
  const r = await processMemory([{ path: 't.yaml', text }], 'fix', {});
  return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
}

const NEW_KEY_NOTES = [
  '* Cost:',
  'Who can use the key',
  'Who deploys:',
  'Key retention:',
  'Keep the new keys',
  'CreateKey and CreateAlias',
];

describe('commit message: tables that keep the key they named', () => {
  it('only such tables: their keys named, no note on new keys, a roll back in one deploy', async () => {
    const m = await message(`Resources:\n${table('Orders', KEPT('!GetAtt OrdersKey.Arn'))}${table('Events', KEPT(ARN))}`);
    expect(m).toContain(
      "* Orders (t.yaml:2), was aws-owned key: the key it already named (`!GetAtt OrdersKey.Arn`), now switched on; kmsfix did not write its policy: check that it lets DynamoDB and the table's users use it (kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant and kms:DescribeKey through DynamoDB), or they lose access once the table switches",
    );
    // A long key in full, as written (its account, Region and key ID: the key whose policy the reviewer checks).
    expect(m).toContain(`key: the key it already named (\`${ARN}\`), now switched on;`);
    expect(m).not.toContain('a new customer-managed KMS key');
    for (const n of NEW_KEY_NOTES) expect(m).not.toContain(n);
    expect(m).toContain('* Keys: each table switches to the key it already named');
    expect(m).toContain(
      "* Roll back in one deploy: set each table's switch back off and deploy; no key is created or deleted: - CloudFormation, SAM and Serverless, was aws-owned: `SSESpecification: {SSEEnabled: false}`",
    );
    // The tables still move off the AWS owned key: the request quota stays.
    expect(m).toContain("* KMS requests: DynamoDB's calls to the tables' keys count toward the account's KMS request quota");
  });

  it("a key read through a parameter's Default is named as the table writes it, not as the Default's text", async () => {
    const m = await message(
      `Parameters:\n  OrdersKeyArn:\n    Type: String\n    Default: ${ARN}\nResources:\n${table('Orders', KEPT('!Ref OrdersKeyArn'))}`,
    );
    expect(m).toContain('key: the key it already named (`!Ref OrdersKeyArn`), now switched on;');
  });

  it('beside a table that gets a new key: the kept key named, the new-key notes and the two-deploy roll back kept', async () => {
    const m = await message(`Resources:\n${table('Orders', KEPT('!GetAtt OrdersKey.Arn'))}${table('Plain', '')}`);
    expect(m).toContain('* Orders (t.yaml:2), was aws-owned key: the key it already named (`!GetAtt OrdersKey.Arn`), now switched on;');
    expect(m).toMatch(/\* Plain \(t\.yaml:\d+\), was aws-owned key: a new customer-managed KMS key of its own/);
    for (const n of NEW_KEY_NOTES) expect(m).toContain(n);
    expect(m).not.toContain('* Keys: each table switches');
    expect(m).toContain('* Roll back in two deploys');
  });
});

/** The message of a fix of these files, its lines joined. */
async function messageOf(files: { path: string; text: string }[]) {
  const r = await processMemory(files, 'fix', {});
  return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
}

const PULUMI = `import * as aws from '@pulumi/aws';
const ordersKey = new aws.kms.Key('orders-key', { enableKeyRotation: true });
new aws.dynamodb.Table('orders', {
  hashKey: 'id',
  serverSideEncryption: { enabled: false, kmsKeyArn: ordersKey.arn },
});
`;
const CDKTF = `import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new DynamodbTable(this, 'audit', { name: 'audit', hashKey: 'id', serverSideEncryption: { enabled: false, kmsKeyArn: '${ARN}' } });
  }
}
`;
const PULUMI_YAML = `name: t
runtime: yaml
variables:
  ledgerKeyArn: ${ARN}
resources:
  ledger:
    type: aws:dynamodb:Table
    properties:
      hashKey: id
      serverSideEncryption:
        enabled: false
        kmsKeyArn: \${ledgerKeyArn}
`;

describe('commit message: Pulumi, CDK for Terraform and Pulumi YAML tables that keep the key they named', () => {
  it('names each kept key as written (a long ARN with its key ID), no note on new keys, a roll back in one deploy', async () => {
    const m = await messageOf([
      { path: 'pulumi/index.ts', text: PULUMI },
      { path: 'cdktf/main.ts', text: CDKTF },
      { path: 'yaml/Pulumi.yaml', text: PULUMI_YAML },
    ]);
    expect(m).toContain('* orders (pulumi/index.ts:3), was aws-owned key: the key it already named (`ordersKey.arn`), now switched on;');
    expect(m).toContain(`* audit (cdktf/main.ts:7), was aws-owned key: the key it already named (\`'${ARN}'\`), now switched on;`);
    expect(m).toContain('* ledger (yaml/Pulumi.yaml:6), was aws-owned key: the key it already named (`${ledgerKeyArn}`), now switched on;');
    expect(m).not.toContain('a new customer-managed KMS key');
    for (const n of NEW_KEY_NOTES) expect(m).not.toContain(n);
    expect(m).toContain('* Keys: each table switches to the key it already named');
    expect(m).toContain(
      "* Roll back in one deploy: set each table's switch back off and deploy; no key is created or deleted: - Pulumi, was aws-owned: `serverSideEncryption: { enabled: false }` - CDK for Terraform, was aws-owned: `serverSideEncryption: { enabled: false }` - Pulumi YAML, was aws-owned: `serverSideEncryption: { enabled: false }`",
    );
    // The snapshot of the program changes in the switches alone.
    expect(m).toContain(
      "records these tables with their encryption switched off, and a CI run (--ci) fails on it instead of writing it: update the snapshots (jest -u, vitest -u, npx projen test) in this change, and check that only the tables' encryption switches changed.",
    );
  });

  it('beside a Pulumi table that gets a new key: the snapshot note speaks of keys', async () => {
    const m = await messageOf([{ path: 'index.ts', text: `${PULUMI}new aws.dynamodb.Table('plain', { hashKey: 'id' });\n` }]);
    expect(m).toContain('* orders (index.ts:3), was aws-owned key: the key it already named (`ordersKey.arn`), now switched on;');
    expect(m).toMatch(/\* plain \(index\.ts:\d+\), was aws-owned key: a new customer-managed KMS key of its own/);
    expect(m).toContain(
      "records these tables without their keys, and a CI run (--ci) fails on it instead of writing it: update the snapshots (jest -u, vitest -u, npx projen test) in this change, and check that only the keys, their aliases and the tables' encryption changed.",
    );
    expect(m).toContain('* Roll back in two deploys');
  });
});
