/** A commit message's note on who deploys the new keys: which role, what it needs, and what a rollback does with the keys. */
import { listed } from '../rule/blockers.js';
import { DEFAULT_KEY_POLICY, KEY_USE_TEXT } from '../rule/keyPolicy.js';
import type { Fixed, MessageOptions } from './messageTypes.js';
import { shownBeside } from './messageLines.js';

/** Formats whose deploy is not CloudFormation's (no automatic rollback that deletes a key: Terraform, CDK for Terraform, Pulumi). */
const NOT_CLOUDFORMATION: ReadonlySet<string> = new Set(['terraform', 'cdktf', 'pulumi', 'pulumi-yaml']);

/**
 * Which role makes the KMS calls of a deploy, per family (session 59's deploy review, F1). AWS CDK's deploy role
 * only calls CloudFormation: its execution role creates the resources, with what `cdk bootstrap
 * --cloudformation-execution-policies` gave it. A CloudFormation stack deployed once with a service role keeps it
 * for later operations, and that role may be in no file kmsfix reads (a script, a pipeline): describe-stacks shows it.
 */
function deployers(tables: Fixed[]): string {
  const formats = new Set(tables.map(({ t }) => t.format));
  const out: string[] = [];
  if (formats.has('cdk'))
    out.push(
      "AWS CDK: CloudFormation's execution role `cdk-<qualifier>-cfn-exec-role-<account>-<region>`, whose policies " +
        '`cdk bootstrap --cloudformation-execution-policies` sets, not the deploy role',
    );
  if ([...formats].some((f) => f !== 'cdk' && !NOT_CLOUDFORMATION.has(f))) {
    const named = namedRoles(tables);
    out.push(
      "CloudFormation, SAM and Serverless: the stack's service role, kept for every later deploy once used and perhaps in no file here " +
        "(`aws cloudformation describe-stacks --stack-name <stack> --query 'Stacks[0].RoleARN'`; none: the deployer's own credentials)" +
        (named ? `, which this project names: ${named}` : ''),
    );
  }
  if ([...formats].some((f) => NOT_CLOUDFORMATION.has(f)))
    out.push('Terraform, CDK for Terraform and Pulumi: the credentials the plan or pipeline runs with');
  return out.join('; ');
}

/**
 * The deploy roles the project names beside the fixed tables' files (TableReport.deployRoles: a Serverless service's
 * `provider.iam.deploymentRole` or `provider.cfnRole`, a SAM configuration's `role_arn` per environment), by table file:
 * `arn:aws:iam::111122223333:role/deployer for template.yaml (samconfig.toml:4, role_arn of environment default)`.
 * Each file is shown from the repository's root, as its table's file is.
 */
function namedRoles(tables: Fixed[]): string {
  const byFile = byTableFile(tables, ({ t, file }) =>
    (t.deployRoles ?? []).map((r) => {
      const shown = shownBeside(file, t.file, r.file);
      const where = `${shown}:${r.line}, ${r.setting}${r.environment !== undefined ? ` of environment ${r.environment}` : ''}`;
      return `${r.role} (${where})`;
    }),
  );
  return [...byFile].map(([file, roles]) => `for ${file}, ${[...roles].join(', ')}`).join('; ');
}

/** What `valuesOf` says of each fixed table, by the table's file, each value once (a file with none left out), in the tables' order. */
function byTableFile(tables: Fixed[], valuesOf: (f: Fixed) => readonly string[]): Map<string, Set<string>> {
  const byFile = new Map<string, Set<string>>();
  for (const f of tables) for (const v of valuesOf(f)) (byFile.get(f.file) ?? byFile.set(f.file, new Set()).get(f.file)!).add(v);
  return byFile;
}

/**
 * The session policies the fixed Terraform tables' providers pass when they assume their role (TableReport.deploySessionPolicy):
 * they limit the plan's credentials as a permissions boundary does (session 64's deploy review, F5).
 */
