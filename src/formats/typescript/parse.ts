/** Parsing a TypeScript file with the TypeScript compiler: no Program, no type checker. */
import { saveCompilerCache, ts } from './compiler.js';
import { LineIndex, trimBack } from '../../core/text.js';
import { ParseError } from '../../core/types.js';

export { ts };

/**
 * The `new` expressions of a tree parseTypeScript gave, in source order (tables are among them), and
 * its calls with arguments (a table class may be passed to one: factories.ts), kept on the tree itself.
 * Not in a WeakMap keyed by the tree: V8's young-generation collections keep a WeakMap entry alive
 * while its key is in the old generation, and the entry held the whole tree (through its parents) from
 * one file to the next: scavenges cost 4 times more on a CDK scan.
 */
const SITES = Symbol('kmsfix.sites');
interface Sites {
  news: ts.NewExpression[];
  calls: ts.CallExpression[];
  /** The calls without arguments (`roles.apply()`): only their callees are asked for (calledNames). */
  bare: ts.CallExpression[];
  /** The writes `this.<name> <op> ...` (`=`, `??=`, `+=`...): a class's are singleValue.ts classWrites. */
  thisWrites: ts.BinaryExpression[];
}
type WithSites = ts.SourceFile & { [SITES]?: Sites };

/** `this.<name> <op> ...`, any assignment operator. */
function isThisWrite(n: ts.Node): n is ts.BinaryExpression {
  if (n.kind !== ts.SyntaxKind.BinaryExpression) return false;
  const b = n as ts.BinaryExpression;
  const op = b.operatorToken.kind;
  return (
    op >= ts.SyntaxKind.FirstAssignment &&
    op <= ts.SyntaxKind.LastAssignment &&
    b.left.kind === ts.SyntaxKind.PropertyAccessExpression &&
    (b.left as ts.PropertyAccessExpression).expression.kind === ts.SyntaxKind.ThisKeyword
  );
}

/**
 * Set every node's parent, as `createSourceFile(..., setParentNodes: true)` does, and collect the
 * `new` expressions, calls and `this.x = ...` writes on the way: one walk of the tree instead of the
 * compiler's (a queue-driven walk, about 17% of the parse) and more for the tables.
 */
function linkParents(sf: ts.SourceFile): Sites {
  const news: ts.NewExpression[] = [];
  const calls: ts.CallExpression[] = [];
  const bare: ts.CallExpression[] = [];
  const thisWrites: ts.BinaryExpression[] = [];
  const NEW = ts.SyntaxKind.NewExpression;
  const CALL = ts.SyntaxKind.CallExpression;
  const BINARY = ts.SyntaxKind.BinaryExpression;
  let parent: ts.Node = sf;
  const visit = (child: ts.Node): undefined => {
    (child as { parent: ts.Node }).parent = parent;
    if (child.kind === NEW) news.push(child as ts.NewExpression);
    else if (child.kind === CALL) ((child as ts.CallExpression).arguments.length > 0 ? calls : bare).push(child as ts.CallExpression);
    else if (child.kind === BINARY && isThisWrite(child)) thisWrites.push(child);
    const outer = parent;
    parent = child;
    ts.forEachChild(child, visit);
    parent = outer;
    return undefined;
  };
  ts.forEachChild(sf, visit);
  return { news, calls, bare, thisWrites };
}

/** The `new` expressions and calls with arguments of a tree, in source order (walked once per tree). */
function sitesOf(sf: ts.SourceFile): Sites {
  let sites = (sf as WithSites)[SITES];
  if (!sites) {
    const found: Sites = { news: [], calls: [], bare: [], thisWrites: [] };
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n)) found.news.push(n);
      else if (ts.isCallExpression(n)) (n.arguments.length > 0 ? found.calls : found.bare).push(n);
      else if (isThisWrite(n)) found.thisWrites.push(n);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    sites = (sf as WithSites)[SITES] = found;
  }
  return sites;
}

/** What holds an expression: its parent, through parentheses and type assertions. */
export function holderOf(node: ts.Node): ts.Node {
  let cur = node.parent;
  while (
    ts.isParenthesizedExpression(cur) ||
    ts.isAsExpression(cur) ||
    ts.isSatisfiesExpression(cur) ||
    cur.kind === ts.SyntaxKind.TypeAssertionExpression
  )
    cur = cur.parent;
  return cur;
}

/** The name an expression such as `dynamodb.Table` starts with; '' when it starts with anything else. */
export function rootName(e: ts.Expression): string {
  let cur = e;
  while (ts.isPropertyAccessExpression(cur)) cur = cur.expression;
  return ts.isIdentifier(cur) ? cur.text : '';
}

/** The `new` expressions of a tree, in source order. */
export const newExpressions = (sf: ts.SourceFile): ts.NewExpression[] => sitesOf(sf).news;

/** The calls of a tree that have arguments, in source order. */
export const callExpressions = (sf: ts.SourceFile): ts.CallExpression[] => sitesOf(sf).calls;

/** The writes `this.<name> <op> ...` of a tree (any assignment operator), in source order. */
export const thisWrites = (sf: ts.SourceFile): ts.BinaryExpression[] => sitesOf(sf).thisWrites;

/**
 * The names whose members a tree creates or calls: `AppRoles` of `new AppRoles(...)`, `roles` of `roles.apply(this)`
 * (cdkApp.ts importsWith). From the sites collected with the parents, not a walk of its own (a full walk of
 * each CDK table file's tree: about 4% of a dense CDK scan's profile).
 */
