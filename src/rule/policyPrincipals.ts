/**
 * Who a resource policy lets in, as the code-level readers name it (src/formats/typescript/resourcePolicy.ts,
 * src/formats/pulumi-yaml/resourcePolicy.ts): the principals of its Allow statements read as plain
 * data, each named by its account, and the `resource-policy` obstacle they make.
 */
import { foreignService } from './blockers.js';
import type { Obstacle } from './facts.js';

/** The account of an IAM or STS principal ARN (`arn:aws:iam::111122223333:role/x`), as written. */
export const ACCOUNT_IN_ARN = /^arn:[^:]*:(?:iam|sts)::([^:]*):/;

/** A literal principal as the obstacle names it: '*' or an account ID as is, an ARN by its account, anything else as written. */
export function granteeOf(principal: string): string {
  if (principal === '*' || /^\d{12}$/.test(principal)) return principal;
  return ACCOUNT_IN_ARN.exec(principal)?.[1] ?? principal;
}

/**
 * The `AWS` principals of a policy's Allow statements, read as plain data (`JSON.parse`, or YAML read
 * into values): each one given to `grantee`, '*' for a NotPrincipal, and a `Service` other than
 * DynamoDB's as `the service <name>` (blockers.ts foreignService). False, at the first statement or
 * principal that is not plain data, when the policy cannot be read.
 */
export function allowedPrincipals(doc: unknown, grantee: (principal: string) => void): boolean {
  const sts = (doc as { Statement?: unknown } | null)?.Statement;
  for (const s of [sts ?? []].flat() as { Effect?: unknown; Principal?: unknown; NotPrincipal?: unknown }[]) {
    if (typeof s !== 'object' || s === null) return false;
    if (s.Effect === 'Deny') continue;
    if (s.NotPrincipal !== undefined) grantee('*');
    const map = typeof s.Principal === 'object' && s.Principal !== null ? (s.Principal as { AWS?: unknown; Service?: unknown }) : undefined;
    for (const v of [(map ? map.AWS : s.Principal) ?? []].flat()) {
      if (typeof v !== 'string') return false;
      grantee(v);
    }
    for (const v of [map?.Service ?? []].flat()) {
      if (typeof v !== 'string') return false;
      const service = foreignService(v);
      if (service) grantee(service);
    }
  }
  return true;
}

/** The obstacle of a table whose resource policy (`policy`) grants `others`, or that cannot be read (`unreadable`); undefined when neither. */
export function sharedPolicyObstacle(policy: string, others: Set<string>, unreadable?: string): Obstacle | undefined {
  if (unreadable !== undefined) return { kind: 'resource-policy', policy, unreadable, others: [...others] };
  return others.size > 0 ? { kind: 'resource-policy', policy, others: [...others] } : undefined;
}
