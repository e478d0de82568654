/**
 * How to roll a fix back, for the commit message: per format family of the tables fixed, and per
 * what each table was. A revert of the fix is not a roll back. Terraform's AWS provider (and CDK for
 * Terraform and Pulumi, built on it) reads `kms_key_arn` back as Optional+Computed: removing it, or
 * the whole `server_side_encryption` block, plans no change to the table, while the key the revert
 * removes is destroyed under it (hashicorp/terraform-provider-aws#29811; reproduced with
 * hashicorp/aws 5.100.0 in test/formats/terraform/rollback-plan.test.ts). And in every format a key
 * removed in the deploy that switches its table away may be pending deletion before DynamoDB is done
 * with it. So: set the old encryption explicitly and keep the keys, deploy and wait; then remove the
 * keys.
 */
import type { TableReport } from '../core/result.js';
import { listed } from '../rule/blockers.js';

type Was = 'aws-owned' | 'aws-managed';

/** The setting that puts a table of this kind back on what it was, as its own code writes it. */
function setting(t: TableReport, was: Was): string {
  const owned = was === 'aws-owned';
  switch (family(t)) {
    case 'cloudformation-global':
      return owned
        ? '`SSESpecification: {SSEEnabled: false}` and no `KMSMasterKeyId` in its replicas'
        : '`SSESpecification: {SSEEnabled: true, SSEType: KMS}` and no `KMSMasterKeyId` in its replicas';
    case 'cloudformation':
      return owned
        ? '`SSESpecification: {SSEEnabled: false}`'
        : '`SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/aws/dynamodb}`';
    // Back to the AWS managed key, every CDK table names it as CloudFormation's does (KMSMasterKeyId: alias/aws/dynamodb), not
    // leaving it to an omitted property (session 52's deploy review). TableV2's awsManagedKey() renders a GlobalTable's
    // {SSEEnabled: true, SSEType: KMS} with no replica key (aws-cdk-lib 2.276.0), the form of the GlobalTable row: it is kept.
    case 'cdk-l1':
      return owned
        ? '`sseSpecification: { sseEnabled: false }`'
        : "`sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: 'alias/aws/dynamodb' }`";
    case 'cdk-v2':
      return owned ? '`encryption: TableEncryptionV2.dynamoOwnedKey()`' : '`encryption: TableEncryptionV2.awsManagedKey()`';
    case 'cdk':
      // CDK refuses an encryptionKey beside any other encryption ("encryptionKey cannot be specified unless ..."): the key stays declared until step 2.
      // TableEncryption.AWS_MANAGED synthesizes SSESpecification: {SSEEnabled: true} alone (aws-cdk-lib 2.276.0), so an escape hatch names the key.
      return owned
        ? '`encryption: TableEncryption.DEFAULT` and no `encryptionKey` (keep the key itself until the second deploy)'
        : '`encryption: TableEncryption.AWS_MANAGED` and no `encryptionKey` (keep the key itself until the second deploy), and, as AWS_MANAGED ' +
            "names no key, on `(table.node.defaultChild as dynamodb.CfnTable)`: `addPropertyOverride('SSESpecification.SSEType', 'KMS')` and " +
            "`addPropertyOverride('SSESpecification.KMSMasterKeyId', 'alias/aws/dynamodb')`";
    case 'terraform-module':
      // An input left null passes null to kms_key_arn, which changes nothing (the provider keeps the key it read back).
      return owned
        ? 'the inputs that give the module\'s table `enabled = false` (terraform-aws-modules: `server_side_encryption_enabled = false`; cloudposse: `enable_encryption = false`; mineiros-io: `kms_type = "AWS_OWNED"`)'
        : 'the inputs that give the module\'s table `enabled = true` and, as its key, the ARN of alias/aws/dynamodb (terraform-aws-modules and cloudposse: `server_side_encryption_kms_key_arn`; mineiros-io: `kms_type = "CUSTOMER_MANAGED"` with `kms_key_arn`): a key input left null changes nothing';
    case 'terraform':
      return owned
        ? '`server_side_encryption { enabled = false }`'
        : '`server_side_encryption { enabled = true }` with `kms_key_arn` set to the ARN of alias/aws/dynamodb (`data "aws_kms_alias"`)';
    case 'cdktf':
      return owned
        ? '`serverSideEncryption: { enabled: false }`'
        : '`serverSideEncryption: { enabled: true }` with `kmsKeyArn` set to the ARN of alias/aws/dynamodb (`DataAwsKmsAlias`)';
    case 'pulumi':
      return owned
        ? '`serverSideEncryption: { enabled: false }`'
        : '`serverSideEncryption: { enabled: true }` with `kmsKeyArn` set to the ARN of alias/aws/dynamodb (`aws.kms.getAlias`)';
    case 'pulumi-yaml':
      return owned
        ? '`serverSideEncryption: { enabled: false }`'
        : '`serverSideEncryption: { enabled: true }` with `kmsKeyArn` set to the ARN of alias/aws/dynamodb (`fn::invoke` `aws:kms:getAlias`)';
  }
}

