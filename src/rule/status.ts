/**
 * The status vocabulary: the one place that says what each status means and
 * whether it passes.
 */
export const STATUSES = ['aws-owned', 'aws-managed', 'customer-managed', 'unknown', 'suppressed'] as const;
export type Status = (typeof STATUSES)[number];

export interface ComplianceOptions {
  acceptAwsManaged?: boolean;
}

/** Does a table with this status pass kmsfix's default (strict) rule? */
export function isCompliant(status: Status, options: ComplianceOptions = {}): boolean {
  switch (status) {
    case 'customer-managed':
    case 'suppressed':
      return true;
    case 'aws-managed':
      return options.acceptAwsManaged === true;
    case 'aws-owned':
    case 'unknown':
      return false;
  }
}

/** Statuses a fix may change. `unknown` and `suppressed` are never touched. */
export function isFixableStatus(status: Status, options: ComplianceOptions = {}): boolean {
  return !isCompliant(status, options) && (status === 'aws-owned' || status === 'aws-managed');
}

/** Standard explanations, shared by every format family. */
export const EXPLAIN = {
  awsOwned: 'data is encrypted with an AWS owned key: invisible to the account, not auditable in CloudTrail, not revocable',
  awsManaged: 'the AWS managed key alias/aws/dynamodb is used: its policy cannot be changed, it cannot be rotated on your terms or shared',
  unknown: 'not known from the code alone, so kmsfix does not change it: check the deployed value or set it explicitly',
} as const;

export const AWS_MANAGED_ALIAS = 'alias/aws/dynamodb';

/** True for `alias/aws/dynamodb` and any ARN or string that ends in it. */
export function isAwsManagedKeyRef(value: string): boolean {
  const v = value.trim();
  return v === '' || v === AWS_MANAGED_ALIAS || v.endsWith(':' + AWS_MANAGED_ALIAS) || v.endsWith('/' + AWS_MANAGED_ALIAS);
}
