/**
 * Where a table's key can go: the statement to declare it before, or why there is none (anchorOf: an unbraced body, a
 * conditional, an expression body, a class field), a scope the key's construct can repeat (PLAIN_SCOPE), and why the
 * `const` holding a table's props cannot change for that table alone (heldProblem).
 */
import type { LineIndex } from '../../core/text.js';
import type { Placement } from '../../rule/facts.js';
import { type ConstObject, declarationOf, usesOf } from './consts.js';
import { ts, unwrap } from './parse.js';
import { functionOf } from './scopes.js';
import { TABLE_CLASSES } from './tableClasses.js';

export const PLAIN_SCOPE = /^(this|[A-Za-z_$][\w$]*)(\.[A-Za-z_$][\w$]*)*$/;

const SHORT_CIRCUIT = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** The statement to declare the key before, or why there is none. */
export function anchorOf(node: ts.Node): { statement?: ts.Statement; where?: Placement } {
  let cur: ts.Node = node;
  while (cur.parent) {
    const p: ts.Node = cur.parent;
    if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) {
      return { statement: cur as ts.Statement };
    }
    if (ts.isIfStatement(p) || ts.isIterationStatement(p, false) || ts.isLabeledStatement(p)) {
      return { where: 'unbraced-body' };
    }
    if (ts.isConditionalExpression(p) && cur !== p.condition) {
      return { where: 'conditional' };
    }
    // The right of `??`, `||`, `&&` (and `??=`, `||=`, `&&=`) runs only as the left decides: `props.table ?? new Table(...)`
    // creates no table when the caller gives one (guiyom-e/cdk-dynamodb-migration), and a key before the statement would stay unused.
    if (ts.isBinaryExpression(p) && cur === p.right && SHORT_CIRCUIT.has(p.operatorToken.kind)) {
      return { where: 'conditional' };
    }
    if (ts.isFunctionLike(p)) return { where: 'expression-body' };
    if (ts.isPropertyDeclaration(p) || ts.isClassLike(p)) {
      return { where: 'class-field' };
    }
    cur = p;
  }
  return { where: 'nowhere' };
}

/** Is this use of a const the props argument of the table `node`? */
const isPropsOf = (u: ts.Identifier, node: ts.NewExpression | ts.CallExpression) => (node.arguments ?? []).some((a) => unwrap(a) === u);
/** Is this use of a const the props argument of some table (`sym`: the detection's symbols)? */
const isTableProps = (u: ts.Identifier, sym: (e: ts.Expression) => string | undefined) => {
  let cur: ts.Node = u;
  while (cur.parent && ts.isExpression(cur.parent) && unwrap(cur.parent as ts.Expression) === u) cur = cur.parent;
  const p = cur.parent;
  return !!p && ts.isNewExpression(p) && !!TABLE_CLASSES[sym(p.expression) ?? ''];
};

/**
 * Why the `const` that holds a table's props cannot change for this table alone, or undefined when
 * it can: other uses would see the change, or the key cannot be declared before the const (the
 * props refer to the key, so it must exist when the const is evaluated).
 */
export const heldProblem = (
  sf: ts.SourceFile,
  lines: LineIndex,
  sym: (e: ts.Expression) => string | undefined,
  held: ConstObject,
  node: ts.NewExpression | ts.CallExpression,
  statement: ts.Statement | undefined,
  scope: ts.Expression | undefined,
): string | undefined => {
  const at = (n: ts.Node) => `line ${lines.position(n.getStart(sf)).line}`;
  const others = usesOf(held).filter((u) => !isPropsOf(u, node));
  if (others.length > 0) {
    const tables = others.filter((u) => isTableProps(u, sym)).length;
    const where = others.map(at).join(', ');
    return tables === others.length
      ? `shared with ${tables === 1 ? 'another table' : `${tables} other tables`} (${where})`
      : `also used elsewhere (${where})`;
  }
  if (!statement || functionOf(held.statement) !== functionOf(statement))
    return `declared at ${at(held.statement)}, outside the function that creates the table`;
  for (let cur: ts.Node | undefined = statement.parent; cur && cur !== held.statement.parent; cur = cur.parent) {
    if (ts.isIterationStatement(cur, false)) return `declared at ${at(held.statement)}, outside the loop that creates the table`;
  }
  // The scope argument must exist where the key goes: before the const.
  const scopeDecl = scope && ts.isIdentifier(scope) ? declarationOf(scope) : undefined;
  if (scope && ts.isIdentifier(scope) && scopeDecl && scopeDecl !== 'other' && held.statement.pos < scopeDecl.pos) {
    return `declared at ${at(held.statement)}, before the table's scope ${scope.text}`;
  }
  return undefined;
};
