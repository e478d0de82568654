/**
 * The roll-back note of the commit message (src/report/rollback.ts): each fixed table's old setting in
 * its own format's words, two deploys unless the key was not kmsfix's, and the warning that a revert
 * alone leaves a table on a deleted key where the provider keeps a key it reads back.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  // Deploy review of session 59, F3: AWS Backup's advanced DynamoDB backup encrypts recovery points with the vault's key,
  // so only its arn:aws:dynamodb: recovery points keep the table's key (not seven years of keys for every backed-up table).
  it("step 2: keeps a key for AWS Backup's recovery points without its advanced DynamoDB backup only, and gives the check", () => {
    const text = note([table('cloudformation', 'AWS::DynamoDB::Table', 'aws-owned')]).replace(/\s+/g, ' ');
    expect(text).toContain(
      "Backups taken while a table used its key (DynamoDB's on-demand backups, AWS Backup's recovery points without its advanced DynamoDB backup, point-in-time recovery) stay encrypted under it",
    );
    expect(text).toContain(
      "`aws backup list-recovery-points-by-resource --resource-arn <table ARN> --query 'RecoveryPoints[].RecoveryPointArn'` lists them, and only those whose ARN starts arn:aws:dynamodb: do",
    );
    expect(text).not.toContain('(on-demand, AWS Backup, point-in-time recovery)');
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
  // Deploy review of session 57, F4: the old setting is the code's, and a live table may be on a key set outside the code
  // (the console, AWS Config's remediation runbook): step 1 then moves it to the AWS owned key, not back where it was.
  it("asks to check each table's live SSEDescription and set back a key it names, in step 1 or the one-deploy roll back", () => {
    const t = table('cloudformation', 'AWS::DynamoDB::Table', 'aws-owned');
    const live =
      "These settings are the code's before this commit, not the live table's: before deploying it, check each table's " +
      "`aws dynamodb describe-table --query Table.SSEDescription`, and where it names a key (set in the console, or by AWS Config's " +
      'AWSConfigRemediation-EnableEncryptionOnDynamoDbTable), set that key back';
    const lines = rollbackNote([t], { existingKey: false, windowDays: 7, recreated: [] });
    const at = lines.findIndex((n) => n.text.startsWith(live));
    expect(lines[at]).toEqual({ first: '     ', indent: '     ', text: `${live} in step 1 instead.` });
    // Under step 1's settings, before step 2.
    expect(lines[at - 1].first).toBe('     - ');
    expect(lines[at + 1].first).toBe('  2. ');
    expect(note([t], true)).toContain(`${live} in the roll back instead.`);
    expect(rollbackNote([t], { existingKey: false, windowDays: 7, recreated: [], keptKeys: true }).map((n) => n.text)).toContain(
      `${live} in the roll back instead.`,
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
  // docs/limitations.md (session 54's rounds): `SSEEnabled: !Ref EnableSSE` fixed with --fix-parameterised rolled back to
  // the Default's setting (`{SSEEnabled: false}`) for every stack, moving a stack deployed with EnableSSE=true from the
  // AWS managed key to the AWS owned one. Each stack gets its own back: the settings as written, the parameter kept.
  describe('a setting a parameter decided (--fix-parameterised)', () => {
    const run = async (file: string, text: string) => {
      const r = await processMemory([{ path: file, text }], 'fix', { fixParameterised: true });
      expect(r.outcomes[0].tables[0].fixed).toBe(true);
      const body = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' }));
      return { body, flat: body.replace(/\s+/g, ' '), fixed: r.outcomes[0].newText! };
    };
    const template = (parameters: string, sse: string) =>
      `Parameters:\n${parameters}Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n` +
      `      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n` +
      `      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n${sse}`;
    const ENABLE = "  EnableSSE: {Type: String, AllowedValues: ['true', 'false'], Default: 'false'}\n";
    const KEPT = '(EnableSSE is still declared), so that each stack gets back what its value gave it';

    /** The fixed template with the table's SSESpecification replaced by step 1's (its keys kept), linted: no errors. */
    const lintRolledBack = (fixed: string, printed: string, file = 'template.yaml') => {
      const back = file.endsWith('.json')
        ? fixed.replace(/"SSESpecification": \{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/, printed)
        : fixed.replace(/SSESpecification:\n(?: {8}.*\n)+/, `${printed}\n`);
      expect(back).toContain(printed);
      const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-rollback-'));
      writeFileSync(path.join(dir, file), back);
      const lint = spawnSync('cfn-lint', ['--regions', 'eu-west-1', '--', path.join(dir, file)], { encoding: 'utf8' });
      expect(lint.error, 'cfn-lint must be installed').toBeUndefined();
      // Exit code bit 2: errors (4: warnings, 8: informational).
      expect(lint.status! & 2, lint.stdout).toBe(0);
    };

    it("SSEEnabled: !Ref EnableSSE with AllowedValues: the setting as written, each value's old status named", async () => {
      const { body, flat, fixed } = await run('t.yaml', template(ENABLE, '      SSESpecification:\n        SSEEnabled: !Ref EnableSSE\n'));
      expect(flat).toContain(
        '- CloudFormation, SAM and Serverless, was aws-owned (EnableSSE false) or aws-managed (EnableSSE true): ' +
          `\`SSESpecification: {SSEEnabled: !Ref EnableSSE}\`, as written before this commit ${KEPT}`,
      );
      expect(flat).not.toContain('`SSESpecification: {SSEEnabled: false}`');
      // The Tables: line names each value's old status, the table's own (the Default's) first.
      expect(body).toContain('* Orders (t.yaml:4), was aws-owned (EnableSSE false) or aws-managed\n    (EnableSSE true)\n');
      lintRolledBack(fixed, 'SSESpecification: {SSEEnabled: !Ref EnableSSE}');
    });

    it('a parameter without AllowedValues: the setting as written; one old status, the line as before', async () => {
      const { body, flat } = await run(
        't.yaml',
        template("  EnableSSE: {Type: String, Default: 'false'}\n", '      SSESpecification:\n        SSEEnabled: !Ref EnableSSE\n'),
      );
      expect(flat).toContain(
        `- CloudFormation, SAM and Serverless, as parameter EnableSSE gave it: \`SSESpecification: {SSEEnabled: !Ref EnableSSE}\`, as written before this commit ${KEPT}`,
      );
      expect(body).toContain('* Orders (t.yaml:4), was aws-owned\n');
    });

    it('KMSMasterKeyId: !Ref KeyParam, a block mapping with a comment: one flow mapping; JSON as JSON; both lint clean', async () => {
      const { flat, fixed } = await run(
        't.yaml',
        template(
          '  KeyParam: {Type: String, Default: alias/aws/dynamodb}\n',
          '      SSESpecification:\n        SSEEnabled: true # on\n        SSEType: KMS\n        KMSMasterKeyId: !Ref KeyParam\n',
        ),
      );
      const printed = 'SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: !Ref KeyParam}';
      expect(flat).toContain(`- CloudFormation, SAM and Serverless, as parameter KeyParam gave it: \`${printed}\``);
      lintRolledBack(fixed, printed);
      const json = await run(
        't.json',
        JSON.stringify(
          {
            Parameters: { KeyParam: { Type: 'String', Default: 'alias/aws/dynamodb' } },
            Resources: {
              Orders: {
                Type: 'AWS::DynamoDB::Table',
                Properties: {
                  BillingMode: 'PAY_PER_REQUEST',
                  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
                  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
                  SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { Ref: 'KeyParam' } },
                },
              },
            },
          },
          null,
          2,
        ),
      );
      const printedJson = '"SSESpecification": {"SSEEnabled": true, "SSEType": "KMS", "KMSMasterKeyId": {"Ref": "KeyParam"}}';
      expect(json.flat).toContain(`as parameter KeyParam gave it: \`${printedJson}\``);
      lintRolledBack(json.fixed, printedJson, 'template.json');
    });

    it("serverless.yml: the Framework passes its resources' parameters no value, so the Default was every stack's: one old status", async () => {
      const { body, flat } = await run(
        'serverless.yml',
        'service: shop\nprovider:\n  name: aws\nresources:\n  Parameters:\n' +
          "    EnableSSE: {Type: String, AllowedValues: ['true', 'false'], Default: 'false'}\n  Resources:\n    Orders:\n" +
          '      Type: AWS::DynamoDB::Table\n      Properties:\n        KeySchema: [{AttributeName: pk, KeyType: HASH}]\n' +
          '        SSESpecification:\n          SSEEnabled:\n            Ref: EnableSSE\n',
      );
      expect(body).toContain('* Orders (serverless.yml:8), was aws-owned\n');
      expect(flat).toContain(
        'as parameter EnableSSE gave it: `SSESpecification: {SSEEnabled: {Ref: EnableSSE}}`, as written before this commit',
      );
    });

    // Session 56's CloudFormation round, F3: a switch no value of which gives a customer-managed key, with no Default to
    // read, was unknown; it is what an Fn::If with no customer-managed choice is, and rolls back as written.
    it('SSEEnabled: !Ref to a parameter with no Default (AllowedValues true, false): aws-owned, fixed with the flag, set back as written', async () => {
      const text = template(
        "  EnableSSE: {Type: String, AllowedValues: ['true', 'false']}\n",
        '      SSESpecification:\n        SSEEnabled: !Ref EnableSSE\n',
      );
      const scan = await processMemory([{ path: 't.yaml', text }], 'scan');
      const t = scan.outcomes[0].tables[0];
      expect(t.status).toBe('aws-owned');
      expect(t.message).toContain('SSEEnabled is !Ref EnableSSE: no value it can take uses a customer-managed key');
      expect(t.message).toContain("the setting is decided by parameter EnableSSE's values (true, false; no Default)");
      const { body, flat, fixed } = await run('t.yaml', text);
      expect(flat).toContain(
        '- CloudFormation, SAM and Serverless, was aws-owned (EnableSSE false) or aws-managed (EnableSSE true): ' +
          `\`SSESpecification: {SSEEnabled: !Ref EnableSSE}\`, as written before this commit ${KEPT}`,
      );
      expect(flat).not.toContain('!If [EnableSSE');
      expect(body).toContain('* Orders (t.yaml:4), was aws-owned (EnableSSE false) or aws-managed\n    (EnableSSE true)\n');
      lintRolledBack(fixed, 'SSESpecification: {SSEEnabled: !Ref EnableSSE}');
      // With no AllowedValues, the same; with AllowedValues of one value, that value's status; a key beside it: unknown.
      const none = await run('t.yaml', text.replace(", AllowedValues: ['true', 'false']", ''));
      expect(none.body).toContain('* Orders (t.yaml:4), was aws-owned (EnableSSE false) or aws-managed\n    (EnableSSE true)\n');
      const on = await processMemory([{ path: 't.yaml', text: text.replace("'true', 'false'", "'true'") }], 'scan');
      expect(on.outcomes[0].tables[0].status).toBe('aws-managed');
      const keyed = text.replace(
        'SSEEnabled: !Ref EnableSSE\n',
        'SSEEnabled: !Ref EnableSSE\n        SSEType: KMS\n        KMSMasterKeyId: alias/mine\n',
      );
      expect((await processMemory([{ path: 't.yaml', text: keyed }], 'scan')).outcomes[0].tables[0].status).toBe('unknown');
    });

    it('serverless.yml: a switch a stage variable picks from a map of true and false: aws-owned, set back as written', async () => {
      const text =
        "service: shop\nprovider:\n  name: aws\n  stage: ${opt:stage, 'dev'}\ncustom:\n  isProd:\n    prod: true\n    dev: false\n" +
        'resources:\n  Resources:\n    Orders:\n      Type: AWS::DynamoDB::Table\n      Properties:\n' +
        '        KeySchema: [{AttributeName: pk, KeyType: HASH}]\n' +
        '        SSESpecification:\n          SSEEnabled: ${self:custom.isProd.${self:provider.stage}}\n';
      const scan = await processMemory([{ path: 'serverless.yml', text }], 'scan');
      expect(scan.outcomes[0].tables[0].status).toBe('aws-owned');
      const { body, flat } = await run('serverless.yml', text);
      expect(flat).toContain(
        '- CloudFormation, SAM and Serverless, was aws-owned (custom.isProd false) or aws-managed (custom.isProd true): ' +
          '`SSESpecification: {SSEEnabled: "${self:custom.isProd.${self:provider.stage}}"}`, as written before this commit ' +
          '(custom.isProd is still declared), so that each stack gets back what its value gave it',
      );
      expect(body).toContain(
        '* Orders (serverless.yml:11), was aws-owned (custom.isProd false) or\n    aws-managed (custom.isProd true)\n',
      );
      // A map with another value than true or false: not known, as before.
      const other = await processMemory([{ path: 'serverless.yml', text: text.replace('dev: false', 'dev: maybe') }], 'scan');
      expect(other.outcomes[0].tables[0].status).toBe('unknown');
    });

    it('a key without SSEType (a template CloudFormation rejects): not set back as written, the AWS managed setting as before', async () => {
      const { flat } = await run(
        't.yaml',
        template(
          "  EnableSSE: {Type: String, Default: 'true'}\n",
          '      SSESpecification:\n        SSEEnabled: !Ref EnableSSE\n        KMSMasterKeyId: alias/mine\n',
        ),
      );
      expect(flat).not.toContain('KMSMasterKeyId: alias/mine}');
      expect(flat).toContain(
        '- CloudFormation, SAM and Serverless, was aws-managed: `SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/aws/dynamodb}`',
      );
    });

    it('a SimpleTable whose SSESpecification SAM Globals gave: none of its own, as it was', async () => {
      const text =
        "Transform: AWS::Serverless-2016-10-31\nParameters:\n  EnableSSE: {Type: String, Default: 'false'}\n" +
        'Globals:\n  SimpleTable:\n    SSESpecification:\n      SSEEnabled: !Ref EnableSSE\n' +
        'Resources:\n  Orders:\n    Type: AWS::Serverless::SimpleTable\n';
      const { flat } = await run('template.yaml', text);
      expect(flat).toContain(
        "as parameter EnableSSE gave it: no `SSESpecification` of its own (SAM Globals' applies), as written before this commit",
      );
    });

    it('a global table: its SSESpecification and that of the replica whose key the fix set, as written', async () => {
      const { flat } = await run(
        't.yaml',
        'Parameters:\n  ReplicaKey: {Type: String, Default: alias/aws/dynamodb}\nResources:\n  Orders:\n    Type: AWS::DynamoDB::GlobalTable\n' +
          '    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n' +
          '      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n      SSESpecification:\n        SSEEnabled: true\n        SSEType: KMS\n' +
          '      Replicas:\n        - Region: !Ref AWS::Region\n          SSESpecification:\n            KMSMasterKeyId: !Ref ReplicaKey\n',
      );
      expect(flat).toContain(
        '- AWS::DynamoDB::GlobalTable, as parameter ReplicaKey gave it: `SSESpecification: {SSEEnabled: true, SSEType: KMS}` and, ' +
          'in its replica of Region `!Ref AWS::Region`, `SSESpecification: {KMSMasterKeyId: !Ref ReplicaKey}`, as written before this commit',
      );
    });

    it("serverless.ts: its SSESpecification as the TypeScript writes it; AWS CDK's CfnParameter: the code before this commit", async () => {
      const sls =
        "const serverlessConfiguration = {\n  service: 'shop',\n  provider: { name: 'aws' },\n  resources: {\n" +
        "    Parameters: { TableKey: { Type: 'String', Default: 'alias/aws/dynamodb' } },\n    Resources: {\n      Orders: {\n" +
        "        Type: 'AWS::DynamoDB::Table',\n        Properties: {\n          BillingMode: 'PAY_PER_REQUEST',\n" +
        "          SSESpecification: {\n            SSEEnabled: true,\n            SSEType: 'KMS',\n            KMSMasterKeyId: { Ref: 'TableKey' },\n          },\n        },\n      },\n    },\n  },\n};\n\n" +
        'module.exports = serverlessConfiguration;\n';
      const { flat } = await run('serverless.ts', sls);
      expect(flat).toContain(
        "as parameter TableKey gave it: `SSESpecification: {SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: {Ref: 'TableKey'}}`, as written before this commit",
      );
      const cdk =
        "import { CfnParameter, Stack } from 'aws-cdk-lib';\nimport * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\n" +
        "import * as kms from 'aws-cdk-lib/aws-kms';\nimport { Construct } from 'constructs';\n\nexport class DataStack extends Stack {\n" +
        '  constructor(scope: Construct, id: string) {\n    super(scope, id);\n' +
        "    const keyArn = new CfnParameter(this, 'TableKeyArn', { type: 'String', default: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb' });\n" +
        "    new dynamodb.Table(this, 'Orders', {\n      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },\n" +
        "      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,\n      encryptionKey: kms.Key.fromKeyArn(this, 'TableKey', keyArn.valueAsString),\n" +
        '    });\n  }\n}\n';
      const c = await run('lib/stack.ts', cdk);
      expect(c.flat).toContain(
        "- AWS CDK Table, as parameter TableKeyArn gave it: set the table's encryption back to what it was before this commit (TableKeyArn is still declared)",
      );
      expect(c.flat).not.toContain('TableEncryption.AWS_MANAGED');
    });
  });

  describe('the Tables: line of a table Fn::If chose', () => {
    const text = (sse: string) =>
      'Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod]}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n' +
      'Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n' +
      `      SSESpecification:\n        SSEEnabled: ${sse}\n`;
    const tables = async (sse: string) => {
      const r = await processMemory([{ path: 't.yaml', text: text(sse) }], 'fix', { fixParameterised: true });
      const body = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' }));
      return body.slice(body.indexOf('Tables:'), body.indexOf('  key:'));
    };
    it("each choice's old status, the table's own first; choices that were all the same: the line as before", async () => {
      expect(await tables('!If [IsProd, true, false]')).toBe(
        'Tables:\n* Orders (t.yaml:6), was aws-owned (IsProd false) or aws-managed (IsProd\n    true)\n',
      );
      expect(await tables('!If [IsProd, false, !Ref AWS::NoValue]')).toBe('Tables:\n* Orders (t.yaml:6), was aws-owned\n');
    });
    it("a choice no deploy picks was no stack's: not named", async () => {
      // Env may only be prod: IsProd is true in every deploy, and the false choice (AWS owned) was never deployed.
      const r = await processMemory(
        [{ path: 't.yaml', text: text('!If [IsProd, true, false]').replace('AllowedValues: [dev, prod]', 'AllowedValues: [prod]') }],
        'fix',
        { fixParameterised: true },
      );
      const body = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' }));
      expect(body).toContain('Tables:\n* Orders (t.yaml:6), was aws-managed\n');
    });
  });
});

