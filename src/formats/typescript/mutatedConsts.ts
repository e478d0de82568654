/**
 * A `const` the file changes after its declaration (adversarial pass 2 of session 57, M3): its initializer is not what
 * the program reads. `const shared = {}; shared.replaceOnChanges = ['*']`, `Object.assign(shared, {...})`,
 * `shared.replaceOnChanges.push('*')`, `list.push('serverSideEncryption')`, `delete shared.protect`: a reader that
 * follows the const to its initializer (Pulumi's resource options, an ignoreChanges / replaceOnChanges list, CDKTF's
 * `lifecycle` and its `replaceTriggeredBy`) must take it as unreadable, never as its initializer says.
 *
 * By syntax, over the whole file: a property or element of the const (at any depth) assigned, incremented or deleted;
 * a mutating array method called on it or on a property of it; the const or a property of it passed to a call (any
 * call but a few known to only read, READERS: kmsfix does not read what a function does with it; a `new` is a resource
 * constructor, which copies its options), or assigned to something else; a variable initialized with it (an alias) that is itself changed so.
 * Not followed: a const stored in an array or object literal and changed through it. Exporting it (`module.exports =
 * shared`, `exports.default = shared`) is no change in the file, as `export default shared` is not.
 *
 * A table's own settings are read so too (adversarial pass 2 of session 58, F2): its props, args or config held in a
 * const (constObjectHeld), and a serverless.ts resource in a const, or in a const that holds it deeper
 * (changeReaching: only a change whose target may be the resource or hold it counts).
 */
import { type ConstObject, constObjectOf, declarationOf } from './consts.js';
import { stringValue, ts } from './parse.js';

/** Array methods that change the array they are called on. */
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);

/**
 * Calls known to read their arguments without changing them (adversarial pass 2 of session 58, F5: Pulumi's own
 * `mergeOptions`, the usual way to combine options, returns a new object): passing a const to one is no change.
 */
const READERS = new Set([
  'pulumi.mergeOptions',
  'mergeOptions',
  'console.log',
  'console.info',
  'console.warn',
  'console.error',
  'console.debug',
  'JSON.stringify',
  'Object.keys',
  'Object.values',
  'Object.entries',
  'Object.freeze',
  'structuredClone',
  'Array.isArray',
  'pulumi.output',
  'pulumi.all',
  'String',
  'Number',
  'Boolean',
]);

/**
 * A change of a const: the expression that makes it, and the property path from the const to what it changes
 * (`shared.a.b = 1`: a, b; `Object.assign(shared.a, ...)`: a; the const whole: none); a name kmsfix cannot tell (a
 * computed element) is undefined.
 */
interface Change {
  at: ts.Node;
  path: (string | undefined)[];
  /** The value at `path` is changed in place or let out (a call given it, a mutating method, assigned elsewhere), not replaced. */
  inPlace?: boolean;
}

const byFile = new WeakMap<ts.SourceFile, Map<ts.VariableDeclaration, Change[]>>();

function changesOf(d: ts.VariableDeclaration): Change[] {
  const sf = d.getSourceFile();
  let found = byFile.get(sf);
  if (!found) byFile.set(sf, (found = collect(sf)));
  return found.get(d) ?? [];
}

/**
 * Where the file changes the variable `d` declares (the first such expression), if it does; `except`: a call not to
 * count (a helper of the file the const is passed to, whose body its reader reads, lookup.ts spreadLiterals).
 */
export function mutationOf(d: ts.VariableDeclaration, except?: ts.Node): ts.Node | undefined {
  return changesOf(d).find((c) => c.at !== except)?.at;
}

/**
 * The first change of `d` that may reach what `path` names in it (the property path from the const, `['resources',
 * 'Resources', 'Orders']`): a change of that value, of what holds it, or of something in it.
 */
export function changeReaching(d: ts.VariableDeclaration, path: readonly string[]): ts.Node | undefined {
  const reaches = (p: Change['path']) => p.every((name, i) => i >= path.length || name === undefined || name === path[i]);
  // A change elsewhere may still reach it when what it changes is a value held by a name (`tags: sse` beside
  // `serverSideEncryption: sse`): only one within literals of the initializer is elsewhere for sure.
  const literal = objectInitializer(d);
  return changesOf(d).find((c) => reaches(c.path) || !literal || !withinLiterals(literal, c))?.at;
}

