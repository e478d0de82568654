/**
 * Pulumi YAML's secret wrapper, `fn::secret: value`: the value itself, marked secret (adversarial pass s63 F3:
 * `kmsKeyArn: {fn::secret: ${ddbKey}}` was customer-managed where a stack sets ddbKey to the AWS managed key, and
 * plain `${ddbKey}` aws-managed). A key is read through it wherever one is read: `kmsKeyArn`, a `variables:` entry,
 * a lookup's alias name or key id.
 */
import { type CNode, child, resolveAlias } from '../yaml/tree.js';

/** The node a `fn::secret` (nested, through YAML aliases) wraps; any other node as it is (aliases resolved). */
export function unsecret(node: CNode | null | undefined): CNode | null | undefined {
  let n = resolveAlias(node);
  for (let depth = 0; depth < 8 && n?.kind === 'map' && n.pairs.length === 1 && n.pairs[0].key === 'fn::secret'; depth++)
    n = resolveAlias(child(n, 'fn::secret'));
  return n;
}
