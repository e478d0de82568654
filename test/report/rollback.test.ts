/**
 * The roll-back note of the commit message (src/report/rollback.ts): each fixed table's old setting in
 * its own format's words, two deploys unless the key was not kmsfix's, and the warning that a revert
 * alone leaves a table on a deleted key where the provider keeps a key it reads back.
 */
import { describe, expect, it } from 'vitest';
import type { TableReport } from '../../src/core/result.js';
import { processMemory } from '../../src/engine/memory.js';
import { commitMessage, commitText } from '../../src/report/commitMessage.js';
import { rollbackNote } from '../../src/report/rollback.js';

const table = (format: string, type: string, status: 'aws-owned' | 'aws-managed') =>
  ({ format, type, status, address: `${format}.${type}` }) as TableReport;
const note = (tables: TableReport[], existingKey = false, recreated: string[] = []) =>
  rollbackNote(tables, { existingKey, windowDays: 7, recreated })
    .map((n) => n.first + n.text)
    .join('\n');

describe('rollbackNote', () => {
  it("gives each format's own setting, once per format and former status", () => {
    const text = note([
      table('cloudformation', 'AWS::DynamoDB::Table', 'aws-owned'),
      table('sam', 'AWS::Serverless::SimpleTable', 'aws-owned'),
      table('serverless', 'AWS::DynamoDB::Table', 'aws-managed'),
      table('cloudformation', 'AWS::DynamoDB::GlobalTable', 'aws-managed'),
      table('cdk', 'aws-cdk-lib.aws_dynamodb.Table', 'aws-managed'),
      table('cdk', 'aws-cdk-lib.aws_dynamodb.TableV2', 'aws-owned'),
      table('cdk', 'aws-cdk-lib.aws_dynamodb.CfnTable', 'aws-owned'),
      table('terraform', 'aws_dynamodb_table', 'aws-owned'),
      table('terraform', 'module', 'aws-managed'),
      table('cdktf', '@cdktf/provider-aws.dynamodbTable.DynamodbTable', 'aws-owned'),
      table('pulumi-yaml', 'aws:dynamodb:Table', 'aws-managed'),
    ]);
    expect(text.match(/CloudFormation, SAM and Serverless, was aws-owned/g)).toHaveLength(1);
    for (const line of [
      '- CloudFormation, SAM and Serverless, was aws-owned: `SSESpecification: {SSEEnabled: false}`',
      '- CloudFormation, SAM and Serverless, was aws-managed: `SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/aws/dynamodb}`',
      '- AWS::DynamoDB::GlobalTable, was aws-managed: `SSESpecification: {SSEEnabled: true, SSEType: KMS}` and no `KMSMasterKeyId` in its replicas',
      '- AWS CDK Table, was aws-managed: `encryption: TableEncryption.AWS_MANAGED` and no `encryptionKey` (keep the key itself until the second deploy)',
      '- AWS CDK TableV2, was aws-owned: `encryption: TableEncryptionV2.dynamoOwnedKey()`',
      '- AWS CDK CfnTable, was aws-owned: `sseSpecification: { sseEnabled: false }`',
      '- Terraform, was aws-owned: `server_side_encryption { enabled = false }`',
      "- Terraform module call, was aws-managed: the inputs that give the module's table `enabled = true`",
      '- CDK for Terraform, was aws-owned: `serverSideEncryption: { enabled: false }`',
      '- Pulumi YAML, was aws-managed: `serverSideEncryption: { enabled: true }` with `kmsKeyArn` set to the ARN of alias/aws/dynamodb',
    ])
      expect(text).toContain(line);
    expect(text).toContain('1. Keep the new keys');
    expect(text).toContain('2. Then remove the keys and aliases this commit added');
    expect(text).toContain('(7 days;');
    expect(text).toContain(
      "Terraform, Terraform module call, CDK for Terraform, Pulumi YAML: removing `kms_key_arn` or a module's key input or `kmsKeyArn` or the whole encryption block plans no change",
    );
  });

  it('back to the AWS managed key, CDK Table and CfnTable name alias/aws/dynamodb as the CloudFormation step does', () => {
    // TableEncryption.AWS_MANAGED synthesizes SSESpecification: {SSEEnabled: true} with no key (aws-cdk-lib 2.276.0): the
    // omitted-key form the CloudFormation step left (session 52's deploy review).
    const text = note([
      table('cdk', 'aws-cdk-lib.aws_dynamodb.Table', 'aws-managed'),
      table('cdk', 'aws-cdk-lib.aws_dynamodb.CfnTable', 'aws-managed'),
      table('cdk', 'aws-cdk-lib.aws_dynamodb.TableV2', 'aws-managed'),
      table('cdktf', '@cdktf/provider-aws.dynamodbTable.DynamodbTable', 'aws-managed'),
      table('pulumi', 'aws.dynamodb.Table', 'aws-managed'),
    ]);
    expect(text).toContain(
      '- AWS CDK Table, was aws-managed: `encryption: TableEncryption.AWS_MANAGED` and no `encryptionKey` (keep the key itself until the second deploy), ' +
        "and, as AWS_MANAGED names no key, on `(table.node.defaultChild as dynamodb.CfnTable)`: `addPropertyOverride('SSESpecification.SSEType', 'KMS')` " +
        "and `addPropertyOverride('SSESpecification.KMSMasterKeyId', 'alias/aws/dynamodb')`",
    );
    expect(text).toContain(
      "- AWS CDK CfnTable, was aws-managed: `sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: 'alias/aws/dynamodb' }`",
    );
    expect(text).not.toContain('without a key');
    // TableV2 renders a GlobalTable's {SSEEnabled: true, SSEType: KMS}, as the GlobalTable step writes it; CDKTF and Pulumi name the ARN already.
    expect(text).toContain('- AWS CDK TableV2, was aws-managed: `encryption: TableEncryptionV2.awsManagedKey()`');
    expect(text).toContain(
      '- CDK for Terraform, was aws-managed: `serverSideEncryption: { enabled: true }` with `kmsKeyArn` set to the ARN of alias/aws/dynamodb',
    );
    expect(text).toContain(
      '- Pulumi, was aws-managed: `serverSideEncryption: { enabled: true }` with `kmsKeyArn` set to the ARN of alias/aws/dynamodb',
    );
    // Back to the AWS owned key, nothing to name.
    expect(note([table('cdk', 'aws-cdk-lib.aws_dynamodb.Table', 'aws-owned')])).not.toContain('addPropertyOverride');
  });

  it('step 2: tables restored from the backups, or to a point in time, while the table used its key are checked first', () => {
    const text = note([table('cloudformation', 'AWS::DynamoDB::Table', 'aws-owned')]);
    expect(text).toContain(
      'A table restored from one of them, or to a point in time when its source used the key (an incident restore, a restore to staging), ' +
        'may be encrypted under it too: check each (`aws dynamodb describe-table --table-name <restored table> --query Table.SSEDescription.KMSMasterKeyArn`) ' +
        "before that key's deletion is scheduled.",
    );
    // With --kms-key-arn no key is removed: no step 2.
    expect(note([table('cloudformation', 'AWS::DynamoDB::Table', 'aws-owned')], true)).not.toContain('restored');
  });

  it('CloudFormation and CDK alone: two deploys, and no word of a provider keeping the key', () => {
    const text = note([
      table('cdk', 'aws-cdk-lib.aws_dynamodb.Table', 'aws-owned'),
      table('serverless', 'AWS::DynamoDB::Table', 'aws-owned'),
    ]);
    expect(text).toContain('Roll back in two deploys');
    expect(text).not.toContain('plans no change');
    // A stack that grants on the table imports the key's ARN: step 1 keeps that export (tkh2s0810/my_app, plutomi).
    expect(text).toContain("in step 1, keep the export with `this.exportValue(<key>.keyArn)` in the table's stack");
    expect(note([table('serverless', 'AWS::DynamoDB::Table', 'aws-owned')])).not.toContain('exportValue');
    expect(note([table('cdk', 'aws-cdk-lib.aws_dynamodb.Table', 'aws-owned')], true)).not.toContain('exportValue');
  });

  it('--kms-key-arn: one deploy; the key is not touched; a Terraform revert leaves the table on that key', () => {
    const text = note([table('terraform', 'aws_dynamodb_table', 'aws-managed')], true);
    expect(text).toContain("* Roll back: set each table's encryption back explicitly and deploy; the key itself is not touched:");
    expect(text).not.toContain('two deploys');
    expect(text).toContain('so a revert alone leaves the table on that key.');
  });

  it('replicas that --recreate-replicas gave keys are re-created once more, before the keys go', () => {
    expect(note([table('terraform', 'aws_dynamodb_table', 'aws-owned')], false, ['aws_dynamodb_table.x'])).toContain(
      'keeps it until it is re-created without one (remove its replica, apply, add it back, apply): do that before step 2.',
    );
  });
  it('key retain always: step 2 says the keys stay until their deletion is scheduled, except Terraform and CDK for Terraform keys', () => {
    const cfn = table('cloudformation', 'AWS::DynamoDB::Table', 'aws-owned');
    const tf = table('terraform', 'aws_dynamodb_table', 'aws-owned');
    const step2 = (tables: TableReport[], retainAlways: boolean) =>
      rollbackNote(tables, { existingKey: false, windowDays: 7, recreated: [], retainAlways }).find((n) => n.first === '  2. ')!.text;
    expect(step2([cfn], true)).toContain(
      'and deploy: CloudFormation, SAM and Serverless: the keys are kept on delete (key: retain: always) and stay, billed, until you schedule their deletion (`aws kms schedule-key-deletion`, 7 days). ',
    );
    expect(step2([cfn], true)).not.toContain('each key is scheduled');
    expect(step2([cfn, tf], true)).toContain(
      '(`aws kms schedule-key-deletion`, 7 days); Terraform: each key is scheduled for deletion (7 days). ',
    );
    expect(step2([tf], true)).toBe(step2([tf], false));
    expect(step2([cfn], false)).toContain('and deploy: each key is scheduled for deletion (7 days;');
  });
  it("the commit message's roll back says so when the fix ran with key retain always", async () => {
    const text =
      'Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n';
    const r = await processMemory([{ path: 't.yaml', text }], 'fix', { key: { retain: 'always' } });
    const message = (key: object) =>
      commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0', key })).replace(/\s+/g, ' ');
    expect(message({ retain: 'always' })).toContain(
      'the keys are kept on delete (key: retain: always) and stay, billed, until you schedule their deletion',
    );
    expect(message({})).not.toContain('key: retain: always');
    // No rollback deletes a kept key: the warning against skipping a table in UPDATE_ROLLBACK_FAILED goes.
    expect(message({ retain: 'always' })).not.toContain('--resources-to-skip');
    expect(message({})).toContain('--resources-to-skip');
  });

  // Real-world round 37 (deploy review): `SSEEnabled: !If [IsProd, true, false]` is AWS owned (no choice customer-managed),
  // and --fix-parameterised fixes it; its roll back said `{SSEEnabled: false}` for every stack, moving prod stacks from the
  // AWS managed key to the AWS owned one. Each choice gets back what it was, the condition kept.
  describe('a setting Fn::If chose (--fix-parameterised)', () => {
    const template = (conditions: string, sse: string) =>
      `Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod]}\n  EnableSSE: {Type: String, AllowedValues: ['true', 'false'], Default: 'false'}\n` +
      `Conditions:\n${conditions}Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n` +
      `      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n      SSESpecification:\n${sse}`;
    const message = async (text: string) => {
      const r = await processMemory([{ path: 't.yaml', text }], 'fix', { fixParameterised: true });
      expect(r.outcomes[0].tables[0].fixed).toBe(true);
      return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
    };
    const MANAGED = '{SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/aws/dynamodb}';

    it('each choice is set back to what it was, by an environment condition or a parameter one', async () => {
      const prod = await message(template('  IsProd: !Equals [!Ref Env, prod]\n', '        SSEEnabled: !If [IsProd, true, false]\n'));
      expect(prod).toContain(
        `- CloudFormation, SAM and Serverless, was aws-managed where IsProd is true, aws-owned where IsProd is false: \`SSESpecification: !If [IsProd, ${MANAGED}, {SSEEnabled: false}]\``,
      );
      expect(prod).not.toContain('was aws-owned: `SSESpecification: {SSEEnabled: false}`');
      const param = await message(
        template("  UseSSE: !Equals [!Ref EnableSSE, 'true']\n", '        SSEEnabled: !If [UseSSE, true, !Ref AWS::NoValue]\n'),
      );
      expect(param).toContain(`where UseSSE is false: \`SSESpecification: !If [UseSSE, ${MANAGED}, {SSEEnabled: false}]\``);
    });

    it('choices that were all the same: the one setting, as before', async () => {
      const m = await message(
        template('  IsProd: !Equals [!Ref Env, prod]\n', '        SSEEnabled: !If [IsProd, false, !Ref AWS::NoValue]\n'),
      );
      expect(m).toContain('- CloudFormation, SAM and Serverless, was aws-owned: `SSESpecification: {SSEEnabled: false}`');
      expect(m).not.toContain('!If [IsProd');
    });

    it('a choice that was neither (no environment picks it): the setting as it was written, to be set back', () => {
      const t = {
        ...table('cloudformation', 'AWS::DynamoDB::Table', 'aws-owned'),
        choices: { condition: 'IsProd', statuses: ['aws-owned', 'unknown'], written: 'SSEEnabled: !If [IsProd, false, !Ref Flag]' },
      } as TableReport;
      expect(note([t])).toContain(
        '- CloudFormation, SAM and Serverless, chosen by condition IsProd: set SSESpecification back to what it was: `SSEEnabled: !If [IsProd, false, !Ref Flag]`',
      );
    });
  });
});
