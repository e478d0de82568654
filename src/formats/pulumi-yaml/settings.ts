/** Pulumi YAML settings as written: a key and a switch, shared by the classic provider's tables and aws-native's. */
import { ABSENT, type Setting } from '../../rule/facts.js';
import { placeholderIn, placeholderSetting } from '../../core/placeholders.js';
import { boolOf, snippet } from '../yaml/scalars.js';
import { scalarString, type CNode } from '../yaml/tree.js';
import { composedKeySettingOf } from './composedKey.js';
import { unsecret } from './secret.js';

/**
 * A key setting as written (`kmsKeyArn`, `kmsMasterKeyId`: `name`; `variable`: a `variables:` entry's string, composedKey.ts).
 * A string under `fn::secret` is that string (secret.ts); the source stays as written.
 */
export function keySettingOf(
  text: string,
  keyNode: CNode | null | undefined,
  name = 'kmsKeyArn',
  variable?: (name: string) => string | undefined,
): Setting {
  if (keyNode === undefined) return ABSENT;
  const s = scalarString(unsecret(keyNode));
  const source = snippet(text, keyNode);
  // A value that is not a string (null, a mapping, a tagged value) is taken as a key given some other way.
  const p = placeholderIn(s ?? '');
  return p
    ? { state: 'unreadable', source: placeholderSetting(name, p), raw: s }
    : s === undefined
      ? (composedKeySettingOf(keyNode, source, { unresolved: source }, variable) ?? {
          state: 'expression',
          source,
          raw: { unresolved: source },
        })
      : { state: 'literal', source, text: s, raw: s };
}

/** A switch as written (`enabled`, `sseEnabled`: `name`): true or false, else decided at deploy time. */
export function switchSettingOf(text: string, node: CNode | null | undefined, name: string): Setting {
  if (node === undefined) return ABSENT;
  const on = boolOf(node);
  const source = snippet(text, node);
  const p = placeholderIn(scalarString(node) ?? '');
  return p
    ? { state: 'unreadable', source: placeholderSetting(name, p), raw: { unresolved: source } }
    : on === 'unknown'
      ? { state: 'expression', source, raw: { unresolved: source } }
      : { state: 'literal', source, bool: on, raw: on };
}