type Family =
  | 'cloudformation'
  | 'cloudformation-global'
  | 'cdk'
  | 'cdk-v2'
  | 'cdk-l1'
  | 'terraform'
  | 'terraform-module'
  | 'cdktf'
  | 'pulumi'
  | 'pulumi-yaml';

const FAMILY_NAME: Record<Family, string> = {
  cloudformation: 'CloudFormation, SAM and Serverless',
  'cloudformation-global': 'AWS::DynamoDB::GlobalTable',
  cdk: 'AWS CDK Table',
  'cdk-v2': 'AWS CDK TableV2',
  'cdk-l1': 'AWS CDK CfnTable',
  terraform: 'Terraform',
  'terraform-module': 'Terraform module call',
  cdktf: 'CDK for Terraform',
  pulumi: 'Pulumi',
  'pulumi-yaml': 'Pulumi YAML',
};

function family(t: TableReport): Family {
  switch (t.format) {
    case 'terraform':
      return t.type === 'module' ? 'terraform-module' : 'terraform';
    case 'cdktf':
    case 'pulumi':
    case 'pulumi-yaml':
      return t.format;
    case 'cdk':
      if (/\bCfn(Global)?Table$/.test(t.type)) return 'cdk-l1';
      return /\bTableV2$/.test(t.type) ? 'cdk-v2' : 'cdk';
    default:
      return t.type === 'AWS::DynamoDB::GlobalTable' ? 'cloudformation-global' : 'cloudformation';
  }
}

/** Families whose tables a revert alone leaves on the key (the provider keeps a key it reads back). */
const PROVIDER_KEEPS_KEY: ReadonlySet<Family> = new Set(['terraform', 'terraform-module', 'cdktf', 'pulumi', 'pulumi-yaml']);

/** Families whose deploy tool cannot keep a resource it destroys (Terraform's prevent_destroy fails the destroy instead): `key: retain: always` does not reach them. */
const NO_KEEP_ON_DESTROY: ReadonlySet<Family> = new Set(['terraform', 'terraform-module', 'cdktf']);

/** CloudFormation's SSESpecification for what a table was, as `setting` gives it, without its quotes and its words on replicas. */
const SSE_BLOCK: Partial<Record<Family, Record<Was, string>>> = {
  cloudformation: {
    'aws-owned': '{SSEEnabled: false}',
    'aws-managed': '{SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/aws/dynamodb}',
  },
  'cloudformation-global': { 'aws-owned': '{SSEEnabled: false}', 'aws-managed': '{SSEEnabled: true, SSEType: KMS}' },
};

