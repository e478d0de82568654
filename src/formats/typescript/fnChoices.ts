/**
 * The frameworks' `Fn` calls whose value is one of the values written in them, read as the template they synthesize
 * reads them (adversarial pass s61 F7, F5: each was read as one key, customer-managed):
 * - AWS CDK's `Fn.conditionIf(condition, a, b)` (CloudFormation's Fn::If; `Aws.NO_VALUE`, `Fn.ref('AWS::NoValue')`,
 *   is the property not written), also as a string (`.toString()`, `Token.asString(...)`);
 * - CDK for Terraform's `Fn.lookup(map, key, default)` (Terraform's lookup): the map's entry the key names, or, where
 *   the code does not tell which (`it.value` of a TerraformIterator, `each.key`), any of its entries, or the default.
 * A key read through one is read as a condition's branches are: a value that is no key (NO_VALUE, null, undefined) may
 * leave the table without one (optionalProps.ts mayBeUndefined), a value that is the AWS managed key may be that key
 * (awsManagedKey.ts), as the CloudFormation family reads `!If [c, key, !Ref AWS::NoValue]` and the Terraform family
 * `lookup({ x = key }, each.key, null)` (unknown).
 */
import { declarationOf } from './consts.js';
import { propertyName, stringValue, ts, unwrap, isUnset } from './parse.js';
import { onlyValueOf } from './singleValue.js';

/** One value the call may be: `none` when it is no value at all (the property left out); `where`: when it is, for messages. */
export interface FnChoice {
  value: ts.Expression;
  none: boolean;
  where: string;
}

/** The values a `Fn.conditionIf` or `Fn.lookup` call may be (see above); undefined for any other expression. */
export function fnChoices(e: ts.Expression): FnChoice[] | undefined {
  const call = fnCall(e);
  if (!call) return undefined;
  const [first, second, third] = call.call.arguments;
  if (call.name === 'conditionIf') {
    if (!first || !second || !third) return undefined;
    const condition = conditionName(first);
    return [second, third].map((value, i) => ({
      value,
      none: isNoValue(value),
      where: `where the condition ${condition} is ${i === 0 ? 'true' : 'false'}`,
    }));
  }
  if (!first || !second) return undefined;
  const map = mapOf(first);
  const key = stringValue(unwrap(second));
  const named = key === undefined ? undefined : map?.find((m) => m.name === key);
  if (named) return [{ value: named.value, none: isUnset(named.value), where: `for the key ${key}` }];
  const entries = (map ?? []).map((m) => ({ value: m.value, none: isUnset(m.value), where: `where ${second.getText()} is ${m.name}` }));
  // Without a default, a key the map lacks fails the plan: no value of the table.
  return third
    ? [
        ...entries,
        { value: third, none: isUnset(third), where: `where the map has no entry for ${second.getText()} (the lookup's default)` },
      ]
    : entries;
}

/** `Fn.conditionIf(...)` / `Fn.lookup(...)` (`cdk.Fn`, an imported `Fn`), through `.toString()` and `Token.asString(...)`. */
function fnCall(e: ts.Expression, depth = 0): { call: ts.CallExpression; name: 'conditionIf' | 'lookup' } | undefined {
  const u = unwrap(e);
  if (depth > 4 || !ts.isCallExpression(u) || !ts.isPropertyAccessExpression(u.expression)) return undefined;
  const name = u.expression.name.text;
  const owner = unwrap(u.expression.expression);
  const ownerName = ts.isPropertyAccessExpression(owner) ? owner.name.text : ts.isIdentifier(owner) ? owner.text : undefined;
  if (name === 'toString' && u.arguments.length === 0) return fnCall(owner, depth + 1);
  if (name === 'asString' && ownerName === 'Token' && u.arguments[0]) return fnCall(u.arguments[0], depth + 1);
  if (ownerName !== 'Fn') return undefined;
  return name === 'conditionIf' || name === 'lookup' ? { call: u, name } : undefined;
}

/** A condition as its template names it: `isProd` of `isProd.logicalId`, a string's text, else as written. */
function conditionName(e: ts.Expression): string {
  const u = unwrap(e);
  if (ts.isPropertyAccessExpression(u) && u.name.text === 'logicalId') return u.expression.getText();
  return stringValue(u) ?? u.getText();
}

/** CloudFormation's AWS::NoValue as CDK writes it (`Aws.NO_VALUE`, `Fn.ref('AWS::NoValue')`), or null / undefined. */
function isNoValue(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (isUnset(u)) return true;
  if (ts.isPropertyAccessExpression(u)) return u.name.text === 'NO_VALUE';
  return ts.isCallExpression(u) && ts.isPropertyAccessExpression(u.expression) && u.expression.name.text === 'ref'
    ? stringValue(unwrap(u.arguments[0] ?? u)) === 'AWS::NoValue'
    : false;
}

/** A map's entries, written in the call or in a const of the file; undefined where kmsfix cannot list them (a spread...). */
function mapOf(e: ts.Expression, depth = 0): { name: string; value: ts.Expression }[] | undefined {
  const u = unwrap(e);
  if (depth > 4) return undefined;
  if (ts.isIdentifier(u)) {
    const init = onlyValueOf(declarationOf(u));
    return init && mapOf(init, depth + 1);
  }
  if (!ts.isObjectLiteralExpression(u)) return undefined;
  const out: { name: string; value: ts.Expression }[] = [];
  for (const p of u.properties) {
    const name = p.name && propertyName(p.name);
    if (name === undefined) return undefined;
    if (ts.isPropertyAssignment(p)) out.push({ name, value: p.initializer });
    else if (ts.isShorthandPropertyAssignment(p)) out.push({ name, value: p.name });
    else return undefined;
  }
  return out;
}

/**
 * `Key.fromKeyArn(this, 'K', Fn.conditionIf(c, key.keyArn, Aws.NO_VALUE).toString())`, in place or through the file's
 * consts: the key ARN CDK synthesizes for the table is that Fn::If, one of whose values is no key. Why, for messages
 * (`subject`: the key as written); undefined for any other key.
 */
export function noKeyArn(e: ts.Expression, subject: string, depth = 0): string | undefined {
  const u = unwrap(e);
  if (depth > 4) return undefined;
  if (ts.isIdentifier(u)) {
    const init = onlyValueOf(declarationOf(u));
    return init && noKeyArn(init, subject, depth + 1);
  }
  if (!ts.isCallExpression(u) || !ts.isPropertyAccessExpression(u.expression) || u.expression.name.text !== 'fromKeyArn') return undefined;
  const arn = u.arguments[2];
  const none = arn && fnChoices(arn)?.find((c) => c.none);
  return none && `the key ARN of ${subject} is ${unwrap(none.value).getText()} (no key) ${none.where}`;
}
