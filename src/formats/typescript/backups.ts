/**
 * What backs a TypeScript table up in its own file, so that its key must outlive a destroy as the
 * backups do (CloudFormation reads the same in a template: cloudformation/backupSelections.ts). AWS
 * Backup keeps a DynamoDB table's recovery points under the table's own key (unless the account turned
 * on its advanced DynamoDB backup, which the code does not say), often for months; on-demand backups stay
 * under it until someone deletes them. A destroy that schedules the key's deletion (in at most 30 days)
 * leaves every one of them unrestorable. fix.ts keeps a CDK key (RETAIN, kms.Key's default) for them;
 * index.ts cautions a CDK for Terraform table (its preventDestroy would fail every destroy), as Terraform
 * does for an aws_backup_selection.
 *
 * Read, on the table's variable (`orders`, `this.orders`) or on every table:
 * - an AWS Backup selection: CDK `BackupResource.fromDynamoDbTable(orders)`, `fromArn(orders.tableArn)`,
 *   `fromConstruct(orders)` (`fromTag`, `fromConstruct(this)`, a wildcard ARN: every table), and a
 *   `...BackupSelection` construct (CDK `CfnBackupSelection`, `BackupSelection`; CDKTF `BackupSelection`)
 *   whose resources name the table or every table, or that selects by tags (kmsfix does not match tags, and
 *   keeping a key costs less than losing backups);
 * - a grant of `dynamodb:CreateBackup` (CDK only: Terraform reads no grant): `orders.grant(role,
 *   'dynamodb:CreateBackup')`, or an Allow statement (`new iam.PolicyStatement({ actions, resources })`, a
 *   JSON policy's `Action`/`Resource`) whose action matches it on the table's ARN or every table's.
 * Looked for only when the file says `Backup`, as CloudFormation looks only when its template names it.
 */
import { allowsCreateBackup, everyTablePattern } from '../../rule/backups.js';
import { escapeRegExp } from '../../core/text.js';
import { declaredName } from './holders.js';
import { lookup } from './lookup.js';
import type { TsTable } from './tableTypes.js';
import { listedProperty, stringValue, ts, unwrap } from './parse.js';

/** Something in the file that backs tables up: the resources it names (expressions, as written), or every table. */
interface Backing {
  /** An AWS Backup selection construct, as the caution names it (`BackupSelection 'sel'`). */
  construct?: string;
  resources: ts.Expression[];
  every: boolean;
}

const CACHE = new WeakMap<ts.SourceFile, Backing[]>();

/** The backups of the file that keep `t`'s data under its key: AWS Backup selections and CreateBackup grants. */
export function backupsOf(t: TsTable, sf: ts.SourceFile): Backing[] {
  if (!sf.text.includes('Backup')) return [];
  let all = CACHE.get(sf);
  if (!all) CACHE.set(sf, (all = backings(sf)));
  if (all.length === 0) return [];
  const name = declaredName(t.node);
  // `orders` but not `x.orders`; `this.orders` as written.
  const named = name && new RegExp(String.raw`(?<![\w$.])${escapeRegExp(name)}(?![\w$])`);
  return all.filter((b) => b.every || (named && b.resources.some((r) => named.test(r.getText(sf)))));
}

/** Is the table backed up (a selection or a CreateBackup grant) in its own file? */
export function backedUp(t: TsTable, sf: ts.SourceFile): boolean {
  return backupsOf(t, sf).length > 0;
}

/** The AWS Backup selection constructs of the file that back `t` up, as the caution names them (`BackupSelection 'sel'`). */
export function selectionsOf(t: TsTable, sf: ts.SourceFile): string[] {
  return backupsOf(t, sf).flatMap((b) => (b.construct ? [b.construct] : []));
}

/** A string, or a template literal read with `x` for each substitution (`arn:aws:dynamodb:${region}:x:table/*`). */
function patternOf(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (ts.isTemplateExpression(u)) return u.head.text + u.templateSpans.map((s) => `x${s.literal.text}`).join('');
  return stringValue(u);
}

const matchesEvery = (e: ts.Expression) => everyTablePattern(patternOf(e));

function backings(sf: ts.SourceFile): Backing[] {
  const out: Backing[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = n.expression.name.text;
      const on = n.expression.expression.getText(sf);
      const [first] = n.arguments;
      if (/(^|\.)BackupResource$/.test(on)) {
        if (method === 'fromTag' || (method === 'fromConstruct' && first?.kind === ts.SyntaxKind.ThisKeyword))
          out.push({ resources: [], every: true });
        else if (first && ['fromDynamoDbTable', 'fromArn', 'fromConstruct'].includes(method))
          out.push({ resources: [first], every: matchesEvery(first) });
      } else if (method === 'grant' && n.arguments.slice(1).some((a) => allowsCreateBackup(stringValue(unwrap(a)) ?? ''))) {
        out.push({ resources: [n.expression.expression], every: false });
      }
    }
    if (ts.isNewExpression(n) && /BackupSelection$/.test(n.expression.getText(sf))) {
      const props = n.arguments?.[2] && unwrap(n.arguments[2]);
      if (props && ts.isObjectLiteralExpression(props)) {
        // CDK's CfnBackupSelection nests them: `backupSelection: { resources, listOfTags, conditions }`.
        const nested = lookup(sf, props, 'backupSelection');
        const inner = nested.kind === 'value' ? unwrap(nested.value) : undefined;
        const sel = inner && ts.isObjectLiteralExpression(inner) ? inner : props;
        const resources = listedProperty(sel, ['resources']) ?? [];
        const byTags = ['listOfTags', 'conditions', 'selectionTag', 'condition'].some((k) => {
          const v = listedProperty(sel, [k]);
          return v !== undefined && v.length > 0;
        });
        const id = n.arguments[1]?.getText(sf) ?? '';
        const construct = `${n.expression.getText(sf).split('.').pop()} ${id}`.trim();
        out.push({ construct, resources, every: byTags || resources.some(matchesEvery) });
      }
    }
    // An Allow statement (`effect: iam.Effect.DENY`, `Effect: 'Deny'` grant nothing) whose action allows CreateBackup.
    if (ts.isObjectLiteralExpression(n)) {
      const deny = (listedProperty(n, ['effect', 'Effect']) ?? []).some((e) => /deny/i.test(e.getText(sf)));
      const actions = listedProperty(n, ['actions', 'Action']) ?? [];
      if (!deny && actions.some((a) => allowsCreateBackup(stringValue(unwrap(a)) ?? ''))) {
        const resources = listedProperty(n, ['resources', 'Resource']) ?? [];
        out.push({ resources, every: resources.some(matchesEvery) });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
