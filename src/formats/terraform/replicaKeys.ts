/**
 * Where a table's key and its replicas' keys go: a resource's or module call's placement (placement.ts),
 * and the replica blocks that need a key of their own in their Region (replicaKeys: scan's obstacle and
 * fix's plan both ask it).
 */
import type { Obstacle } from '../../rule/facts.js';
import { isAwsManagedKeyRef } from '../../rule/status.js';
import { attr, blocks, type HAttr, type HBlock } from './parse.js';
import type { TfTable } from './detect.js';
import { regionKey } from './module.js';
import { passedProvider, placeOf, type Placement } from './placement.js';

/** A key reference that means the AWS managed key (absent, null, empty, alias/aws/dynamodb). */
export function isAwsManagedKeyAttr(a: HAttr | undefined): boolean {
  if (!a || a.lit?.type === 'null') return true;
  return a.lit?.type === 'string' && isAwsManagedKeyRef(a.lit.value);
}

/** A replica block that needs a key of its own (it has no customer-managed key yet), and where its key is created. */
export interface Replica {
  block: HBlock;
  place: Placement;
  /** The region as written (for messages). */
  region: string;
}

/** Where a resource's key goes (placement.ts): its `provider` and `region` arguments. */
export function resourcePlace(b: HBlock): Placement {
  return placeOf(attr(b, 'provider')?.value, attr(b, 'region'));
}

/**
 * Where a table's key goes: a resource's placement; a module call's, the provider it passes as the
 * module's `aws` and, for a registry module with a `region` input, that input.
 */
export function tablePlace(t: TfTable): Placement {
  const b = t.block;
  if (t.kind !== 'module') return resourcePlace(b);
  const region = t.registry?.region ? attr(b, t.registry.region) : undefined;
  return placeOf(passedProvider(attr(b, 'providers')?.value), region);
}

/** Does this table have replica blocks that need a key in their region? */
export function needsReplicaKeys(b: HBlock): boolean {
  return blocks(b, 'replica').some((r) => isAwsManagedKeyAttr(attr(r, 'kms_key_arn')));
}

/**
 * The replica keys a table's fix creates: one per replica region, through the module's aliased
 * `provider "aws"` for that region; or, when a region has no such provider, why the table cannot be
 * fixed (`root`: whether the module is a root module, which the step depends on). A table with a
 * `region` argument of its own (hashicorp/aws 6) gets them the same way: through its provider, with
 * `region` set to the replica's region_name, and so does any table of a module that requires
 * hashicorp/aws 6 or later (`regionArgument`) for a region no provider alias serves. Scan (the table's
 * obstacle) and fix (the keys it plans) both ask this one function.
 */
export function replicaKeys(
  b: HBlock,
  providerByRegion: Map<string, string>,
  root: boolean,
  regionArgument = false,
): { replicas: Replica[] } | { obstacle: Obstacle } {
  const replicas: Replica[] = [];
  const table = resourcePlace(b);
  for (const r of blocks(b, 'replica')) {
    if (!isAwsManagedKeyAttr(attr(r, 'kms_key_arn'))) continue;
    const regionAttr = attr(r, 'region_name');
    const region = regionAttr?.value ?? '(no region_name)';
    if (table.region !== undefined && regionAttr) {
      replicas.push({ block: r, place: { provider: table.provider, region: regionAttr.value.trim() }, region });
      continue;
    }
    const key = regionKey(regionAttr);
    const alias = key ? providerByRegion.get(key) : undefined;
    // hashicorp/aws 6 and later: with no provider of that Region, the key's own `region` argument places it there.
    if (!alias && regionArgument && regionAttr) {
      replicas.push({ block: r, place: { provider: table.provider, region: regionAttr.value.trim() }, region });
      continue;
    }
    if (!alias) {
      const lit = regionAttr?.lit?.type === 'string' ? regionAttr.lit.value : undefined;
      return {
        obstacle: {
          kind: 'replica-provider',
          region,
          alias: lit ? lit.replace(/-/g, '_') : 'replica',
          ...(root ? {} : { child: true as const }),
        },
      };
    }
    replicas.push({ block: r, place: { provider: alias }, region });
  }
  return { replicas };
}
