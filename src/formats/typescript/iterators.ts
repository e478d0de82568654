/**
 * A CDKTF table created several times by Terraform (`forEach: TerraformIterator...` or `count`): the
 * fix's alias names the table (`alias/dynamodb/${tables.name}`), which CDKTF renders without an
 * instance key (`${aws_dynamodb_table.tables.name}`); Terraform refuses that ("Missing resource
 * instance key"), and one alias cannot name several instances anyway. Such a table is not fixed,
 * unless --kms-key-arn gives the key (then nothing is added beside it).
 */
import type { Obstacle } from '../../rule/facts.js';
import { declarationOf } from './consts.js';
import { lookup, snippet } from './lookup.js';
import { isNullish, propertyName, stringValue, ts, unwrap } from './parse.js';
import { onlyValueOf } from './singleValue.js';

/** The `generated-key` obstacle of CDKTF table props with `forEach` or `count` set (not null or undefined). */
export function cdktfIteratorObstacle(sf: ts.SourceFile, props: ts.ObjectLiteralExpression): Obstacle | undefined {
  for (const name of ['forEach', 'count']) {
    const found = lookup(sf, props, name);
    if (found.kind !== 'value') continue;
    const v = unwrap(found.value);
    if (isNullish(v)) continue;
    const how = `${name}: ${snippet(sf, found.value)}`;
    return {
      kind: 'generated-key',
      step:
        `the table is created several times (${how}), and a key alias naming it would be rendered without an ` +
        'instance key, which Terraform refuses ("Missing resource instance key"); one alias cannot name every instance ' +
        `either. Declare the key by hand: a KmsKey, serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } on the table, ` +
        `and, for aliases, a KmsAlias with the same ${name} (its name from the iterator or count index, not from the table)`,
    };
  }
  return undefined;
}

/**
 * What a read of a CDKTF iterator gives, entry by entry (adversarial pass s63 F4: `kmsKeyArn: keys.value` of
 * `TerraformIterator.fromMap({ a: '...alias/aws/dynamodb' })` was read as a customer-managed key; Terraform's
 * `each.value` is read against its collection, inputUses.ts collectionOf): `it.value`, `it.key`, a member of each
 * entry (`it.getString('arn')`, `getAny`, `it.value.arn`), also through `Token.asString(...)` / `Token.asAny(...)`,
 * of an iterator `TerraformIterator.fromList(...)` / `fromMap(...)` of the file (a const) whose collection is written
 * in place or in a const of the file. `values`: each entry's value as an expression of the file, or as text (a map's
 * key); `read`, the read as written; `of`, the iterator's creation. Undefined for any other expression, and for a
 * collection kmsfix cannot list (another iterator, a variable, a spread, a computed name), as Terraform's detection
 * leaves `each.value` of a collection it cannot list: the key as written.
 */
export interface IteratedValues {
  values: (ts.Expression | string)[];
  read: ts.Expression;
  of: ts.CallExpression;
}

export function iteratedValues(e: ts.Expression, depth = 0): IteratedValues | undefined {
  if (depth > 4) return undefined;
  const u = unwrap(e);
  if (u.kind === ts.SyntaxKind.CallExpression) {
    const call = u as ts.CallExpression;
    const callee = unwrap(call.expression);
    if (callee.kind !== ts.SyntaxKind.PropertyAccessExpression) return undefined;
    const access = callee as ts.PropertyAccessExpression;
    const method = access.name.text;
    const arg = call.arguments[0];
    // `Token.asString(it.value)`: the value itself.
    if ((method === 'asString' || method === 'asAny') && /(^|\.)Token$/.test(access.expression.getText()) && arg)
      return iteratedValues(arg, depth + 1);
    // `it.getString('arn')`: that member of each entry.
    const member = arg && stringValue(unwrap(arg));
    if (!/^get(String|Any)$/.test(method) || member === undefined) return undefined;
    const entries = iteratorEntries(access.expression);
    const values = entries?.values && membersOf(entries.values, member);
    return values && entries && { values, read: u, of: entries.of };
  }
  if (u.kind !== ts.SyntaxKind.PropertyAccessExpression && u.kind !== ts.SyntaxKind.ElementAccessExpression) return undefined;
  const access = u as ts.PropertyAccessExpression | ts.ElementAccessExpression;
  const name =
    access.kind === ts.SyntaxKind.PropertyAccessExpression
      ? (access as ts.PropertyAccessExpression).name.text
      : stringValue(unwrap((access as ts.ElementAccessExpression).argumentExpression));
  if (name === undefined) return undefined;
  const entries = iteratorEntries(access.expression);
  if (entries) {
    const values = name === 'value' ? entries.values : name === 'key' ? entries.keys : undefined;
    return values && { values, read: u, of: entries.of };
  }
  // `it.value.arn`: that member of each entry.
  const inner = unwrap(access.expression);
  if (inner.kind !== ts.SyntaxKind.PropertyAccessExpression || (inner as ts.PropertyAccessExpression).name.text !== 'value')
    return undefined;
  const of = iteratorEntries((inner as ts.PropertyAccessExpression).expression);
  const values = of?.values && membersOf(of.values, name);
  return values && of && { values, read: u, of: of.of };
}

