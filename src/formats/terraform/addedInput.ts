/**
 * The variable to add to a module whose table takes one encryption setting from its callers and the other from none
 * (`addedInput`), for the module-inputs and module-literal steps.
 */
import type { AddedInput } from '../../rule/facts.js';
import { directVariable, type Env } from './evaluate.js';
import { attr, type HBlock } from './parse.js';

/**
 * The input a module's table lacks when it takes one encryption setting from a variable (its callers set it, so a
 * scan of the module's folder does not fix it) and the other from none: no call can pass that one either (round 37,
 * R3: e-lopezc/serverless-product-catalog-api's `enabled = var.server_side_encryption` and no key; each row's step
 * pointed at the other, and a fix of the whole tree wrote nothing). The variable to add, named as the module uses no
 * variable yet, with the default that keeps every call as it is (the value written now: null, a literal key, false).
 * Undefined when the other setting is an expression (the `reads` step of module-literal) or both are inputs.
 */
export function addedInput(sse: HBlock | undefined, env: Env): AddedInput | undefined {
  if (!sse) return undefined;
  const on = attr(sse, 'enabled');
  const key = attr(sse, 'kms_key_arn');
  const onVar = on && directVariable(on.value, env);
  const keyVar = key && directVariable(key.value, env);
  const free = (names: string[]) => names.find((n) => !env.vars.has(n)) ?? `${names[0]}_2`;
  if (onVar && !keyVar && (!key || key.lit)) {
    const v = free(['kms_key_arn', 'server_side_encryption_kms_key_arn', 'table_kms_key_arn']);
    return {
      setting: 'server_side_encryption.kms_key_arn',
      variable: v,
      declaration: `variable "${v}" (type = string, default = ${key ? key.value.trim() : 'null'})`,
      assignment: `kms_key_arn = var.${v}`,
    };
  }
  if (keyVar && !onVar && (!on || on.lit?.type === 'bool')) {
    const v = free(['server_side_encryption_enabled', 'sse_enabled', 'encryption_enabled']);
    return {
      setting: 'server_side_encryption.enabled',
      variable: v,
      declaration: `variable "${v}" (type = bool, default = ${on ? on.value.trim() : 'false'})`,
      assignment: `enabled = var.${v}`,
    };
  }
  return undefined;
}
