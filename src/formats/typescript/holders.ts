/** What holds a table a `new` expression creates (declaredName): a variable, or a property of `this` (holderName). */
import { ts, unwrap } from './parse.js';

/**
 * What holds the table a `new` expression creates: the variable it initializes (`const orders = new
 * Table(...)`: `orders`) or the property of `this` it is assigned to (`this.orders = new ...`: `this.orders`).
 */
export function declaredName(node: ts.Node): string | undefined {
  let cur = node.parent;
  while (cur && (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur))) cur = cur.parent;
  if (cur && ts.isVariableDeclaration(cur) && ts.isIdentifier(cur.name)) return cur.name.text;
  if (cur && ts.isBinaryExpression(cur) && cur.operatorToken.kind === ts.SyntaxKind.EqualsToken) return holderName(cur.left);
  return undefined;
}

/** `orders` or `this.orders` as written, else undefined. */
export function holderName(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (ts.isIdentifier(u)) return u.text;
  if (ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${u.name.text}`;
  return undefined;
}
