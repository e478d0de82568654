/**
 * A key written through the frameworks' string helpers (session 58, adversarial F2/F3): Pulumi's
 * `` pulumi.interpolate`arn:aws:kms:${region}:${account}:alias/aws/dynamodb` ``, `pulumi.concat(...)`,
 * `pulumi.all([...]).apply(([r, a]) => `...`)`, and CDK's `Fn.join(':', [...])`, `Fn.sub('...')`,
 * `this.formatArn({ service: 'kms', resource: 'alias', resourceName: 'aws/dynamodb' })` (`Arn.format`). Their literal
 * pieces joined, a piece kmsfix does not know as `*`, are judged as the rule says (src/rule/composedKey.ts); an
 * `interpolate` of one substitution, and an `apply`'s returned expression, are what they hold (awsManagedKey.ts walks them).
 * A piece (or a template's substitution) that is a const of the file, or a const object's member, holding a string is
 * that string, as a key written as the const is read (its one value, singleValue.ts); any other piece is `*`.
 */
import { joinPieces, MAX_PARTS } from '../../rule/composedKey.js';
import { declarationOf } from './consts.js';
import { propertyName, stringValue, ts, unwrap } from './parse.js';
import { memberValue, onlyValueOf } from './singleValue.js';

/** What a helper call gives: its text (joinPieces), or the one expression it is (walked as a key). */
export type Composed = { text: string } | { inner: ts.Expression };

/** The text a helper call composes, or the expression it is; undefined for any other expression. */
export function composedOf(u: ts.Expression): Composed | undefined {
  if (u.kind === ts.SyntaxKind.TaggedTemplateExpression) {
    const t = u as ts.TaggedTemplateExpression;
    if (lastName(t.tag) !== 'interpolate') return undefined;
    const tpl = t.template;
    if (ts.isTemplateExpression(tpl) && tpl.head.text === '' && tpl.templateSpans.length === 1 && tpl.templateSpans[0].literal.text === '')
      return { inner: tpl.templateSpans[0].expression };
    return { text: pieceOf(tpl) };
  }
  if (u.kind !== ts.SyntaxKind.CallExpression) return undefined;
  const call = u as ts.CallExpression;
  const name = lastName(call.expression);
  const args = call.arguments;
  if (args.length > MAX_PARTS) return undefined;
  if (name === 'concat' && qualifier(call.expression) === 'pulumi') return { text: joinPieces(args.map(pieceOf)) };
  if (name === 'interpolate' && args.length === 1) return { text: pieceOf(args[0]) };
  if (name === 'join' && qualifier(call.expression) === 'Fn') {
    const delimiter = stringValue(unwrap(args[0]));
    const list = args[1] && unwrap(args[1]);
    if (delimiter === undefined || list?.kind !== ts.SyntaxKind.ArrayLiteralExpression) return undefined;
    const items = (list as ts.ArrayLiteralExpression).elements;
    return items.length > MAX_PARTS ? undefined : { text: joinPieces(items.map(pieceOf), delimiter) };
  }
  if (name === 'sub' && qualifier(call.expression) === 'Fn') {
    const template = stringValue(unwrap(args[0]));
    if (template === undefined) return undefined;
    const vars = args[1] && unwrap(args[1]);
    const own = (v: string) =>
      vars?.kind === ts.SyntaxKind.ObjectLiteralExpression ? property(vars as ts.ObjectLiteralExpression, v) : undefined;
    return { text: template.replace(/\$\{([^}]*)\}/g, (_, v: string) => joinPieces([constString(own(v.trim()))])) };
  }
  if (name === 'formatArn' || (name === 'format' && qualifier(call.expression) === 'Arn')) {
    const o = args[0] && unwrap(args[0]);
    if (o?.kind !== ts.SyntaxKind.ObjectLiteralExpression) return undefined;
    const at = (p: string) => constString(property(o as ts.ObjectLiteralExpression, p));
    const format = property(o as ts.ObjectLiteralExpression, 'arnFormat');
    const sep = format && lastName(format) === 'COLON_RESOURCE_NAME' ? ':' : '/';
    const resourceName = at('resourceName');
    const tail = at('resource') === undefined ? undefined : `${at('resource')}${resourceName === undefined ? '' : `${sep}${resourceName}`}`;
    return { text: joinPieces(['arn', at('partition'), at('service'), at('region'), at('account'), tail], ':') };
  }
  // `pulumi.all([...]).apply(([r, a]) => `arn:...:alias/aws/dynamodb`)`: what the function returns.
  if ((name === 'apply' || name === 'then') && args.length === 1) {
    const fn = unwrap(args[0]);
    if (!ts.isArrowFunction(fn)) return undefined;
    const body = fn.body;
    return body.kind === ts.SyntaxKind.Block ? undefined : { inner: body as ts.Expression };
  }
  return undefined;
}

/** A string's text, a template's with each substitution's (constString, `*` when not known); `*` for anything else. */
function pieceOf(e: ts.Node): string {
  const u = ts.isTemplateExpression(e) ? e : unwrap(e as ts.Expression);
  const s = constString(u as ts.Expression);
  if (s !== undefined) return s;
  if (!ts.isTemplateExpression(u)) return joinPieces([undefined]);
  return u.head.text + u.templateSpans.map((span) => joinPieces([constString(span.expression)]) + span.literal.text).join('');
}

/**
 * A string the expression is: a literal, or a const of the file (a const object's member) whose one value is one,
 * followed through consts; undefined for anything else (a value the file may change is not read: singleValue.ts).
 */
function constString(e: ts.Expression | undefined, depth = 0): string | undefined {
  if (!e || depth > 8) return undefined;
  const u = e.kind === ts.SyntaxKind.TemplateExpression ? e : unwrap(e);
  const s = stringValue(u);
  if (s !== undefined) return s;
  const held =
    u.kind === ts.SyntaxKind.Identifier
      ? onlyValueOf(declarationOf(u as ts.Identifier))
      : u.kind === ts.SyntaxKind.PropertyAccessExpression
        ? memberValue(u as ts.PropertyAccessExpression, declarationOf)
        : undefined;
  return constString(held, depth + 1);
}

/** A property's value in an object literal, by name. */
function property(o: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of o.properties)
    if (p.kind === ts.SyntaxKind.PropertyAssignment && propertyName((p as ts.PropertyAssignment).name) === name)
      return unwrap((p as ts.PropertyAssignment).initializer);
  return undefined;
}

/** The last name of a callee or tag (`pulumi.interpolate`: interpolate; `interpolate`: itself). */
function lastName(e: ts.Node): string | undefined {
  const u = unwrap(e as ts.Expression);
  if (u.kind === ts.SyntaxKind.PropertyAccessExpression) return (u as ts.PropertyAccessExpression).name.text;
  return u.kind === ts.SyntaxKind.Identifier ? (u as ts.Identifier).text : undefined;
}

/** The name before the last (`Fn.join`: Fn; `cdk.Fn.join`: Fn); undefined for a bare name. */
function qualifier(e: ts.Node): string | undefined {
  const u = unwrap(e as ts.Expression);
  return u.kind === ts.SyntaxKind.PropertyAccessExpression ? lastName((u as ts.PropertyAccessExpression).expression) : undefined;
}
