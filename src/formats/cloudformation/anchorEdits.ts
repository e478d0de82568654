/** How a fix would edit a table's settings through YAML anchors, aliases and merge keys (`editThrough`, `replacedSites`). */
import { type AnchorIndex, sseEdit, type AliasSite, type SseEdit } from '../yaml/anchors.js';
import { child, ownPair, pair, scalarString, type CMap, type CNode, type CPair } from '../yaml/tree.js';
import type { CfnTemplate } from './tableTypes.js';

const SSE_PATH = { properties: 'Properties', sse: 'SSESpecification' };

/**
 * Aliases that a fix replaces rather than follows: a table's own `Properties: *x` or
 * `SSESpecification: *x` (the table then gets a mapping of its own). An anchored node aliased only
 * there can be edited for the table that holds it, when those tables are fixed too.
 */
export function replacedSites(template: CfnTemplate): Set<CNode> {
  const sites = new Set<CNode>();
  for (const rp of template.resources.pairs) {
    const r = rp.value;
    if (r?.kind !== 'map' || !['AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable'].includes(scalarString(child(r, 'Type')) ?? ''))
      continue;
    const props = ownPair(r, 'Properties')?.value;
    if (props?.kind === 'alias') sites.add(props);
    const sse = props?.kind === 'map' ? ownPair(props, 'SSESpecification')?.value : undefined;
    if (sse?.kind === 'alias') sites.add(sse);
  }
  return sites;
}

/** How a fix would edit the table's settings through YAML anchors, aliases and merge keys. */
export function editThrough(
  anchors: AnchorIndex,
  rp: CPair,
  kind: 'table' | 'global',
  replica: CMap | undefined,
  replaced: Set<CNode>,
): SseEdit {
  if (kind === 'table') return sseEdit(anchors, rp, SSE_PATH, (site: AliasSite) => replaced.has(site.alias));
  // A global table's settings are in two places (the table's and its replica's); either may go
  // through an alias or an anchor: left to the user.
  const top = sseEdit(anchors, rp, SSE_PATH, () => false);
  if (top.obstacle) return top;
  const props = ownPair(rp.value, 'Properties')?.value;
  const replicas = props?.kind === 'map' ? ownPair(props, 'Replicas')?.value : undefined;
  const inReplicas = replicas?.kind === 'seq' && (!replica || replicas.items.includes(replica));
  const replicaSse = replica ? ownPair(replica, 'SSESpecification') : undefined;
  const touched = replicaSse?.value?.kind === 'map' ? replicaSse.value : replica;
  const shared = touched ? anchors.around(touched) : [];
  if (
    props?.kind !== 'map' ||
    !inReplicas ||
    (replica && pair(replica, 'SSESpecification') && !replicaSse) ||
    replicaSse?.value?.kind === 'alias' ||
    shared.length > 0 ||
    top.shared.length > 0
  ) {
    return { obstacle: { kind: 'yaml-global-table' }, shared: [...top.shared, ...shared] };
  }
  return { shared: [] };
}