/**
 * The entries of the iterator an expression names (a const of the file holding `TerraformIterator.fromList(...)` or
 * `fromMap(...)`): `values` and `keys` (a list's items are its keys, as a set's are to `for_each`; a map's keys as text),
 * each undefined where kmsfix cannot list them. Undefined for any other expression.
 */
function iteratorEntries(
  e: ts.Expression,
): { values?: (ts.Expression | string)[]; keys?: (ts.Expression | string)[]; of: ts.CallExpression } | undefined {
  const u = unwrap(e);
  if (u.kind !== ts.SyntaxKind.Identifier) return undefined;
  const init = onlyValueOf(declarationOf(u as ts.Identifier));
  const call = init && unwrap(init);
  if (call?.kind !== ts.SyntaxKind.CallExpression) return undefined;
  const callee = unwrap((call as ts.CallExpression).expression);
  if (callee.kind !== ts.SyntaxKind.PropertyAccessExpression) return undefined;
  const { name, expression } = callee as ts.PropertyAccessExpression;
  if (!/(^|\.)TerraformIterator$/.test(expression.getText())) return undefined;
  const of = call as ts.CallExpression;
  const arg = of.arguments[0];
  const collection = arg && constValue(arg);
  if (name.text === 'fromList') {
    if (collection?.kind !== ts.SyntaxKind.ArrayLiteralExpression) return { of };
    const items = (collection as ts.ArrayLiteralExpression).elements;
    if (items.some((x) => x.kind === ts.SyntaxKind.SpreadElement || x.kind === ts.SyntaxKind.OmittedExpression)) return { of };
    return { values: [...items], keys: [...items], of };
  }
  if (name.text !== 'fromMap') return undefined;
  if (collection?.kind !== ts.SyntaxKind.ObjectLiteralExpression) return { of };
  const values: ts.Expression[] = [];
  const keys: string[] = [];
  for (const p of (collection as ts.ObjectLiteralExpression).properties) {
    const key = p.name && propertyName(p.name);
    if (key === undefined) return { of };
    if (p.kind === ts.SyntaxKind.PropertyAssignment) values.push((p as ts.PropertyAssignment).initializer);
    else if (p.kind === ts.SyntaxKind.ShorthandPropertyAssignment) values.push((p as ts.ShorthandPropertyAssignment).name);
    else return { of };
    keys.push(key);
  }
  return { values, keys, of };
}

/** An expression, or the one value of the const of the file it names. */
function constValue(e: ts.Expression): ts.Expression {
  const u = unwrap(e);
  const init = u.kind === ts.SyntaxKind.Identifier ? onlyValueOf(declarationOf(u as ts.Identifier)) : undefined;
  return init ? unwrap(init) : u;
}

/** The member `name` of each entry (an object literal, in place or a const of the file); undefined when one is not one. */
function membersOf(entries: (ts.Expression | string)[], name: string): ts.Expression[] | undefined {
  const out: ts.Expression[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') return undefined;
    const o = constValue(entry);
    if (o.kind !== ts.SyntaxKind.ObjectLiteralExpression) return undefined;
    const props = (o as ts.ObjectLiteralExpression).properties;
    for (let i = props.length - 1; i >= 0; i--) {
      const p = props[i];
      if (p.kind === ts.SyntaxKind.SpreadAssignment) return undefined;
      if (!p.name || propertyName(p.name) !== name) continue;
      if (p.kind === ts.SyntaxKind.PropertyAssignment) out.push((p as ts.PropertyAssignment).initializer);
      else if (p.kind === ts.SyntaxKind.ShorthandPropertyAssignment) out.push((p as ts.ShorthandPropertyAssignment).name);
      else return undefined;
      break;
    }
  }
  return out;
}
