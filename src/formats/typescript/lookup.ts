/**
 * Reading a property of an object literal as the object would hold it, by syntax alone (through
 * spreads of `const` object literals of the file, src/formats/typescript/consts.ts).
 */
import { constObjectOf } from './consts.js';
import { propertyName, stringValue, ts, unwrap } from './parse.js';

export type Lookup =
  | { kind: 'absent' }
  | { kind: 'value'; prop: ts.PropertyAssignment | ts.ShorthandPropertyAssignment; value: ts.Expression }
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
      const base = depth < 8 ? constObjectOf(p.expression) : undefined;
      if (base) {
        const inner = lookup(sf, base.literal, name, depth + 1);
        if (inner.kind !== 'absent') found = inner;
        continue;
      }
      const literals = depth < 8 ? spreadLiterals(p.expression) : undefined;
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
 * The object literals a spread may add, when it can add nothing else: a literal, `c && {...}` (a falsy
 * `c` adds nothing), `c ? {...} : {...}`, null or undefined; undefined for any other expression.
 */
function spreadLiterals(e: ts.Expression): ts.ObjectLiteralExpression[] | undefined {
  const x = unwrap(e);
  if (ts.isObjectLiteralExpression(x)) return [x];
  if (x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined')) return [];
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return spreadLiterals(x.right);
  if (ts.isConditionalExpression(x)) {
    const a = spreadLiterals(x.whenTrue);
    const b = spreadLiterals(x.whenFalse);
    return a && b ? [...a, ...b] : undefined;
  }
  return undefined;
}
