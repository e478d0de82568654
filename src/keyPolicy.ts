/**
 * The key policy every generated key gets: the single source of truth, rendered per format
 * by each transform. Placeholders: {partition}, {account}, {region}.
 *
 * 1. The account root administers the key, so the key can never lock its owner out.
 * 2. Principals of this account may use the key only through DynamoDB (kms:ViaService,
 *    kms:CallerAccount), as in the policy AWS uses for its own DynamoDB key. The principal is the
 *    account, not "*": a wildcard principal would itself fail Checkov CKV_AWS_33 and KICS.
 * 3. The DynamoDB service principal may read the key's metadata (Describe/Get/List), as AWS
 *    documents for customer-managed keys used by DynamoDB.
 */

export type Placeholder = 'partition' | 'account' | 'region';

export interface PolicyStatement {
  sid: string;
  /** Exactly one of: an AWS principal (template string with placeholders, or '*'), or a service. */
  principal: { aws: string } | { service: string };
  actions: string[];
  /** StringEquals conditions: condition key -> template string. */
  stringEquals?: Record<string, string>;
}

export const POLICY_VERSION = '2012-10-17';

export const ACCOUNT_ROOT = 'arn:{partition}:iam::{account}:root';

export const KEY_POLICY: readonly PolicyStatement[] = [
  {
    sid: 'AllowAccountRootToAdministerKey',
    principal: { aws: ACCOUNT_ROOT },
    actions: ['kms:*'],
  },
  {
    sid: 'AllowUseOnlyThroughDynamoDB',
    principal: { aws: ACCOUNT_ROOT },
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'],
    stringEquals: {
      'kms:CallerAccount': '{account}',
      'kms:ViaService': 'dynamodb.{region}.amazonaws.com',
    },
  },
  {
    sid: 'AllowDynamoDBServiceToDescribeKey',
    principal: { service: 'dynamodb.amazonaws.com' },
    actions: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
  },
];

/** Key settings shared by every format. */
export const KEY_SETTINGS = {
  enableKeyRotation: true,
  pendingWindowInDays: 30,
} as const;

export function keyDescription(tableNames: string[]): string {
  return tableNames.length === 1
    ? `KMS key for DynamoDB table ${tableNames[0]}`
    : `KMS key for DynamoDB tables ${tableNames.join(', ')}`;
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

/**
 * The key policy as an IAM policy document (the JSON shape KMS takes), with every template string
 * rendered by the format (`render`): a CloudFormation Sub, a Pulumi interpolation, and so on.
 */
export function policyDocument<V>(render: (template: string) => V): {
  Version: string;
  Statement: { [key: string]: string | string[] | V | { [key: string]: V | string | { [key: string]: V } } }[];
} {
  return {
    Version: POLICY_VERSION,
    Statement: KEY_POLICY.map((s) => {
      const st: { [key: string]: string | string[] | V | { [key: string]: V | string | { [key: string]: V } } } = {
        Sid: s.sid,
        Effect: 'Allow',
        Principal: 'aws' in s.principal ? { AWS: render(s.principal.aws) } : { Service: s.principal.service },
        Action: s.actions.length === 1 ? s.actions[0] : [...s.actions],
        Resource: '*',
      };
      if (s.stringEquals) {
        st.Condition = { StringEquals: Object.fromEntries(Object.entries(s.stringEquals).map(([k, v]) => [k, render(v)])) };
      }
      return st;
    }),
  };
}
