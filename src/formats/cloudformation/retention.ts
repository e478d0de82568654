/**
 * What keeps a template's table, or its data, past its stack, so that its key must be kept too: read
 * once, for the fix (fix.ts gives a generated key the retention `retains` says) and for scan
 * (keptKeys.ts cautions a table whose key of the same template is not kept although the table is).
 */
import { backedUp, holdsBackupGrantWords, onDemandBackups } from './backupSelections.js';
import { notFalse } from '../yaml/scalars.js';
import { child, resolveAlias, scalarString, type CNode } from '../yaml/tree.js';
import { policyRetention, strongestRetention, type KeyRetention } from '../yaml/cfnKeyResources.js';
import type { CfnTable } from './tableTypes.js';
import { yaml11 } from './templates.js';

/** The logical IDs of the tables a detected table stands for (a loop's: those it generates, as its address lists them). */
export function tableNames(t: CfnTable): string[] {
  return t.loop ? t.address.slice(t.address.indexOf(': ') + 2).split(', ') : [t.resourcePair.key];
}

/** One thing that keeps the table or its data, in the words a caution names it with, and the retention it asks of the key. */
export interface Keep {
  why: string;
  retention: Exclude<KeyRetention, undefined>;
}

/**
 * Everything that keeps the table, or its data, past its stack (its key is then retained too: a deleted
 * key makes a kept table, and every backup of it, unreadable). Any DeletionPolicy or UpdateReplacePolicy
 * but Delete (RetainExceptOnCreate alone keeps the key the same way, cfnKeyResources.ts KeyRetention);
 * deletion protection (deleting the stack fails on the table, and the way out, retaining
 * it, would delete its key); point-in-time recovery, on the table or a replica (DynamoDB keeps a
 * deleted table's backup 35 days, under the table's key, which the stack's delete would schedule for
 * deletion in at most 30); an AWS Backup selection of the template that backs it up (backupSelections.ts:
 * its recovery points are kept under the table's key, often for months); a grant of dynamodb:CreateBackup
 * on it in the template (`text`, the file's, holds backupSelections.ts's holdsBackupGrantWords; a SAM DynamoDBBackupFullAccessPolicy,
 * an IAM statement): its on-demand backups are kept under the table's key until someone deletes them,
 * after the stack too. These outlast a failed create too (a protected table, its backups): `Retain`.
 */
export function keeps(table: CfnTable, text: string): Keep[] {
  const out: Keep[] = [];
  for (const k of ['DeletionPolicy', 'UpdateReplacePolicy']) {
    const v = child(table.resource, k);
    const value = scalarString(v);
    const retention = policyRetention([{ written: v !== undefined, value }]);
    if (retention) out.push({ why: value === undefined ? `its ${k}` : `${k}: ${value}`, retention });
  }
  const props = child(table.resource, 'Properties');
  const on = (v: CNode | null | undefined) => notFalse(v, yaml11(table.template, false));
  const pitr = (holder: CNode | null | undefined) =>
    on(child(child(holder, 'PointInTimeRecoverySpecification'), 'PointInTimeRecoveryEnabled'));
  const replicas = child(props, 'Replicas');
  const kept = (why: string) => out.push({ why, retention: 'Retain' });
  if (on(child(props, 'DeletionProtectionEnabled'))) kept('DeletionProtectionEnabled');
  if (pitr(props)) kept('point-in-time recovery (PointInTimeRecoveryEnabled)');
  else if (replicas?.kind === 'seq' && replicas.items.some((r) => pitr(resolveAlias(r)))) kept('point-in-time recovery on a replica');
  const ids = tableNames(table);
  if (ids.some((id) => backedUp(table.template.resources, id))) kept('an AWS::Backup::BackupSelection of the template');
  if (holdsBackupGrantWords(text) && ids.some((id) => onDemandBackups(table.template.root, id)))
    kept('a grant of dynamodb:CreateBackup on it in the template');
  return out;
}

/** The retention the table asks of its key (undefined: none): the strongest of what keeps it. */
export function retains(table: CfnTable, text: string): KeyRetention {
  return strongestRetention(keeps(table, text).map((k) => k.retention));
}