/**
 * A table whose setting a condition chose (Fn::If, fixed with --fix-parameterised), its choices not all the same:
 * its status is the one any choice gives (AWS owned if one is), but each stack was on what its choice gave, so each
 * gets that back: the condition kept, each choice written as the table's row gives it (`!If [IsProd, {SSEEnabled:
 * true, SSEType: KMS, KMSMasterKeyId: alias/aws/dynamodb}, {SSEEnabled: false}]`; the single value would move prod
 * stacks from the AWS managed key to the AWS owned one). A choice that was neither (one no environment picks) or a
 * family without such a form: the setting as it was written, to be set back.
 */
function chosenSetting(t: TableReport): string | undefined {
  const c = t.choices;
  if (!c || new Set(c.statuses).size < 2) return undefined;
  const f = family(t);
  const block = SSE_BLOCK[f];
  const each = c.statuses.map((s) => (s === 'aws-owned' || s === 'aws-managed' ? s : undefined));
  const name = FAMILY_NAME[f];
  if (!block || each.some((s) => s === undefined)) {
    const as = c.written ? `\`${c.written}\`` : `as condition ${c.condition} chose it`;
    return `${name}, chosen by condition ${c.condition}: set SSESpecification back to what it was: ${as}`;
  }
  const was = each.map((s, i) => `${s} where ${c.condition} is ${i === 0 ? 'true' : 'false'}`).join(', ');
  const replicas = f === 'cloudformation-global' ? ' and no `KMSMasterKeyId` in its replicas' : '';
  return `${name}, was ${was}: \`SSESpecification: !If [${c.condition}, ${each.map((s) => block[s!]).join(', ')}]\`${replicas}`;
}

/**
 * What a table was, when a choice decided it (TableReport.choices, TableReport.parameters' values), each status once
 * with the choices that gave it, the table's own status first: `aws-owned (IsProd false) or aws-managed (IsProd true)`;
 * undefined where every choice a stack could take gave the same (the table's status says it).
 */
export function statusesWere(t: TableReport): string | undefined {
  // A choice no environment picks (ChoicesWere.picked) was no stack's.
  const c = t.choices;
  const each: { status: string; when: string }[] =
    c?.statuses.flatMap((status, i) =>
      c.picked && !c.picked.includes(i) ? [] : [{ status, when: `${c.condition} ${i === 0 ? 'true' : 'false'}` }],
    ) ??
    t.parameters?.values ??
    [];
  const by = new Map<string, string[]>([[t.status, []]]);
  for (const e of each) by.set(e.status, [...(by.get(e.status) ?? []), e.when]);
  if (by.size < 2 || by.get(t.status)!.length === 0) return undefined;
  return [...by].map(([status, when]) => `${status} (${when.join(' or ')})`).join(' or ');
}

/**
 * A table fixed through the parameters that decided it (--fix-parameterised: `SSEEnabled: !Ref EnableSSE`): its status
 * is the one their Defaults give, but a stack deployed with another value (`EnableSSE=true`) was on what that value gave
 * it (the AWS managed key), and the family's setting for the Default's status would move it. So each stack gets its own
 * back: the settings as written, the parameters still declared (the fix leaves them so). A format that handed over no
 * settings as written (AWS CDK's CfnParameter): its code as it was before this commit.
 */
function parameterSetting(t: TableReport): string | undefined {
  const p = t.parameters;
  if (!p) return undefined;
  const f = family(t);
  const names = `${p.inputs.length === 1 ? 'parameter' : 'parameters'} ${listed(p.inputs)}`;
  const were = statusesWere(t);
  const head = `${FAMILY_NAME[f]}, ${were ? `was ${were}` : `as ${names} gave it`}`;
  const kept = `(${listed(p.inputs)} ${p.inputs.length === 1 ? 'is' : 'are'} still declared), so that each stack gets back what its value gave it`;
  if (p.block === undefined) return `${head}: set the table's encryption back to what it was before this commit ${kept}`;
  const block = p.block ? `\`${p.block}\`` : "no `SSESpecification` of its own (SAM Globals' applies)";
  const replica = p.replica
    ? p.replica.block
      ? ` and, in its replica of Region \`${p.replica.region}\`, \`${p.replica.block}\``
      : ` and no \`SSESpecification\` in its replica of Region \`${p.replica.region}\``
    : '';
  return `${head}: ${block}${replica}, as written before this commit ${kept}`;
}

