/**
 * The commit message's checklist notes on the keys' KMS requests and retention (src/report/commitMessage.ts),
 * from session 52's deploy review: on a customer managed key DynamoDB's KMS calls count toward the account's
 * request quota (an AWS owned key's do not), and a table retained, protected or moved after the fix keeps a
 * key that its stack still deletes.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { commitMessage, commitText } from '../../src/report/commitMessage.js';
import type { MessageOptions } from '../../src/report/messageTypes.js';

const table = (sse = '') =>
  `Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n${sse}`;
const MANAGED = '      SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/aws/dynamodb}\n';
const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The message of a fix of one template, its lines joined. */
async function message(text: string, o: Partial<MessageOptions> = {}) {
  const r = await processMemory([{ path: 't.yaml', text }], 'fix', o.kmsKeyArn ? { kmsKeyArn: o.kmsKeyArn } : {});
  return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0', ...o })).replace(/\s+/g, ' ');
}

describe('commit message: KMS requests', () => {
  it('a table off the AWS owned key: the account request quota, calls per caller, and key creation in waves', async () => {
    const m = await message(table());
    // The old wording priced the requests as few (DynamoDB caches per connection, so they grow with callers).
    expect(m).not.toContain('so they are few');
    expect(m).toContain(
      '* Cost: each new key costs $1 per month, $2 after its first yearly rotation and $3 from the second on, plus $0.03 per 10,000 requests.',
    );
    expect(m).toContain(
      "* KMS requests: DynamoDB's calls to the tables' keys count toward the account's KMS request quota per Region (an AWS owned key's do not) " +
        'and grow with distinct callers (per-user credentials, tenant sessions, large Lambda fleets) times the tables each uses: DynamoDB caches each ' +
        "table's key per connection and asks KMS again after five idle minutes, so a shared key does not reduce them. Each such call is " +
        'also a CloudTrail event in this account (log volume, SIEM ingestion). ' +
        'Near that quota, check KMS usage (Service Quotas, CloudWatch) first. ' +
        'CreateKey and CreateAlias allow a few calls a second per account: deploy many stacks into one account in waves. ' +
        '(AWS KMS guide: Request quotas; How Amazon DynamoDB uses AWS KMS)',
    );
  });

  it('a table that was on aws/dynamodb already counted: only key creation; --kms-key-arn creates none', async () => {
    const managed = await message(table(MANAGED));
    expect(managed).toContain(
      '* KMS requests: CreateKey and CreateAlias allow a few calls a second per account: deploy many stacks into one account in waves. (AWS KMS guide: Request quotas) ',
    );
    expect(managed).not.toContain('request quota per Region');
    const existing = await message(table(), { kmsKeyArn: ARN });
    expect(existing).toContain(
      "* KMS requests: DynamoDB's calls to the tables' keys count toward the account's KMS request quota per Region",
    );
    expect(existing).not.toContain('CreateKey and CreateAlias allow');
    expect(existing).toContain(
      '* Cost: no new key; the existing key is billed as before, plus the requests DynamoDB makes to it for these tables.',
    );
    // Nothing left to say: no empty note.
    const both = await message(table(MANAGED), { kmsKeyArn: ARN });
    expect(both).not.toContain('KMS requests');
  });
});

