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
 * Not followed: a const stored in an array or object literal and changed through it.
 */
import { declarationOf } from './consts.js';
import { ts } from './parse.js';

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

const byFile = new WeakMap<ts.SourceFile, Map<ts.VariableDeclaration, ts.Node>>();

/** Where the file changes the variable `d` declares (the first such expression), if it does. */
export function mutationOf(d: ts.VariableDeclaration): ts.Node | undefined {
  const sf = d.getSourceFile();
  let found = byFile.get(sf);
  if (!found) byFile.set(sf, (found = collect(sf)));
  return found.get(d);
}

/** The same, for what an expression names: a message part (`shared, which the file changes at line 9: ...`), or undefined. */
export function mutatedNote(sf: ts.SourceFile, e: ts.Expression): string | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  const d = declarationOf(e);
  const at = d && d !== 'other' ? mutationOf(d) : undefined;
  if (!at) return undefined;
  const line = sf.getLineAndCharacterOfPosition(at.getStart(sf)).line + 1;
  const text = at.getText(sf).replace(/\s+/g, ' ').trim();
  return `${e.text}, a const the file changes after its declaration (line ${line}: ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
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

/** What a use of a variable does to it: changes it (the node that does), makes an alias of it (that declaration), or neither. */
function effectOf(n: ts.Identifier): { changes: ts.Node } | { alias: ts.VariableDeclaration } | undefined {
  const K = ts.SyntaxKind;
  let top: ts.Node = n;
  let member = false;
  for (;;) {
    const p: ts.Node = top.parent;
    if (
      (ts.isPropertyAccessExpression(p) || p.kind === K.ElementAccessExpression) &&
      (p as ts.PropertyAccessExpression).expression === top
    ) {
      member = true;
      top = p;
    } else if (isWrapper(p)) top = p;
    else break;
  }
  const p = top.parent;
  if (ts.isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if (op >= K.FirstAssignment && op <= K.LastAssignment) {
      if (p.left === top && member) return { changes: p };
      if (p.right === top && op === K.EqualsToken) return { changes: p };
    }
    return undefined;
  }
  if (p.kind === K.PrefixUnaryExpression || p.kind === K.PostfixUnaryExpression) {
    const op = (p as ts.PrefixUnaryExpression).operator;
    return member && (op === K.PlusPlusToken || op === K.MinusMinusToken) ? { changes: p } : undefined;
  }
  if (p.kind === K.DeleteExpression) return member ? { changes: p } : undefined;
  if (ts.isCallExpression(p)) {
    if (p.expression === top)
      return ts.isPropertyAccessExpression(top) && member && MUTATORS.has(top.name.text) ? { changes: p } : undefined;
    return p.arguments.some((a) => a === top) && !READERS.has(p.expression.getText().replace(/\s+/g, '')) ? { changes: p } : undefined;
  }
  if (ts.isVariableDeclaration(p) && p.initializer === top) return { alias: p };
  return undefined;
}

function collect(sf: ts.SourceFile): Map<ts.VariableDeclaration, ts.Node> {
  const out = new Map<ts.VariableDeclaration, ts.Node>();
  const aliases: [ts.VariableDeclaration, ts.VariableDeclaration][] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && isValueUse(n)) {
      const effect = effectOf(n);
      const d = effect ? declarationOf(n) : undefined;
      if (effect && d && d !== 'other') {
        if ('changes' in effect) {
          if (!out.has(d)) out.set(d, effect.changes);
        } else aliases.push([effect.alias, d]);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  // An alias changed changes what it aliases (`const r = shared.replaceOnChanges; r.push('*')`), through alias chains.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [alias, of] of aliases) {
      const at = out.get(alias);
      if (at && !out.has(of)) {
        out.set(of, at);
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
