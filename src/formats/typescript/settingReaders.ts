/**
 * Reading a table's settings as written: a property as a setting (settingOf: absent, unreadable, or its value read),
 * a switch, a key (keyOf: a literal, the AWS managed key, a value that may be left out, the stack's config, a member of
 * a const the file changes), a block, and the small readers of an object literal's properties the settings of every
 * API share (objectAt, maybeFrom, noneOrEmpty). Each API's settings are read with them in cdkChoice.ts,
 * sseSettings.ts and tableFacts.ts.
 */
import { ABSENT, type Setting } from '../../rule/facts.js';
import { lookup, snippet } from './lookup.js';
import { changedMemberNote } from './mutatedConsts.js';
import { isUnset, stringValue, ts, unwrap } from './parse.js';
import { managedKeySetting } from './awsManagedKey.js';
import { mayBeUndefined, optionalMemberRead } from './optionalProps.js';
import { guarded } from './singleValue.js';
import { stackKeySetting } from './stackConfig.js';
import type { Given } from './projectValues.js';

function boolOf(e: ts.Expression): boolean | undefined {
  const u = unwrap(e);
  if (u.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (u.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** A detection's file, its symbols, and the project's values it was given (projectValues.ts), for its key readers. */
export type Ctx = { sf: ts.SourceFile; sym: (e: ts.Expression) => string | undefined; given: Given };

/** A property as a setting: absent, unreadable (a spread or computed property may set it), or its value as `read` reads it. */
export function settingOf(
  sf: ts.SourceFile,
  o: ts.ObjectLiteralExpression,
  name: string,
  read: (value: ts.Expression) => Setting,
): Setting {
  const l = lookup(sf, o, name);
  if (l.kind === 'absent') return ABSENT;
  if (l.kind === 'unknown') return { state: 'unreadable', source: l.why };
  return read(l.value);
}

/** A switch: `true` or `false` as written; anything else is decided at run time. */
export const switchOf =
  (sf: ts.SourceFile) =>
  (e: ts.Expression): Setting => {
    const b = boolOf(e);
    return b === undefined ? { state: 'expression', source: snippet(sf, e) } : { state: 'literal', source: snippet(sf, e), bool: b };
  };

/**
 * A key left out as written (`kmsKeyArn: undefined`, "Use AWS managed key"): absent; an optional prop (`props.key`,
 * `key?: IKey`) no guard proves set, or a value that may be undefined when the program runs (optionalProps.ts: one a
 * condition may leave out, `prod ? key : undefined`, written here or in the `const` the key names; `tryGetContext`,
 * `config.get`, a map without every stage...): decided at run time; undefined for any other value.
 */
export function unsetKey(sf: ts.SourceFile, e: ts.Expression): Setting | undefined {
  if (isUnset(e)) return { ...ABSENT, source: snippet(sf, e) };
  // A prop the file's types declare optional (`key?: kms.IKey`): a caller may leave it out (optionalProps.ts).
  const optional = optionalMemberRead(e);
  if (optional && !guarded(unwrap(e))) return { state: 'unreadable', source: `the key may be left out (${snippet(sf, e)}: ${optional})` };
  const unset = mayBeUndefined(e);
  if (unset) return { state: 'unreadable', source: `the key may be left out (${unset})` };
  return undefined;
}

/** A key read from a member of a const the file changes after its declaration (`keys.orders`, mutatedConsts.ts): not known. */
export function changedKey(sf: ts.SourceFile, e: ts.Expression): Setting | undefined {
  const note = changedMemberNote(sf, e);
  return note ? { state: 'unreadable', source: `the key ${note}` } : undefined;
}

/** A key: a string literal as such, anything else an expression naming a key (with the project's values `given` the detection). */
export const keyOf =
  (sf: ts.SourceFile, given: Given) =>
  (e: ts.Expression): Setting => {
    // A Pulumi table's key from the stack's config: what the stacks set (stackConfig.ts).
    const stacked = stackKeySetting(sf, given, e);
    if (stacked) return stacked;
    const changed = changedKey(sf, e);
    if (changed) return changed;
    const unset = unsetKey(sf, e);
    if (unset) return unset;
    const s = stringValue(unwrap(e));
    if (s !== undefined) return { state: 'literal', source: snippet(sf, e), text: s };
    // A lookup of the AWS managed key (awsManagedKey.ts) is that key, as its literal alias is; an input's default
    // that is that key, too; a fallback that is, where the value may be unset: not known.
    return managedKeySetting(sf, given, e, 'expression') ?? { state: 'expression', source: snippet(sf, e) };
  };

/** A nested object literal (a block): literal when it is one, an expression otherwise. */
export const blockOf =
  (sf: ts.SourceFile) =>
  (e: ts.Expression): Setting =>
    ts.isObjectLiteralExpression(unwrap(e))
      ? { state: 'literal', source: snippet(sf, e) }
      : { state: 'expression', source: snippet(sf, e) };

/** The object literal a property holds, if it holds one. */
export function objectAt(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralExpression | undefined {
  const l = lookup(sf, o, name);
  const v = l.kind === 'value' ? unwrap(l.value) : undefined;
  return v && ts.isObjectLiteralExpression(v) ? v : undefined;
}

/** `null` or `undefined`, as written. */
export function isNullOrUndefined(e: ts.Expression): boolean {
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined');
}

/** `{ maybe: why }` when the property is not written and may come from a spread of the props (lookup's reason), else nothing. */
export function maybeFrom(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): { maybe?: string } {
  const l = lookup(sf, o, name);
  return l.kind === 'unknown' ? { maybe: l.why } : {};
}

/** Is the property absent, or an empty array literal? */
export function noneOrEmpty(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): boolean {
  const l = lookup(sf, o, name);
  if (l.kind === 'absent') return true;
  const v = l.kind === 'value' ? unwrap(l.value) : undefined;
  return !!v && ts.isArrayLiteralExpression(v) && v.elements.length === 0;
}