export function calledNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const sites = sitesOf(sf);
  for (const list of [sites.news, sites.calls, sites.bare])
    for (const n of list) {
      let callee: ts.Expression = n.expression;
      while (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
      if (ts.isIdentifier(callee)) out.add(callee.text);
    }
  return out;
}

/** A JavaScript file (a serverless.js, `.cjs`, `.mjs`, `.jsx`). */
export const isJavaScript = (path: string) => /\.(?:[cm]?js|jsx)$/i.test(path);

/**
 * How a file is parsed, by its name, as tsc does: `.tsx` and `.jsx` with JSX (a CDK or Pulumi program in
 * `.tsx` is rare, but read as `.ts` its first element is a syntax error; and in `.tsx` `<T>x` is JSX, not a
 * type assertion), JavaScript without type annotations (a serverless.js: they are syntax errors there),
 * anything else (`.ts`, ESM `.mts` and CommonJS `.cts`: the same syntax) as TypeScript. The one place a
 * ScriptKind is chosen: a fix's re-detection parses its output by the same name, so the same way.
 */
export function scriptKindOf(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  return isJavaScript(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

export function parseTypeScript(path: string, text: string): ts.SourceFile {
  // JSDoc comments are not parsed into nodes (nothing here reads them; 15 to 35% of the parse).
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  const sf = ts.createSourceFile(path, text, options, false, scriptKindOf(path));
  saveCompilerCache();
  const diags = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diags.length > 0) {
    const d = diags[0];
    const pos = new LineIndex(text).position(d.start ?? 0);
    throw new ParseError(`TypeScript: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`, pos.line, pos.column);
  }
  (sf as WithSites)[SITES] = linkParents(sf);
  return sf;
}

/**
 * The class whose instance `this` is at `node` (arrow functions see their outer `this`; a class expression is a
 * class of its own); undefined outside one or in a function's own `this`.
 */
export function classOfThis(node: ts.Node): ts.ClassDeclaration | ts.ClassExpression | undefined {
  for (let cur: ts.Node | undefined = node.parent; cur; cur = cur.parent) {
    if (ts.isClassDeclaration(cur) || ts.isClassExpression(cur)) return cur;
    if (ts.isFunctionDeclaration(cur) || ts.isFunctionExpression(cur)) return undefined;
  }
  return undefined;
}

/**
 * Every `this.<name> = ...` under `root` (a file), each with what is assigned to: read by the stacks' Regions
 * (regions.ts). Without `name`: every `this.<any> = ...`. A class's, by name (from the writes the parent links collect): singleValue.ts classWrites.
 */
export function thisAssignments(root: ts.Node, name?: string): { left: ts.PropertyAccessExpression; right: ts.Expression }[] {
  const out: { left: ts.PropertyAccessExpression; right: ts.Expression }[] = [];
  const visit = (n: ts.Node): void => {
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(n.left) &&
      n.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      (name === undefined || n.left.name.text === name)
    )
      out.push({ left: n.left, right: n.right });
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}

/** The value of a string literal or a template without substitutions. */
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return undefined;
}

/**
 * A template that is one substitution and nothing else (`${x}`): x, which it is as a string (a string: itself);
 * undefined for any other expression. A template with no substitution is a plain string (stringValue).
 */
export function soleSubstitution(node: ts.Expression): ts.Expression | undefined {
  const u = unwrap(node);
  if (!ts.isTemplateExpression(u) || u.head.text !== '' || u.templateSpans.length !== 1 || u.templateSpans[0].literal.text !== '')
    return undefined;
  return unwrap(u.templateSpans[0].expression);
}

/** The name of a property as written (identifier, string or numeric literal), or undefined if computed. */
export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** Skip parentheses, `as` and `satisfies` and non-null assertions around an expression. */
export function unwrap(node: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node)) {
      node = node.expression;
    } else return node;
  }
}

/**
 * The value of the first property of an object literal named one of `names`, as a list of expressions: an
 * array literal's elements (`actions: [...]`, `Resource: [...]`), or the one value (`Action: 'dynamodb:*'`);
 * undefined without such a property. Read by the readers of IAM statements and AWS Backup selections.
 */
export function listedProperty(o: ts.ObjectLiteralExpression, names: string[]): ts.Expression[] | undefined {
  for (const p of o.properties) {
    if (!ts.isPropertyAssignment(p) || ts.isComputedPropertyName(p.name) || !names.includes(propertyName(p.name) ?? '')) continue;
    const v = unwrap(p.initializer);
    return ts.isArrayLiteralExpression(v) ? [...v.elements] : [v];
  }
  return undefined;
}

/** `null` or `undefined` as written (unwrap it first): a value that leaves a prop unset. */
export function isNullish(e: ts.Expression): boolean {
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined');
}

/** `undefined`, `null`, `void 0`: a value the synthesized or deployed resource leaves out (CDK, CDKTF and Pulumi all drop it). */
export function isUnset(e: ts.Expression): boolean {
  const u = unwrap(e);
  return isNullish(u) || u.kind === ts.SyntaxKind.VoidExpression;
}

/**
 * Where a statement ends, for what goes after it: before a `;` that semicolon-less code puts on the next
 * line, in front of a statement that needs it (`})` then `;[t].forEach(...)`): the parser gives that `;`
 * to the statement before, and what follows it must keep it in front.
 */
export function statementEnd(st: ts.Node, text: string): number {
  const semi = st.end - 1;
  if (text[semi] !== ';') return st.end;
  const j = trimBack(text, semi, st.pos);
  return text.slice(j, semi).includes('\n') ? j : st.end;
}
