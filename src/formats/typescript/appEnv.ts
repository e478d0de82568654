/**
 * Does a CDK app give any of its stacks an env? A TableV2 whose file does not show its stack (the table
 * is in a Construct class of the project that a stack class of another file creates, or in a stack
 * that a Construct creates) is Region-agnostic when no stack of the app can have a Region: CDK then
 * cannot render `TableEncryptionV2.customerManagedKey` and the fix would not synthesize (real code:
 * a `DynamoDB` construct of the project wrapping a TableV2, under `cdk init`'s entry with its `env`
 * lines commented out).
 *
 * A stack has a Region only through an `env` its props (or its Stage's) give. So the app gives none
 * when, in the entry and every file it imports or re-exports (relative modules, followed to MAX_FILES files,
 * the table's file among them): `env` is written as no property (`env: {...}`, `{ env }`, `props.env`; a
 * variable named env, a stage name, is not one), no class extends a class of a package other than
 * aws-cdk-lib and constructs or one a call makes (a base class of an organisation's package may set an
 * env), no value of such a package is given to a construct or a function (it may be a Stage with a
 * Region), nothing is `declare`d, and every stack, Stage or class of the project is created in a scope the
 * files show (`this`, a parameter, a variable holding a `new` of the App, a Stack, a Stage or a project
 * class) with props that can be read: none, an object literal whose spreads are a constructor's props
 * parameter, or that parameter itself (a JSON configuration, a context value or a call could hold an env).
 * Anything else, an import that does not resolve to a file of the project: not known (the table stays
 * fixable, as before).
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { Binding } from './imports.js';
import { ts, unwrap } from './parse.js';
import { initializerOf, type Src } from './stackRegion.js';

/** An entry file or a file it imports, parsed, with its imports. */
export type Program = Src & { imports: Binding[] };

/** How many files of the project the reading follows from the entry. */
const MAX_FILES = 40;

/** A source file's extension, as an import may leave it out (`../lib/stack`, `../lib/stack.js` for stack.ts). */
export const EXTENSION = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/i;

/** Packages whose classes set no env of their own. */
const CDK_PACKAGE = /^(?:aws-cdk-lib(?:\/[^#]*)?|constructs)#/;
const STACK_OR_STAGE = new Set(['aws-cdk-lib#Stack', 'aws-cdk-lib#Stage']);

/** Each entry's answer (the paths of the app's files when it gives no stack an env, else null), once per run and thread. */
const answers = new WeakMap<SourceFile, Promise<Set<string> | null>>();

/** True when the CDK app of `entry` gives no stack an env, and `table` is one of its files. */
export async function appGivesNoEnv(
  entry: SourceFile,
  table: SourceFile,
  context: DiskContext,
  programOf: (f: SourceFile) => Program | null,
): Promise<boolean> {
  let files = answers.get(entry);
  if (!files) answers.set(entry, (files = filesWithoutEnv(entry, context, programOf)));
  return (await files)?.has(table.absPath) ?? false;
}

/** The paths of the app's files (the entry and what it imports or re-exports) when none gives a stack an env; null otherwise. */
async function filesWithoutEnv(
  entry: SourceFile,
  context: DiskContext,
  programOf: (f: SourceFile) => Program | null,
): Promise<Set<string> | null> {
  const seen = new Map<string, SourceFile>([[entry.absPath, entry]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const program = programOf(file);
    if (!program || !readable(program)) return null;
    for (const module of new Set([...program.imports.map((b) => b.module), ...reExports(program.sf)])) {
      if (!module.startsWith('./') && !module.startsWith('../')) continue;
      // A JSON configuration read as props is caught where the props are given (not a literal).
      if (/\.json$/i.test(module)) continue;
      const target = await resolve(file, module, context);
      if (!target) return null;
      if (seen.has(target.absPath)) continue;
      if (seen.size >= MAX_FILES) return null;
      seen.set(target.absPath, target);
      queue.push(target);
    }
  }
  return new Set(seen.keys());
}

/** The file of the project a relative import names (`./stack`, `./stack.js`, `../lib` for lib/index.ts; also boundaries.ts). */
export async function resolve(from: SourceFile, module: string, context: DiskContext): Promise<SourceFile | undefined> {
  const wanted = path.resolve(path.dirname(from.absPath), module).replace(EXTENSION, '');
  const byPath = (files: SourceFile[] | undefined, p: string) =>
    files?.find((f) => f.absPath.replace(EXTENSION, '') === p && !/\.d\.ts$/i.test(f.absPath));
  const asFile = byPath(await context.folder(from, path.posix.dirname(module)), wanted);
  return asFile ?? byPath(await context.folder(from, module.replace(EXTENSION, '')), path.join(wanted, 'index'));
}

/**
 * The file writes no env property, extends no other package's class (nor a mixin's), gives no other package's
 * value to a construct or a function, declares nothing, and creates every stack in a scope it shows with props
 * that can be read.
 */
function readable(p: Program): boolean {
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n) && n.text === 'env' && isPropertyName(n)) ok = false;
    else if (
      ts.isStringLiteral(n) &&
      n.text === 'env' &&
      (ts.isPropertyAssignment(n.parent) || n.parent.kind === ts.SyntaxKind.ElementAccessExpression)
    )
      ok = false;
    else if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) {
      const base = n.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      // A base of another package may set an env; one made by a call (a mixin) is not read.
      if (base && (fromOtherPackage(p, base) || (!ts.isIdentifier(base) && !ts.isPropertyAccessExpression(base)))) ok = false;
    } else if (ts.isVariableStatement(n) && n.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) ok = false;
    else if (ts.isNewExpression(n) || ts.isCallExpression(n)) {
      const args = n.arguments ?? [];
      // A value of another package given to a construct or a function may be a Stage with a Region.
      if (args.some((a) => fromOtherPackage(p, unwrap(a)))) ok = false;
      else if (ts.isNewExpression(n) ? created(p, n.expression) : n.expression.kind === ts.SyntaxKind.SuperKeyword)
        ok = args.slice(2).every((a) => plainProps(a)) && (!ts.isNewExpression(n) || knownScope(p, args[0]));
    }
    if (ok) ts.forEachChild(n, visit);
  };
  visit(p.sf);
  return ok;
}

