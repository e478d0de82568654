/**
 * The table a statement past its props names: `orders` or `this.orders` (the variable or field that
 * holds it), or its CloudFormation resource (`orders.node.defaultChild`, a const holding it, or a
 * `CfnTable` itself). Used by the Metadata suppressions (metadata.ts) and the conditions (conditions.ts)
 * an AWS CDK app writes on a table's resource.
 */
import { constInitializer, declarationOf } from './consts.js';
import type { TsTable } from './tableTypes.js';
import { classOfThis, stringValue, ts, unwrap } from './parse.js';

/** What holds a table: the declaration of `const orders = new Table(...)`, or `this.orders` for `this.orders = new Table(...)`. */
function holderOf(t: TsTable): ts.VariableDeclaration | string | undefined {
  let cur = t.node.parent;
  while (cur && (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur))) cur = cur.parent;
  if (cur && ts.isVariableDeclaration(cur)) return cur;
  if (cur && ts.isBinaryExpression(cur) && cur.operatorToken.kind === ts.SyntaxKind.EqualsToken) return unwrap(cur.left).getText();
  return undefined;
}

/** The table a name (`orders`, `this.orders`) holds. */
export function named(e: ts.Expression, tables: TsTable[]): TsTable | undefined {
  const u = unwrap(e);
  if (ts.isIdentifier(u)) {
    const d = declarationOf(u);
    return d && d !== 'other' ? tables.find((t) => holderOf(t) === d) : undefined;
  }
  // `this.orders` of the class that assigns the table to it (another class's `this.orders` is another object: a bucket).
  if (ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = classOfThis(u);
    return tables.find((t) => holderOf(t) === u.getText() && classOfThis(t.node) === cls);
  }
  return undefined;
}

/** The table whose CloudFormation resource `receiver` is: `orders.node.defaultChild`, a CfnTable, or a const holding either. */
export function resourceOf(receiver: ts.Expression, tables: TsTable[]): TsTable | undefined {
  let e = unwrap(receiver);
  if (ts.isIdentifier(e)) {
    const constInit = constInitializer(declarationOf(e));
    if (constInit) {
      const init = unwrap(constInit);
      const own = tables.find((t) => t.node === init);
      if (own) return own.kind === 'CfnTable' || own.kind === 'CfnGlobalTable' ? own : undefined;
      e = init;
    }
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'defaultChild') {
    const node = unwrap(e.expression);
    return ts.isPropertyAccessExpression(node) && node.name.text === 'node' ? named(node.expression, tables) : undefined;
  }
  // `orders.node.findChild('Resource')`: the child a Table or TableV2 creates its CfnTable as.
  if (ts.isCallExpression(e) && stringValue(e.arguments[0]) === 'Resource') {
    const callee = unwrap(e.expression);
    const node = ts.isPropertyAccessExpression(callee) && callee.name.text === 'findChild' ? unwrap(callee.expression) : undefined;
    return node && ts.isPropertyAccessExpression(node) && node.name.text === 'node' ? named(node.expression, tables) : undefined;
  }
  const t = named(e, tables);
  return t && (t.kind === 'CfnTable' || t.kind === 'CfnGlobalTable') ? t : undefined;
}
