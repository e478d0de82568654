/**
 * A CloudFormation-shaped table written in TypeScript whose own key lacks only its type (src/rule/cmk.ts
 * untypedKey): AWS CDK's CfnTable, whose `sseSpecification` CDK writes into the template as given (aws-cdk-lib's
 * convertCfnTableSSESpecificationPropertyToCloudFormation maps kmsMasterKeyId, sseEnabled and sseType one to one,
 * and adds no SSEType), and a serverless.ts resource object, which the Framework deploys as written. A fix adds
 * the type alone (`sseType: 'KMS'`, `SSEType: 'KMS'`) into the settings' object literal and keeps the user's key:
 * no key, alias or import is written.
 *
 * Only into a literal the table holds itself: settings that come from a spread, or props in a const that other
 * code uses too (detect.ts `spreadOf`), are not changed for one table, and the table's own settings written
 * beside the spread would hold the type alone and drop the key the spread gives: such a table gets the step
 * instead. Read here, at detection (the step is an obstacle); fix.ts planTypeOnly writes the type.
 */
import type { LineIndex } from '../../core/text.js';
import type { TsTable } from './tableTypes.js';
import { lookup } from './lookup.js';
import { ts, unwrap } from './parse.js';

/** The settings' names: CDK's props (camelCase), or the resource's own. */
export const TYPE_NAMES = {
  props: { holder: 'props', block: 'sseSpecification', type: 'sseType', key: 'kmsMasterKeyId' },
  resource: { holder: 'Properties', block: 'SSESpecification', type: 'SSEType', key: 'KMSMasterKeyId' },
};

/**
 * The object literal a table's type goes into, or the step when the table does not hold it itself.
 * `spreadOf`: the const the table's props are, when they cannot change for this table alone.
 */
export function typeOnlyBlock(
  sf: ts.SourceFile,
  lines: LineIndex,
  t: Pick<TsTable, 'kind' | 'node' | 'props'>,
  spreadOf?: ts.Identifier,
): { block: ts.ObjectLiteralExpression } | { step: string } {
  const names = t.kind === 'CfnResource' ? TYPE_NAMES.resource : TYPE_NAMES.props;
  const step = (where: string) => ({
    step:
      `${where}, which kmsfix does not change for one table: add ${names.type}: 'KMS' beside its ${names.key} by hand ` +
      '(CloudFormation rejects the key without it)',
  });
  const at = (n: ts.Node) => `line ${lines.position(n.getStart(sf)).line}`;
  if (spreadOf) return step(`${names.block} is in ${spreadOf.text}, the table's props, which other code uses too`);
  let holder = t.props;
  if (t.kind === 'CfnResource') {
    const resource = t.node as ts.ObjectLiteralExpression;
    const p = lookup(sf, resource, names.holder);
    const value = p.kind === 'value' ? unwrap(p.value) : undefined;
    if (p.kind !== 'value' || !value || !ts.isObjectLiteralExpression(value)) return step(`${names.holder} is not an object literal`);
    if (p.prop.parent !== resource) return step(`${names.holder} comes from a spread (${at(p.prop)})`);
    holder = value;
  }
  const l = holder ? lookup(sf, holder, names.block) : undefined;
  const value = l?.kind === 'value' ? unwrap(l.value) : undefined;
  if (l?.kind !== 'value' || !value || !ts.isObjectLiteralExpression(value)) return step(`${names.block} is not an object literal`);
  if (l.prop.parent !== holder) return step(`${names.block} comes from a spread (${at(l.prop)})`);
  return { block: value };
}
