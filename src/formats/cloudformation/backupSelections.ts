/**
 * AWS Backup selections of a template that back a table up (`AWS::Backup::BackupSelection`): its key is
 * then kept when the stack is deleted (fix.ts `retains`). AWS Backup keeps a DynamoDB table's recovery
 * points under the table's own key (unless the account turned on its advanced DynamoDB backup, which the
 * template does not say), often for months: a key the stack's deletion schedules for deletion (in at
 * most 30 days) would leave every one of them unrestorable.
 *
 * A selection backs the table up when its `Resources` name it (`!GetAtt Orders.Arn`, `!Ref`/`${Orders}` in
 * a `Fn::Sub` or `Fn::Join`), or match it by a wildcard (`*`, `arn:aws:dynamodb:*:*:table/*`,
 * `arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*`), or select by tags
 * (`ListOfTags`, `Conditions`): kmsfix does not match tags, and keeping a key costs less than losing backups.
 */
import { type CMap, type CNode, child, resolveAlias, scalarString } from '../yaml/tree.js';
import { intrinsicArg, intrinsicName, scalarValue } from './detect.js';

const SELECTION = 'AWS::Backup::BackupSelection';

/** Whether a selection of `resources` (the template's Resources) backs up the table `id`. */
export function backedUp(resources: CMap, id: string): boolean {
  for (const pair of resources.pairs) {
    const resource = resolveAlias(pair.value);
    if (resource?.kind !== 'map' || scalarString(child(resource, 'Type') ?? null) !== SELECTION) continue;
    const selection = resolveAlias(child(child(resource, 'Properties'), 'BackupSelection') ?? null);
    if (selection?.kind !== 'map') continue;
    if (['ListOfTags', 'Conditions'].some((k) => hasEntries(child(selection, k)))) return true;
    const list = resolveAlias(child(selection, 'Resources') ?? null);
    if (list?.kind === 'seq' && list.items.some((item) => selects(resolveAlias(item), id))) return true;
  }
  return false;
}

/** A selection's `ListOfTags` (a list) or `Conditions` (a map of operators) that holds something. */
function hasEntries(node: CNode | null | undefined): boolean {
  const n = resolveAlias(node ?? null);
  return (n?.kind === 'seq' && n.items.length > 0) || (n?.kind === 'map' && n.pairs.length > 0);
}

/** Whether one of `Resources` is the table, or a pattern every DynamoDB table matches. */
function selects(item: CNode | null, id: string): boolean {
  if (!item) return false;
  const fn = intrinsicName(item);
  if (!fn) return wildcard(scalarString(item));
  const arg = resolveAlias(intrinsicArg(item));
  if (fn === 'Fn::GetAtt') {
    const target =
      arg?.kind === 'seq'
        ? scalarString(resolveAlias(arg.items[0] ?? null))
        : arg?.kind === 'scalar'
          ? String(arg.value).split('.')[0]
          : undefined;
    return target === id;
  }
  if (fn === 'Ref') return arg?.kind === 'scalar' && String(arg.value) === id;
  if (fn === 'Fn::Sub') {
    const template = arg?.kind === 'seq' ? resolveAlias(arg.items[0] ?? null) : arg;
    const s = scalarValue(template);
    if (s === undefined) return false;
    const names = [...s.matchAll(/\$\{([^}!][^}]*)\}/g)].map((m) => m[1].trim().split('.')[0]);
    return names.includes(id) || wildcard(s.replace(/\$\{[^}]*\}/g, 'x'));
  }
  if (fn === 'Fn::Join') {
    const parts = arg?.kind === 'seq' ? resolveAlias(arg.items[1] ?? null) : null;
    if (parts?.kind !== 'seq') return false;
    if (parts.items.some((p) => intrinsicName(resolveAlias(p)) !== undefined && selects(resolveAlias(p), id))) return true;
    const delimiter = scalarString(resolveAlias(arg?.kind === 'seq' ? (arg.items[0] ?? null) : null)) ?? '';
    return wildcard(parts.items.map((p) => scalarString(resolveAlias(p)) ?? 'x').join(delimiter));
  }
  return false;
}

/** `*`, or an ARN pattern whose table part is a wildcard (`arn:aws:dynamodb:*:*:table/*`, `...:table/orders-*`). */
function wildcard(s: string | undefined): boolean {
  if (s === undefined) return false;
  const v = s.trim();
  return v === '*' || /^arn:[^:]*:(dynamodb|\*):[^:]*:[^:]*:(\*|table\/.*\*.*)$/.test(v);
}
