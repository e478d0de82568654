/**
 * A serverless.ts table resource that another object literal spreads and then overrides (adversarial pass of session
 * 58, F6): `const tables = { Orders: { Type: 'AWS::DynamoDB::Table', Properties: {...} } }` deployed as
 * `Resources: { ...tables, Orders: { ...tables.Orders, Properties: { ...tables.Orders.Properties, SSESpecification:
 * { SSEEnabled: false } } } }`. What CloudFormation gets is the override, not the literal kmsfix reads the table from
 * (it was reported customer-managed while the deploy left it on an AWS owned key). A spread of the resource's path
 * (`tables`, `tables.Orders`, `tables.Orders.Properties`, `tables.Orders.Properties.SSESpecification`, dotted or with
 * string keys) followed in its object by a property that replaces what the spread gave toward the table (`Orders`
 * after `...tables`; `Type` or `Properties` after a spread of the resource, `SSESpecification` after one of its
 * Properties, anything after one of its SSESpecification, in an object held by that part's name; not a property whose
 * value spreads the same part again, read on its own) is such an override: the table is `unknown`. A copy of a part
 * into another resource, a `DeletionPolicy` or a `TableName` beside the spread, changes nothing of its encryption.
 */
import { propertyName, stringValue, ts, unwrap } from './parse.js';

/** The path of names that leads to a resource held in consts' object literals (`['tables', 'Orders']`), if it is one. */
function pathOf(resource: ts.ObjectLiteralExpression): string[] | undefined {
  const path: string[] = [];
  let cur: ts.Node = resource;
  for (;;) {
    const holder = cur.parent;
    if (ts.isPropertyAssignment(holder) && ts.isObjectLiteralExpression(holder.parent)) {
      const name = propertyName(holder.name);
      if (name === undefined) return undefined;
      path.unshift(name);
      cur = holder.parent;
    } else if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
      path.unshift(holder.name.text);
      return path;
    } else return undefined;
  }
}

/** An access path written as names (`a.b['c']`), or undefined. */
function accessPath(e: ts.Expression): string[] | undefined {
  const u = unwrap(e);
  if (ts.isIdentifier(u)) return [u.text];
  if (ts.isPropertyAccessExpression(u)) {
    const base = accessPath(u.expression);
    return base && [...base, u.name.text];
  }
  // (By its kind: the parser-only TypeScript build has no isElementAccessExpression.)
  if (u.kind === ts.SyntaxKind.ElementAccessExpression) {
    const a = u as ts.ElementAccessExpression;
    const key = stringValue(unwrap(a.argumentExpression));
    const base = accessPath(a.expression);
    return base && key !== undefined ? [...base, key] : undefined;
  }
  return undefined;
}

/** Is `o` held by properties of these names, innermost last (`['Orders', 'Properties']`: `Orders: { Properties: o }`)? */
function heldAs(o: ts.ObjectLiteralExpression, names: string[]): boolean {
  let cur: ts.Node = o;
  for (let i = names.length - 1; i >= 0; i--) {
    const holder = cur.parent;
    if (!ts.isPropertyAssignment(holder) || propertyName(holder.name) !== names[i]) return false;
    cur = holder.parent;
  }
  return true;
}

const same = (a: string[] | undefined, b: string[]) => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/** Where the resource is spread and overridden (`line N`), or undefined. */
export function spreadOverride(sf: ts.SourceFile, resource: ts.ObjectLiteralExpression): ts.ObjectLiteralElementLike | undefined {
  const path = pathOf(resource);
  if (!path || !sf.text.includes('...')) return undefined;
  // The resource's own path and its parts (Properties, SSESpecification): anything written after a spread of them replaces.
  const within = path.length + 2;
  let found: ts.ObjectLiteralElementLike | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isObjectLiteralExpression(n)) {
      n.properties.forEach((p, i) => {
        if (found || !ts.isSpreadAssignment(p)) return;
        const spread = accessPath(p.expression);
        if (!spread || spread.length > within || spread.some((s, k) => k < path.length && s !== path[k])) return;
        // A spread of the resource or of a part of it replaces it only where it stands for it: in an object held by
        // the same name (`Orders: { ...tables.Orders, ... }`, `Properties: { ...tables.Orders.Properties, ... }`).
        if (spread.length >= path.length && !heldAs(n, spread.slice(path.length - 1))) return;
        // What replaces, toward the table's SSESpecification: the next name of its path (`Orders` after `...tables`),
        // then `Type` or `Properties` after the resource, `SSESpecification` after its Properties, anything after its
        // SSESpecification; unless that property's value spreads the same part again (read on its own, deeper).
        const next =
          spread.length < path.length
            ? [path[spread.length]]
            : [['Type', 'Properties'], ['SSESpecification'], undefined][spread.length - path.length];
        const replaces = n.properties.slice(i + 1).some((q) => {
          if (ts.isSpreadAssignment(q) || q.name === undefined) return false;
          const name = propertyName(q.name);
          if (next !== undefined && (name === undefined || !next.includes(name))) return false;
          const value = ts.isPropertyAssignment(q) ? unwrap(q.initializer) : undefined;
          const again = [...spread, ...(spread.length < path.length ? [path[spread.length]] : name ? [name] : [])];
          return !(
            value &&
            ts.isObjectLiteralExpression(value) &&
            value.properties.some((x) => ts.isSpreadAssignment(x) && same(accessPath(x.expression), again))
          );
        });
        if (replaces) found = p;
      });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}
