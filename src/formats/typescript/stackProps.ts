/**
 * A key a stack class takes in its props (`Key.fromKeyArn(this, 'K', props.keyArn)`, `Alias.fromAliasName(this, 'A',
 * props.keyAlias)`, `encryptionKey: props.key`), read where the CDK app's entry creates the class (cdkApp.ts
 * entryStackProps: each `new S(app, 'Prod', { keyArn: '...' })` with the props it passes). awsManagedKey.ts judges
 * the value each creation passes as it judges a key written in place: the AWS managed key's alias ARN passed as a
 * literal (or a const of the entry holding one) makes the table `unknown` (adversarial pass s61 M2: read as
 * customer-managed; never `aws-managed`, as the entry may not show every creation: s62 adv2 F6).
 * Only the constructor's props parameter (the third, as a stack's and a construct's are) the constructor never
 * assigns is followed; a creation whose props kmsfix cannot read (a spread after the member, a value of a loop) gives
 * nothing.
 */
import { declarationOf, constObjectOf } from './consts.js';
import { propertyName, stringValue, ts, unwrap } from './parse.js';
import { assignsName } from './singleValue.js';

/** A creation of a class in the app's entry: where (`bin/app.ts line 4`) and the props it passes (its third argument). */
export interface StackCreation {
  at: string;
  props: ts.Expression | undefined;
}

/** The creations of each class of the file the app's entry creates, by class name (projectValues.ts). */
export type StackProps = Map<string, StackCreation[]>;

/** A member of a constructor's props parameter an expression reads: the class and the member (`S`, `keyArn`). */
export interface PropsRead {
  cls: string;
  member: string;
}

/** `props.keyArn` (`props!.keyArn`, `props?.keyArn`, `props['keyArn']`) of a class's constructor's props parameter. */
export function propsRead(u: ts.Expression): PropsRead | undefined {
  let member: string | undefined;
  let receiver: ts.Expression;
  if (u.kind === ts.SyntaxKind.PropertyAccessExpression) {
    const access = u as ts.PropertyAccessExpression;
    member = access.name.text;
    receiver = unwrap(access.expression);
  } else if (u.kind === ts.SyntaxKind.ElementAccessExpression) {
    const access = u as ts.ElementAccessExpression;
    member = stringValue(unwrap(access.argumentExpression));
    receiver = unwrap(access.expression);
  } else return undefined;
  if (member === undefined || receiver.kind !== ts.SyntaxKind.Identifier) return undefined;
  const name = (receiver as ts.Identifier).text;
  // A variable of a block around the read (not the parameter) shadows it.
  if (declarationOf(receiver as ts.Identifier) !== 'other') return undefined;
  for (let cur: ts.Node = receiver; cur.parent; cur = cur.parent) {
    const p = cur.parent;
    if (!ts.isFunctionLike(p)) continue;
    const i = p.parameters.findIndex((x) => x.name.kind === ts.SyntaxKind.Identifier && (x.name as ts.Identifier).text === name);
    if (i < 0) continue;
    if (i !== 2 || !ts.isConstructorDeclaration(p) || !ts.isClassDeclaration(p.parent) || !p.parent.name) return undefined;
    if (p.body && assignsName(p.body, name)) return undefined;
    return { cls: p.parent.name.text, member };
  }
  return undefined;
}

/**
 * The value a creation's props give `member`: of an object literal written in place or a `const` of the entry holding
 * one, its last property of that name, when no spread comes after it; undefined otherwise.
 */
export function passedValue(props: ts.Expression | undefined, member: string): ts.Expression | undefined {
  const u = props && unwrap(props);
  const literal = u && (u.kind === ts.SyntaxKind.ObjectLiteralExpression ? (u as ts.ObjectLiteralExpression) : constObjectOf(u)?.literal);
  if (!literal) return undefined;
  for (let i = literal.properties.length - 1; i >= 0; i--) {
    const p = literal.properties[i];
    if (ts.isSpreadAssignment(p)) return undefined;
    if (ts.isPropertyAssignment(p) && propertyName(p.name) === member) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === member) return p.name;
  }
  return undefined;
}
