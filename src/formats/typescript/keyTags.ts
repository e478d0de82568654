/**
 * The tags a CDK for Terraform or Pulumi table's generated key takes from the table (README, "What a fix writes"):
 * its `tags` as written, so that an SCP requiring `aws:RequestTag/...` on kms:CreateKey, cost allocation and ABAC see
 * the key as they see the table (cloudformation/keyTags.ts and terraform/keyTags.ts do the same for their families).
 * Copied only where the text means the same at the key's declaration: every name it reads is declared before it (a
 * table's parameter, a loop's variable, a `const` after it, the table itself are not), and `this` only in the same
 * function. keys.ts merges it with `key: tags`, which win on a tag key both name.
 */
import { raw, type Code } from './code.js';
import { literalChangeReaching } from './mutatedConsts.js';
import { ts, unwrap } from './parse.js';
import { type Container, freeNames, functionOf, visibleAt } from './scopes.js';

/** A table's tags as its key takes them: an object's entries one by one, or an expression whole. */
export type TableTags = { entries: [string, Code][] } | { whole: Code };

/** Where the key is declared: before `statement`. */
export interface KeyAnchor {
  statement: ts.Statement;
}

/**
 * The `tags` of a table's props (`tags: {...}`, `{ tags }`), when written in them, and not changed after (props in a
 * `const` the file changes there: `args.tags.stage = 'prod'`, mutatedConsts.ts).
 */
function tagsExpression(props: ts.ObjectLiteralExpression | undefined): ts.Expression | undefined {
  if (props && literalChangeReaching(props, ['tags'])) return undefined;
  let found: ts.Expression | undefined;
  for (const p of props?.properties ?? []) {
    // A spread after `tags` may replace it: what the table gets is then not read.
    if (ts.isSpreadAssignment(p)) {
      if (found) return undefined;
      continue;
    }
    if (!p.name || ts.isComputedPropertyName(p.name) || !('text' in p.name) || p.name.text !== 'tags') continue;
    if (ts.isPropertyAssignment(p)) found = p.initializer;
    else if (ts.isShorthandPropertyAssignment(p)) found = p.name;
    else return undefined;
  }
  return found;
}

function usesThis(e: ts.Node): boolean {
  return e.kind === ts.SyntaxKind.ThisKeyword || (ts.forEachChild(e, (c) => usesThis(c) || undefined) ?? false);
}

/** Whether `e` reads the same values before `anchor` as where the table is written. */
function meansTheSameAt(e: ts.Expression, table: ts.Node, anchor: KeyAnchor, sf: ts.SourceFile): boolean {
  const container = anchor.statement.parent as Container;
  const at = anchor.statement.getStart(sf);
  if (!freeNames(e).every((n) => visibleAt(n, container, at))) return false;
  return !usesThis(e) || functionOf(anchor.statement) === functionOf(table);
}

/** An object literal's entries, each a property of a name and a one-line value (else undefined: copied whole). */
function entriesOf(e: ts.Expression, sf: ts.SourceFile): [string, Code][] | undefined {
  if (!ts.isObjectLiteralExpression(e)) return undefined;
  const out: [string, Code][] = [];
  for (const p of e.properties) {
    if (ts.isShorthandPropertyAssignment(p) && !p.objectAssignmentInitializer) out.push([p.name.text, raw(p.name.text)]);
    else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) {
      const v = p.initializer.getText(sf);
      if (v.includes('\n')) return undefined;
      out.push([p.name.text, raw(v)]);
    } else return undefined;
  }
  return out;
}

/**
 * The tags of the key of `tables` (one table, or all those a shared key serves), declared before `anchor`: the
 * table's own `tags`; for a shared key, theirs when every table writes the same text. Undefined: none, or none that
 * can be copied (an expression on several lines that is not an object of one-line entries, names not seen there).
 */
export function tableTagsFor(
  tables: { props?: ts.ObjectLiteralExpression; node: ts.Node }[],
  anchor: KeyAnchor,
  sf: ts.SourceFile,
): TableTags | undefined {
  const exprs = tables.map((t) => tagsExpression(t.props));
  const first = exprs[0];
  if (!first) return undefined;
  const text = (e: ts.Expression) => e.getText(sf).replace(/\s+/g, ' ');
  if (exprs.some((e) => !e || text(e) !== text(first))) return undefined;
  if (!tables.every((t, i) => meansTheSameAt(exprs[i]!, t.node, anchor, sf))) return undefined;
  const inner = unwrap(first);
  if (ts.isObjectLiteralExpression(inner) && inner.properties.length === 0) return undefined;
  const entries = entriesOf(inner, sf);
  if (entries) return { entries };
  const whole = first.getText(sf);
  return whole.includes('\n') ? undefined : { whole: raw(whole) };
}
