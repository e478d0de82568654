/**
 * What keeps backups of a table under its key, shared by the families that read it in code
 * (CloudFormation backupSelections.ts, TypeScript backups.ts): a grant of `dynamodb:CreateBackup` (its
 * on-demand backups stay until someone deletes them), and an AWS Backup selection whose resource pattern
 * matches every table (its recovery points stay under the table's key, often for months).
 */
import { globMatcher } from '../core/text.js';

/** The action every on-demand backup needs. */
const CREATE_BACKUP = 'dynamodb:createbackup';

/** Does a granted action (IAM's `*` and `?`, any case: `dynamodb:*`, `dynamodb:Create*`) allow `dynamodb:CreateBackup`? */
export function allowsCreateBackup(action: string): boolean {
  return globMatcher(action.trim().toLowerCase()).test(CREATE_BACKUP);
}

/** `*`, or an ARN pattern whose table part is a wildcard (`arn:aws:dynamodb:*:*:table/*`, `...:table/orders-*`). */
export function everyTablePattern(s: string | undefined): boolean {
  if (s === undefined) return false;
  const v = s.trim();
  return v === '*' || /^arn:[^:]*:(dynamodb|\*):[^:]*:[^:]*:(\*|table\/.*\*.*)$/.test(v);
}
