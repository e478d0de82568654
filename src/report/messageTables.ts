/** A fixed table's lines in a commit message: its key, and what its deploy does to its replicas. */
import { FIX_NOTE } from '../rule/evaluate.js';
import { KEY_USE_TEXT } from '../rule/keyPolicy.js';
import type { TableReport } from '../core/result.js';
import type { MessageOptions } from './messageTypes.js';

/** What terraform apply does to the replicas of a table fixed with --recreate-replicas (src/rule/evaluate.ts words it). */
export function recreation(t: TableReport): string | undefined {
  const note = FIX_NOTE.exec(t.message);
  return note?.[1] === '--recreate-replicas' ? note[2] : undefined;
}

export function keyOf(o: MessageOptions): string {
  if (o.kmsKeyArn) return `the existing key ${o.kmsKeyArn}`;
  const alias = (o.key?.alias ?? 'alias/dynamodb/{table}').replace('{table}', '<table name>');
  return o.keyStrategy === 'shared'
    ? `a new customer-managed KMS key shared by the tables of its template or module (rotation on, alias ${alias.replace('<table name>', '<first table name>-shared')})`
    : `a new customer-managed KMS key of its own (rotation on, alias ${alias})`;
}

/**
 * The key line of a table whose fix turned its switch on alone and kept the key it names (TableReport.keptKey): no
 * key is created for it, and its policy is its team's, not kmsfix's, so the reviewer checks that it lets DynamoDB and
 * the table's users in (real-world round 38 F5: the message named a new key of its own, and asked about its cost).
 */
export function keptKeyText(key: string): string {
  // In full, on one line: the reviewer checks that key's policy, so its account, Region and key ID all count.
  const one = key.replace(/\s+/g, ' ').trim();
  return (
    `the key it already named (\`${one}\`), now switched on; kmsfix did not write its policy: check that it lets DynamoDB and ` +
    `the table's users use it (${KEY_USE_TEXT} through DynamoDB), or they lose access once the table switches`
  );
}
