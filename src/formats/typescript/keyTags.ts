/**
 * The tags a CDK for Terraform or Pulumi table's generated key takes from the table (docs/typescript.md):
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

/** A CDK table's own `Tags.of(<table>).add(k, v[, props])`, as its key repeats it: the arguments, and the tag key when written as a string. */
export interface CdkTableTag {
  key?: string;
  args: Code[];
}

/**
 * What `statements` declare or assign: names (`const x`, `class X`, `x = ...`, `x++`: not yet declared, or changed,
 * for code before them) and `this` members (`this.x = ...`), as `x` and `this.x`.
 */
function assignedIn(statements: readonly ts.Statement[]): Set<string> {
  const out = new Set<string>();
  const bound = (b: ts.BindingName): void => {
    if (ts.isIdentifier(b)) out.add(b.text);
    else for (const e of b.elements) if (!ts.isOmittedExpression(e)) bound(e.name);
  };
  for (const st of statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bound(d.name);
    else if (ts.isClassDeclaration(st) && st.name) out.add(st.name.text);
  }
  const target = (e: ts.Expression) => {
    const u = unwrap(e);
    if (ts.isIdentifier(u)) out.add(u.text);
    else if (ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword) out.add(`this.${u.name.text}`);
  };
  const visit = (n: ts.Node): void => {
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    )
      target(n.left);
    else if (n.kind === ts.SyntaxKind.PrefixUnaryExpression || n.kind === ts.SyntaxKind.PostfixUnaryExpression) {
      // A postfix `x++` has the same `operator` and `operand`.
      const u = n as ts.PrefixUnaryExpression;
      if (u.operator === ts.SyntaxKind.PlusPlusToken || u.operator === ts.SyntaxKind.MinusMinusToken) target(u.operand);
    }
    ts.forEachChild(n, visit);
  };
  for (const st of statements) visit(st);
  return out;
}

/** The `this.x` members an expression reads, as `this.x`. */
function thisMembers(e: ts.Node, out: string[] = []): string[] {
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) out.push(`this.${e.name.text}`);
  ts.forEachChild(e, (c) => void thisMembers(c, out));
  return out;
}

/**
 * One table's `Tags.of(<table>).add(...)` statements, after its statement in the same block (`Tags` as the file
 * imports it from the CDK: `isTagsOf`), that its key can repeat before `anchor`: each argument on one line, every
 * name it reads declared there and not assigned since, `this` in the same function and its members not assigned
 * since, the table not read. Statements that cannot are left out (docs/limitations.md).
 */
function cdkTagCallsOf(
  t: { statement?: ts.Statement; ref?: string },
  anchor: KeyAnchor,
  sf: ts.SourceFile,
  isTagsOf: (e: ts.Expression) => boolean,
): CdkTableTag[] {
  const st = t.statement;
  if (!st || !t.ref) return [];
  const container = st.parent as Container;
  if (!('statements' in container)) return [];
  const statements = container.statements;
  const norm = (s: string) => s.replace(/\s+/g, '');
  const ref = norm(t.ref);
  const from = statements.indexOf(anchor.statement);
  const out: CdkTableTag[] = [];
  for (let i = statements.indexOf(st) + 1; i < statements.length; i++) {
    const s = statements[i];
    if (!ts.isExpressionStatement(s)) continue;
    const e = unwrap(s.expression);
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'add') continue;
    const of = unwrap(e.expression.expression);
    if (!ts.isCallExpression(of) || of.arguments.length !== 1 || !ts.isPropertyAccessExpression(of.expression)) continue;
    if (!isTagsOf(of.expression) || norm(unwrap(of.arguments[0]).getText(sf)) !== ref) continue;
    if (e.arguments.length < 2 || e.arguments.length > 3) continue;
    // The name or member the table is held in, assigned again before the call: another construct's tags.
    if (assignedIn(statements.slice(statements.indexOf(st) + 1, i)).has(ref)) break;
    const since = from >= 0 ? assignedIn(statements.slice(from, i)) : undefined;
    const repeatable = e.arguments.every((a) => {
      const text = a.getText(sf);
      if (text.includes('\n') || !since) return false;
      if (!meansTheSameAt(a, st, anchor, sf)) return false;
      return !freeNames(a).some((n) => since.has(n)) && !thisMembers(a).some((m) => since.has(m));
    });
    if (!repeatable) continue;
    const key = ts.isStringLiteral(e.arguments[0]) || ts.isNoSubstitutionTemplateLiteral(e.arguments[0]) ? e.arguments[0].text : undefined;
    out.push({ key, args: e.arguments.map((a) => raw(a.getText(sf))) });
  }
  return out;
}

/**
 * The CDK tags of the key of `tables` (one table, or all those a shared key serves), declared before `anchor`: each
 * table's `Tags.of(<table>).add(...)` statements its key can repeat (`ref`: how the code names the table, `orders`,
 * `this.orders`); for a shared key, theirs when every table has the same. CDK tags constructs, not props: fix.ts
 * writes them as `Tags.of(key).add(...)` after the key, before the key settings' tags (keys.ts cdkTags).
 */
export function cdkTableTagsFor(
  tables: { statement?: ts.Statement; ref?: string }[],
  anchor: KeyAnchor,
  sf: ts.SourceFile,
  isTagsOf: (e: ts.Expression) => boolean,
): CdkTableTag[] {
  const all = tables.map((t) => cdkTagCallsOf(t, anchor, sf, isTagsOf));
  const text = (calls: CdkTableTag[]) => JSON.stringify(calls.map((c) => c.args));
  return all.every((calls) => text(calls) === text(all[0])) ? all[0] : [];
}
