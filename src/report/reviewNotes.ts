/**
 * The notes of a commit message's "Before deploying, check:" that are not about who can use or deploy the keys: cost,
 * replicas and resource policies made outside the code, KMS requests, snapshot tests, key retention, the fix's cautions.
 */
import { listed } from '../rule/blockers.js';
import { IAM_UNREAD } from '../rule/cautions.js';
import type { TableReport } from '../core/result.js';
import { teardownTools } from './rollback.js';
import type { Fixed, MessageOptions } from './messageTypes.js';

/**
 * What a new key costs (AWS KMS pricing, since 2024: each of a key's first two rotations adds $1 a month, later ones
 * nothing; session 56's deploy review).
 */
export const COST =
  'Cost: each new key costs $1 per month, $2 after its first yearly rotation and $3 from the second on, plus $0.03 per 10,000 requests.';

/** Do these tables all keep the keys they named (TableReport.keptKey), so that the fix creates no key for them? */
export const keptAll = (tables: Fixed[]): boolean => tables.length > 0 && tables.every(({ t }) => t.keptKey !== undefined);

/** The note said instead of those on new keys (cost, who can use and deploys them, retention) when no table gets one. */
export const KEPT_NOTE =
  "Keys: each table switches to the key it already named (its key line above says what to check in that key's policy); " +
  'this change creates no key, and its roll back (below) is one deploy that sets each switch back off and deletes no key.';

/**
 * The note on snapshot tests of CDK, CDK for Terraform and Pulumi programs (`tables`: theirs), whose snapshot records the
 * tables as they were: without their keys, or, where every table kept the key it named, with its switch off.
 */
export function snapshotNote(tables: Fixed[]): string[] {
  if (tables.length === 0) return [];
  const kept = keptAll(tables);
  return [
    'Snapshot tests: a Jest or Vitest snapshot of the synthesized stack or program (toMatchSnapshot of Template.fromStack(...).toJSON(), ' +
      `Testing.synth(...), SynthUtils) records these tables ${kept ? 'with their encryption switched off' : 'without their keys'}, and a CI run (--ci) fails on it instead of writing it: ` +
      `update the snapshots (jest -u, vitest -u, npx projen test) in this change, and check that only ${
        kept ? "the tables' encryption switches" : "the keys, their aliases and the tables' encryption"
      } changed.`,
  ];
}

/**
 * What deleting a stack leaves (session 63's deploy review, F2): a key kept on delete (for point-in-time recovery,
 * backups, a kept table, or `key: retain: always`) stays after its stack, enabled and billed, once per stage or
 * pull request torn down; said with the tools of the families fixed that keep keys (rollback.ts teardownTools).
 */
export function teardown(tables: TableReport[]): string {
  const tools = teardownTools(tables);
  if (tools.length === 0) return '';
  return (
    ` Deleting a stack (${tools.join(', ')}; every per-stage or per-pull-request teardown) deletes its tables and aliases but keeps ` +
    "each key it retains, enabled and billed: once the table's backups no longer need it (point-in-time recovery: 35 days; " +
    'on-demand and AWS Backup backups: until they are deleted), schedule its deletion (`aws kms schedule-key-deletion --key-id ...`).'
  );
}

/**
 * Replicas made outside the code (the console's "Create replica", update-table --replica-updates) are not in it: such a table's
 * deploy fails, whatever the format (deploy review of session 58, F1: DynamoDB refuses a customer-managed key through
 * SSESpecification for a 2019.11.21 global table, and the AWS provider's replica update asks a key of each replica's Region).
 */
export const REPLICAS_OUTSIDE =
  "Replicas made outside the code: if `aws dynamodb describe-table --table-name <table> --query 'Table.Replicas[].RegionName'` lists any, " +
  'this deploy fails for that table ("Customer Managed CMKs on Global Table Version 2019.11.21 replicas cannot be updated through ' +
  'SSESpecification parameter"): give each replica a key of its Region first.';

