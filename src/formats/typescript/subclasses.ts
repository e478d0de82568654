/** The file's classes that extend another class (subclasses), for the tables a subclass of a table class creates (detect.ts). */
import { ts, unwrap } from './parse.js';

/**
 * The file's top-level classes that extend another class (`class X extends Table`, or a class expression a `const`
 * holds: `const X = class extends Table {}`), with their constructor's `super(...)` call, or none for a class without
 * a constructor (its `new`s give their arguments to the base's).
 */
export function subclasses(sf: ts.SourceFile): { name: string; base: ts.Expression; call?: ts.CallExpression }[] {
  const out: { name: string; base: ts.Expression; call?: ts.CallExpression }[] = [];
  const classes = sf.statements.flatMap((n): { name: string; cls: ts.ClassDeclaration | ts.ClassExpression }[] => {
    if (ts.isClassDeclaration(n)) return n.name ? [{ name: n.name.text, cls: n }] : [];
    if (!ts.isVariableStatement(n)) return [];
    return n.declarationList.declarations.flatMap((d) => {
      const init = d.initializer && unwrap(d.initializer);
      return ts.isIdentifier(d.name) && init?.kind === ts.SyntaxKind.ClassExpression
        ? [{ name: d.name.text, cls: init as ts.ClassExpression }]
        : [];
    });
  });
  for (const { name, cls } of classes) {
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!base) continue;
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    if (!ctor) {
      out.push({ name, base });
      continue;
    }
    const call = ctor.body?.statements
      .map((st) => (ts.isExpressionStatement(st) ? unwrap(st.expression) : undefined))
      .find((e): e is ts.CallExpression => !!e && ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.SuperKeyword);
    if (call) out.push({ name, base, call });
  }
  return out;
}
