/**
 * A Serverless service's `provider.stackPolicy`, which the Framework sets on its stack at each deploy
 * (`SetStackPolicy`): a `Deny` of `Update:Modify` (`Update:*`, `*`) on a table makes CloudFormation
 * fail the update that changes the table's encryption (an update with no interruption: `Update:Modify`)
 * and roll the deploy back, that and every later one; so does a policy none of whose `Allow` statements covers
 * it (a stack policy protects what it does not allow). Such a table is not fixed: the step names the
 * statement, to be narrowed (a table protected against replacement and deletion needs only
 * `Update:Replace` and `Update:Delete`) before the fix is deployed.
 */
import { globMatcher } from '../../core/text.js';
import { child, resolveAlias, scalarString, type CNode } from '../yaml/tree.js';
import type { CfnTemplate } from './tableTypes.js';

/** The strings of a scalar or a list of scalars. */
function strings(n: CNode | null | undefined): string[] {
  const v = resolveAlias(n ?? null);
  if (v?.kind === 'seq') return v.items.flatMap((i) => strings(i));
  const s = v ? scalarString(v) : undefined;
  return s === undefined ? [] : [s.trim()];
}

/** Does a stack policy pattern (`*` and `?` wildcards) match the value? */
const matches = (pattern: string, value: string) => globMatcher(pattern).test(value);

/**
 * What of the service's stack policy denies an update of the table in place, if anything: a `Deny`
 * statement that covers it (its index and text, short), or, with no `Allow` that covers it, the policy
 * itself (a stack policy protects every resource it does not allow updates of).
 */
export function stackPolicyDenial(template: CfnTemplate, logicalId: string, type: string): string | undefined {
  if (template.flavor !== 'serverless') return undefined;
  const policy = resolveAlias(child(child(template.root, 'provider'), 'stackPolicy') ?? null);
  if (policy?.kind !== 'seq' || policy.items.length === 0) return undefined;
  const target = `LogicalResourceId/${logicalId}`;
  let allowed = false;
  for (const [i, item] of policy.items.entries()) {
    const s = resolveAlias(item);
    if (s?.kind !== 'map') continue;
    const effect = scalarString(child(s, 'Effect'))?.trim();
    const actions = strings(child(s, 'Action'));
    const notActions = strings(child(s, 'NotAction'));
    const modify =
      actions.some((a) => matches(a, 'Update:Modify')) || (notActions.length > 0 && !notActions.some((a) => matches(a, 'Update:Modify')));
    if (!modify) continue;
    const resources = strings(child(s, 'Resource'));
    const notResources = strings(child(s, 'NotResource'));
    const table = resources.some((r) => matches(r, target)) || (notResources.length > 0 && !notResources.some((r) => matches(r, target)));
    if (!table) continue;
    // A condition on the resource type that leaves DynamoDB tables out; any other condition may hold.
    const condition = resolveAlias(child(s, 'Condition') ?? null);
    const types = condition?.kind === 'map' ? condition.pairs.flatMap((p) => strings(child(resolveAlias(p.value), 'ResourceType'))) : [];
    if (types.length > 0 && !types.some((t) => matches(t, type))) continue;
    if (effect === 'Allow') allowed = true;
    else if (effect === 'Deny')
      return `provider.stackPolicy[${i}] (Deny ${actions.length > 0 ? actions.join(', ') : `all but ${notActions.join(', ')}`} on ${resources.length > 0 ? resources.join(', ') : `all but ${notResources.join(', ')}`})`;
  }
  return allowed
    ? undefined
    : 'provider.stackPolicy (no statement of it allows the update, and a stack policy denies what it does not allow)';
}

/** The step of a table such a statement protects. */
export function stackPolicyStep(statement: string, logicalId: string): string {
  const implicit = !statement.includes('Deny');
  return (
    `${statement} denies Update:Modify on ${logicalId}, so CloudFormation would fail the deploy that changes its encryption ` +
    '(an update in place) and roll it back: ' +
    (implicit
      ? `allow Update:Modify on LogicalResourceId/${logicalId} in it (or deny only Update:Replace and Update:Delete there)`
      : 'narrow that statement to Update:Replace and Update:Delete (what protects a table from replacement and deletion)') +
    ', run kmsfix again and deploy, then restore it if you want'
  );
}