/** A name (or a member of one) imported from a package other than aws-cdk-lib and constructs. */
function fromOtherPackage(p: Program, e: ts.Expression): boolean {
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return false;
  const id = p.sym(e);
  return !!id && !id.startsWith('.') && !CDK_PACKAGE.test(id);
}

/**
 * `env` where it may be a stack's or Stage's env: a property written (`env: {...}`, `{ env }`, a class's field),
 * read (`props.env`, not `process.env`) or destructured (`{ env } = props`). A variable named env (a stage
 * name, `import { env } from 'node:process'`) is not.
 */
function isPropertyName(n: ts.Identifier): boolean {
  const parent = n.parent;
  if (ts.isPropertyAccessExpression(parent))
    return parent.name === n && !(ts.isIdentifier(parent.expression) && parent.expression.text === 'process');
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent)) return parent.name === n;
  if (ts.isBindingElement(parent)) return parent.propertyName === n || (!parent.propertyName && ts.isObjectBindingPattern(parent.parent));
  return false;
}

/** Re-exports of the file (`export * from './stack'`, `export { ApiStack } from './api-stack'`, a barrel's): followed as imports are. */
function reExports(sf: ts.SourceFile): string[] {
  return sf.statements.flatMap((s) =>
    ts.isExportDeclaration(s) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? [s.moduleSpecifier.text] : [],
  );
}

/**
 * The scope a stack or project class is created in, when it cannot be a Stage with a Region the files do not
 * show: `this`, none, a parameter, or a variable of the file holding a `new` of aws-cdk-lib's App, Stack or
 * Stage or of a project class (a Stage of another package held in a variable, or made by a call, may have one).
 */
function knownScope(p: Program, arg: ts.Expression | undefined): boolean {
  if (!arg) return true;
  const a = unwrap(arg);
  if (a.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (!ts.isIdentifier(a)) return false;
  const init = initializerOf(a, a.text);
  if (!init) return isParameter(a);
  return ts.isNewExpression(init) && (created(p, init.expression) || p.sym(init.expression) === 'aws-cdk-lib#App');
}

/** A parameter of a function around `id` bears its name. */
function isParameter(id: ts.Identifier): boolean {
  for (let cur: ts.Node | undefined = id.parent; cur; cur = cur.parent)
    if (ts.isFunctionLike(cur) && cur.parameters.some((q) => ts.isIdentifier(q.name) && q.name.text === id.text)) return true;
  return false;
}

/** A class a `new` may make a stack of: aws-cdk-lib's Stack or Stage, or a class of the project. */
function created(p: Program, callee: ts.Expression): boolean {
  const id = p.sym(callee);
  if (id) return id.startsWith('.') || STACK_OR_STAGE.has(id);
  const name = ts.isIdentifier(callee) ? callee.text : undefined;
  return !!name && p.sf.statements.some((s) => ts.isClassDeclaration(s) && s.name?.text === name);
}

/** Props that carry no env the file does not show: none, a constructor's props parameter, or a literal spreading only that. */
function plainProps(arg: ts.Expression): boolean {
  const a = unwrap(arg);
  if (ts.isIdentifier(a)) return isPropsParameter(a);
  if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return true;
  if (!ts.isObjectLiteralExpression(a)) return false;
  return a.properties.every((x) => !ts.isSpreadAssignment(x) || (ts.isIdentifier(x.expression) && isPropsParameter(x.expression)));
}

/** The third parameter (a construct's props) of the constructor around `id`. */
function isPropsParameter(id: ts.Identifier): boolean {
  for (let cur: ts.Node | undefined = id.parent; cur; cur = cur.parent) {
    if (ts.isConstructorDeclaration(cur)) {
      const name = cur.parameters[2]?.name;
      return !!name && ts.isIdentifier(name) && name.text === id.text;
    }
    if (ts.isFunctionLike(cur)) return false;
  }
  return false;
}