describe('commit message: key retention', () => {
  it('a table retained, protected or moved later: its key gets the same retention and moves with it', async () => {
    const line =
      '* Key retention: if you later retain, protect (deletion protection, point-in-time recovery, backups) or move a table to another stack, ' +
      'give its key the same retention and move the key with it: a key deleted with its stack leaves a kept table unreadable.';
    expect(await message(table())).toContain(line);
    // The key of --kms-key-arn is not the fix's: nothing of it is deleted with a stack.
    expect(await message(table(), { kmsKeyArn: ARN })).not.toContain('Key retention');
  });

  // Session 63's deploy review (F2): every teardown of a per-stage or per-pull-request stack left a kept key, enabled and
  // billed, and the message said nothing of it. Said with the tools of the families fixed; Terraform's destroy deletes its keys.
  it('deleting a stack keeps its kept keys, billed: scheduled for deletion once the backups no longer need them', async () => {
    const TEARDOWN =
      'Deleting a stack (`aws cloudformation delete-stack`; every per-stage or per-pull-request teardown) deletes its tables and aliases ' +
      "but keeps each key it retains, enabled and billed: once the table's backups no longer need it (point-in-time recovery: 35 days; " +
      'on-demand and AWS Backup backups: until they are deleted), schedule its deletion (`aws kms schedule-key-deletion --key-id ...`).';
    expect(await message(table())).toContain(`leaves a kept table unreadable. ${TEARDOWN}`);
    const fixed = async (path: string, text: string) => {
      const r = await processMemory([{ path, text }], 'fix', {});
      return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
    };
    const sam = await fixed('template.yaml', `Transform: AWS::Serverless-2016-10-31\n${table()}`);
    expect(sam).toContain('Deleting a stack (`sam delete`; every');
    const tf = await fixed(
      'main.tf',
      'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "pk"\n  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n',
    );
    expect(tf).toContain('* Key retention:');
    expect(tf).not.toContain('Deleting a stack');
  });
});

// Real-world round 37 (deploy review): docs/rolling-back.md says a CloudFormation rollback that completes may schedule the
// new key's deletion while the table still uses it; the message said only what to do in UPDATE_ROLLBACK_FAILED.
describe('commit message: a rollback that completes', () => {
  const LINE =
    "A rollback that completes (UPDATE_ROLLBACK_COMPLETE) may also schedule a new key for deletion while its table still uses it: check each table's " +
    "SSEDescription before the key's deletion window ends, and if it names the new key, aws kms cancel-key-deletion, then aws kms enable-key.";
  const TF =
    'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "pk"\n  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n';

  it('CloudFormation: check SSEDescription, cancel the deletion and enable the key; Terraform (no automatic rollback): no such line', async () => {
    expect(await message(table())).toContain(LINE);
    // key retain always: no rollback deletes a key.
    expect(await message(table(), { key: { retain: 'always' } })).not.toContain('UPDATE_ROLLBACK_COMPLETE');
    const r = await processMemory([{ path: 'main.tf', text: TF }], 'fix', {});
    expect(r.outcomes[0].tables[0].fixed).toBe(true);
    const tf = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
    expect(tf).not.toContain('UPDATE_ROLLBACK_COMPLETE');
  });
});

// Session 62's deploy review, F2: a key kept on delete (DeletionPolicy: Retain, CDK's RETAIN, key: retain: always) is kept by
// the rollback of the failed deploy that created it, in no stack and billed; the caution that the rollback schedules it for
// deletion was wrong for it.
describe('commit message: a rollback keeps a retained key', () => {
  const FAILED = 'If a rollback stops in UPDATE_ROLLBACK_FAILED';
  const COMPLETE = 'A rollback that completes (UPDATE_ROLLBACK_COMPLETE)';
  const kept = (what: string) =>
    `A rollback keeps the new ${what}; not with UpdateStack's --retain-except-on-create), in no stack and billed: ` +
    "check each table's SSEDescription; if it does not name the key, schedule the key's deletion (`aws kms schedule-key-deletion`); " +
    'if it does, keep the key and finish the deploy.';
  const retained = (id: string) =>
    `  ${id}:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n`;
  const cdk = (props: string) =>
    "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport { RemovalPolicy, Stack } from 'aws-cdk-lib';\n" +
    'export class S extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n' +
    `    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }${props} });\n  }\n}\n`;
  const ofCdk = async (text: string) => {
    const r = await processMemory([{ path: 'lib/s.ts', text }], 'fix', {});
    expect(r.outcomes[0].tables[0].fixed).toBe(true);
    return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
  };

  it('CloudFormation DeletionPolicy: Retain: the key is kept, no word of its deletion; a table whose key is not: as before', async () => {
    const m = await message(`Resources:\n${retained('Orders')}`);
    expect(m).toContain(`. ${kept('key (DeletionPolicy: Retain')} `);
    expect(m).not.toContain(FAILED);
    expect(m).not.toContain(COMPLETE);
    const plain = await message(table());
    expect(plain).toContain(FAILED);
    expect(plain).toContain(COMPLETE);
    expect(plain).not.toContain('A rollback keeps');
  });

  it('one table retained, one not: both, the kept key named by its table', async () => {
    const m = await message(`${table()}${retained('Users')}`);
    expect(m).toContain(FAILED);
    expect(m).toContain(COMPLETE);
    expect(m).toContain(kept('key of Users (DeletionPolicy: Retain'));
  });

  it('key: retain: always: every key kept, said with the setting', async () => {
    const m = await message(`${table()}${retained('Users')}`, { key: { retain: 'always' } });
    expect(m).toContain(kept('keys (key: retain: always'));
    expect(m).not.toContain(COMPLETE);
  });

  it("AWS CDK: a key follows its table's removal policy, RETAIN by default; DESTROY: deleted, as before", async () => {
    const m = await ofCdk(cdk(''));
    expect(m).toContain(kept('key (RemovalPolicy.RETAIN'));
    expect(m).not.toContain(COMPLETE);
    const destroyed = await ofCdk(cdk(', removalPolicy: RemovalPolicy.DESTROY'));
    expect(destroyed).toContain(COMPLETE);
    expect(destroyed).not.toContain('A rollback keeps');
  });
});

