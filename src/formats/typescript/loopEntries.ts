/**
 * The values a loop's variable takes, read by syntax, for a key that one entry may leave out (adversarial pass s61 F2:
 * `for (const d of [{ name: 'Users', key }, { name: 'Audit' }])` then `encryptionKey: d.key` was customer-managed,
 * though the Audit table gets the AWS owned key). The loop is a `for...of` or a callback of the array's `forEach`,
 * `map` or `flatMap`; the array is a literal, written in place or in a `const` of the file. The name may be the loop's
 * variable or a part of it (`for (const { key } of defs)`, `for (const [name, key] of pairs)`), and a member read
 * from it (`d.key`) is one more step. An entry that is not a literal, a spread, or a binding with a default: not read.
 */
import { constInitializer, declarationOf } from './consts.js';
import { propertyName, ts, unwrap } from './parse.js';

/** One step into an entry: a member's name, or a tuple's index. */
type Step = string | number;

/** What an entry gives at a path: its value, or `missing` where a literal leaves it out. */
export type EntryValue = { entry: ts.Expression; value: ts.Expression } | { entry: ts.Expression; missing: true };

/**
 * The entries an expression reads when it is a loop's variable, a part of one, or a member of either (`d.key`):
 * each entry's value there, or `missing`; undefined when it is none of these or an entry cannot be read.
 */
export function loopEntryValues(e: ts.Expression): { values: EntryValue[]; array: ts.Expression } | undefined {
  const u = unwrap(e);
  const steps: Step[] = [];
  let id: ts.Expression = u;
  if (ts.isPropertyAccessExpression(u) && !u.questionDotToken) {
    steps.push(u.name.text);
    id = unwrap(u.expression);
  }
  if (!ts.isIdentifier(id)) return undefined;
  const bound = loopBinding(id);
  if (!bound) return undefined;
  const array = arrayOf(bound.over);
  if (!array) return undefined;
  const path = [...bound.path, ...steps];
  const values: EntryValue[] = [];
  for (const entry of array.elements) {
    const v = valueAt(entry, path);
    if (!v) return undefined;
    values.push(v === 'missing' ? { entry, missing: true } : { entry, value: v });
  }
  return { values, array: bound.over };
}

/** The array a loop runs over and the path from its entry to the name: `for (const d of defs)`, `defs.forEach((d) => ...)`. */
function loopBinding(id: ts.Identifier): { over: ts.Expression; path: Step[] } | undefined {
  for (let cur: ts.Node = id; cur.parent; cur = cur.parent) {
    const p: ts.Node = cur.parent;
    if (ts.isForOfStatement(p) && p.statement === cur && ts.isVariableDeclarationList(p.initializer)) {
      const d = p.initializer.declarations[0];
      const path = d && pathTo(d.name, id.text);
      if (path) return { over: p.expression, path };
    }
    if (ts.isFunctionLike(p)) {
      const first = p.parameters[0];
      const path = first && !first.initializer ? pathTo(first.name, id.text) : undefined;
      if (path) {
        const call = p.parent;
        if (
          ts.isCallExpression(call) &&
          call.arguments[0] === p &&
          ts.isPropertyAccessExpression(call.expression) &&
          LOOPS.has(call.expression.name.text)
        )
          return { over: call.expression.expression, path };
      }
      // Any other binding of the name in a function between: not a loop's.
      if (p.parameters.some((x) => pathTo(x.name, id.text))) return undefined;
    }
  }
  return undefined;
}

/** The array methods that call their callback with each entry in turn. */
const LOOPS = new Set(['forEach', 'map', 'flatMap']);

/** The path from a binding to the name it binds (`d`: none; `{ key }`: key; `[n, k]`: 1), without a default or rest on the way. */
function pathTo(name: ts.BindingName, text: string): Step[] | undefined {
  if (ts.isIdentifier(name)) return name.text === text ? [] : undefined;
  if (ts.isObjectBindingPattern(name)) {
    for (const el of name.elements) {
      const member = el.propertyName
        ? propertyName(el.propertyName as ts.PropertyName)
        : ts.isIdentifier(el.name)
          ? el.name.text
          : undefined;
      const rest = pathTo(el.name, text);
      if (!rest) continue;
      if (el.initializer || el.dotDotDotToken || member === undefined) return undefined;
      return [member, ...rest];
    }
    return undefined;
  }
  for (const [i, el] of name.elements.entries()) {
    if (el.kind === ts.SyntaxKind.OmittedExpression) continue;
    const b = el as ts.BindingElement;
    const rest = pathTo(b.name, text);
    if (!rest) continue;
    return b.initializer || b.dotDotDotToken ? undefined : [i, ...rest];
  }
  return undefined;
}

/** An array literal, written in place or held in a `const` of the file. */
function arrayOf(e: ts.Expression): ts.ArrayLiteralExpression | undefined {
  let u = unwrap(e);
  if (ts.isIdentifier(u)) {
    const init = constInitializer(declarationOf(u));
    if (!init) return undefined;
    u = unwrap(init);
  }
  if (!ts.isArrayLiteralExpression(u) || u.elements.some((x) => x.kind === ts.SyntaxKind.SpreadElement)) return undefined;
  return u;
}

/** An entry's value at a path: the expression, `missing` where a literal leaves it out; undefined where kmsfix cannot read it. */
function valueAt(entry: ts.Expression, path: Step[]): ts.Expression | 'missing' | undefined {
  let cur: ts.Expression = entry;
  for (const step of path) {
    const u = unwrap(cur);
    if (typeof step === 'number') {
      if (!ts.isArrayLiteralExpression(u) || u.elements.some((x) => x.kind === ts.SyntaxKind.SpreadElement)) return undefined;
      const el = u.elements[step];
      if (!el || el.kind === ts.SyntaxKind.OmittedExpression) return 'missing';
      cur = el;
      continue;
    }
    if (!ts.isObjectLiteralExpression(u)) return undefined;
    let found: ts.Expression | undefined;
    for (const p of u.properties) {
      if (ts.isSpreadAssignment(p)) return undefined;
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === step) found = p.name;
      else if (ts.isPropertyAssignment(p) && propertyName(p.name) === step) found = p.initializer;
      else if (!ts.isShorthandPropertyAssignment(p) && !ts.isPropertyAssignment(p) && p.name && propertyName(p.name) === step)
        return undefined;
    }
    if (!found) return 'missing';
    cur = found;
  }
  return cur;
}
