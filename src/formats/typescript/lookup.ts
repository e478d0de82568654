/**
 * Reading a property of an object literal as the object would hold it, by syntax alone (through
 * spreads of `const` object literals of the file, src/formats/typescript/consts.ts).
 */
import { constInitializer, constObjectOf, declarationOf } from './consts.js';
import { mutatedNoteAt, mutationOf } from './mutatedConsts.js';
import { callExpressions, propertyName, stringValue, ts, isNullish, unwrap } from './parse.js';

export type Lookup =
  | { kind: 'absent' }
  | {
      kind: 'value';
      prop: ts.PropertyAssignment | ts.ShorthandPropertyAssignment;
      value: ts.Expression;
      /** Read through a spread of the object (`...base`, `...base.Properties`): that spread's expression, as written there. */
      via?: ts.Expression;
    }
  | { kind: 'unknown'; node: ts.Node; why: string };

export function snippet(sf: ts.SourceFile, node: ts.Node): string {
  const s = node.getText(sf).replace(/\s+/g, ' ').trim();
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/**
 * The property `name` of an object literal, as the object would hold it (the last write wins). A
 * spread of a `const` object literal of the file is read through (its value, when it has the
 * property, is found in that literal: `prop.parent` tells); any other spread hides what came before.
 * A shorthand property (`{ provider }`) holds the variable of its name: its value is that name.
 */
export function lookup(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string, depth = 0): Lookup {
  let found: Lookup = { kind: 'absent' };
  for (const p of o.properties) {
    if (ts.isSpreadAssignment(p)) {
      // A const the file changes after its declaration holds what its initializer does not say (mutatedConsts.ts), where
      // the change may reach `name`.
      const changed = mutatedNoteAt(sf, unwrap(p.expression), [name]);
      if (changed) {
        found = { kind: 'unknown', node: p, why: `${name} may come from the spread of ${changed}` };
        continue;
      }
      const base = depth < 8 ? (constObjectOf(p.expression)?.literal ?? constPartOf(sf, p.expression, depth)) : undefined;
      if (base) {
        const inner = lookup(sf, base, name, depth + 1);
        if (inner.kind !== 'absent') found = inner.kind === 'value' ? { ...inner, via: p.expression } : inner;
        continue;
      }
      const literals = depth < 8 ? spreadLiterals(p.expression, depth) : undefined;
      // `...(streamable && { stream })`, `...(c ? { a } : {})`: object literals that do not name the property leave it as it was.
      if (literals?.every((l) => lookup(sf, l, name, depth + 1).kind === 'absent')) continue;
      found = { kind: 'unknown', node: p, why: `${name} may come from the spread ${snippet(sf, p)}` };
      continue;
    }
    if (p.name && ts.isComputedPropertyName(p.name)) {
      const key = stringValue(p.name.expression);
      if (key === undefined) {
        found = { kind: 'unknown', node: p, why: `${name} may be set by the computed property ${snippet(sf, p.name)}` };
        continue;
      }
      if (key !== name) continue;
    } else if (!p.name || propertyName(p.name) !== name) continue;
    if (ts.isPropertyAssignment(p)) found = { kind: 'value', prop: p, value: p.initializer };
    else if (ts.isShorthandPropertyAssignment(p)) found = { kind: 'value', prop: p, value: p.name };
    else found = { kind: 'unknown', node: p, why: `${name} is ${snippet(sf, p)}` };
  }
  return found;
}

/**
 * The object literal a property of a `const` object literal of the file holds (`...base.Properties`, `...tables.Orders`:
 * a serverless.ts resource spreading a shared resource's Properties), read as lookup reads it; undefined when a part is
 * not an object literal written so (or the path is not names).
 */
function constPartOf(sf: ts.SourceFile, e: ts.Expression, depth: number): ts.ObjectLiteralExpression | undefined {
  const u = unwrap(e);
  if (!ts.isPropertyAccessExpression(u) || depth >= 8) return undefined;
  const holder = constObjectOf(u.expression)?.literal ?? constPartOf(sf, u.expression, depth + 1);
  const l = holder && lookup(sf, holder, u.name.text, depth + 1);
  const v = l?.kind === 'value' ? unwrap(l.value) : undefined;
  return v && ts.isObjectLiteralExpression(v) ? v : undefined;
}

/**
 * The object literals a spread may add, when it can add nothing else: a literal, `c && {...}` (a falsy
 * `c` adds nothing), `c ? {...} : {...}`, `a || {...}` and `a ?? {...}` (either side), null or
 * undefined, a `const` holding one of those, or a parameter of a helper function of this file that
 * every call of it gives one of those (or nothing): `function createTable(scope, name, customProps?) {
 * const props = customProps || {...}; new Table(scope, id, { encryptionKey, ...props }) }` (AWS
 * Solutions' media insights) with `createTable(this, 'History', { partitionKey: ... })`; undefined for
 * any other expression.
 */
function spreadLiterals(e: ts.Expression, depth: number, passedTo?: ts.CallExpression): ts.ObjectLiteralExpression[] | undefined {
  if (depth >= 8) return undefined;
  const x = unwrap(e);
  if (ts.isObjectLiteralExpression(x)) return [x];
  if (isNullish(x)) return [];
  if (ts.isBinaryExpression(x)) {
    const op = x.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return spreadLiterals(x.right, depth + 1);
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return both(x.left, x.right, depth);
    return undefined;
  }
  if (ts.isConditionalExpression(x)) return both(x.whenTrue, x.whenFalse, depth);
  if (!ts.isIdentifier(x)) return undefined;
  const d = declarationOf(x);
  if (d === 'other') return parameterLiterals(x, depth);
  // A const the file changes after its declaration holds what its initializer does not say (mutatedConsts.ts); given
  // to the helper call read here (`passedTo`) is no change: that helper's spread of it is what is read.
  const init = d && !mutationOf(d, passedTo) ? constInitializer(d) : undefined;
  return init ? spreadLiterals(init, depth + 1) : undefined;
}

/**
 * Props given as a name whose value can only be object literals (spreadLiterals: a parameter of a
 * helper of the file that every call gives literals, a `const` holding `a || {...}` or a conditional of
 * literals): read as `{ ...name }`, an object literal made for the reading (its spread at the name's
 * place in the text), so what none of those literals sets is absent; undefined for any other name.
 */
export function asSpread(id: ts.Identifier): ts.ObjectLiteralExpression | undefined {
  if (!spreadLiterals(id, 0)) return undefined;
  // The CLI's TypeScript parser has the factory but not setTextRange: the range is set as it sets it.
  const spread = ts.factory.createSpreadAssignment(id);
  const literal = ts.factory.createObjectLiteralExpression([spread]);
  Object.assign(spread, { pos: id.pos, end: id.end, parent: literal });
  Object.assign(literal, { pos: id.pos, end: id.end, parent: id.parent });
  return literal;
}

function both(a: ts.Expression, b: ts.Expression, depth: number): ts.ObjectLiteralExpression[] | undefined {
  const x = spreadLiterals(a, depth + 1);
  const y = x && spreadLiterals(b, depth + 1);
  return x && y ? [...x, ...y] : undefined;
}

/**
 * What the calls of a helper function give its parameter `id` (when `id` names one): the literals of
 * every call, when the function is declared in this file (`function f` or `const f = (...) => ...`),
 * not exported, named nowhere but as the callee of a call (`f(...)`: never passed on, so no call is
 * unseen), called at least once, and each call gives that parameter one of spreadLiterals' forms or
 * nothing. A private method of a class (`private createTable(...)`, `#createTable(...)`) is such a
 * helper when its name is nowhere in the file but as the callee of `this.createTable(...)`. Calls of
 * another function of the same name count too (more literals only make the answer more cautious).
 */
function parameterLiterals(id: ts.Identifier, depth: number): ts.ObjectLiteralExpression[] | undefined {
  let fn: ts.SignatureDeclaration | undefined;
  let index = -1;
  for (let cur: ts.Node = id; cur.parent && !fn; cur = cur.parent) {
    const p = cur.parent;
    if (!ts.isFunctionLike(p)) continue;
    index = p.parameters.findIndex((x) => ts.isIdentifier(x.name) && x.name.text === id.text && !x.dotDotDotToken);
    if (index >= 0) fn = p;
    else if (p.parameters.some((x) => !ts.isIdentifier(x.name) || x.name.text === id.text)) return undefined;
  }
  if (!fn) return undefined;
  const helper = helperOf(fn);
  if (!helper) return undefined;
  const sf = id.getSourceFile();
  const calls = callExpressions(sf).filter((c) => calleeIs(c.expression, helper));
  // A call with no arguments is not in callExpressions (it gives nothing, as a call without this argument does).
  if (calls.length === 0 || !onlyCalled(sf, helper)) return undefined;
  const out: ts.ObjectLiteralExpression[] = [];
  for (const c of calls) {
    if (c.arguments.slice(0, index + 1).some((a) => ts.isSpreadElement(a))) return undefined;
    const arg = c.arguments[index];
    if (!arg) continue;
    const literals = spreadLiterals(arg, depth + 1, c);
    if (!literals) return undefined;
    out.push(...literals);
  }
  return out;
}

/** A helper: its name, and whether it is a private method (called as `this.name(...)`) or a function (`name(...)`). */
interface Helper {
  name: string;
  method: boolean;
}

const modifiersOf = (n: ts.Node): readonly ts.Node[] => (n as { modifiers?: ts.NodeArray<ts.Node> }).modifiers ?? [];

/** The helper a function is: `function f` or `const f = (...) => ...`, not exported, or a private method; else undefined. */
function helperOf(fn: ts.SignatureDeclaration): Helper | undefined {
  const exported = (n: ts.Node) => modifiersOf(n).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (ts.isFunctionDeclaration(fn)) return fn.name && fn.body && !exported(fn) ? { name: fn.name.text, method: false } : undefined;
  if (ts.isMethodDeclaration(fn)) {
    if (!fn.body || !ts.isClassLike(fn.parent)) return undefined;
    if (ts.isPrivateIdentifier(fn.name)) return { name: fn.name.text, method: true };
    const priv = modifiersOf(fn).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
    return priv && ts.isIdentifier(fn.name) ? { name: fn.name.text, method: true } : undefined;
  }
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const d = fn.parent;
  if (!ts.isVariableDeclaration(d) || constInitializer(d) !== fn || !ts.isIdentifier(d.name)) return undefined;
  const statement = d.parent.parent;
  return ts.isVariableStatement(statement) && !exported(statement) ? { name: d.name.text, method: false } : undefined;
}

/** `name` (a function) or `this.name` (a method) as a call's callee. */
function calleeIs(e: ts.Expression, h: Helper): boolean {
  if (!h.method) return ts.isIdentifier(e) && e.text === h.name;
  return ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword && e.name.text === h.name;
}

/** onlyCalled's answers per tree and helper (a table's props are looked up once per property). */
const calledOnly = new WeakMap<ts.SourceFile, Map<string, boolean>>();

/**
 * Every identifier `name` of the file is the callee of a call: for a function, but declarations and
 * property names; for a method, but its declaration, each one is `this.name` called.
 */
function onlyCalled(sf: ts.SourceFile, h: Helper): boolean {
  let known = calledOnly.get(sf);
  if (!known) calledOnly.set(sf, (known = new Map()));
  const key = `${h.method ? 'this.' : ''}${h.name}`;
  let answer = known.get(key);
  if (answer === undefined) known.set(key, (answer = walkOnlyCalled(sf, h)));
  return answer;
}

function walkOnlyCalled(sf: ts.SourceFile, h: Helper): boolean {
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if ((ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) && n.text === h.name) {
      const p = n.parent;
      if (h.method) {
        const declared = ts.isMethodDeclaration(p) && p.name === n;
        const called = ts.isPropertyAccessExpression(p) && p.name === n && ts.isCallExpression(p.parent) && p.parent.expression === p;
        if (!declared && !(called && calleeIs(p, h))) ok = false;
        return;
      }
      const declared =
        ((ts.isFunctionDeclaration(p) || ts.isVariableDeclaration(p) || p.kind === ts.SyntaxKind.Parameter || ts.isBindingElement(p)) &&
          (p as { name?: ts.Node }).name === n) ||
        ((ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) &&
          p.name === n);
      if (!declared && !(ts.isCallExpression(p) && p.expression === n)) ok = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return ok;
}