// Session 56's deploy review (F2, F3, F6, F1): what the new keys ask of the deploying role, who may disable them, the
// CloudTrail events their use adds, and the session policies that limit a caller.
describe('commit message: what the deploy review of session 56 asked for', () => {
  it('drop-in: the deploying role switches the tables, so its boundary or SCP must allow the key use through DynamoDB', async () => {
    const m = await message(table());
    expect(m).toContain(
      'No service control policy (SCP) or resource control policy (RCP) may deny them in this account. It also switches the tables: ' +
        'any permissions boundary or SCP on it, and any RCP on the keys, must allow kms:Decrypt, kms:Encrypt, kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant and kms:DescribeKey on them ' +
        '(kms:ViaService dynamodb). If a rollback stops',
    );
    const iam = await message(table(), { keyPolicy: 'iam' });
    expect(iam).toContain(
      'With key policy iam it also switches the tables to keys only IAM opens: its IAM policy needs kms:Decrypt, kms:Encrypt, ' +
        'kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant and kms:DescribeKey on them (kms:ViaService dynamodb).',
    );
    expect(iam).not.toContain('It also switches the tables: any permissions boundary');
  });

  it('who administers the new keys: IAM, so a broad KMS grant can disable them (both key policies; not an existing key)', async () => {
    const line =
      'The account administers the key through IAM: principals allowed kms:DisableKey, kms:ScheduleKeyDeletion or kms:PutKeyPolicy on * ' +
      '(AdministratorAccess, PowerUserAccess) can make these tables unreadable; consider a service control policy denying those on these keys ' +
      'outside break-glass roles, and an alarm on DisableKey and ScheduleKeyDeletion.';
    expect(await message(table())).toContain(
      `${line} No other account, and no service acting as itself (zero-ETL, multi-account replication), can use it.`,
    );
    expect(await message(table(), { keyPolicy: 'iam' })).toContain(line);
    expect(await message(table(), { kmsKeyArn: ARN })).not.toContain('administers the key');
  });

  it('KMS requests: each call is a CloudTrail event; session policies: those application code passes (no Cognito guests: session 57)', async () => {
    const m = await message(table());
    expect(m).toContain('Each such call is also a CloudTrail event in this account (log volume, SIEM ingestion).');
    expect(m).toContain('a session policy (sts:AssumeRole with Policy, as tenant-isolation code passes) or a service control policy');
    // An AWS managed key's calls were logged and counted already.
    expect(await message(table(MANAGED))).not.toContain('CloudTrail');
  });
});

