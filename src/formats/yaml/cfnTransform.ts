/**
 * A `Fn::Transform` key beside a CloudFormation mapping's other keys (`Properties: {..., Fn::Transform:
 * {Name: AWS::Include, Parameters: {Location: ...}}}`, or a macro's name): CloudFormation puts the
 * snippet, or the macro's output, there at deploy, and the template alone does not show what it
 * sets. A table's encryption read there is unknown, never fixed (shared by the CloudFormation family
 * and a serverless.ts's resources, so here).
 */
import { child, pair, resolveAlias, scalarString, type CNode } from './tree.js';

export const FN_TRANSFORM = 'Fn::Transform';

/** The reason: where the transform is (`Properties include`), and the transform by its Location or its macro. */
export function transformReason(where: string, name: string | undefined, location: string | undefined): string {
  const what =
    name === 'AWS::Include' ? `AWS::Include${location === undefined ? '' : ` ${location}`}` : name === undefined ? '' : `${name} (a macro)`;
  return `${where} ${FN_TRANSFORM}${what ? ` ${what}` : ''}: what it inserts, maybe the table's encryption, is not known from the template alone`;
}

/** The reason for a mapping of the template's tree with a `Fn::Transform` key (through merge keys), or undefined without one. */
export function transformIn(node: CNode | null | undefined, where: string): string | undefined {
  const map = resolveAlias(node);
  if (map?.kind !== 'map' || !pair(map, FN_TRANSFORM)) return undefined;
  const t = resolveAlias(child(map, FN_TRANSFORM));
  return transformReason(where, scalarString(child(t, 'Name')), scalarString(child(child(t, 'Parameters'), 'Location')));
}
