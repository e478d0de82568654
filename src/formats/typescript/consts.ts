/**
 * Props held in a `const` object literal of the same file (`const props = {...}; new Table(this, 'T',
 * props)`, or spread: `{ ...base, partitionKey }`): which declaration a name refers to, by syntax
 * alone (the innermost block, function or loop around the use that declares it), and every use of it.
 * Only a `const` whose initializer is an object literal (through parentheses, `as`, `satisfies`) is
 * followed; a `let`, a parameter, an import or a call is not (its value may change or is not seen).
 */
import { ts, unwrap } from './parse.js';

export interface ConstObject {
  name: string;
  decl: ts.VariableDeclaration;
  statement: ts.VariableStatement;
  literal: ts.ObjectLiteralExpression;
}

function bindsName(name: ts.BindingName, text: string): boolean {
  if (ts.isIdentifier(name)) return name.text === text;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, text));
}

/** What a statement of a block declares under `text`: a variable declaration, or another kind of binding (`other`). */
function declaredIn(st: ts.Statement, text: string): ts.VariableDeclaration | 'other' | undefined {
  if (ts.isVariableStatement(st)) {
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === text) return d;
      if (!ts.isIdentifier(d.name) && bindsName(d.name, text)) return 'other';
    }
    return undefined;
  }
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name?.text === text) return 'other';
  if (ts.isImportEqualsDeclaration(st) && st.name.text === text) return 'other';
  if (ts.isImportDeclaration(st) && st.importClause) {
    const c = st.importClause;
    if (c.name?.text === text) return 'other';
    const nb = c.namedBindings;
    if (nb && ts.isNamespaceImport(nb) && nb.name.text === text) return 'other';
    if (nb && ts.isNamedImports(nb) && nb.elements.some((e) => e.name.text === text)) return 'other';
  }
  return undefined;
}

/** The declaration `id` refers to, when it is a variable declared in a block around it; `other` for any other binding. */
export function declarationOf(id: ts.Identifier): ts.VariableDeclaration | 'other' | undefined {
  const text = id.text;
  for (let cur: ts.Node = id; cur.parent; cur = cur.parent) {
    const p: ts.Node = cur.parent;
    if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) {
      for (const st of p.statements) {
        const d = declaredIn(st, text);
        if (d) return d;
      }
    }
    if (ts.isCaseBlock(p)) {
      for (const c of p.clauses) for (const st of c.statements) if (declaredIn(st, text)) return declaredIn(st, text);
    }
    if (ts.isFunctionLike(p) && p.parameters.some((x) => bindsName(x.name, text))) return 'other';
    if (ts.isCatchClause(p) && p.variableDeclaration && bindsName(p.variableDeclaration.name, text)) return 'other';
    if (
      (ts.isForStatement(p) || ts.isForOfStatement(p) || ts.isForInStatement(p)) &&
      p.initializer &&
      ts.isVariableDeclarationList(p.initializer) &&
      p.initializer.declarations.some((d) => bindsName(d.name, text))
    )
      return 'other';
    if ((ts.isFunctionExpression(p) || ts.isClassExpression(p)) && p.name?.text === text) return 'other';
  }
  return undefined;
}

/** The initializer of a declaration declarationOf found, when it is a `const` that has one. */
export function constInitializer(d: ts.VariableDeclaration | 'other' | undefined): ts.Expression | undefined {
  if (!d || d === 'other' || !d.initializer) return undefined;
  const list = d.parent;
  return ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const ? d.initializer : undefined;
}

/** The `const` object literal an expression names, if it names one of this file. */
export function constObjectOf(e: ts.Expression): ConstObject | undefined {
  const u = unwrap(e);
  if (!ts.isIdentifier(u)) return undefined;
  const d = declarationOf(u);
  const init = constInitializer(d);
  const statement = init && (d as ts.VariableDeclaration).parent.parent;
  if (!init || !statement || !ts.isVariableStatement(statement)) return undefined;
  const literal = unwrap(init);
  if (!ts.isObjectLiteralExpression(literal)) return undefined;
  return { name: u.text, decl: d as ts.VariableDeclaration, statement, literal };
}

/** Every use of the const (its name, where it refers to this declaration), the declaration itself aside. */
export function usesOf(c: ConstObject): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === c.name && n !== c.decl.name && isReference(n) && declarationOf(n) === c.decl) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(c.statement.getSourceFile());
  return out;
}

function isReference(n: ts.Identifier): boolean {
  const p = n.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) && (p as ts.PropertyAccessExpression).name === n) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)) && p.name === n)
    return false;
  if (ts.isBindingElement(p) && p.propertyName === n) return false;
  // `{ props }` is a use; a type reference is not a value.
  if (ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p)) return false;
  return true;
}
