/**
 * A Pulumi YAML table whose key (`kmsKeyArn: ${k.arn}`, as keptKeys.ts reads it) is a key resource of the same
 * program whose spec or usage, written as a plain value (aws:kms:Key `customerMasterKeySpec` / `keyUsage`,
 * aws-native's `keySpec` / `keyUsage`), DynamoDB refuses (src/rule/keySpec.ts): the key setting says so. A value
 * from a `${...}` interpolation or config: left as today.
 */
import { kindValue, markUnusableKeys, unusableKey } from '../../rule/keySpec.js';
import { child, ownPair, resolveAlias, scalarString } from '../yaml/tree.js';
import type { PulumiTable } from './tableTypes.js';
import { KEY_TYPES, keyName } from './keptKeys.js';

/** Marks each table's key that is such a key of its program. */
export function markUnusableYamlKeys(text: string, tables: PulumiTable[]): void {
  if (!text.includes(':kms:Key') && !text.includes(':kms/key:Key')) return;
  for (const t of tables) {
    const name = keyName(t);
    const pair = name === undefined ? undefined : t.program.resources.pairs.find((p) => p.key === name);
    const key = resolveAlias(pair?.value);
    const type = key?.kind === 'map' ? scalarString(child(key, 'type')) : undefined;
    if (!key || !type || !KEY_TYPES.has(type) || ownPair(key, 'get')) continue;
    const props = child(key, 'properties');
    const read = (n: string) => {
      const v = kindValue(scalarString(child(props, n)));
      return v === undefined ? undefined : { name: n, value: v };
    };
    const spec = type.startsWith('aws-native:') ? read('keySpec') : (read('customerMasterKeySpec') ?? read('keySpec'));
    const usage = read('keyUsage');
    const unusable = unusableKey(
      { key: `the ${type} ${name}`, ...(spec ? { spec } : {}), ...(usage ? { usage } : {}) },
      (n, value) => `${n}: ${value}`,
    );
    if (unusable) markUnusableKeys(t.encryption, () => unusable);
  }
}