// Session 57's deploy review (F2): Control Tower's proactive control CT.KMS.PR.3, a CloudFormation hook on AWS::KMS::Key,
// fails a key policy without a Deny of kms:CreateGrant outside AWS services; `key: deny_direct_grants: true` writes it.
describe('commit message: a hook on AWS::KMS::Key (CT.KMS.PR.3)', () => {
  const HOOK =
    "A CloudFormation hook on AWS::KMS::Key such as Control Tower's CT.KMS.PR.3 rejects a key policy with no statement denying " +
    'kms:CreateGrant outside AWS services: set key: deny_direct_grants: true in .kmsfix.yml where it is enabled.';
  const DENIED =
    'Nobody creates a grant on the key except through an AWS service (statement DenyGrantsOutsideAWSServices, key: deny_direct_grants): ' +
    "DynamoDB's grants for the tables' users still work, and the key policy has the statement Control Tower's CT.KMS.PR.3 requires.";
  const TF =
    'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "pk"\n  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n';

  it('CloudFormation without the setting: the hook, and how to pass it; with it: the key policy line names the statement', async () => {
    const without = await message(table());
    expect(without).toContain(HOOK);
    expect(without).not.toContain('DenyGrantsOutsideAWSServices');
    const r = await processMemory([{ path: 't.yaml', text: table() }], 'fix', { key: { denyDirectGrants: true } });
    const m = commitText(
      commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0', key: { denyDirectGrants: true } }),
    ).replace(/\s+/g, ' ');
    expect(r.output.get('t.yaml')).toContain('Sid: DenyGrantsOutsideAWSServices');
    expect(m).not.toContain('CloudFormation hook');
    expect(m).toMatch(
      /Who can use the key \(key policy drop-in\): .* No other account, and no service acting as itself \(zero-ETL, multi-account replication\), can use it\. Nobody creates a grant/,
    );
    expect(m).toContain(DENIED);
  });

  it('Terraform (hooks do not see the AWS provider) and --kms-key-arn: no hook sentence', async () => {
    const r = await processMemory([{ path: 'main.tf', text: TF }], 'fix', {});
    const tf = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
    expect(tf).not.toContain('CloudFormation hook');
    expect(await message(table(), { kmsKeyArn: ARN })).not.toContain('CloudFormation hook');
  });
});

describe('commit message: roles kmsfix could not read under --key-policy iam', () => {
  it('a role whose statements come from a file kmsfix could not read is said whole, not dropped (adversarial pass 2 of session 57, M4)', async () => {
    const service =
      'service: app\nprovider:\n  name: aws\n  iam:\n    role:\n      statements: ${file(./iam.yml)}\nresources:\n  Resources:\n' +
      table()
        .replace('Resources:\n', '')
        .replace(/^(?=.)/gm, '  ');
    const r = await processMemory([{ path: 'serverless.yml', text: service }], 'fix', { keyPolicy: 'iam' });
    const m = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0', keyPolicy: 'iam' })).replace(/\s+/g, ' ');
    expect(m).toContain(
      '* IAM roles: with --key-policy iam, kmsfix could not read the policies of IamRoleLambdaExecution (${file(./iam.yml)}, serverless.yml:6)',
    );
  });
});

