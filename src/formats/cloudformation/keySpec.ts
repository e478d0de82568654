/**
 * A table whose KMSMasterKeyId names (`!Ref K`, `!GetAtt K.Arn`) an AWS::KMS::Key of the same template whose
 * KeySpec or KeyUsage, written literally, DynamoDB refuses (src/rule/keySpec.ts): the key setting says so.
 * A value from a parameter, a condition or a Serverless variable is left as today (the key reads as customer-managed).
 */
import type { EncryptionFacts, Setting } from '../../rule/facts.js';
import { isReference } from '../../rule/peers/facts.js';
import { kindValue, markUnusableKeys, unusableKey, type Unusable } from '../../rule/keySpec.js';
import { child, scalarString, type CNode } from '../yaml/tree.js';

/** A value KMS defines (RSA_2048, SIGN_VERIFY): not a variable or a placeholder. */
function unusableOf(key: Setting, resources: CNode): Unusable | undefined {
  if (!isReference(key.raw) || /ImportValue/.test(key.source)) return undefined;
  const id = key.raw.ref;
  const resource = child(resources, id);
  if (scalarString(child(resource, 'Type')) !== 'AWS::KMS::Key') return undefined;
  const props = child(resource, 'Properties');
  const spec = kindValue(scalarString(child(props, 'KeySpec')));
  const usage = kindValue(scalarString(child(props, 'KeyUsage')));
  return unusableKey(
    {
      key: `AWS::KMS::Key ${id}`,
      ...(spec ? { spec: { name: 'KeySpec', value: spec } } : {}),
      ...(usage ? { usage: { name: 'KeyUsage', value: usage } } : {}),
    },
    (name, value) => `${name}: ${value}`,
  );
}

/** Marks the table's keys (its own, each choice's, each replica's) that name such a key of the template. */
export function markUnusableCfnKeys(f: EncryptionFacts, resources: CNode): void {
  markUnusableKeys(f, (key) => unusableOf(key, resources));
}
