/**
 * A TypeScript table its own file backs up (src/formats/typescript/backups.ts). Found by session 51's deploy
 * review: a CDK table with `removalPolicy: RemovalPolicy.DESTROY` that an AWS Backup plan of the same file
 * selects, or whose file grants `dynamodb:CreateBackup` on it, got a key with `RemovalPolicy.DESTROY`
 * (CloudFormation retains the key in the same case), so `cdk destroy` scheduled the key's deletion while the
 * recovery points and on-demand backups, encrypted under it, were kept; a CDK for Terraform table with a
 * `BackupSelection` naming it got none of the Backups caution its Terraform twin gets.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const cdk = (extra: string, holder = 'const orders =') => `import { App, Stack, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

export class AppStack extends Stack {
  orders: dynamodb.Table;
  constructor(scope: App, id: string) {
    super(scope, id);
    ${holder} new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const other = new dynamodb.Table(this, 'Other', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    });
    const role = new iam.Role(this, 'Job', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const plan = backup.BackupPlan.dailyMonthly1YearRetention(this, 'Plan');
${extra}
  }
}
`;

/** The removal policy the fix gives the Orders table's key: DESTROY, or kms.Key's default (RETAIN). */
async function keyRemoval(text: string): Promise<'DESTROY' | 'RETAIN'> {
  const r = await processMemory([{ path: 'stack.ts', text }], 'fix');
  expect(r.outcomes[0].tables.find((t) => t.address.includes('Orders'))?.fixed).toBe(true);
  const out = r.output.get('stack.ts')!;
  const at = out.indexOf('new kms.Key(this, ');
  return out.slice(at, out.indexOf('});', at)).includes('RemovalPolicy.DESTROY') ? 'DESTROY' : 'RETAIN';
}

describe('AWS CDK: a table its file backs up keeps its key (RETAIN, kms.Key’s default) over its DESTROY', () => {
  it.each([
    ['BackupResource.fromDynamoDbTable', `    plan.addSelection('Sel', { resources: [backup.BackupResource.fromDynamoDbTable(orders)] });`],
    ['BackupResource.fromArn of its ARN', `    plan.addSelection('Sel', { resources: [backup.BackupResource.fromArn(orders.tableArn)] });`],
    [
      'BackupResource.fromArn of every table',
      "    plan.addSelection('Sel', { resources: [backup.BackupResource.fromArn('arn:aws:dynamodb:*:*:table/*')] });",
    ],
    ['BackupResource.fromTag', "    plan.addSelection('Sel', { resources: [backup.BackupResource.fromTag('backup', 'daily')] });"],
    ['BackupResource.fromConstruct(this)', `    plan.addSelection('Sel', { resources: [backup.BackupResource.fromConstruct(this)] });`],
    [
      'a BackupSelection construct',
      `    new backup.BackupSelection(this, 'Sel', { backupPlan: plan, resources: [backup.BackupResource.fromDynamoDbTable(orders)] });`,
    ],
    [
      'a CfnBackupSelection naming its ARN',
      `    new backup.CfnBackupSelection(this, 'Sel', { backupPlanId: plan.backupPlanId, backupSelection: { iamRoleArn: role.roleArn, selectionName: 's', resources: [orders.tableArn] } });`,
    ],
    [
      'a CfnBackupSelection by tags',
      `    new backup.CfnBackupSelection(this, 'Sel', { backupPlanId: plan.backupPlanId, backupSelection: { iamRoleArn: role.roleArn, selectionName: 's', listOfTags: [{ conditionKey: 'backup', conditionType: 'STRINGEQUALS', conditionValue: 'daily' }] } });`,
    ],
    ['a grant of dynamodb:CreateBackup', `    orders.grant(role, 'dynamodb:CreateBackup');`],
    [
      'a policy statement allowing it on its ARN',
      `    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:CreateBackup'], resources: [orders.tableArn] }));`,
    ],
    [
      'a policy statement allowing dynamodb:Create* on every table',
      "    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Create*'], resources: [`arn:aws:dynamodb:${this.region}:${this.account}:table/*`] }));",
    ],
  ])('%s', async (_, extra) => {
    expect(await keyRemoval(cdk(extra))).toBe('RETAIN');
  });

  it('held by this.orders', async () => {
    const text = cdk(
      `    plan.addSelection('Sel', { resources: [backup.BackupResource.fromDynamoDbTable(this.orders)] });`,
      'this.orders =',
    );
    expect(await keyRemoval(text)).toBe('RETAIN');
  });

  it.each([
    ['a selection of another table', `    plan.addSelection('Sel', { resources: [backup.BackupResource.fromDynamoDbTable(other)] });`],
    ['a CreateBackup grant on another table', `    other.grant(role, 'dynamodb:CreateBackup');`],
    ['another action granted', `    orders.grant(role, 'dynamodb:GetItem'); // no Backup of it`],
    [
      'a Deny statement',
      `    role.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['dynamodb:CreateBackup'], resources: [orders.tableArn] }));`,
    ],
  ])('%s: the key follows its DESTROY, as before', async (_, extra) => {
    expect(await keyRemoval(cdk(extra))).toBe('DESTROY');
  });
});

const cdktf = (selection: string) => `import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';

export class S extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const orders = new DynamodbTable(this, 'orders', { name: 'orders', hashKey: 'pk', attribute: [{ name: 'pk', type: 'S' }] });
    const other = new DynamodbTable(this, 'other', { name: 'other', hashKey: 'pk', attribute: [{ name: 'pk', type: 'S' }] });
    new BackupSelection(this, 'sel', { iamRoleArn: 'arn:aws:iam::111122223333:role/b', name: 'sel', planId: 'p', ${selection} });
  }
}
`;

const CAUTION = "Backups: BackupSelection 'sel' backs the table up, and AWS Backup keeps its recovery points under the table's key";

describe('CDK for Terraform: a table a BackupSelection of its file backs up gets the Backups caution Terraform gives', () => {
  it.each([
    ['its arn', 'resources: [orders.arn]', true],
    ['every table', "resources: ['arn:aws:dynamodb:*:*:table/*']", true],
    ['by tags', "selectionTag: [{ type: 'STRINGEQUALS', key: 'backup', value: 'daily' }]", true],
    ['another table', 'resources: [other.arn]', false],
  ])('%s', async (_, selection, caution) => {
    const text = cdktf(selection);
    const scanned = (await processMemory([{ path: 'main.ts', text }], 'scan')).outcomes[0].tables.find((t) => t.address === 'orders')!;
    expect(scanned.message.includes(CAUTION)).toBe(caution);
    const r = await processMemory([{ path: 'main.ts', text }], 'fix');
    expect(r.output.get('main.ts')).not.toContain('preventDestroy');
  });
});