/**
 * Resource policies made outside the code (another Terraform root, the console, `put-resource-policy`, the Redshift
 * console's "Fix it for me", a multi-account global table's replication policy) are not in it either: the code's own are
 * read and block the table (obstacles `resource-policy`, `zero-etl`, `multi-account-replication`). Another account's
 * principals, and a service acting as itself (a Redshift or Glue zero-ETL integration, replication.dynamodb), are not
 * callers of this account, so a key policy that lets in this account's callers alone (kms:CallerAccount) denies them
 * (deploy review of session 60, F1). DynamoDB Developer Guide: "Using resource-based policies for DynamoDB"
 * (GetResourcePolicy; PolicyNotFoundException when a table or stream has none), "Cross-account integration
 * considerations with CMK" (without the key's permissions a zero-ETL integration fails silently), "DynamoDB global
 * tables security" and "Multi-account global tables" (an MREC replica left in REPLICATION_NOT_AUTHORIZED for more than
 * 20 hours is converted to a single-Region table).
 */
export const POLICIES_OUTSIDE =
  'Resource policies made outside the code (another Terraform root, the console, put-resource-policy, a zero-ETL integration, ' +
  'a multi-account global table): run `aws dynamodb get-resource-policy --resource-arn <table ARN>`, and for a table with a stream the same ' +
  "with the stream's ARN (both from `aws dynamodb describe-table --table-name <table> --query '[Table.TableArn, Table.LatestStreamArn]'`). " +
  'An `Allow` statement whose principal is another account, `*` (unless a condition keeps it to this account) or a `Service` ' +
  '(redshift, glue, replication.dynamodb) lets in callers that KMS then denies (a `Deny` with `Principal: *` lets no one in): ' +
  "do not deploy this table's change until its key's policy lets them in (a zero-ETL integration stops silently; a multi-account replica " +
  'left in REPLICATION_NOT_AUTHORIZED for 20 hours becomes a single-Region table). PolicyNotFoundException: nothing to do.';

/**
 * What the switch does to the account's KMS requests (session 52's deploy review). From the AWS KMS Developer
 * Guide: "Request quotas" (AWS owned keys do not count against the account's request quotas; requests AWS
 * services make on the account's behalf do; CreateKey, CreateAlias, PutKeyPolicy and EnableKeyRotation have
 * quotas of their own, a few per second) and "How Amazon DynamoDB uses AWS KMS" (DynamoDB caches the plaintext
 * table key for each connection and asks KMS again after five minutes of inactivity). A table that was on
 * aws/dynamodb already counted, so the quota sentence is for a fix that moves a table off an AWS owned key.
 * `noKeys`: every table kept the key it named (TableReport.keptKey), so no key is created.
 */
export function requests(tables: TableReport[], o: MessageOptions, noKeys = false): string[] {
  const quota =
    "DynamoDB's calls to the tables' keys count toward the account's KMS request quota per Region (an AWS owned key's do not) and grow " +
    'with distinct callers (per-user credentials, tenant sessions, large Lambda fleets) times the tables each uses: DynamoDB caches each ' +
    "table's key per connection and asks KMS again after five idle minutes, so a shared key does not reduce them. Each such call is " +
    'also a CloudTrail event in this account (log volume, SIEM ingestion). ' +
    'Near that quota, check KMS usage (Service Quotas, CloudWatch) first.';
  const create = 'CreateKey and CreateAlias allow a few calls a second per account: deploy many stacks into one account in waves.';
  const owned = tables.some((t) => t.status !== 'aws-managed');
  const said = [...(owned ? [quota] : []), ...(o.kmsKeyArn || noKeys ? [] : [create])];
  const pages = `AWS KMS guide: Request quotas${owned ? '; How Amazon DynamoDB uses AWS KMS' : ''}`;
  return said.length ? [`KMS requests: ${said.join(' ')} (${pages})`] : [];
}

/** What the fix changes beyond its tables (TableReport.cautions), each said once for the commit with the tables it concerns. */
export function cautions(tables: TableReport[]): string[] {
  const by = new Map<string, string[]>();
  // The roles of `iam-roles` are named in the `key policy iam` line (losing); one naming roles kmsfix could not read is said whole.
  for (const t of tables)
    for (const [i, c] of (t.cautions ?? []).entries())
      if (t.cautionKinds?.[i] !== 'iam-roles' || c.includes(IAM_UNREAD)) by.set(c, [...(by.get(c) ?? []), t.address]);
  return [...by].map(([c, addresses]) => `${c} (${listed(addresses)}).`);
}
