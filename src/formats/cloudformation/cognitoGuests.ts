/**
 * The guest roles of a template's Cognito identity pools that are granted DynamoDB on a table (EncryptionFacts.cautions
 * `cognito-guests`): Cognito gives a guest's credentials a session policy of its own (the enhanced flow's
 * AmazonCognitoUnAuthedIdentitiesSessionPolicy), which a key policy cannot lift, so guests keep access to a table on a
 * KMS key only if that policy allows the key's KMS actions (session 56's deploy review).
 *
 * Read only when the text names `AWS::Cognito::IdentityPool`, and only for tables a fix would change: an
 * `AWS::Cognito::IdentityPool` with `AllowUnauthenticatedIdentities: true`, an `AWS::Cognito::IdentityPoolRoleAttachment`
 * whose `IdentityPoolId` refers to it and whose `Roles.unauthenticated` refers to an `AWS::IAM::Role` of the template,
 * and a policy of that role (cfn-values/iamRoles.ts tableGrant) granting DynamoDB on the table.
 */
import type { Caution } from '../../rule/facts.js';
import { child, resolveAlias, scalarString, type CNode } from '../yaml/tree.js';
import type { CfnTemplate } from './detect.js';
import { intrinsicName, referencedIds } from '../cfn-values/intrinsics.js';
import { iamPrincipals, positions, tablesOf, type Principal } from '../cfn-values/iamStatements.js';
import { tableGrant } from '../cfn-values/iamRoles.js';

/** The cheap test before a template's resources are read. */
const POOL = 'AWS::Cognito::IdentityPool';

/** The caution of each table of the template (by logical ID), or undefined when no guest role is granted it. */
export type CognitoGuests = (id: string, resource: CNode) => Caution | undefined;

interface Guest {
  pool: string;
  principal: Principal;
}

/** `shown`: the file's name as grants are named with it (`template.yaml`). */
export function cognitoGuests(text: string, template: CfnTemplate, shown: string): CognitoGuests {
  if (!text.includes(POOL)) return () => undefined;
  // Read on the first table a fix would change.
  let guests: Guest[] | undefined;
  let tables: Set<string> | undefined;
  const at = positions(text, shown);
  return (id, resource) => {
    guests ??= guestsOf(template);
    if (guests.length === 0) return undefined;
    tables ??= tablesOf(template);
    const name = scalarString(child(child(resource, 'Properties'), 'TableName'));
    const roles: string[] = [];
    for (const g of guests) {
      const where = tableGrant(g.principal, tables, id, name, at);
      if (where) roles.push(`${g.principal.name} of identity pool ${g.pool} (${where})`);
    }
    return roles.length > 0 ? { kind: 'cognito-guests', roles } : undefined;
  };
}

/** The one resource a Ref or GetAtt names. */
function refOf(node: CNode | null | undefined): string | undefined {
  const n = resolveAlias(node);
  const fn = intrinsicName(n);
  if (fn !== 'Ref' && fn !== 'Fn::GetAtt') return undefined;
  const ids = referencedIds(n!);
  return ids.length === 1 ? ids[0] : undefined;
}

/** The guest roles of the template's identity pools that allow unauthenticated identities. */
function guestsOf(template: CfnTemplate): Guest[] {
  const open = new Set<string>();
  const attachments: CNode[] = [];
  for (const p of template.resources.pairs) {
    const type = scalarString(child(p.value, 'Type'));
    const props = child(p.value, 'Properties');
    if (type === POOL) {
      const allow = resolveAlias(child(props, 'AllowUnauthenticatedIdentities'));
      if (allow?.kind === 'scalar' && String(allow.value).toLowerCase() === 'true') open.add(p.key);
    } else if (type === 'AWS::Cognito::IdentityPoolRoleAttachment' && props) attachments.push(props);
  }
  if (open.size === 0) return [];
  const roles = new Map<string, string>();
  for (const props of attachments) {
    const pool = refOf(child(props, 'IdentityPoolId'));
    const role = refOf(child(child(props, 'Roles'), 'unauthenticated'));
    if (pool !== undefined && open.has(pool) && role !== undefined && !roles.has(role)) roles.set(role, pool);
  }
  if (roles.size === 0) return [];
  return iamPrincipals(template).flatMap((principal) => {
    const pool = roles.get(principal.name);
    return pool === undefined ? [] : [{ pool, principal }];
  });
}
