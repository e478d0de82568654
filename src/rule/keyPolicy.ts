/**
 * The key policy every generated key gets: the single source of truth, rendered per format
 * by each transform. Placeholders: {partition}, {account}, {region}.
 *
 * Two modes (`--key-policy`):
 *
 * - `drop-in` (the default) behaves like AWS's own `aws/dynamodb` key, so that switching a table to
 *   the new key breaks no application: any principal of this account may use the key, but only
 *   through DynamoDB in this Region (`kms:CallerAccount` and `kms:ViaService`). A Lambda role with
 *   `dynamodb:*` and no KMS permission keeps working; nobody can use the key directly, and no other
 *   account can use it at all.
 * - `iam` leaves every use of the key to IAM: the key policy only delegates to the account, so each
 *   role that reads or writes the table needs KMS permissions on the key in its IAM policies.
 *
 * In both modes the account keeps full control of the key through IAM (the account root statement:
 * no lock-out), and the DynamoDB service principal may read the key's metadata, as AWS documents for
 * customer-managed keys used by DynamoDB.
 *
 * `key: deny_direct_grants: true` (src/rule/keySettings.ts) adds, in either mode, a Deny of kms:CreateGrant to
 * any principal unless an AWS service asks (`BoolIfExists` kms:GrantIsForAWSResource and aws:PrincipalIsAWSService
 * both "false"), in the exact shape AWS Control Tower's proactive control CT.KMS.PR.3 (a CloudFormation hook on
 * AWS::KMS::Key) requires: DynamoDB's own grants, created for the table's users, stay allowed.
 */

import { describeKey } from './keySettings.js';

export type Placeholder = 'partition' | 'account' | 'region';

export const KEY_POLICY_MODES = ['drop-in', 'iam'] as const;
export type KeyPolicyMode = (typeof KEY_POLICY_MODES)[number];
export const DEFAULT_KEY_POLICY: KeyPolicyMode = 'drop-in';

export interface PolicyStatement {
  sid: string;
  /** Allow when absent. */
  effect?: 'Allow' | 'Deny';
  /** Exactly one of: an AWS principal (template string with placeholders, or '*'), or a service. */
  principal: { aws: string } | { service: string };
  actions: string[];
  /** StringEquals conditions: condition key -> template string. */
  stringEquals?: Record<string, string>;
  /** BoolIfExists conditions: condition key -> "true" or "false" (a string, as CT.KMS.PR.3 matches it). */
  boolIfExists?: Record<string, 'true' | 'false'>;
}

export const POLICY_VERSION = '2012-10-17';

export const ACCOUNT_ROOT = 'arn:{partition}:iam::{account}:root';
/** The wildcard AWS principal, limited by conditions wherever kmsfix writes it. */
export const ANY_PRINCIPAL = '*';

/** What the account's principals may do with a table's key when DynamoDB asks on their behalf. */
export const DYNAMODB_KEY_USE = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:CreateGrant',
  'kms:DescribeKey',
];

/** The two of DYNAMODB_KEY_USE that DynamoDB asks for when a table is created or switched to the key, not for its items. */
const TABLE_KEY_ACTIONS = new Set(['kms:CreateGrant', 'kms:DescribeKey']);

/**
 * DYNAMODB_KEY_USE as every text names it (the commit message's checklist, the cautions): the item actions in
 * alphabetical order, then those DynamoDB asks for a table (`kms:Decrypt, kms:Encrypt, ..., kms:CreateGrant and kms:DescribeKey`).
 */
export const KEY_USE_TEXT = (() => {
  const ordered = [
    ...DYNAMODB_KEY_USE.filter((a) => !TABLE_KEY_ACTIONS.has(a)).sort(),
    ...DYNAMODB_KEY_USE.filter((a) => TABLE_KEY_ACTIONS.has(a)).sort(),
  ];
  return `${ordered.slice(0, -1).join(', ')} and ${ordered[ordered.length - 1]}`;
})();

/** The account (its root user, and every IAM identity whose IAM policies allow it) has full access. */
const ACCOUNT_FULL_ACCESS: PolicyStatement = {
  sid: 'AllowAccountFullAccessThroughIAM',
  principal: { aws: ACCOUNT_ROOT },
  actions: ['kms:*'],
};

/** Any principal of this account, through DynamoDB in this Region only: what `aws/dynamodb` allows. */
const ACCOUNT_USE_THROUGH_DYNAMODB: PolicyStatement = {
  sid: 'AllowAccountPrincipalsThroughDynamoDB',
  principal: { aws: ANY_PRINCIPAL },
  actions: DYNAMODB_KEY_USE,
  stringEquals: {
    'kms:CallerAccount': '{account}',
    'kms:ViaService': 'dynamodb.{region}.amazonaws.com',
  },
};

const DYNAMODB_DESCRIBE: PolicyStatement = {
  sid: 'AllowDynamoDBServiceToDescribeKey',
  principal: { service: 'dynamodb.amazonaws.com' },
  actions: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
};

/**
 * No grant on the key unless an AWS service creates it (DynamoDB for the table's users: kms:GrantIsForAWSResource
 * true) or is the caller (aws:PrincipalIsAWSService true): `key: deny_direct_grants: true`. Written as CT.KMS.PR.3's
 * guard rule matches it: Principal AWS "*", the one action, Resource "*", only BoolIfExists with the two keys.
 */
export const DENY_DIRECT_GRANTS: PolicyStatement = {
  sid: 'DenyGrantsOutsideAWSServices',
  effect: 'Deny',
  principal: { aws: ANY_PRINCIPAL },
  actions: ['kms:CreateGrant'],
  boolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
};

