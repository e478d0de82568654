/**
 * What keeps a Pulumi YAML table, or its data, past `pulumi destroy`, so that its key must be kept too: read
 * for the fix (detect.ts `retain`: its generated key gets retainOnDelete) and for scan (keptKeys.ts cautions a
 * key of the program that is not kept where the destroy deletes it while the table stays:
 * pulumi/retention.ts).
 */
import type { PulumiKeep } from '../pulumi/retention.js';
import { boolOf, notFalse } from '../yaml/scalars.js';
import { child, resolveAlias, type CMap } from '../yaml/tree.js';

/**
 * `options: protect` or `retainOnDelete` (a literal true), deletion protection (`deletionProtectionEnabled` set,
 * and not `false`: a destroy fails on the table, and leaving it behind would delete its key), point-in-time
 * recovery (DynamoDB keeps a deleted table's backup 35 days, under the table's key; aws-native's
 * `pointInTimeRecoverySpecification` too).
 */
export function destroyKeeps(resource: CMap): PulumiKeep[] {
  const out: PulumiKeep[] = [];
  const opts = resolveAlias(child(resource, 'options'));
  for (const k of ['protect', 'retainOnDelete'] as const)
    if (opts?.kind === 'map' && boolOf(resolveAlias(child(opts, k))) === true) out.push({ why: `options.${k}: true`, by: k });
  const props = child(resource, 'properties');
  if (notFalse(child(props, 'deletionProtectionEnabled'))) out.push({ why: 'deletionProtectionEnabled', by: 'deletion protection' });
  const recovery = child(props, 'pointInTimeRecovery');
  const native = child(child(props, 'pointInTimeRecoverySpecification'), 'pointInTimeRecoveryEnabled');
  if (notFalse(recovery?.kind === 'map' ? child(recovery, 'enabled') : recovery) || notFalse(native))
    out.push({ why: 'point-in-time recovery', by: 'point-in-time recovery' });
  return out;
}