// Session 62's deploy review, F1: `serverless rollback`, a CodePipeline stage rollback (automatic on failure: no one reads
// the note) and a redeploy of the previous commit or artifact are each a revert in one deploy.
describe('tools that redeploy an earlier version', () => {
  const line = (serverless: string, automatic: string) =>
    `  Tools that redeploy an earlier version are a revert too: ${serverless}a CodePipeline stage rollback (manual, or automatic with ${automatic} ` +
    'on the deploy stage: turn that off until this change has settled), or a redeploy of the previous commit or artifact. ' +
    'Do not undo this change with them; follow steps 1 and 2.';
  it('Serverless names `serverless rollback`; each family its own stage setting; after the two steps', () => {
    const sls = note([table('serverless', 'AWS::DynamoDB::Table', 'aws-owned')]);
    expect(sls).toContain(line('`serverless rollback`, ', '`OnFailure: {Result: ROLLBACK}`'));
    expect(sls.indexOf('Tools that redeploy')).toBeGreaterThan(sls.indexOf('  2. Then remove the keys'));
    expect(note([table('sam', 'AWS::DynamoDB::Table', 'aws-owned')])).toContain(line('', '`OnFailure: {Result: ROLLBACK}`'));
    expect(note([table('cdk', 'aws-cdk-lib.aws_dynamodb.Table', 'aws-owned')])).toContain(
      line('', '`onFailure: { result: Result.ROLLBACK }`'),
    );
    expect(note([table('terraform', 'aws_dynamodb_table', 'aws-owned'), table('pulumi', 'aws.dynamodb.Table', 'aws-owned')])).toContain(
      line('', '`on_failure { result = "ROLLBACK" }` or `onFailure: { result: \'ROLLBACK\' }`'),
    );
    expect(note([table('pulumi-yaml', 'aws:dynamodb:Table', 'aws-owned')])).toContain(line('', '`onFailure: { result: ROLLBACK }`'));
  });
  it('--kms-key-arn: one deploy, no key of the fix to delete: no such line', () => {
    expect(note([table('serverless', 'AWS::DynamoDB::Table', 'aws-owned')], true)).not.toContain('Tools that redeploy');
  });
});
