/**
 * A global table's replicas (`replicasOf`), the one in the stack's own Region whose key a fix sets, and the keys a table
 * names (`keyNodesOf`, `keyRefsOf`: a global table's, its local replica's), for verification.
 */
import { ABSENT, type Replica, type Replicas } from '../../rule/facts.js';
import { snippet } from '../yaml/scalars.js';
import { intrinsicArg, intrinsicName, referencedIds, scalarValue } from '../cfn-values/intrinsics.js';
import { type Defaults, replicaKeySetting } from '../cfn-values/settings.js';
import { child, type CMap, type CNode } from '../yaml/tree.js';

/**
 * Whether a replica is the one in the stack's own Region: its Region is `!Ref AWS::Region` (or the
 * `${AWS::Region}` Sub), or it is the only replica (CloudFormation requires one in the stack's Region).
 */
function isLocalReplica(r: CNode, all: CNode[]): boolean {
  return all.length === 1 || isLocalRegion(child(r, 'Region'));
}

function isLocalRegion(node: CNode | null | undefined): boolean {
  const fn = intrinsicName(node);
  if (fn === 'Ref') return referencedIds(node)[0] === 'AWS::Region';
  if (fn === 'Fn::Sub' && node) return scalarValue(intrinsicArg(node)) === '${AWS::Region}';
  return false;
}

/** A global table's replicas (each with its own key); a fix sets the key of the one in the stack's own Region. */
export function replicasOf(text: string, props: CNode | null | undefined, defaults: Defaults | undefined): Replicas {
  const node = child(props, 'Replicas');
  if (node?.kind !== 'seq' || node.items.some((r) => r.kind !== 'map')) {
    return {
      keys: 'own',
      list: node === undefined ? ABSENT : { state: 'expression', source: snippet(text, node) },
      items: [],
      fix: 'local',
    };
  }
  const items = (node.items as CMap[]).map((r): Replica => {
    const region = child(r, 'Region');
    return {
      source: '', // each replica is a mapping: never worded
      readable: true,
      region: { source: snippet(text, region), local: isLocalReplica(r, node.items) },
      key: replicaKeySetting(text, child(r, 'SSESpecification'), snippet(text, region), defaults),
    };
  });
  return { keys: 'own', list: { state: 'literal', source: '' }, items, fix: 'local' };
}

/** Logical IDs the table's key references point at (a global table's: its replicas'), for verification. */
export function keyRefsOf(props: CNode | null | undefined, global: boolean): string[] {
  return keyNodesOf(props, global).flatMap(referencedIds);
}

/** The table's KMSMasterKeyId (a global table's: that of its replica in the stack's own Region), as written; none where absent. */
export function keyNodesOf(props: CNode | null | undefined, global: boolean): CNode[] {
  const own = (holder: CNode | null | undefined) => {
    const k = child(child(holder, 'SSESpecification'), 'KMSMasterKeyId');
    return k ? [k] : [];
  };
  if (!global) return own(props);
  const replicas = child(props, 'Replicas');
  if (replicas?.kind !== 'seq' || replicas.items.some((r) => r.kind !== 'map')) return [];
  // A fix sets the key of the replica in the stack's own Region: that one's reference is the one to check.
  return replicas.items.filter((r) => isLocalReplica(r, replicas.items)).flatMap(own);
}
