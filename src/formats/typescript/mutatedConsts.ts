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
]);

/**
 * A change of a const: the expression that makes it, and the property path from the const to what it changes
 * (`shared.a.b = 1`: a, b; `Object.assign(shared.a, ...)`: a; the const whole: none); a name kmsfix cannot tell (a
 * computed element) is undefined.
 */
interface Change {
  at: ts.Node;
  path: (string | undefined)[];
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
  return changesOf(d).find((c) => reaches(c.path))?.at;
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
 * The `const` object literal of the file an expression names (consts.ts constObjectOf), read as its initializer says,
 * or `changed` (a message part, changeNote) when the file changes that const after its declaration; undefined when it
 * names none.
 */
export function constObjectHeld(sf: ts.SourceFile, e: ts.Expression): ConstObject | { changed: string } | undefined {
  const held = constObjectOf(e);
  const at = held && mutationOf(held.decl);
  return at ? { changed: changeNote(sf, held.name, at) } : held;
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

/** What a use of a variable does to it: changes it (the node that does, and what: Change), makes an alias of it (that declaration), or neither. */
function effectOf(n: ts.Identifier): { changes: Change } | { alias: ts.VariableDeclaration } | undefined {
  const K = ts.SyntaxKind;
  let top: ts.Node = n;
  let member = false;
  const path: (string | undefined)[] = [];
  for (;;) {
    const p: ts.Node = top.parent;
    if (
      (ts.isPropertyAccessExpression(p) || p.kind === K.ElementAccessExpression) &&
      (p as ts.PropertyAccessExpression).expression === top
    ) {
      member = true;
      top = p;
      path.push(ts.isPropertyAccessExpression(p) ? p.name.text : elementName((p as ts.ElementAccessExpression).argumentExpression));
    } else if (isWrapper(p)) top = p;
    else break;
  }
  const p = top.parent;
  const changes = (at: ts.Node, changed = path) => ({ changes: { at, path: changed } });
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if (op >= K.FirstAssignment && op <= K.LastAssignment) {
      if (p.left === top && member) return changes(p);
      if (p.right === top && op === K.EqualsToken && !EXPORTS.test(p.left.getText().replace(/\s+/g, ''))) return changes(p);
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
      return ts.isPropertyAccessExpression(top) && member && MUTATORS.has(top.name.text) ? changes(p, path.slice(0, -1)) : undefined;
    return p.arguments.some((a) => a === top) && !READERS.has(p.expression.getText().replace(/\s+/g, '')) ? changes(p) : undefined;
  }
  if (ts.isVariableDeclaration(p) && p.initializer === top) return { alias: p };
  return undefined;
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
