/**
 * Where a generated key's alias goes (src/formats/typescript/fix.ts `alias`), read by detection too: a
 * table the program never names (`this.tables.push(new Table(...))`) gets its key and no alias, and its
 * report says so (EncryptionFacts.cautions `no-alias`), instead of the fix leaving it out silently.
 */
import { lineEndOf } from '../../core/text.js';
import type { TsTable } from './tableTypes.js';
import { statementEnd, ts, unwrap } from './parse.js';

/**
 * The expression naming the table in code, or how to bind it to a new `const` (for its alias): at the
 * statement's start, or, for `return new Table(...)` (a table made in a callback: `names.map((n) => {
 * return new aws.dynamodb.Table(...); })`), in place of its `return`, which then follows the alias.
 */
export function tableRefOf(t: TsTable): { expr: string } | { bindAt: number; returnEnd?: number } | undefined {
  const st = t.statement!;
  const sf = st.getSourceFile();
  if (ts.isReturnStatement(st) && st.expression && unwrap(st.expression) === t.node) {
    const start = st.getStart(sf);
    return { bindAt: start, returnEnd: start + 'return'.length };
  }
  if (ts.isVariableStatement(st)) {
    const d = st.declarationList.declarations.find((x) => x.initializer && unwrap(x.initializer) === t.node);
    return d && ts.isIdentifier(d.name) ? { expr: d.name.text } : undefined;
  }
  if (!ts.isExpressionStatement(st)) return undefined;
  const e = unwrap(st.expression);
  if (e === t.node) return { bindAt: st.getStart(sf) };
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && unwrap(e.right) === t.node) {
    const target = e.left.getText(sf);
    if (/^(this|[A-Za-z_$][\w$]*)(\.[A-Za-z_$][\w$]*)*$/.test(target)) return { expr: target };
  }
  return undefined;
}

export interface AliasPlace {
  ref: { expr: string } | { bindAt: number; returnEnd?: number };
  /** Nothing but a comment after the table's statement on its line: the alias goes on a line of its own. */
  endsLine: boolean;
  /** `return new Table(...)`: bound to a `const`, its alias, then `return <const>`. */
  returned: boolean;
}

/** Where the alias of table `t`'s generated key goes, or undefined: nothing names the table, and the fix writes no alias. */
export function aliasPlaceOf(t: TsTable, text: string): AliasPlace | undefined {
  if (!t.statement) return undefined;
  const ref = tableRefOf(t);
  if (!ref) return undefined;
  const end = statementEnd(t.statement, text);
  const endsLine = /^[ \t]*(\/\/.*|\/\*.*\*\/[ \t]*)?$/.test(text.slice(end, lineEndOf(text, end)));
  const returned = !('expr' in ref) && ref.returnEnd !== undefined;
  // A returned table with more code after it on its line: binding it would move that code.
  if (returned && !endsLine) return undefined;
  return { ref, endsLine, returned };
}