/** The object literal a variable's initializer is (through parentheses, `as`, `satisfies`), if it is one. */
function objectInitializer(d: ts.VariableDeclaration): ts.ObjectLiteralExpression | undefined {
  let init = d.initializer;
  while (init && isWrapper(init)) init = (init as ts.PropertyAccessExpression).expression;
  return init && ts.isObjectLiteralExpression(init) ? init : undefined;
}

/**
 * The first change that may reach `path` (changeReaching) of the const the object literal `o` initializes (through
 * parentheses, `as`, `satisfies`), when it initializes one.
 */
export function literalChangeReaching(o: ts.ObjectLiteralExpression, path: readonly string[]): ts.Node | undefined {
  let cur: ts.Node = o;
  while (cur.parent && isWrapper(cur.parent)) cur = cur.parent;
  const d = cur.parent;
  return d && ts.isVariableDeclaration(d) && d.initializer === cur ? changeReaching(d, path) : undefined;
}

/** A message part: `name, a const the file changes after its declaration (line 9: ...)`. */
export function changeNote(sf: ts.SourceFile, name: string, at: ts.Node): string {
  const line = sf.getLineAndCharacterOfPosition(at.getStart(sf)).line + 1;
  const text = at.getText(sf).replace(/\s+/g, ' ').trim();
  return `${name}, a const the file changes after its declaration (line ${line}: ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

/** The same, for what an expression names: a message part (`shared, which the file changes at line 9: ...`), or undefined. */
export function mutatedNote(sf: ts.SourceFile, e: ts.Expression): string | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  const d = declarationOf(e);
  const at = d && d !== 'other' ? mutationOf(d) : undefined;
  return at ? changeNote(sf, e.text, at) : undefined;
}

/**
 * The same, for reading what `path` names in the const an expression names (lookup.ts: a property through a spread of
 * it): only a change that may reach it counts (changeReaching: `...args` read for `serverSideEncryption` with
 * `args.tags.stage = 'prod'` is read as written).
 */
export function mutatedNoteAt(sf: ts.SourceFile, e: ts.Expression, path: readonly string[]): string | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  const d = declarationOf(e);
  const at = d && d !== 'other' ? changeReaching(d, path) : undefined;
  return at ? changeNote(sf, e.text, at) : undefined;
}

/**
 * The `const` object literal of the file an expression names (consts.ts constObjectOf), read as its initializer says,
 * or `changed` (a message part, changeNote) when the file changes that const after its declaration; undefined when it
 * names none.
 */
export function constObjectHeld(
  sf: ts.SourceFile,
  e: ts.Expression,
  unread?: ReadonlySet<string>,
): ConstObject | { changed: string } | undefined {
  const held = constObjectOf(e);
  const at = held && (unread ? changeBeyond(held.decl, unread) : mutationOf(held.decl));
  return at ? { changed: changeNote(sf, held.name, at) } : held;
}

/**
 * The first change of `d` that may reach beyond its properties named in `unread` (tableProps.ts UNREAD_TABLE_PROPS:
 * `args.tags.stage = 'prod'`, `props.billingMode = ...` change nothing kmsfix reads): a change of the whole const,
 * of a property not named there, or of one whose name kmsfix cannot tell.
 */
export function changeBeyond(d: ts.VariableDeclaration, unread: ReadonlySet<string>): ts.Node | undefined {
  const literal = objectInitializer(d);
  const unreadOnly = (c: Change) => c.path[0] !== undefined && unread.has(c.path[0]) && literal !== undefined && withinLiterals(literal, c);
  return changesOf(d).find((c) => !unreadOnly(c))?.at;
}

/**
 * Whether a change stays within object and array literals the const's initializer writes (`args.tags.stage = 'prod'`
 * with `tags: { team: 'a' }`): what it changes is held by no other name. A value on the way (or the value itself, when
 * changed in place) that is a name or any other expression may be another's too (`tags: sse`, `serverSideEncryption:
 * sse`): not within.
 */
function withinLiterals(literal: ts.ObjectLiteralExpression, c: Change): boolean {
  const steps = c.inPlace ? c.path.length : c.path.length - 1;
  let cur: ts.Expression = literal;
  for (let i = 0; i < steps; i++) {
    const v = literalMember(cur, c.path[i]);
    if (!v) return false;
    cur = v;
  }
  return true;
}

/** The object or array literal an object or array literal holds under `name`, written in it (no spread, no computed name); undefined otherwise. */
function literalMember(o: ts.Expression, name: string | undefined): ts.Expression | undefined {
  if (name === undefined) return undefined;
  let v: ts.Expression | undefined;
  if (ts.isObjectLiteralExpression(o)) {
    for (const p of o.properties) {
      if (ts.isSpreadAssignment(p) || (p.name && ts.isComputedPropertyName(p.name))) return undefined;
      if (p.name && 'text' in p.name && p.name.text === name) v = ts.isPropertyAssignment(p) ? p.initializer : undefined;
    }
  } else if (ts.isArrayLiteralExpression(o) && /^\d+$/.test(name)) {
    if (o.elements.some((e) => ts.isSpreadElement(e))) return undefined;
    v = o.elements[Number(name)];
  }
  while (v && isWrapper(v)) v = (v as ts.PropertyAccessExpression).expression;
  return v && (ts.isObjectLiteralExpression(v) || ts.isArrayLiteralExpression(v)) ? v : undefined;
}

/** Parentheses, `as`, `satisfies`, `!` around a value, looked through from inside. */
function isWrapper(n: ts.Node): boolean {
  const K = ts.SyntaxKind;
  return (
    n.kind === K.ParenthesizedExpression || n.kind === K.AsExpression || n.kind === K.SatisfiesExpression || n.kind === K.NonNullExpression
  );
}

/** Whether an identifier is a value read by its name (not a property's name, a declaration's name or a type). */
function isValueUse(n: ts.Identifier): boolean {
  const p = n.parent;
  if (!p) return false;
  if ((ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) && (p as ts.PropertyAccessExpression).name === n) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)) && p.name === n)
    return false;
  if (ts.isVariableDeclaration(p) && p.name === n) return false;
  if (ts.isBindingElement(p)) return false;
  return !(ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p));
}

/** `module.exports = x`, `exports.default = x`: the file exports the value, it does not change it. */
const EXPORTS = /^(module\.)?exports(\.\w+)?$/;

/**
 * The expression a use of a name stands in (`top`): up through its member accesses (`shared.a['b']`: `member`, their
 * names in `path`, undefined for one not written as a literal) and the parents `through` lets the value go on through.
 */
function usedAs(
  n: ts.Identifier,
  through: (p: ts.Node, top: ts.Node) => boolean,
): { top: ts.Node; member: boolean; path: (string | undefined)[] } {
  let top: ts.Node = n;
  let member = false;
  const path: (string | undefined)[] = [];
  for (;;) {
    const p: ts.Node = top.parent;
    if (
      (ts.isPropertyAccessExpression(p) || p.kind === ts.SyntaxKind.ElementAccessExpression) &&
      (p as ts.PropertyAccessExpression).expression === top
    ) {
      member = true;
      top = p;
      path.push(ts.isPropertyAccessExpression(p) ? p.name.text : elementName((p as ts.ElementAccessExpression).argumentExpression));
    } else if (through(p, top)) top = p;
    else break;
  }
  return { top, member, path };
}

/** What a use of a variable does to it: changes it (the node that does, and what: Change), makes an alias of it (that declaration), or neither. */
function effectOf(n: ts.Identifier): { changes: Change } | { alias: ts.VariableDeclaration } | undefined {
  const K = ts.SyntaxKind;
  const { top, member, path } = usedAs(n, isWrapper);
  const p = top.parent;
  const changes = (at: ts.Node, changed = path, inPlace = false) => ({ changes: { at, path: changed, inPlace } });
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if (op >= K.FirstAssignment && op <= K.LastAssignment) {
      if (p.left === top && member) return changes(p);
      if (p.right === top && op === K.EqualsToken && !EXPORTS.test(p.left.getText().replace(/\s+/g, ''))) return changes(p, path, true);
    }
    return undefined;
  }
  if (p.kind === K.PrefixUnaryExpression || p.kind === K.PostfixUnaryExpression) {
    const op = (p as ts.PrefixUnaryExpression).operator;
    return member && (op === K.PlusPlusToken || op === K.MinusMinusToken) ? changes(p) : undefined;
  }
  if (p.kind === K.DeleteExpression) return member ? changes(p) : undefined;
  if (ts.isCallExpression(p)) {
    // `shared.list.push(x)`: the method's name is not part of what changes.
    if (p.expression === top)
      return ts.isPropertyAccessExpression(top) && member && MUTATORS.has(top.name.text) ? changes(p, path.slice(0, -1), true) : undefined;
    const at = p.arguments.indexOf(top as ts.Expression);
    if (at === -1 || READERS.has(p.expression.getText().replace(/\s+/g, ''))) return undefined;
    return onlyReadBy(p, at) ? undefined : changes(p, path, true);
  }
  // `[shared.a] = [x]`, `({ k: shared.a } = y)`, `for (shared.a of xs)`: the member is assigned (F5 of session 59).
  const assigned = member ? patternAssignment(top) : undefined;
  if (assigned) return changes(assigned);
  if (ts.isVariableDeclaration(p) && p.initializer === top) return { alias: p };
  return undefined;
}

/**
 * The assignment or `for...of` / `for...in` statement that assigns `target` as an element of a destructuring pattern
 * (`[target] = ...`, `({ k: target } = ...)`, `[...target] = ...`, nested, with defaults) or as its loop's variable.
 */
function patternAssignment(target: ts.Node): ts.Node | undefined {
  const K = ts.SyntaxKind;
  let cur = target;
  for (;;) {
    const p: ts.Node = cur.parent;
    if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === cur && !ts.isVariableDeclarationList(p.initializer))
      return p;
    if (cur === target && ts.isBinaryExpression(p)) return undefined;
    if (ts.isBinaryExpression(p)) {
      // `[a.b = 1] = ...`: a default inside a pattern; `[...] = value`: the assignment.
      if (p.operatorToken.kind !== K.EqualsToken || p.left !== cur) return undefined;
      const q = p.parent;
      const inPattern = q.kind === K.ArrayLiteralExpression || (ts.isPropertyAssignment(q) && q.initializer === p);
      if (!inPattern) return p;
      cur = p;
    } else if (p.kind === K.ArrayLiteralExpression || p.kind === K.SpreadElement || isWrapper(p)) cur = p;
    else if ((ts.isPropertyAssignment(p) && p.initializer === cur) || p.kind === K.SpreadAssignment) cur = p.parent;
    else return undefined;
  }
}

/**
 * Whether the call `call` only reads its argument `at`: it calls a function declared once in the file, under a
 * name nothing else in the file declares or assigns, whose parameter there is a plain name that its body only reads
 * (readsOnly). Any other call (a function of another module, a method, a rest or destructured parameter) may change it.
 */
function onlyReadBy(call: ts.CallExpression, at: number): boolean {
  const fn = fileFunction(call.expression);
  if (!fn?.body || !seenFrom(fn, call)) return false;
  // TypeScript's `this` parameter takes no argument.
  const params = fn.parameters.filter((x: ts.ParameterDeclaration) => !(ts.isIdentifier(x.name) && x.name.text === 'this'));
  const param: ts.ParameterDeclaration | undefined = params[at];
  if (!param || param.dotDotDotToken || !ts.isIdentifier(param.name)) return false;
  if (params.slice(0, at).some((x: ts.ParameterDeclaration) => x.dotDotDotToken)) return false;
  return readsOnly(fn, param.name.text, new Set());
}

/** Whether the function's name is declared in a block (or the file) around the call: the call may name it. */
function seenFrom(fn: FileFunction, call: ts.Node): boolean {
  let declared: ts.Node | undefined = fn;
  if (!ts.isFunctionDeclaration(fn)) while (declared && !ts.isVariableStatement(declared)) declared = declared.parent;
  declared = declared?.parent;
  for (let cur: ts.Node | undefined = call; cur; cur = cur.parent) if (cur === declared) return true;
  return false;
}

type FileFunction = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction;

/** The function of the file a callee names (`describe` of `function describe(...)` or `const describe = (...) => ...`), when nothing else binds or assigns that name. */
function fileFunction(callee: ts.Expression): FileFunction | undefined {
  if (!ts.isIdentifier(callee)) return undefined;
  const name = callee.text;
  const found: FileFunction[] = [];
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(n) && n.text === name) {
      const p = n.parent;
      if (ts.isFunctionDeclaration(p) && p.name === n) found.push(p);
      else if (ts.isVariableDeclaration(p) && p.name === n) {
        let init = p.initializer;
        while (init && isWrapper(init)) init = (init as ts.PropertyAccessExpression).expression;
        if (init && (ts.isFunctionExpression(init) || ts.isArrowFunction(init))) found.push(init);
        else other = true;
      } else if (declaresName(n) || (isValueUse(n) && writtenAt(n))) other = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(callee.getSourceFile());
  return !other && found.length === 1 ? found[0] : undefined;
}

/** The declarations whose `name` binds a name, variables and functions aside. */
const DECLARATIONS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
]);

/** Whether an identifier is a name declared (a parameter, a class, an import, a binding element...) other than by a variable or a function. */
function declaresName(n: ts.Identifier): boolean {
  const p = n.parent;
  return DECLARATIONS.has(p.kind) && (p as ts.NamedDeclaration).name === n;
}

/** Whether a name's use assigns it: `f = ...`, `f++`, `[f] = ...`, `for (f of ...)`. */
function writtenAt(n: ts.Node): boolean {
  const K = ts.SyntaxKind;
  const p = n.parent;
  if (ts.isBinaryExpression(p) && p.left === n)
    return p.operatorToken.kind >= K.FirstAssignment && p.operatorToken.kind <= K.LastAssignment;
  if (p.kind === K.PrefixUnaryExpression || p.kind === K.PostfixUnaryExpression) {
    const op = (p as ts.PrefixUnaryExpression).operator;
    return op === K.PlusPlusToken || op === K.MinusMinusToken;
  }
  return (ts.isShorthandPropertyAssignment(p) && p.name === n) || patternAssignment(n) !== undefined;
}

/**
 * Whether every use of `name` in `fn` (its body and its parameters' defaults, nested functions too, by name: a
 * shadowing name is taken as the same) only reads the value or a member of it (onlyRead). The function must not read
 * `arguments`, nor call `eval`.
 */
function readsOnly(fn: FileFunction, name: string, seen: Set<string>): boolean {
  if (seen.has(name)) return true;
  seen.add(name);
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n) && (n.text === 'arguments' || n.text === 'eval') && isValueUse(n)) ok = false;
    else if (ts.isIdentifier(n) && n.text === name) ok = nameOnlyRead(fn, n, seen);
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return ok;
}

/** Whether an identifier of the parameter's name in its function only reads it (or declares it: the parameter, or a name shadowing it, whose uses are read as the parameter's). */
function nameOnlyRead(fn: FileFunction, n: ts.Identifier, seen: Set<string>): boolean {
  const p = n.parent;
  const named = p.kind === ts.SyntaxKind.Parameter || ts.isVariableDeclaration(p) || ts.isBindingElement(p);
  if (named && (p as ts.NamedDeclaration).name === n) return true;
  // `{ name: x } = ...` names a property, not the value; `{ x = name } = ...` lets the value out.
  if (ts.isBindingElement(p)) return p.propertyName === n;
  return isValueUse(n) ? onlyRead(fn, n, seen) : !declaresName(n);
}

/**
 * Whether a use of a helper's parameter (or of an alias of it) only reads it: `p.a`, `p.a.b.toString()`, `String(p.a)`,
 * in a condition, a comparison, a template, a `const x = p.a` whose uses only read. Anything else may change it or
 * let it out (assigned, passed to a call, returned, spread, put in an object or array): not only read.
 */
function onlyRead(fn: FileFunction, n: ts.Identifier, seen: Set<string>): boolean {
  const K = ts.SyntaxKind;
  // The value goes on through a wrapper, a conditional's branch, `||`, `&&`, `??` or a comma's right: what the expression is used for decides.
  const { top, member } = usedAs(
    n,
    (p, top) =>
      isWrapper(p) ||
      (ts.isConditionalExpression(p) && p.condition !== top) ||
      (ts.isBinaryExpression(p) &&
        (p.operatorToken.kind === K.BarBarToken ||
          p.operatorToken.kind === K.AmpersandAmpersandToken ||
          p.operatorToken.kind === K.QuestionQuestionToken ||
          (p.operatorToken.kind === K.CommaToken && p.right === top))),
  );
  const p = top.parent;
  if (ts.isCallExpression(p)) {
    if (p.expression === top) return !(ts.isPropertyAccessExpression(top) && member && MUTATORS.has(top.name.text));
    return READERS.has(p.expression.getText().replace(/\s+/g, ''));
  }
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    return !(op >= K.FirstAssignment && op <= K.LastAssignment) && op !== K.CommaToken;
  }
  if (p.kind === K.PrefixUnaryExpression) {
    const op = (p as ts.PrefixUnaryExpression).operator;
    return op !== K.PlusPlusToken && op !== K.MinusMinusToken;
  }
  if (p.kind === K.TemplateSpan) return p.parent.parent.kind !== K.TaggedTemplateExpression;
  if (ts.isVariableDeclaration(p) && p.initializer === top) return ts.isIdentifier(p.name) && readsOnly(fn, p.name.text, seen);
  return (
    p.kind === K.ElementAccessExpression ||
    p.kind === K.TypeOfExpression ||
    p.kind === K.VoidExpression ||
    p.kind === K.ExpressionStatement ||
    (ts.isConditionalExpression(p) && p.condition === top) ||
    ts.isIfStatement(p) ||
    p.kind === K.WhileStatement ||
    p.kind === K.DoStatement ||
    p.kind === K.SwitchStatement ||
    ts.isCaseClause(p) ||
    p.kind === K.ThrowStatement
  );
}

/** An element access's name, when written as a literal (`shared['protect']`, `list[0]`). */
function elementName(e: ts.Expression): string | undefined {
  return stringValue(e) ?? (ts.isNumericLiteral(e) ? e.text : undefined);
}

function collect(sf: ts.SourceFile): Map<ts.VariableDeclaration, Change[]> {
  const out = new Map<ts.VariableDeclaration, Change[]>();
  const aliases: [ts.VariableDeclaration, ts.VariableDeclaration][] = [];
  const add = (d: ts.VariableDeclaration, c: Change) => {
    const list = out.get(d);
    if (list) list.push(c);
    else out.set(d, [c]);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && isValueUse(n)) {
      const effect = effectOf(n);
      const d = effect ? declarationOf(n) : undefined;
      if (effect && d && d !== 'other') {
        if ('changes' in effect) add(d, effect.changes);
        else aliases.push([effect.alias, d]);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  // An alias changed changes what it aliases (`const r = shared.replaceOnChanges; r.push('*')`), through alias chains:
  // what it changes there is not followed (the whole const, as far as changeReaching tells).
  for (let changed = true; changed; ) {
    changed = false;
    for (const [alias, of] of aliases) {
      const at = out.get(alias)?.[0]?.at;
      if (at && !out.get(of)?.some((c) => c.at === at && c.path.length === 0)) {
        add(of, { at, path: [] });
        changed = true;
      }
    }
  }
  return out;
}

/**
 * A member of a const object or array literal the file changes after its declaration (`keys.orders` with `const keys = { orders: key.arn }` and
 * later `keys.orders = 'alias/aws/dynamodb'` or `Object.assign(keys, {...})`): a message part (mutatedNote), or
 * undefined. A key read from such a member is not what the initializer says (rw42 mutargs sh2).
 */
export function changedMemberNote(sf: ts.SourceFile, e: ts.Expression): string | undefined {
  let cur = e;
  while (isWrapper(cur)) cur = (cur as ts.PropertyAccessExpression).expression;
  if (!ts.isPropertyAccessExpression(cur) && cur.kind !== ts.SyntaxKind.ElementAccessExpression) return undefined;
  while (ts.isPropertyAccessExpression(cur) || cur.kind === ts.SyntaxKind.ElementAccessExpression || isWrapper(cur))
    cur = (cur as ts.PropertyAccessExpression).expression;
  // A const holding an object or array literal: a construct's or resource's object (`key.keyArn` of `const key = new
  // kms.Key(...)`, passed to `customerManagedKey(key)`) is not changed by what its members give.
  const d = ts.isIdentifier(cur) ? declarationOf(cur) : undefined;
  let init = d && d !== 'other' ? d.initializer : undefined;
  while (init && isWrapper(init)) init = (init as ts.PropertyAccessExpression).expression;
  if (!init || !(ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init))) return undefined;
  const note = mutatedNote(sf, cur);
  return note && `${e.getText(sf).replace(/\s+/g, ' ').trim()} is a member of ${note}`;
}