// Session 58's deploy review (F1, F2): replicas made outside the code fail the deploy, whatever the format (the code does
// not show them: the user checks the live table); resource control policies govern these keys, the first customer managed
// keys of the tables (RCPs do not apply to AWS owned or AWS managed keys: AWS KMS Developer Guide, Resource control policies
// in AWS KMS).
describe('commit message: what the deploy review of session 58 asked for', () => {
  const RCP =
    'A resource control policy (RCP) on kms:* applies to these keys too, the first it governs (RCPs do not apply to AWS owned or AWS ' +
    "managed keys): one that keeps KMS in a network perimeter must exempt aws:ViaAWSService, or DynamoDB's calls on the callers' behalf are denied.";

  it('replicas made outside the code: one line, with the check; no downtime said of tables without them', async () => {
    const m = await message(table());
    expect(m).toContain(
      '* No downtime (for a table with no replicas made outside the code): DynamoDB switches a table to another key in place; ' +
        'the table stays readable and writable while it does. ' +
        "* Replicas made outside the code: if `aws dynamodb describe-table --table-name <table> --query 'Table.Replicas[].RegionName'` " +
        'lists any, this deploy fails for that table ("Customer Managed CMKs on Global Table Version 2019.11.21 replicas cannot be updated ' +
        'through SSESpecification parameter"): give each replica a key of its Region first. ',
    );
    // An existing key too: a global table takes none through SSESpecification.
    expect(await message(table(), { kmsKeyArn: ARN })).toContain('* Replicas made outside the code: if');
  });

  it('resource control policies: in the key-use caution (drop-in and iam) and beside SCPs in Who deploys; an existing key: in the list', async () => {
    const dropIn = await message(table());
    expect(dropIn).toContain(`or that caller loses access to the tables. ${RCP} The account administers the key`);
    expect(dropIn).toContain('No service control policy (SCP) or resource control policy (RCP) may deny them in this account.');
    const iam = await message(table(), { keyPolicy: 'iam' });
    expect(iam).toContain(`once grants on the key have deployed. ${RCP}`);
    const existing = await message(table(), { kmsKeyArn: ARN });
    expect(existing).toContain(
      '(and a permissions boundary, session policy, service control policy or resource control policy that limits one must allow it too)',
    );
    expect(existing).not.toContain('the first it governs');
  });
});

// Deploy review of session 60, F1: a resource policy made outside the code (another Terraform root, the console,
// put-resource-policy, a zero-ETL integration, a multi-account global table) lets in callers a key of this account's
// callers denies; the code's own are read (obstacles), the live ones only the user can check.
describe('commit message: resource policies made outside the code', () => {
  const LINE =
    '* Resource policies made outside the code (another Terraform root, the console, put-resource-policy, a zero-ETL integration, ' +
    'a multi-account global table): run `aws dynamodb get-resource-policy --resource-arn <table ARN>`, and for a table with a stream the same ' +
    "with the stream's ARN (both from `aws dynamodb describe-table --table-name <table> --query '[Table.TableArn, Table.LatestStreamArn]'`). " +
    'An `Allow` statement whose principal is another account, `*` (unless a condition keeps it to this account) or a `Service` ' +
    '(redshift, glue, replication.dynamodb) lets in callers that KMS then denies (a `Deny` with `Principal: *` lets no one in): ' +
    "do not deploy this table's change until its key's policy lets them in (a zero-ETL integration stops silently; a multi-account replica " +
    'left in REPLICATION_NOT_AUTHORIZED for 20 hours becomes a single-Region table). PolicyNotFoundException: nothing to do. ';

  it('one line after the replicas check, whatever the key policy or key', async () => {
    const m = await message(table());
    expect(m).toContain(`through SSESpecification parameter"): give each replica a key of its Region first. ${LINE}* Cost:`);
    expect(await message(table(), { keyPolicy: 'iam' })).toContain(LINE);
    expect(await message(table(), { kmsKeyArn: ARN })).toContain(LINE);
  });

  it('drop-in: no other account, and no service acting as itself, can use the key (no longer said as of accounts alone)', async () => {
    const m = await message(table());
    expect(m).toContain(
      'and an alarm on DisableKey and ScheduleKeyDeletion. No other account, and no service acting as itself (zero-ETL, multi-account replication), can use it.',
    );
    expect(m).not.toContain('ScheduleKeyDeletion. No other account can use it.');
  });
});