/** Whether `key: retain: always` keeps some of these tables' keys (it changes nothing for Terraform's and CDK for Terraform's). */
export function retainsSome(tables: TableReport[]): boolean {
  return tables.some((t) => !NO_KEEP_ON_DESTROY.has(family(t)));
}

/**
 * The tools that delete a stack of these tables and keep a key it retains (session 63's deploy review, F2), in the
 * order the tables come: none for Terraform and CDK for Terraform, whose keys a destroy schedules for deletion.
 */
const TEARDOWN: Record<string, string> = {
  cloudformation: '`aws cloudformation delete-stack`',
  sam: '`sam delete`',
  serverless: '`serverless remove`',
  cdk: '`cdk destroy`',
  pulumi: '`pulumi destroy`',
  'pulumi-yaml': '`pulumi destroy`',
};

export function teardownTools(tables: TableReport[]): string[] {
  return [...new Set(tables.flatMap((t) => (TEARDOWN[t.format] ? [TEARDOWN[t.format]] : [])))];
}

/** The settings to write back, each once, in the order the tables come. */
function settings(tables: TableReport[]): string[] {
  const seen = new Set<string>();
  for (const t of tables) {
    const was: Was = t.status === 'aws-managed' ? 'aws-managed' : 'aws-owned';
    seen.add(parameterSetting(t) ?? chosenSetting(t) ?? `${FAMILY_NAME[family(t)]}, was ${was}: ${setting(t, was)}`);
  }
  return [...seen];
}

/**
 * The settings are read from the code, not the live table, which may already be on a key set outside the code
 * (the console, AWS Config's remediation runbook): that key is the one to set back (deploy review of session 57, F4).
 */
function liveKey(indent: string, where: string): NoteLine {
  return {
    first: indent,
    indent,
    text:
      "These settings are the code's before this commit, not the live table's: before deploying it, check each table's " +
      "`aws dynamodb describe-table --query Table.SSEDescription`, and where it names a key (set in the console, or by AWS Config's " +
      `AWSConfigRemediation-EnableEncryptionOnDynamoDbTable), set that key back ${where} instead.`,
  };
}

/**
 * How each family's deploy stage is set to roll back on its own when an action fails, as its code writes it (a
 * CodePipeline stage's `onFailure`; the pipeline may be written in another language than the tables, the family's own
 * form is the one its reader knows).
 */
const STAGE_ROLLBACK: Record<Family, string> = {
  cloudformation: '`OnFailure: {Result: ROLLBACK}`',
  'cloudformation-global': '`OnFailure: {Result: ROLLBACK}`',
  cdk: '`onFailure: { result: Result.ROLLBACK }`',
  'cdk-v2': '`onFailure: { result: Result.ROLLBACK }`',
  'cdk-l1': '`onFailure: { result: Result.ROLLBACK }`',
  terraform: '`on_failure { result = "ROLLBACK" }`',
  'terraform-module': '`on_failure { result = "ROLLBACK" }`',
  cdktf: "`onFailure: { result: 'ROLLBACK' }`",
  pulumi: "`onFailure: { result: 'ROLLBACK' }`",
  'pulumi-yaml': '`onFailure: { result: ROLLBACK }`',
};

/**
 * The tools that redeploy an earlier version, each a revert in one deploy (session 62's deploy review, F1): `serverless
 * rollback` (UpdateStack with the old compiled template: the table switches back while the clean-up schedules its key's
 * deletion), a CodePipeline stage rollback (the previous execution's source revisions and artifacts; automatic when the
 * stage's onFailure result is ROLLBACK: then no one reads this note), and a redeploy of the previous commit or artifact
 * (Terraform, CDK for Terraform, Pulumi: the table plans no change while the key is destroyed, #29811).
 */
