/**
 * AWS Backup selections of a module that back a table up (EncryptionFacts.cautions `backup-key`). AWS
 * Backup keeps a DynamoDB table's recovery points under the table's own key (unless the account turned
 * on its advanced DynamoDB backup, which the code does not say), often for months; a `terraform destroy`
 * schedules the new key's deletion (in at most 30 days) and leaves them unrestorable. The fix cannot
 * protect the key (a prevent_destroy would fail every destroy): the caution says what to do first.
 *
 * A selection (`aws_backup_selection`) backs the table up when its `resources` name it
 * (`aws_dynamodb_table.orders.arn`, `module.orders.dynamodb_table_arn`), or match every table (`"*"`, an ARN
 * pattern whose table part is a wildcard), or it selects by tags (`selection_tag`, `condition`): kmsfix does
 * not match tags, and a caution too many costs less than lost backups. Read in the table's file and the
 * module's other files, for a module with a table a fix would change.
 */
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { escapeRegExp } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { TfDetection, TfTable } from './detect.js';
import { moduleBlocksWith, type TopBlock } from './topBlocks.js';

const WORD = 'aws_backup_selection';
/** `"*"`, or an ARN pattern (literal or template) whose table part holds a wildcard. */
const WILDCARD = /"\*"|:table\/[^"\s]*\*/;
const BY_TAGS = /^\s*(selection_tag|condition)\s*\{/m;

/** The selections of `tops` that back up `t`: `aws_backup_selection.orders`. */
function selecting(tops: TopBlock[], t: TfTable): string[] {
  const [kind, name] = t.address.startsWith('module.') ? ['module', t.address.slice(7)] : t.address.split('.');
  const named =
    kind === 'module'
      ? new RegExp(String.raw`\bmodule\.${escapeRegExp(name)}(\[[^\]]*\])?\.\w*arn\b`)
      : new RegExp(String.raw`\b${escapeRegExp(kind)}\.${escapeRegExp(name)}(\[[^\]]*\])?\.arn\b`);
  return tops
    .filter((b) => b.type === 'resource' && b.labels[0] === WORD)
    .filter((b) => named.test(b.text) || WILDCARD.test(b.text) || BY_TAGS.test(b.text))
    .map((b) => `${WORD}.${b.labels[1]}`);
}

export async function backupCautions(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  const fixed = det.tables.filter((t) => fixWanted(decide(t.encryption, WAIVABLE)));
  if (fixed.length === 0) return;
  const tops = await moduleBlocksWith(WORD, file, det, context);
  if (tops.length === 0) return;
  for (const t of fixed) {
    const by = selecting(tops, t);
    if (by.length > 0) (t.encryption.cautions ??= []).push({ kind: 'backup-key', selections: by });
  }
}
