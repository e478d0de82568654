/**
 * What keeps a table from being fixed that its own block shows (ownObstacles): dynamic replicas, a registry
 * call's replica Regions, version, region or create switch (registryCalls.ts), a lifecycle ignore_changes
 * naming what a fix edits (fixEdits), replicas a fix re-creates, a placeholder in the resource name.
 */
import { replicasIgnored } from '../../rule/blockers.js';
import type { Obstacle } from '../../rule/facts.js';
import { placeholderIn } from '../../core/placeholders.js';
import { attr, blocks, dynamicBlocks, type HBlock } from './parse.js';
import type { TfKind } from './detect.js';
import type { RegistryModule } from './registryModules.js';
import { readsInputs } from './inputUses.js';
import { callSwitches } from './callSwitches.js';
import { createdMaybe, moduleReplicas, olderModule } from './registryCalls.js';
import { isAwsManagedKeyAttr, needsReplicaKeys } from './replicaKeys.js';
import { unquoted } from './settings.js';

/** What keeps the table from being fixed that its own block shows: replicas or replica Regions kmsfix cannot give keys. */
export function ownObstacles(kind: TfKind, b: HBlock, m: RegistryModule | undefined): Obstacle[] {
  if (kind === 'table' && dynamicBlocks(b, 'replica').length > 0) return [{ kind: 'dynamic-replicas' }];
  const replicas = m && moduleReplicas(b, m);
  if (replicas) {
    // Replica Regions from the module's inputs (`replicas = var.replicas`): evaluation may find none (callSwitches.ts).
    const a = attr(b, m!.replicas.input)!;
    if (!a.lit && readsInputs(a.value))
      callSwitches.set(replicas, { kind: 'replicas', expr: a.value.trim(), rest: otherObstacles(kind, b, m) });
    return [replicas];
  }
  return otherObstacles(kind, b, m);
}

/** ownObstacles but the replica Regions of a registry module call. */
function otherObstacles(kind: TfKind, b: HBlock, m: RegistryModule | undefined): Obstacle[] {
  const out: Obstacle[] = [];
  const old = m && olderModule(b, m);
  if (old) out.push(old);
  const region = m && !m.region ? attr(b, 'region') : undefined;
  if (region && region.lit?.type !== 'null')
    out.push({
      kind: 'code-shape',
      step:
        `the call sets region = ${region.value.trim()}, which kmsfix does not know ${m!.name} to create its table in: ` +
        'create a key in the Region of the table by hand and set the key input to it',
    });
  const maybe = m && createdMaybe(b, m);
  if (maybe) out.push(maybe);
  const ignored = ignoredChanges(kind, b);
  if (ignored) out.push(ignored);
  const recreated = recreatedReplicas(kind, b);
  if (recreated) out.push(recreated);
  return out;
}

/** The table's attributes a fix changes: server_side_encryption, and replica when its replicas need keys. */
export function fixEdits(b: HBlock): string[] {
  return ['server_side_encryption', ...(needsReplicaKeys(b) ? ['replica'] : [])];
}

/**
 * `lifecycle { ignore_changes = [...] }` naming what a fix edits (`all`, `server_side_encryption`,
 * a path under it; `replica` when replicas need keys; a replica resource's `kms_key_arn`): apply
 * would leave the deployed table as it is. `replica` on a table whose replica blocks need no key (none
 * written): its replicas are declared elsewhere (the provider's aws_dynamodb_table_replica page tells
 * users to set it), and the apply would fail on them (rule/blockers.ts replicasIgnored). A module call
 * has no lifecycle.
 */
function ignoredChanges(kind: TfKind, b: HBlock): Obstacle | undefined {
  const a = attr(blocks(b, 'lifecycle')[0], 'ignore_changes');
  if (!a || kind === 'module') return undefined;
  const edited = kind === 'table-replica' ? ['kms_key_arn'] : fixEdits(b);
  const text = a.value.trim();
  const entries = text.startsWith('[') ? text.slice(1, text.endsWith(']') ? -1 : undefined).split(',') : [text];
  for (const raw of entries) {
    const entry = raw.replace(/#.*|\/\/.*/g, '').trim();
    const root = /^"?([A-Za-z_][\w-]*)/.exec(entry)?.[1];
    if (root === 'all' || (root !== undefined && edited.includes(root)))
      return { kind: 'ignored-changes', where: 'lifecycle.ignore_changes', entry, tool: 'terraform apply' };
  }
  // `replica` (or a path under it) on a table whose replicas need no key here: they are declared elsewhere.
  if (kind !== 'table') return undefined;
  const at = /(?:^|[[,\s])("?replica\b(?:\[[^\]]*\]|[.\w"*])*)/.exec(a.value.replace(/#.*|\/\/.*/g, (c) => ' '.repeat(c.length)));
  if (!at) return undefined;
  // The entry's own line: the list may span lines (a.value is the source text, from the attribute's row).
  const line = a.row + 1 + (a.value.slice(0, at.index + at[0].length - at[1].length).match(/\n/g)?.length ?? 0);
  return replicasIgnored('lifecycle.ignore_changes', at[1], line);
}

/**
 * The replicas a fix would have Terraform delete and re-create: a table's replica blocks without a
 * customer-managed key (the fix sets their kms_key_arn), or the replica resource itself.
 */
function recreatedReplicas(kind: TfKind, b: HBlock): Obstacle | undefined {
  if (kind === 'table-replica') {
    const region = attr(b, 'region');
    const where =
      region && region.lit?.type !== 'null' ? `region ${unquoted(region)}` : `provider ${unquoted(attr(b, 'provider')) ?? 'aws'}`;
    return { kind: 'replica-recreation', replicas: [where], resource: true };
  }
  if (kind !== 'table') return undefined;
  const regions = blocks(b, 'replica')
    .filter((r) => isAwsManagedKeyAttr(attr(r, 'kms_key_arn')))
    .map((r) => unquoted(attr(r, 'region_name')) ?? '(no region_name)');
  return regions.length ? { kind: 'replica-recreation', replicas: regions, resource: false } : undefined;
}

/** A resource name holding a template placeholder (EJS `<%= name %>`): a generated key could not refer to the table. */
export function labelPlaceholder(label: string | undefined): Obstacle[] {
  const p = placeholderIn(label ?? '');
  return p === undefined ? [] : [{ kind: 'template-placeholder', where: 'resource name', placeholder: p }];
}
