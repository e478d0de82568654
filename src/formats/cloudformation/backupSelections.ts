/**
 * AWS Backup selections of a template that back a table up (`AWS::Backup::BackupSelection`): its key is
 * then kept when the stack is deleted (retention.ts `keeps`). AWS Backup keeps a DynamoDB table's recovery
 * points under the table's own key (unless the account turned on its advanced DynamoDB backup, which the
 * template does not say), often for months: a key the stack's deletion schedules for deletion (in at
 * most 30 days) would leave every one of them unrestorable.
 *
 * A selection backs the table up when its `Resources` name it (`!GetAtt Orders.Arn`, `!Ref`/`${Orders}` in
 * a `Fn::Sub` or `Fn::Join`), or match it by a wildcard (`*`, `arn:aws:dynamodb:*:*:table/*`,
 * `arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*`), or select by tags
 * (`ListOfTags`, `Conditions`): kmsfix does not match tags, and keeping a key costs less than losing backups.
 *
 * On-demand backups too (`onDemandBackups`): a template that grants `dynamodb:CreateBackup` on the table
 * (SAM's policy template `DynamoDBBackupFullAccessPolicy: {TableName: !Ref Orders}`, or an IAM statement
 * allowing `dynamodb:CreateBackup`, `dynamodb:*` or `dynamodb:Create*` on its ARN) has something take
 * them, and DynamoDB keeps each one, under the table's key, until someone deletes it: long after the
 * stack that created the table is deleted, and with it a key that is not retained.
 */
import { type CMap, type CNode, child, resolveAlias, scalarString } from '../yaml/tree.js';
import { allowsCreateBackup, everyTablePattern } from '../../rule/backups.js';
import { intrinsicArg, intrinsicName, scalarValue } from '../cfn-values/intrinsics.js';
import { iamStatements, type IamStatement, type PolicyTemplate } from '../cfn-values/iamStatements.js';

const SELECTION = 'AWS::Backup::BackupSelection';

/** Whether a selection of `resources` (the template's Resources) backs up the table `id`. */
export function backedUp(resources: CMap, id: string): boolean {
  for (const selection of selectionsOf(resources)) {
    if (['ListOfTags', 'Conditions'].some((k) => hasEntries(child(selection, k)))) return true;
    const list = resolveAlias(child(selection, 'Resources') ?? null);
    if (list?.kind === 'seq' && list.items.some((item) => selects(resolveAlias(item), id))) return true;
  }
  return false;
}

/** The `BackupSelection` maps of a template's selections, in order, read once per Resources (every table of it asks). */
const selectionsByResources = new WeakMap<CMap, CMap[]>();

function selectionsOf(resources: CMap): CMap[] {
  const known = selectionsByResources.get(resources);
  if (known) return known;
  const out: CMap[] = [];
  for (const pair of resources.pairs) {
    const resource = resolveAlias(pair.value);
    if (resource?.kind !== 'map' || scalarString(child(resource, 'Type') ?? null) !== SELECTION) continue;
    const selection = resolveAlias(child(child(resource, 'Properties'), 'BackupSelection') ?? null);
    if (selection?.kind === 'map') out.push(selection);
  }
  selectionsByResources.set(resources, out);
  return out;
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
  if (!fn) return everyTablePattern(scalarString(item));
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
    return names.includes(id) || everyTablePattern(s.replace(/\$\{[^}]*\}/g, 'x'));
  }
  if (fn === 'Fn::Join') {
    const parts = arg?.kind === 'seq' ? resolveAlias(arg.items[1] ?? null) : null;
    if (parts?.kind !== 'seq') return false;
    if (parts.items.some((p) => intrinsicName(resolveAlias(p)) !== undefined && selects(resolveAlias(p), id))) return true;
    const delimiter = scalarString(resolveAlias(arg?.kind === 'seq' ? (arg.items[0] ?? null) : null)) ?? '';
    return everyTablePattern(parts.items.map((p) => scalarString(resolveAlias(p)) ?? 'x').join(delimiter));
  }
  return false;
}

/** SAM's policy template that grants it. */
const BACKUP_TEMPLATE = 'DynamoDBBackupFullAccessPolicy';

/**
 * The words without which a template grants no on-demand backup (the action's name, or SAM's policy
 * template): the template is walked only when its text holds one. A grant of `dynamodb:*` alone, in
 * a template that names neither, is not looked for.
 */
export function holdsBackupGrantWords(text: string): boolean {
  // Every table of a template asks of the same text (a detection's, then verification's): the last answer is
  // kept. Two substring searches, as /CreateBackup|DynamoDBBackupFullAccessPolicy/ matched.
  if (text !== lastText) {
    lastText = text;
    lastHolds = text.includes('CreateBackup') || text.includes(BACKUP_TEMPLATE);
  }
  return lastHolds;
}

let lastText: string | undefined;
let lastHolds = false;

/**
 * Whether the template (`root`: its document, serverless.yml's `provider.iam` included) grants
 * `dynamodb:CreateBackup` on the table `id`: a `DynamoDBBackupFullAccessPolicy` whose TableName is the
 * table's (`!Ref Orders`, `${Orders}` in a Sub), or an Allow statement whose Action matches the action
 * (IAM's `*` and `?`, any case) on a Resource that is the table or matches every table (`selects`).
 * The template's statements and policy templates anywhere in it (cfn-values/iamStatements.ts, read once per document).
 *
 * A Resource is matched as a BackupSelection's Resources are (`selects`: the table's logical ID, or a
 * wildcard of every table), not against the TableName of a literal ARN as cfn-values/iamRoles.ts and
 * apiGlobalTables.ts read it; a tagged list (`!If [Cond, a, b]`) is read item by item, in Action and Resource.
 */
export function onDemandBackups(root: CMap, id: string): boolean {
  const { statements, templates } = iamStatements(root);
  const ofTemplate = (t: PolicyTemplate) =>
    t.name === BACKUP_TEMPLATE && t.value?.kind === 'map' && selects(resolveAlias(child(t.value, 'TableName') ?? null), id);
  const ofStatement = (s: IamStatement) => {
    if (s.effect !== 'Allow' || !s.actions.some((a) => a !== undefined && allowsCreateBackup(a))) return false;
    const items = s.resource?.kind === 'seq' ? s.resource.items : [s.resource];
    return items.some((item) => selects(resolveAlias(item ?? null), id));
  };
  return templates.some(ofTemplate) || statements.some(ofStatement);
}
