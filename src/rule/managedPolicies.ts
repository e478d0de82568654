/**
 * AWS managed policies as the `iam-roles` caution reads them (src/formats/cfn-values/iamRoles.ts,
 * src/formats/terraform/iamRoles.ts): shared by the families that read a role's policies. A role with a
 * managed policy kmsfix does not know may hold a KMS action, and is never named as losing access.
 */

import { GENERATED_DYNAMODB, GENERATED_NO_KMS } from './managedPolicyList.js';

const names = (text: string) => text.split(/\s+/).filter((n) => n.length > 0);

/**
 * AWS managed policies that grant DynamoDB item actions on every table and no KMS action that lets a caller use a
 * key (AmazonDynamoDBFullAccess's kms:DescribeKey and kms:ListAliases do not): the generated list
 * (scripts/managed-policies.mjs, from every managed policy's default version), and those newer than its source.
 */
export const DYNAMODB_MANAGED = new Set([
  ...names(GENERATED_DYNAMODB),
  // Not in the generated list's source (published later); read by hand from its document.
  'AmazonDynamoDBFullAccess_v2',
]);

/**
 * AWS managed policies known to grant no KMS action that uses a key, whatever their conditions: a role with them is
 * still read. Any other managed policy may grant one (or grants DynamoDB on some tables only), and hides the role.
 */
export const NO_KMS_MANAGED = new Set(names(GENERATED_NO_KMS));

/** What a managed policy is to kmsfix, by its name (the ARN's last part): DynamoDB on every table, nothing of either, or not known. */
export function managedPolicy(arnOrName: string): 'dynamodb' | 'none' | 'unknown' {
  const m = /^(?:arn:[^:]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*)?([\w+=,.@-]+)$/.exec(
    arnOrName.trim().replace(/\$\{AWS::Partition\}/g, 'aws'),
  );
  if (!m) return 'unknown';
  if (DYNAMODB_MANAGED.has(m[1])) return 'dynamodb';
  return NO_KMS_MANAGED.has(m[1]) ? 'none' : 'unknown';
}
