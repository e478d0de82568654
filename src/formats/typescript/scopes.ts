/**
 * Scopes: where a declaration shared by several tables goes (the lookups of the account, Region and
 * partition; a key imported by ARN), and which declarations a scope already has that the fix can
 * reuse instead of adding a second one. Syntax only: a name is visible at a point when a declaration
 * of it comes earlier in the same block or in a block around it, or is a parameter of a function
 * around it.
 */
import { ts, unwrap } from './parse.js';

export type Container = ts.SourceFile | ts.Block | ts.ModuleBlock | ts.CaseClause | ts.DefaultClause;

function isContainer(n: ts.Node): n is Container {
  return ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n);
}

/** The function (or the file) whose body holds `n`: declarations are never moved out of it. */
export function functionOf(n: ts.Node): ts.Node {
  for (let cur = n.parent; cur; cur = cur.parent)
    if (ts.isFunctionLike(cur) || ts.isClassStaticBlockDeclaration(cur) || ts.isSourceFile(cur)) return cur;
  return n.getSourceFile();
}

function containersOf(n: ts.Node): Container[] {
  const out: Container[] = [];
  for (let cur = n.parent; cur; cur = cur.parent) if (isContainer(cur)) out.push(cur);
  return out;
}

/**
 * Where to declare what `statements` (in one function) share: in the innermost block holding them
 * all, moved out of any loop of that function (a construct created once per iteration would repeat
 * its id), before the statement of that block that holds the first of them.
 */
export function sharedAnchor(statements: ts.Statement[]): { container: Container; statement: ts.Statement } {
  const fn = functionOf(statements[0]);
  const chains = statements.map((s) => [s as ts.Node, ...containersOf(s)]);
  let container = chains[0].slice(1).find((c) => chains.every((ch) => ch.includes(c))) as Container;
  for (let cur: ts.Node | undefined = container; cur && cur !== fn; cur = cur.parent) {
    if (ts.isIterationStatement(cur, false)) {
      const outer = containersOf(cur)[0];
      if (outer) container = outer;
    }
  }
  const first = [...statements].sort((a, b) => a.pos - b.pos)[0];
  let st: ts.Node = first;
  while (st.parent !== container) st = st.parent;
  return { container, statement: st as ts.Statement };
}

/** Is `name` declared (variable, parameter, function, class, import) where code at `at` in `container` sees it? */
export function visibleAt(name: string, container: Container, at: number): boolean {
  for (let cur: ts.Node | undefined = container; cur; cur = cur.parent) {
    if (isContainer(cur)) {
      for (const st of (cur as Container).statements) {
        if (st.pos >= at && !ts.isFunctionDeclaration(st) && !ts.isImportDeclaration(st) && !ts.isImportEqualsDeclaration(st)) continue;
        if (declares(st, name)) return true;
      }
    }
    if (ts.isFunctionLike(cur) && cur.parameters.some((p) => binds(p.name, name))) return true;
    if (
      (ts.isForStatement(cur) || ts.isForOfStatement(cur) || ts.isForInStatement(cur)) &&
      cur.initializer &&
      ts.isVariableDeclarationList(cur.initializer)
    ) {
      if (cur.initializer.declarations.some((d) => binds(d.name, name))) return true;
    }
  }
  return false;
}

/** Whether a declaration's name binds `name`: an identifier, or one inside a destructuring (`[name, provider]`, `{ name }`). */
function binds(b: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(b)) return b.text === name;
  return b.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name, name));
}

function declares(st: ts.Statement, name: string): boolean {
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.some((d) => binds(d.name, name));
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) return st.name.text === name;
  if (ts.isImportEqualsDeclaration(st)) return !st.isTypeOnly && st.name.text === name;
  if (ts.isImportDeclaration(st)) {
    const c = st.importClause;
    if (!c || c.isTypeOnly) return false;
    if (c.name?.text === name) return true;
    const nb = c.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) return nb.name.text === name;
    return !!nb && nb.elements.some((e) => e.name.text === name);
  }
  return false;
}

/** The names an expression such as `this.stack`, `usWest` or `{ parent: this }` needs in scope (`this` aside). */
export function freeNames(e: ts.Node): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const member = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!member) out.push(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return out;
}

/** `const <name> = <init>` declarations seen at `at` in `container`, innermost block first. */
export function constsVisibleAt(container: Container, at: number): { name: string; init: ts.Expression }[] {
  const out: { name: string; init: ts.Expression }[] = [];
  for (let cur: ts.Node | undefined = container; cur; cur = cur.parent) {
    if (!isContainer(cur)) continue;
    for (const st of (cur as Container).statements) {
      if (st.pos >= at || !ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer) out.push({ name: d.name.text, init: unwrap(d.initializer) });
      }
    }
  }
  return out;
}
