/**
 * CDK for Terraform: another construct's `lifecycle: { replaceTriggeredBy: [...] }` naming a table a fix would change
 * (Terraform's replace_triggered_by: src/formats/terraform/replaceTriggers.ts says when it replaces). The table itself
 * (`[orders]`), its `fqn` (`orders.fqn`), its `serverSideEncryption` (or `replica`, whose keys a fix may set), or a
 * string naming `aws_dynamodb_table.<its construct id>` whole or under `server_side_encryption` / `replica`: the
 * deploy of a fix would replace that construct (another table: a new, empty one), so the table is not fixed. An
 * attribute such as `orders.arn` is left as it is; an entry kmsfix does not read that mentions the table (a call, a
 * spread, a conditional) declines it too. Written in place, or in a const array of the file.
 */
import type { LineIndex } from '../../core/text.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import type { ReplaceTrigger } from '../../rule/facts.js';
import { constInitializer, declarationOf } from './consts.js';
import type { TsTable } from './tableTypes.js';
import { mutationOf } from './mutatedConsts.js';
import { boundName, mentions } from './overrides.js';
import { stringValue, ts, unwrap } from './parse.js';

/** What a fix changes on a CDKTF table, as its attributes (camelCase) and as Terraform names them. */
const EDITED = ['serverSideEncryption', 'replica'];
const EDITED_TF = ['server_side_encryption', 'replica'];

export function replaceTriggeredTables(sf: ts.SourceFile, lines: LineIndex, path: string, tables: TsTable[]): void {
  if (!sf.text.includes('replaceTriggeredBy')) return;
  const cdktf = tables.filter((t) => t.framework === 'cdktf' && !ts.isObjectLiteralExpression(t.node));
  if (cdktf.length === 0) return;
  const found = new Map<TsTable, ReplaceTrigger[]>();
  const visit = (n: ts.Node): void => {
    const list = triggerList(sf, n);
    if (list) {
      const holder = holderOf(n);
      const { line } = lines.position(n.getStart(sf));
      // A list (or the lifecycle const holding it) the file changes after its declaration may name any table (mutatedConsts.ts).
      const changed = changedConst(unwrap(list)) || changedConst(n.parent);
      for (const t of cdktf) {
        if (holder === t.node) continue;
        for (const e of changed ? [list] : entries(list)) {
          const read = changed ? 'unread' : reads(sf, e, t);
          if (read === 'unchanged') continue;
          const list = found.get(t) ?? [];
          list.push({
            resource: holder ? describe(sf, holder) : 'a construct',
            at: `${path}:${line}`,
            entry: e.getText(sf),
            table: holder ? /DynamodbTable\b/.test(holder.expression.getText(sf)) : false,
            ...(read === 'unread' ? { unread: true as const } : {}),
          });
          found.set(t, list);
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  for (const [t, triggers] of found) {
    if (!fixWanted(decide(t.encryption))) continue;
    const id = t.idNode ? stringValue(t.idNode) : undefined;
    t.encryption.obstacles.push({
      kind: 'replace-triggers',
      table: boundName(t) ?? `'aws_dynamodb_table.${id ?? t.address}'`,
      triggers,
      cdktf: true,
    });
  }
}

/**
 * The list a node sets as `replaceTriggeredBy`: the property (`lifecycle: { replaceTriggeredBy: [...] }`), or an
 * assignment to it (`lc.replaceTriggeredBy = [...]`, on a lifecycle const set after its declaration).
 */
function triggerList(sf: ts.SourceFile, n: ts.Node): ts.Expression | undefined {
  if (ts.isPropertyAssignment(n) && n.name.getText(sf).replace(/['"`]/g, '') === 'replaceTriggeredBy') return n.initializer;
  const K = ts.SyntaxKind;
  if (!ts.isBinaryExpression(n) || n.operatorToken.kind < K.FirstAssignment || n.operatorToken.kind > K.LastAssignment) return undefined;
  const left = unwrap(n.left);
  return ts.isPropertyAccessExpression(left) && left.name.text === 'replaceTriggeredBy' ? n.right : undefined;
}

/** Whether a node is (the initializer of) a const the file changes after its declaration: a list named, or an object literal held. */
function changedConst(n: ts.Node): boolean {
  if (ts.isIdentifier(n)) {
    const d = declarationOf(n);
    return d !== undefined && d !== 'other' && mutationOf(d) !== undefined;
  }
  if (!ts.isObjectLiteralExpression(n)) return false;
  let p: ts.Node = n.parent;
  while (p && ts.isExpression(p) && unwrap(p as ts.Expression) === n) p = p.parent;
  return p !== undefined && ts.isVariableDeclaration(p) && mutationOf(p) !== undefined;
}

/** The `new X(scope, 'id', { ..., lifecycle: { replaceTriggeredBy } })` the property is written in, if any. */
function holderOf(n: ts.Node): ts.NewExpression | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isNewExpression(p)) return p;
  return undefined;
}

function describe(sf: ts.SourceFile, n: ts.NewExpression): string {
  const id = n.arguments?.[1] ? stringValue(n.arguments[1]) : undefined;
  return `${n.expression.getText(sf)}${id !== undefined ? ` '${id}'` : ''}`;
}

/** The list's entries: an array literal's elements (a const array of the file followed), else the expression itself. */
function entries(e: ts.Expression): ts.Expression[] {
  let v = unwrap(e);
  if (ts.isIdentifier(v)) {
    const init = constInitializer(declarationOf(v));
    if (init && ts.isArrayLiteralExpression(unwrap(init))) v = unwrap(init);
  }
  return ts.isArrayLiteralExpression(v) ? [...v.elements] : [e];
}

/** What an entry makes of a fix of `t`: replaced (whole, fqn, an edited attribute), unchanged, or unread (mentions it otherwise). */
function reads(sf: ts.SourceFile, e: ts.Expression, t: TsTable): 'replaced' | 'unchanged' | 'unread' {
  const name = boundName(t);
  const text = e.getText(sf).replace(/\s+/g, '');
  const literal = stringValue(e);
  if (literal !== undefined) {
    const id = t.idNode ? stringValue(t.idNode) : undefined;
    const m = /^aws_dynamodb_table\.([\w-]+)(?:\[[^\]]*\])?((?:\.[A-Za-z_][\w-]*|\[[^\]]*\])*)$/.exec(literal.trim());
    if (!m || id === undefined || m[1] !== id) return 'unchanged';
    const root = /^\.([A-Za-z_][\w-]*)/.exec(m[2])?.[1];
    return root === undefined || EDITED_TF.includes(root) ? 'replaced' : 'unchanged';
  }
  if (name === undefined || !mentions(text, name)) return 'unchanged';
  if (text === name || text === `${name}.fqn`) return 'replaced';
  const attr = new RegExp(`^${name.replace(/[$.]/g, '\\$&')}\\.([A-Za-z_$][\\w$]*)`).exec(text);
  if (attr && /^[\w$.]+$/.test(text)) return EDITED.includes(attr[1]) ? 'replaced' : 'unchanged';
  return 'unread';
}