function redeployTools(tables: TableReport[], declared: string[]): NoteLine {
  const serverless = tables.some((t) => t.format === 'serverless') ? '`serverless rollback`, ' : '';
  const automatic = [...new Set(tables.map((t) => STAGE_ROLLBACK[family(t)]))].join(' or ');
  return {
    first: '  ',
    indent: '  ',
    text:
      `Tools that redeploy an earlier version are a revert too: ${serverless}a CodePipeline stage rollback (manual, or automatic with ${automatic} ` +
      'on the deploy stage: turn that off until this change has settled), or a redeploy of the previous commit or artifact. ' +
      'Do not undo this change with them; follow steps 1 and 2.' +
      (declared.length ? ` This repository sets a stage to roll back on its own: ${declared.join(', ')}.` : ''),
  };
}

/** A paragraph of the note: its first line starts with `first`, the others with `indent`. */
export interface NoteLine {
  first: string;
  indent: string;
  text: string;
}

/**
 * The commit message's roll-back note, as paragraphs. `windowDays`: the new keys' deletion waiting
 * period; `existingKey`: the fix pointed the tables at a key it did not create (--kms-key-arn);
 * `recreated`: tables whose replicas --recreate-replicas re-creates.
 */
export function rollbackNote(
  tables: TableReport[],
  opts: {
    existingKey: boolean;
    windowDays: number;
    recreated: string[];
    retainAlways?: boolean;
    /** Every table kept the key it named, its switch turned on alone (TableReport.keptKey): one deploy, no key touched. */
    keptKeys?: boolean;
    /** The stage rollbacks the repository declares, as `file:line` (src/io/stageRollbacks.ts). */
    declaredRollbacks?: string[];
  },
): NoteLine[] {
  const families = new Set(tables.map(family));
  const kept = [...families].filter((f) => PROVIDER_KEEPS_KEY.has(f));
  const keyArgs = [
    ...new Set(kept.map((f) => (f === 'terraform' ? '`kms_key_arn`' : f === 'terraform-module' ? "a module's key input" : '`kmsKeyArn`'))),
  ].join(' or ');
  // `key: retain: always` keeps every key but Terraform's and CDK for Terraform's (no keep-on-destroy there).
  const retainedAll = opts.retainAlways ? [...families].filter((f) => !NO_KEEP_ON_DESTROY.has(f)) : [];
  const scheduled = retainedAll.length ? [...families].filter((f) => NO_KEEP_ON_DESTROY.has(f)) : [];
  const item = (text: string): NoteLine => ({ first: '    - ', indent: '      ', text });
  const out: NoteLine[] = [];
  if (opts.keptKeys) {
    out.push({
      first: '* ',
      indent: '  ',
      text: "Roll back in one deploy: set each table's switch back off and deploy; no key is created or deleted:",
    });
    out.push(...settings(tables).map(item), liveKey('  ', 'in the roll back'));
  } else if (opts.existingKey) {
    out.push({
      first: '* ',
      indent: '  ',
      text: "Roll back: set each table's encryption back explicitly and deploy; the key itself is not touched:",
    });
    out.push(...settings(tables).map(item), liveKey('  ', 'in the roll back'));
  } else {
    out.push(
      { first: '* ', indent: '  ', text: 'Roll back in two deploys; reverting this commit alone is not a roll back:' },
      {
        first: '  1. ',
        indent: '     ',
        text:
          "Keep the new keys and set each table's encryption back explicitly, deploy, and wait until `aws dynamodb describe-table " +
          '--query Table.SSEDescription` no longer names the new key (null for an AWS owned key) and is not UPDATING:',
      },
      ...settings(tables).map((text) => ({ ...item(text), first: '     - ', indent: '       ' })),
      liveKey('     ', 'in step 1'),
      {
        first: '  2. ',
        indent: '     ',
        text:
          'Then remove the keys and aliases this commit added, keeping those settings, and deploy: ' +
          (retainedAll.length
            ? `${retainedAll.map((f) => FAMILY_NAME[f]).join(', ')}: the keys are kept on delete (key: retain: always) and stay, billed, until you schedule ` +
              `their deletion (\`aws kms schedule-key-deletion\`, ${opts.windowDays} days)${scheduled.length ? `; ${scheduled.map((f) => FAMILY_NAME[f]).join(', ')}: each key is scheduled for deletion (${opts.windowDays} days)` : ''}. `
            : `each key is scheduled for deletion (${opts.windowDays} days; \`aws kms cancel-key-deletion\` then \`aws kms enable-key\` undo it; a key kept on delete stays until you schedule its deletion). `) +
          // AWS Backup's advanced DynamoDB backup (default for accounts new to AWS Backup since November 2021) encrypts its
          // recovery points with the vault's key, and its ARNs are arn:aws:backup: (session 59's deploy review, F3).
          "Backups taken while a table used its key (DynamoDB's on-demand backups, AWS Backup's recovery points without its advanced DynamoDB backup, " +
          'point-in-time recovery) stay encrypted under it: keep that key (leave it out of this step, or keep it on delete) until the last of them has expired. ' +
          "Which of AWS Backup's recovery points need it: `aws backup list-recovery-points-by-resource --resource-arn <table ARN> --query 'RecoveryPoints[].RecoveryPointArn'` " +
          "lists them, and only those whose ARN starts arn:aws:dynamodb: do (arn:aws:backup: ones are under the vault's key). " +
          // Restores done outside the stack (an incident's, a restore to staging) are tables no template names (session 52's deploy review).
          'A table restored from one of them, or to a point in time when its source used the key (an incident restore, a restore to staging), ' +
          'may be encrypted under it too: check each (`aws dynamodb describe-table --table-name <restored table> --query Table.SSEDescription.KMSMasterKeyArn`) ' +
          "before that key's deletion is scheduled.",
      },
      redeployTools(tables, opts.declaredRollbacks ?? []),
      {
        first: '  ',
        indent: '  ',
        text:
          'A table whose key is disabled or pending deletion cannot be read, and DynamoDB archives it after seven days: never remove a ' +
          'key in the deploy that switches its table away.',
      },
    );
  }
  if (!opts.existingKey && [...families].some((f) => f === 'cdk' || f === 'cdk-v2' || f === 'cdk-l1'))
    out.push({
      first: '  ',
      indent: '  ',
      text:
        "AWS CDK: where another stack of the app grants on a table (a cross-stack reference, which the fix extended to the table's key), " +
        "step 1 drops the key's export that stack still imports, and CloudFormation refuses it (`Export ... cannot be deleted as it is in use`): " +
        "in step 1, keep the export with `this.exportValue(<key>.keyArn)` in the table's stack, and remove that line with the key in step 2.",
    });
  // A table that kept its key had its switch alone turned on: a revert sets it back off (no key argument was touched).
  if (kept.length && !opts.keptKeys)
    out.push({
      first: '  ',
      indent: '  ',
      text:
        `${kept.map((f) => FAMILY_NAME[f]).join(', ')}: removing ${keyArgs} or the whole encryption block plans no change to the table, as the provider keeps ` +
        `the key it reads back (hashicorp/terraform-provider-aws#29811), so a revert alone leaves the table on ${opts.existingKey ? 'that key' : 'its new key and deletes that key under it'}.`,
    });
  if (opts.recreated.length)
    out.push({
      first: '  ',
      indent: '  ',
      text: `A replica that --recreate-replicas gave a key keeps it until it is re-created without one (remove its replica, apply, add it back, apply)${opts.existingKey ? '' : ': do that before step 2'}.`,
    });
  return out;
}