// Deploy review of session 59, F1: CDK's deploy role only calls CloudFormation (its execution role makes the KMS calls),
// and a CloudFormation stack keeps the service role it was once deployed with, which may be in no file.
describe('commit message: who deploys, per family', () => {
  const CDK =
    "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';\nimport { Stack } from 'aws-cdk-lib';\n" +
    'export class S extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n' +
    "    new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });\n  }\n}\n";
  const TF =
    'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n';
  const of = async (files: { path: string; text: string }[]) => {
    const r = await processMemory(files, 'fix', {});
    const m = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
    return m.slice(m.indexOf('Who deploys:'), m.indexOf(' now creates, reads'));
  };
  const EXEC =
    "AWS CDK: CloudFormation's execution role `cdk-<qualifier>-cfn-exec-role-<account>-<region>`, whose policies `cdk bootstrap --cloudformation-execution-policies` sets, not the deploy role";
  const STACK =
    "CloudFormation, SAM and Serverless: the stack's service role, kept for every later deploy once used and perhaps in no file here " +
    "(`aws cloudformation describe-stacks --stack-name <stack> --query 'Stacks[0].RoleARN'`; none: the deployer's own credentials)";
  it('AWS CDK: the execution role, not the deploy role', async () => {
    const cdk = await of([{ path: 'lib/s.ts', text: CDK }]);
    expect(cdk).toBe(`Who deploys: the role that deploys the stack or plan (${EXEC})`);
  });
  it("CloudFormation: the stack's service role and the command that shows it; Terraform: the plan's credentials", async () => {
    expect(await of([{ path: 't.yaml', text: table() }])).toBe(`Who deploys: the role that deploys the stack or plan (${STACK})`);
    expect(
      await of([
        { path: 't.yaml', text: table() },
        { path: 'main.tf', text: TF },
      ]),
    ).toBe(
      `Who deploys: the role that deploys the stack or plan (${STACK}; Terraform, CDK for Terraform and Pulumi: the credentials the plan or pipeline runs with)`,
    );
  });

  // A role the project names for CloudFormation's deploys (session 60): a Serverless service's provider.iam.deploymentRole
  // (provider.cfnRole before it), a SAM configuration's role_arn per environment; file and line, from the repository's root.
  const SLS = (provider: string) =>
    `service: orders\nprovider:\n  name: aws\n${provider}resources:\n  Resources:\n    Orders:\n      Type: AWS::DynamoDB::Table\n` +
    '      Properties:\n        KeySchema: [{AttributeName: pk, KeyType: HASH}]\n';
  it("Serverless: the service's provider.iam.deploymentRole, else its provider.cfnRole, at its line", async () => {
    const role = 'arn:aws:iam::111122223333:role/sls-deployer';
    expect(await of([{ path: 'svc/serverless.yml', text: SLS(`  iam:\n    deploymentRole: ${role}\n`) }])).toBe(
      `Who deploys: the role that deploys the stack or plan (${STACK}, which this project names: for svc/serverless.yml, ${role} (svc/serverless.yml:5, provider.iam.deploymentRole))`,
    );
    expect(await of([{ path: 'serverless.yml', text: SLS(`  cfnRole: ${role}\n`) }])).toBe(
      `Who deploys: the role that deploys the stack or plan (${STACK}, which this project names: for serverless.yml, ${role} (serverless.yml:4, provider.cfnRole))`,
    );
  });
  it("SAM: each environment's role_arn in samconfig.toml (deploy's, else global's) and samconfig.yaml above naming the template", async () => {
    const toml =
      'version = 0.1\n[default.deploy.parameters]\nstack_name = "orders"\nrole_arn = "arn:aws:iam::111122223333:role/dev-deployer"\n\n' +
      '[prod.global.parameters]\nrole_arn = "arn:aws:iam::444455556666:role/prod-deployer"\n[prod.deploy.parameters]\nstack_name = "orders"\n';
    expect(
      await of([
        { path: 'app/template.yaml', text: table() },
        { path: 'app/samconfig.toml', text: toml },
      ]),
    ).toBe(
      `Who deploys: the role that deploys the stack or plan (${STACK}, which this project names: for app/template.yaml, ` +
        'arn:aws:iam::111122223333:role/dev-deployer (app/samconfig.toml:4, role_arn of environment default), ' +
        'arn:aws:iam::444455556666:role/prod-deployer (app/samconfig.toml:7, role_arn of environment prod))',
    );
    const yaml =
      'version: 0.1\nstaging:\n  deploy:\n    parameters:\n      template_file: app/template.yaml\n      role_arn: arn:aws:iam::111122223333:role/staging\n';
    expect(
      await of([
        { path: 'app/template.yaml', text: table() },
        { path: 'samconfig.yaml', text: yaml },
      ]),
    ).toBe(
      `Who deploys: the role that deploys the stack or plan (${STACK}, which this project names: for app/template.yaml, ` +
        'arn:aws:iam::111122223333:role/staging (samconfig.yaml:6, role_arn of environment staging))',
    );
    // A samconfig above that deploys another template names no role for this one.
    expect(
      await of([
        { path: 'app/template.yaml', text: table() },
        { path: 'samconfig.yaml', text: yaml.replace('app/template.yaml', 'other/template.yaml') },
      ]),
    ).toBe(`Who deploys: the role that deploys the stack or plan (${STACK})`);
  });
});

