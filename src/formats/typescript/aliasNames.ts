/**
 * The KMS alias names a file already gives (CDK `key.addAlias(...)` and `new kms.Alias(..., { aliasName })`,
 * Pulumi `new aws.kms.Alias(..., { name })`, CDKTF `new KmsAlias(..., { name })`), as text to compare with the
 * name a fix would write (`aliasNameText`): a string's value, a template's text with each substitution's
 * expression as written, whitespace taken out. A key a roll back kept (docs/rolling-back.md) has the alias a
 * new fix would give its table again, which KMS refuses (`AlreadyExistsException`): the fix names its own apart
 * (src/rule/keySettings.ts freeAliasTemplate).
 */
import { aliasParts } from '../../rule/keySettings.js';
import type { Code } from './code.js';
import type { AliasName } from './keys.js';
import { callExpressions, newExpressions, propertyName, stringValue, ts, unwrap } from './parse.js';

const compact = (s: string) => s.replace(/\s+/g, '');

/** The name a fix writes for a table's alias with this alias template, as existingAliasNames gives names. */
export function aliasNameText(name: AliasName, shared: boolean, template: string, inline: (c: Code) => string): string {
  const { before, after } = aliasParts(template, shared);
  return compact('literal' in name ? before + name.literal + after : `${before}\${${inline(name.expr)}}${after}`);
}

/** The alias names the file gives (see above). */
export function existingAliasNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const add = (e: ts.Expression | undefined) => {
    const t = e && nameText(sf, e);
    if (t !== undefined) out.add(t);
  };
  if (!sf.text.includes('lias')) return out;
  for (const c of callExpressions(sf)) {
    const callee = unwrap(c.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'addAlias') add(c.arguments[0]);
  }
  for (const n of newExpressions(sf)) {
    const callee = unwrap(n.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (name !== 'Alias' && name !== 'KmsAlias') continue;
    for (const a of n.arguments ?? []) {
      const o = unwrap(a);
      if (!ts.isObjectLiteralExpression(o)) continue;
      for (const p of o.properties)
        if (ts.isPropertyAssignment(p) && ['aliasName', 'name'].includes(propertyName(p.name) ?? '')) add(p.initializer);
    }
  }
  return out;
}

/** A name as text: a string's value; a template's (tagged or not: `pulumi.interpolate`), its substitutions as written. */
function nameText(sf: ts.SourceFile, e: ts.Expression): string | undefined {
  let u = unwrap(e);
  if (u.kind === ts.SyntaxKind.TaggedTemplateExpression) u = (u as ts.TaggedTemplateExpression).template;
  const s = stringValue(u);
  if (s !== undefined) return compact(s);
  if (!ts.isTemplateExpression(u)) return undefined;
  return compact(u.head.text + u.templateSpans.map((span) => `\${${span.expression.getText(sf)}}${span.literal.text}`).join(''));
}
