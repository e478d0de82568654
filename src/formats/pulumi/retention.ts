/**
 * What keeps a Pulumi table, or its data, past `pulumi destroy`, and which of those leave its key deleted while
 * the table, or its backups, stay: one rule for both Pulumi families (TypeScript: typescript/retention.ts
 * destroyKeeps; YAML: pulumi-yaml/retention.ts). The fix gives its own generated key retainOnDelete when anything
 * keeps the table; the `Key not kept` caution (typescript/keptKeys.ts, pulumi-yaml/keptKeys.ts) names a key of
 * the file that is not kept only where the destroy really deletes it while the table or its backups stay.
 */

/** One thing that keeps the table or its data (`why`: as a caution names it, as written). */
export interface PulumiKeep {
  why: string;
  by: 'protect' | 'retainOnDelete' | 'preventDestroy' | 'deletion protection' | 'point-in-time recovery';
}

/**
 * What keeps the table while `pulumi destroy` deletes its key (empty: the key is never deleted while the
 * table, or its backups, stay). Pulumi deletes dependents first, so the table's delete comes before its key's:
 * - `protect` (or CDKTF's preventDestroy): the destroy fails on the table, before its key (`--exclude-protected`
 *   spares what a protected resource depends on, its key too); deleting it takes unprotecting it first.
 * - `retainOnDelete`: Pulumi drops the table from its state without deleting it (deletion protection is then
 *   never asked), then deletes the key: the table stays under a key scheduled for deletion.
 * - deletion protection alone: DynamoDB refuses the table's delete, and the destroy stops before the key
 *   (`--continue-on-error` skips what a failed delete depends on).
 * - point-in-time recovery: the table is deleted, DynamoDB keeps its backup 35 days under the key, and the key
 *   is deleted after it (in at most 30 days): the backup cannot be restored.
 */
export function keyDeletedWhileKept(keeps: PulumiKeep[]): string[] {
  if (keeps.some((k) => k.by === 'protect' || k.by === 'preventDestroy')) return [];
  const left = keeps.filter((k) => k.by === 'retainOnDelete');
  if (left.length > 0) return left.map((k) => k.why);
  if (keeps.some((k) => k.by === 'deletion protection')) return [];
  return keeps.filter((k) => k.by === 'point-in-time recovery').map((k) => k.why);
}