// Session 62's adversarial review: a fix of Terraform tables only said what to do when a CloudFormation rollback stops in
// UPDATE_ROLLBACK_FAILED. Terraform, CDK for Terraform and Pulumi roll no failed deploy back: no word of CloudFormation's.
describe('commit message: no CloudFormation rollback where no table is deployed by CloudFormation', () => {
  const WHO =
    '* Who deploys: the role that deploys the stack or plan (Terraform, CDK for Terraform and Pulumi: the credentials the plan or pipeline runs with) ' +
    'now creates, reads and, when the keys are removed, deletes KMS keys and aliases: it needs kms:CreateKey, kms:PutKeyPolicy, kms:EnableKeyRotation, ' +
    'kms:TagResource and kms:CreateAlias; kms:DescribeKey, kms:GetKeyPolicy, kms:GetKeyRotationStatus, kms:ListResourceTags and kms:ListAliases ' +
    '(read after each create: a Terraform apply without them fails with the key created and tainted); and kms:ScheduleKeyDeletion and kms:DeleteAlias ' +
    '(without them the keys cannot be removed). No service control policy (SCP) or resource control policy (RCP) may deny them in this account. ' +
    'It also switches the tables: any permissions boundary or SCP on it, and any RCP on the keys, must allow kms:Decrypt, kms:Encrypt, ' +
    'kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant and kms:DescribeKey on them (kms:ViaService dynamodb). * Key retention:';
  const of = async (path: string, text: string) => {
    const r = await processMemory([{ path, text }], 'fix', {});
    expect(r.outcomes[0].tables[0].fixed).toBe(true);
    return commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
  };
  const TF =
    'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "pk"\n  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n';
  const PULUMI_YAML =
    'name: app\nruntime: yaml\nresources:\n  orders:\n    type: aws:dynamodb:Table\n    properties:\n      hashKey: pk\n' +
    '      attributes:\n        - name: pk\n          type: S\n';

  it.each([
    ['Terraform', 'main.tf', TF],
    ['Pulumi YAML', 'Pulumi.yaml', PULUMI_YAML],
  ])('%s only: who deploys says no rollback, and nothing of UPDATE_ROLLBACK_FAILED', async (_, path, text) => {
    const m = await of(path, text);
    expect(m).toContain(WHO);
    expect(m).not.toContain('UPDATE_ROLLBACK');
    expect(m).not.toContain('CloudFormation');
  });

  it('beside a CloudFormation table: as before', async () => {
    const r = await processMemory(
      [
        { path: 'main.tf', text: TF },
        { path: 't.yaml', text: table() },
      ],
      'fix',
      {},
    );
    const m = commitText(commitMessage(r.outcomes, { keyStrategy: 'per-table', version: '0.0.0' })).replace(/\s+/g, ' ');
    expect(m).toContain('now creates, reads and, when a deploy rolls back or the keys are removed, deletes KMS keys');
    expect(m).toContain('(without them a failed deploy cannot roll back: CloudFormation stops in UPDATE_ROLLBACK_FAILED)');
    expect(m).toContain('If a rollback stops in UPDATE_ROLLBACK_FAILED on a table, do not skip it');
  });
});
