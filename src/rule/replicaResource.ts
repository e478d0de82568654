/**
 * A replica declared as a resource of its own (Terraform and CDKTF `aws_dynamodb_table_replica`, Pulumi
 * `aws.dynamodb.TableReplica`) with no key of its own uses its global table's kind of encryption: the AWS
 * owned key when the table uses it, the AWS managed key when the table uses KMS (as such a replica reads
 * when its table is not known). One rule for every format that declares them: Pulumi called a replica of
 * an AWS owned table `aws-managed` where Terraform said `aws-owned` (deploy review, session 50).
 */
import { assess } from './cmk.js';
import type { EncryptionFacts, Settings, Vocabulary } from './facts.js';
import type { Reason } from './words.js';

/**
 * `replica` (settings of the SSE model), when it has no key of its own (absent, or null), follows `table` (named `address`, its key named
 * `keyName`) where the table's status says more than "encrypted with KMS": the AWS owned key
 * (aws-owned), or decided at plan time (unknown). Otherwise it is left as it reads.
 */
export function followItsTable(replica: EncryptionFacts, table: EncryptionFacts, address: string, keyName: string): void {
  const s = replica.settings;
  // A key of its own (or one not known) decides the replica's encryption: not its table.
  if (s.model !== 'sse' || !keyless(s)) return;
  const d = assess(table);
  if (d.status !== 'aws-owned' && d.status !== 'unknown') return;
  const source = `no ${keyName}: the replica uses the encryption of its table ${address}, which ${
    d.status === 'aws-owned' ? 'uses the AWS owned key' : 'is decided at plan time'
  } (${d.reason})`;
  s.enabled = d.status === 'aws-owned' ? { state: 'literal', source, bool: false } : { state: 'unreadable', source };
  replica.words = withPhrase(replica.words, 'enabledFalse', '{source}');
}

/** Settings of the SSE model with no key of their own: none written, or null/undefined. */
export function keyless(s: Settings): boolean {
  return s.model === 'sse' && !!s.key && (s.key.state === 'absent' || (s.key.state === 'literal' && s.key.text === undefined));
}

export function withPhrase(words: Vocabulary, reason: Reason, text: string): Vocabulary {
  return { ...words, phrases: { ...words.phrases, [reason]: text } };
}
