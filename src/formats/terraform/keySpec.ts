/**
 * A table whose key (`kms_key_arn = aws_kms_key.k.arn`, a registry module's key input, a replica's) names an
 * `aws_kms_key` of the same file whose `customer_master_key_spec` or `key_usage`, written as a literal, DynamoDB
 * refuses (src/rule/keySpec.ts): the key setting says so. A value from a variable is left as today.
 */
import type { EncryptionFacts, Setting } from '../../rule/facts.js';
import { isReference } from '../../rule/peers/facts.js';
import { kindValue, markUnusableKeys, unusableKey, type Unusable } from '../../rule/keySpec.js';
import { attr, type HBlock } from './parse.js';

/** `aws_kms_key.NAME.arn`, also one of a `count` or `for_each` key (`aws_kms_key.NAME[0].arn`). */
const KEY_ARN = /^aws_kms_key\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.arn$/;

function literal(b: HBlock, name: string): { name: string; value: string } | undefined {
  const a = attr(b, name);
  const value = a?.lit?.type === 'string' ? kindValue(a.lit.value) : undefined;
  return value === undefined ? undefined : { name, value };
}

function unusableOf(key: Setting, all: HBlock[]): Unusable | undefined {
  const m = isReference(key.raw) ? KEY_ARN.exec(key.raw.ref) : null;
  if (!m) return undefined;
  const b = all.find((x) => x.type === 'resource' && x.labels[0] === 'aws_kms_key' && x.labels[1] === m[1]);
  if (!b) return undefined;
  const spec = literal(b, 'customer_master_key_spec');
  const usage = literal(b, 'key_usage');
  return unusableKey(
    { key: `aws_kms_key.${m[1]}`, ...(spec ? { spec } : {}), ...(usage ? { usage } : {}) },
    (name, value) => `${name} = "${value}"`,
    (_, value) => `"${value}"`,
  );
}

/** Marks the table's keys (its own, each replica's) that name such a key of the file (`all`: its blocks). */
export function markUnusableTfKeys(f: EncryptionFacts, all: HBlock[]): void {
  markUnusableKeys(f, (key) => unusableOf(key, all));
}
