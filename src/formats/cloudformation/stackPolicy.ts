/**
 * A Serverless service's `provider.stackPolicy`, which the Framework sets on its stack at each deploy
 * (`SetStackPolicy`): a `Deny` of `Update:Modify` (`Update:*`, `*`) on a table makes CloudFormation
 * fail the update that changes the table's encryption (an update with no interruption: `Update:Modify`)
 * and roll the deploy back, that and every later one. Such a table is not fixed: the step names the
 * statement, to be narrowed (a table protected against replacement and deletion needs only
 * `Update:Replace` and `Update:Delete`) before the fix is deployed.
 */
import { child, resolveAlias, scalarString, type CNode } from '../yaml/tree.js';
import type { CfnTemplate } from './detect.js';

/** The strings of a scalar or a list of scalars. */
function strings(n: CNode | null | undefined): string[] {
  const v = resolveAlias(n ?? null);
  if (v?.kind === 'seq') return v.items.flatMap((i) => strings(i));
  const s = v ? scalarString(v) : undefined;
  return s === undefined ? [] : [s.trim()];
}

/** Does a stack policy pattern (`*` and `?` wildcards) match the value? */
function matches(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

/** The statement of the service's stack policy that denies an update of the table in place (its index and text, short), if any. */
export function stackPolicyDenial(template: CfnTemplate, logicalId: string, type: string): string | undefined {
  if (template.flavor !== 'serverless') return undefined;
  const policy = resolveAlias(child(child(template.root, 'provider'), 'stackPolicy') ?? null);
  if (policy?.kind !== 'seq') return undefined;
  for (const [i, item] of policy.items.entries()) {
    const s = resolveAlias(item);
    if (s?.kind !== 'map' || scalarString(child(s, 'Effect'))?.trim() !== 'Deny') continue;
    const actions = strings(child(s, 'Action'));
    const notActions = strings(child(s, 'NotAction'));
    const modify =
      actions.some((a) => matches(a, 'Update:Modify')) || (notActions.length > 0 && !notActions.some((a) => matches(a, 'Update:Modify')));
    if (!modify) continue;
    const resources = strings(child(s, 'Resource'));
    const notResources = strings(child(s, 'NotResource'));
    const target = `LogicalResourceId/${logicalId}`;
    const table = resources.some((r) => matches(r, target)) || (notResources.length > 0 && !notResources.some((r) => matches(r, target)));
    if (!table) continue;
    // A condition on the resource type that leaves DynamoDB tables out; any other condition may hold.
    const condition = resolveAlias(child(s, 'Condition') ?? null);
    const types = condition?.kind === 'map' ? condition.pairs.flatMap((p) => strings(child(resolveAlias(p.value), 'ResourceType'))) : [];
    if (types.length > 0 && !types.some((t) => matches(t, type))) continue;
    return `provider.stackPolicy[${i}] (Deny ${actions.length > 0 ? actions.join(', ') : `all but ${notActions.join(', ')}`} on ${resources.length > 0 ? resources.join(', ') : `all but ${notResources.join(', ')}`})`;
  }
  return undefined;
}

/** The step of a table such a statement protects. */
export function stackPolicyStep(statement: string, logicalId: string): string {
  return (
    `${statement} denies Update:Modify on ${logicalId}, so CloudFormation would fail the deploy that changes its encryption ` +
    '(an update in place) and roll it back: narrow that statement to Update:Replace and Update:Delete (what protects a table ' +
    'from replacement and deletion), run kmsfix again and deploy, then restore it if you want'
  );
}