function sessionPolicies(tables: Fixed[]): string {
  const byFile = byTableFile(tables, ({ t }) => (t.deploySessionPolicy !== undefined ? [t.deploySessionPolicy] : []));
  if (byFile.size === 0) return '';
  const named = [...byFile].map(([file, p]) => `${[...p].join(', ')} for ${file}`).join('; ');
  return (
    ` The session policy the Terraform provider passes when it assumes its role (${named}) limits the plan's credentials as a permissions boundary does: ` +
    'it must allow every KMS action named here too, or the apply fails at the first key.'
  );
}

/** What the deploying role needs to create, read and delete the new keys (none with an existing key). */
export function whoDeploys(tables: Fixed[], o: MessageOptions): string[] {
  const mode = o.keyPolicy ?? DEFAULT_KEY_POLICY;
  if (o.kmsKeyArn) return [];
  // Only CloudFormation (SAM, Serverless, AWS CDK) rolls a failed deploy back on its own: Terraform, CDK for Terraform
  // and Pulumi delete the keys only when they are removed (adv review of session 62).
  const stacks = tables.some(({ t }) => !NOT_CLOUDFORMATION.has(t.format));
  return [
    // Read after each create (hashicorp/aws waits on the policy and rotation, then reads tags and aliases: an
    // apply that cannot leaves the key created and tainted) and deleted on a roll back (CloudFormation's
    // AWS::KMS::Key delete handler: DescribeKey, ScheduleKeyDeletion; a rollback that cannot stops in
    // UPDATE_ROLLBACK_FAILED). Reported by the deploy review of session 50. Skipping the table to get out of
    // UPDATE_ROLLBACK_FAILED marks it rolled back while it is still on the new key, which the rollback's clean-up
    // then deletes (session 51's deploy review).
    `Who deploys: the role that deploys the stack or plan (${deployers(tables)}) now creates, reads and, ` +
      `${stacks ? 'when a deploy rolls back or the keys are removed' : 'when the keys are removed'}, deletes KMS keys and aliases: it needs kms:CreateKey, kms:PutKeyPolicy, kms:EnableKeyRotation, ` +
      'kms:TagResource and kms:CreateAlias; kms:DescribeKey, kms:GetKeyPolicy, kms:GetKeyRotationStatus, kms:ListResourceTags and kms:ListAliases ' +
      '(read after each create: a Terraform apply without them fails with the key created and tainted); and kms:ScheduleKeyDeletion and kms:DeleteAlias ' +
      `(without them ${stacks ? 'a failed deploy cannot roll back: CloudFormation stops in UPDATE_ROLLBACK_FAILED' : 'the keys cannot be removed'}). No service control policy (SCP) or resource control policy (RCP) may deny them in this account.` +
      // It switches the tables too, a caller DynamoDB asks KMS as (AWS KMS guide, How Amazon DynamoDB uses AWS KMS
      // (docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html), "Authorizing use of your KMS key": kms:CreateGrant
      // and kms:DescribeKey for the principal that creates a table or switches it to a customer managed key with UpdateTable;
      // DynamoDB Developer Guide, "Managing encrypted tables in DynamoDB", encryption.tutorial.html; session 56's deploy review).
      // The role named is the one the project names where it does (namedRoles, session 60).
      (mode === 'iam'
        ? ` With key policy iam it also switches the tables to keys only IAM opens: its IAM policy needs ${KEY_USE_TEXT} on them (kms:ViaService dynamodb).`
        : ` It also switches the tables: any permissions boundary or SCP on it, and any RCP on the keys, must allow ${KEY_USE_TEXT} on them (kms:ViaService dynamodb).`) +
      sessionPolicies(tables) +
      rollbacks(tables, o) +
      // A proactive control runs at deploy time (deploy review of session 57, F2): AWS Control Tower's CT.KMS.PR.3, a
      // CloudFormation hook on AWS::KMS::Key, fails a key policy without src/rule/keyPolicy.ts DENY_DIRECT_GRANTS.
      (!o.key?.denyDirectGrants && tables.some(({ t }) => !NOT_CLOUDFORMATION.has(t.format))
        ? ` A CloudFormation hook on AWS::KMS::Key such as Control Tower's CT.KMS.PR.3 rejects a key policy with no statement denying kms:CreateGrant outside AWS services: set key: deny_direct_grants: true in .kmsfix.yml where it is enabled.`
        : ''),
  ];
}

