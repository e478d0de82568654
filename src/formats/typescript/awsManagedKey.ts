/**
 * A key written as a lookup of the AWS managed key: `alias/aws/dynamodb`, or an ARN ending in it, given to
 * AWS CDK's `Alias.fromAliasName` / `Alias.fromAliasAttributes` / `Key.fromKeyArn` / `Key.fromLookup`, Pulumi's
 * `aws.kms.getAlias(Output)` / `getKey(Output)`, or CDK for Terraform's `DataAwsKmsAlias` / `DataAwsKmsKey`, and
 * read through their attributes (`.targetKeyArn`, `.keyArn`...), `.then(...)` / `.apply(...)`, and the file's
 * consts. Such a table uses the AWS managed key, as one given the literal alias does (a CloudFormation
 * `KMSMasterKeyId: alias/aws/dynamodb`, Terraform's `data "aws_kms_alias"`): aws-managed, not customer-managed.
 * The names are matched as written (the call's last name), the alias as a literal of the call.
 */
import { isAwsManagedKeyRef } from '../../rule/status.js';
import { declarationOf } from './consts.js';
import { fieldValue, memberValue, onlyValueOf } from './singleValue.js';
import { propertyName, stringValue, ts, unwrap } from './parse.js';

/** A lookup's name, the argument that holds the alias, and the property of it that does (none: the argument itself). */
const LOOKUPS: Record<string, { arg: number; prop?: string }> = {
  fromAliasName: { arg: 2 },
  fromKeyArn: { arg: 2 },
  fromLookup: { arg: 2, prop: 'aliasName' },
  fromAliasAttributes: { arg: 2, prop: 'aliasName' },
  getAlias: { arg: 0, prop: 'name' },
  getAliasOutput: { arg: 0, prop: 'name' },
  getKey: { arg: 0, prop: 'keyId' },
  getKeyOutput: { arg: 0, prop: 'keyId' },
  DataAwsKmsAlias: { arg: 2, prop: 'name' },
  DataAwsKmsKey: { arg: 2, prop: 'keyId' },
};

/** The attributes of a lookup that are its key (or alias), as each framework names them. */
const KEY_ATTRIBUTES = new Set(['arn', 'id', 'keyArn', 'keyId', 'aliasArn', 'aliasName', 'targetKeyArn', 'targetKeyId', 'aliasTargetKey']);

/** Does the key expression name the AWS managed key (see above)? */
export function namesAwsManagedKey(e: ts.Expression, depth = 0): boolean {
  if (depth > 8) return false;
  const u = unwrap(e);
  const s = stringValue(u);
  if (s !== undefined) return s.trim() !== '' && isAwsManagedKeyRef(s);
  // `arn:${partition}:kms:${region}:${account}:alias/aws/dynamodb`, or the same joined with `+`.
  if (ts.isTemplateExpression(u)) return isAwsManagedKeyRef(`:${u.templateSpans[u.templateSpans.length - 1].literal.text}`);
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken) return namesAwsManagedKey(u.right, depth + 1);
  // `await aws.kms.getAlias(...)`.
  if (u.kind === ts.SyntaxKind.AwaitExpression) return namesAwsManagedKey((u as ts.AwaitExpression).expression, depth + 1);
  if (ts.isIdentifier(u)) {
    const init = onlyValueOf(declarationOf(u));
    return init !== undefined && namesAwsManagedKey(init, depth + 1);
  }
  if (ts.isPropertyAccessExpression(u)) {
    if (KEY_ATTRIBUTES.has(u.name.text) && namesAwsManagedKey(u.expression, depth + 1)) return true;
    // `this.dynamoKey`: the class field's one value; `keys.dynamo`: a const object's member.
    const held = fieldValue(u) ?? memberValue(u, declarationOf);
    return held !== undefined && namesAwsManagedKey(held, depth + 1);
  }
  if (ts.isCallExpression(u) || ts.isNewExpression(u)) {
    const callee = unwrap(u.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    // `lookup.then((a) => a.targetKeyArn)`, `output.apply(...)`: the lookup's key.
    if ((name === 'then' || name === 'apply') && ts.isPropertyAccessExpression(callee))
      return namesAwsManagedKey(callee.expression, depth + 1);
    // `pulumi.output(lookup)`.
    if (name === 'output' && u.arguments?.length === 1) return namesAwsManagedKey(u.arguments[0], depth + 1);
    const lookup = name === undefined ? undefined : LOOKUPS[name];
    const arg = lookup && u.arguments?.[lookup.arg];
    if (!lookup || !arg) return false;
    if (!lookup.prop) return namesAwsManagedKey(arg, depth + 1);
    const o = unwrap(arg);
    if (!ts.isObjectLiteralExpression(o)) return false;
    const p = o.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x.name) === lookup.prop);
    return p !== undefined && ts.isPropertyAssignment(p) && namesAwsManagedKey(p.initializer, depth + 1);
  }
  return false;
}