const POLICIES: Record<KeyPolicyMode, readonly PolicyStatement[]> = {
  'drop-in': [ACCOUNT_FULL_ACCESS, ACCOUNT_USE_THROUGH_DYNAMODB, DYNAMODB_DESCRIBE],
  iam: [ACCOUNT_FULL_ACCESS, DYNAMODB_DESCRIBE],
};
const WITH_DENY: Record<KeyPolicyMode, readonly PolicyStatement[]> = {
  'drop-in': [...POLICIES['drop-in'], DENY_DIRECT_GRANTS],
  iam: [...POLICIES.iam, DENY_DIRECT_GRANTS],
};

/** The statements of the key policy in this mode, with the Deny of direct grants when asked (`key: deny_direct_grants`). */
export function keyPolicy(mode: KeyPolicyMode = DEFAULT_KEY_POLICY, denyDirectGrants = false): readonly PolicyStatement[] {
  return (denyDirectGrants ? WITH_DENY : POLICIES)[mode];
}

/**
 * Does this text (a policy kmsfix wrote earlier, in any format) hold the key policy of this mode, with the Deny
 * of direct grants exactly when it is asked? A policy without it is not reused for a key that must have it, nor
 * the other way round. Used to reuse one policy document per Terraform module (or program) across runs.
 */
export function holdsKeyPolicy(text: string, mode: KeyPolicyMode, denyDirectGrants = false): boolean {
  return (
    text.includes(DYNAMODB_DESCRIBE.sid) &&
    text.includes(ACCOUNT_USE_THROUGH_DYNAMODB.sid) === (mode === 'drop-in') &&
    text.includes(DENY_DIRECT_GRANTS.sid) === denyDirectGrants
  );
}

/**
 * Inline suppressions a generated key carries for peer rules that misread it, each with its reason
 * (src/rule/peers/keyRules.ts models the rules; the generated table of docs/scanner-parity.md shows what fires).
 * - The drop-in statement's `Principal: {AWS: "*"}`: Checkov's CloudFormation CKV_AWS_33 and cfn-nag
 *   F76 fail any `*` principal, whatever its conditions (CloudFormation, SAM, Serverless).
 * - A Terraform `data "aws_iam_policy_document"`: Checkov's CKV_AWS_109/111/356 read it as an IAM
 *   policy, where `Resource "*"` would mean every resource; in a key policy it means this key.
 */
// Short: a YAML line holding it (`# checkov:skip=CKV_AWS_33:<reason>` cannot wrap) stays within yamllint's 80 columns.
export const ANY_PRINCIPAL_REASON = 'this account only, through DynamoDB';
export const POLICY_DOCUMENT_SKIPS = {
  rules: ['CKV_AWS_109', 'CKV_AWS_111', 'CKV_AWS_356'],
  reason: 'a key policy: Resource "*" is this key only',
} as const;

/** Key settings shared by every format. */
export const KEY_SETTINGS = {
  enableKeyRotation: true,
  pendingWindowInDays: 30,
} as const;

/**
 * The alias of a generated key, one scheme for every format: `alias/dynamodb/<table name>`, where the
 * table name is the deployed table's name as the format refers to it (`${OrdersTable}` in a
 * CloudFormation Sub, `aws_dynamodb_table.orders.name`, `orders.tableName`...); a key shared by
 * several tables (--key-strategy shared) gets `alias/dynamodb/<first table's name>-shared`.
 * Table names are unique per account and Region, and so are these aliases.
 */
export const ALIAS_PREFIX = 'alias/dynamodb/';
export const SHARED_ALIAS_SUFFIX = '-shared';

/** The default description of a generated key (src/rule/keySettings.ts describeKey takes a template). */
export function keyDescription(tableNames: string[]): string {
  return describeKey(tableNames);
}

/** Split a template string into literal text and placeholders, for formats that join parts. */
export function splitPlaceholders(template: string): (string | { placeholder: Placeholder })[] {
  const parts: (string | { placeholder: Placeholder })[] = [];
  const re = /\{(partition|account|region)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ placeholder: m[1] as Placeholder });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

type Rendered<V> = string | string[] | V | { [key: string]: V | string | { [key: string]: V | string } };

/**
 * The key policy as an IAM policy document (the JSON shape KMS takes), with every template string
 * rendered by the format (`render`): a CloudFormation Sub, a Pulumi interpolation, and so on.
 */
export function policyDocument<V>(
  mode: KeyPolicyMode,
  render: (template: string) => V,
  denyDirectGrants = false,
): { Version: string; Statement: { [key: string]: Rendered<V> }[] } {
  return {
    Version: POLICY_VERSION,
    Statement: keyPolicy(mode, denyDirectGrants).map((s) => {
      const st: { [key: string]: Rendered<V> } = {
        Sid: s.sid,
        Effect: s.effect ?? 'Allow',
        Principal:
          'aws' in s.principal
            ? { AWS: s.principal.aws === ANY_PRINCIPAL ? ANY_PRINCIPAL : render(s.principal.aws) }
            : { Service: s.principal.service },
        Action: s.actions.length === 1 ? s.actions[0] : [...s.actions],
        Resource: '*',
      };
      const condition: { [key: string]: { [key: string]: V | string } } = {};
      if (s.stringEquals) condition.StringEquals = Object.fromEntries(Object.entries(s.stringEquals).map(([k, v]) => [k, render(v)]));
      if (s.boolIfExists) condition.BoolIfExists = { ...s.boolIfExists };
      if (Object.keys(condition).length > 0) st.Condition = condition;
      return st;
    }),
  };
}
