/**
 * AWS managed policies as the `iam-roles` caution reads them (src/formats/cfn-values/iamRoles.ts,
 * src/formats/terraform/iamRoles.ts): shared by the families that read a role's policies. A role with a
 * managed policy kmsfix does not know may hold a KMS action, and is never named as losing access.
 */

/**
 * AWS managed policies that grant DynamoDB actions on every table and no KMS action that lets a caller use a
 * key (AmazonDynamoDBFullAccess's kms:DescribeKey and kms:ListAliases do not).
 */
export const DYNAMODB_MANAGED = new Set([
  'AmazonDynamoDBFullAccess',
  'AmazonDynamoDBFullAccess_v2',
  'AmazonDynamoDBFullAccesswithDataPipeline',
  'AmazonDynamoDBReadOnlyAccess',
  'AWSLambdaDynamoDBExecutionRole',
  'AWSLambdaInvocation-DynamoDB',
]);

/** AWS managed policies known to grant no KMS action: a role with them is still read. Any other managed policy may grant one. */
export const NO_KMS_MANAGED = new Set([
  'AWSLambdaBasicExecutionRole',
  'AWSLambdaVPCAccessExecutionRole',
  'AWSXRayDaemonWriteAccess',
  'AWSXrayWriteOnlyAccess',
  'CloudWatchLambdaInsightsExecutionRolePolicy',
  'AmazonECSTaskExecutionRolePolicy',
  'AWSStepFunctionsFullAccess',
  'AmazonS3ReadOnlyAccess',
  'CloudWatchLogsFullAccess',
]);

/** What a managed policy is to kmsfix, by its name (the ARN's last part): DynamoDB on every table, nothing of either, or not known. */
export function managedPolicy(arnOrName: string): 'dynamodb' | 'none' | 'unknown' {
  const m = /^(?:arn:[^:]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*)?([\w+=,.@-]+)$/.exec(
    arnOrName.trim().replace(/\$\{AWS::Partition\}/g, 'aws'),
  );
  if (!m) return 'unknown';
  if (DYNAMODB_MANAGED.has(m[1])) return 'dynamodb';
  return NO_KMS_MANAGED.has(m[1]) ? 'none' : 'unknown';
}