/**
 * What a CloudFormation rollback of a failed deploy does with the new keys. A key that is not kept is deleted by it:
 * skipping its table to get out of UPDATE_ROLLBACK_FAILED, or a rollback that completes while the table still uses the
 * key, schedules the key's deletion under the table. A key kept on delete (TableReport.keyRetained, `key: retain:
 * always`) is kept instead: CloudFormation's DeletionPolicy reference (Template Reference Guide, DeletionPolicy
 * attribute): RetainExceptOnCreate "behaves like Retain for stack operations, except for the stack operation that
 * initially created the resource. If the stack operation that created the resource is rolled back, CloudFormation
 * deletes the resource", so Retain keeps a resource a rolled-back operation created; UpdateStack's RetainExceptOnCreate
 * flag deletes newly created resources "marked with a deletion policy of Retain" too. Such a key outlives the rollback
 * in no stack, billed: what to do with it (session 62's deploy review, F2). Nothing of it is said where no
 * CloudFormation table is: Terraform, CDK for Terraform and Pulumi roll no failed deploy back (adv review of session 62).
 */
function rollbacks(tables: Fixed[], o: MessageOptions): string {
  const cfn = tables.filter(({ t }) => !NOT_CLOUDFORMATION.has(t.format));
  const always = o.key?.retain === 'always';
  const kept = always ? cfn : cfn.filter(({ t }) => t.keyRetained);
  // Only a CloudFormation table's key is deleted by a rollback: Terraform, CDK for Terraform and Pulumi roll nothing back.
  const deleted = !always && kept.length < cfn.length;
  let out = '';
  // Skipping the table leaves it on a key that the rollback deletes.
  if (deleted)
    out +=
      ' If a rollback stops in UPDATE_ROLLBACK_FAILED on a table, do not skip it (continue-update-rollback --resources-to-skip) while its SSEDescription ' +
      'still names the new key: the rollback then schedules that key for deletion under the table (undo: aws kms cancel-key-deletion, then aws kms enable-key).';
  // A rollback that completes does the same, silently (docs/rolling-back.md, "Every format"; real-world round 37): the
  // table's old template may hold nothing that switches it off the key (no SSESpecification, SSEEnabled: true alone).
  if (deleted)
    out +=
      ' A rollback that completes (UPDATE_ROLLBACK_COMPLETE) may also schedule a new key for deletion while its table still uses it: ' +
      "check each table's SSEDescription before the key's deletion window ends, and if it names the new key, aws kms cancel-key-deletion, then aws kms enable-key.";
  if (kept.length === 0) return out;
  const why = always
    ? 'key: retain: always'
    : [...new Set(kept.map(({ t }) => (t.format === 'cdk' ? 'RemovalPolicy.RETAIN' : 'DeletionPolicy: Retain')))].join(', ');
  const which = kept.length < cfn.length ? ` of ${listed(kept.map(({ t }) => t.address))}` : '';
  const keys = kept.length === 1 ? 'key' : 'keys';
  return (
    out +
    ` A rollback keeps the new ${keys}${which} (${why}; not with UpdateStack's --retain-except-on-create), in no stack and billed: ` +
    "check each table's SSEDescription; if it does not name the key, schedule the key's deletion (`aws kms schedule-key-deletion`); " +
    'if it does, keep the key and finish the deploy.'
  );
}
