/**
 * Suppressions an AWS CDK app writes into a table's CloudFormation Metadata: `(orders.node.defaultChild
 * as CfnTable).cfnOptions.metadata = { checkov: { skip: [...] } }` or `.addMetadata('cfn_nag', {...})`,
 * on the table's default child (also through a const that holds it: `const cfn = orders.node.defaultChild
 * as CfnTable`), or on a `CfnTable` itself. The synthesized template carries them as `Metadata`, and
 * they are read as CloudFormation's are (src/core/suppressions.ts metadataSuppressions). Only literals
 * count. A call of the project's own helper that names the table and one of these rule IDs
 * (`addCfnGuardSuppression(orders, 'DYNAMODB_TABLE_ENCRYPTED_KMS')`, also in an array or an object:
 * `[{ id: 'W74', reason }]`) is not read as a suppression, but
 * the table is not fixed: the call may record an exception, which a fix would silently override.
 */
import { METADATA_RULE_IDS, metadataSuppressions, type Plain } from '../../core/suppressions.js';
import type { LineIndex } from '../../core/text.js';
import type { TsTable } from './detect.js';
import { named, resourceOf } from './defaultChild.js';
import { propertyName, stringValue, ts, unwrap } from './parse.js';

/** A literal as a plain value (objects, arrays, strings, numbers, booleans); anything else is absent. */
function plain(e: ts.Expression): Plain {
  const u = unwrap(e);
  const s = stringValue(u);
  if (s !== undefined) return s;
  if (u.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (u.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isNumericLiteral(u)) return Number(u.text);
  if (ts.isArrayLiteralExpression(u)) return u.elements.map(plain);
  if (!ts.isObjectLiteralExpression(u)) return undefined;
  const out: { [key: string]: Plain } = {};
  for (const p of u.properties) {
    const key = ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) ? propertyName(p.name) : undefined;
    if (key !== undefined) out[key] = plain((p as ts.PropertyAssignment).initializer);
  }
  return out;
}

const RULE_IDS = new RegExp(METADATA_RULE_IDS.join('|'));

/** A rule ID a helper's argument names: a string, or one in its array literals and object literals' values, at any depth. */
function ruleIn(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  const s = stringValue(u);
  if (s !== undefined) return METADATA_RULE_IDS.includes(s) ? s : undefined;
  const parts = ts.isArrayLiteralExpression(u)
    ? u.elements
    : ts.isObjectLiteralExpression(u)
      ? u.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? [p.initializer] : []))
      : [];
  for (const p of parts) {
    const r = ruleIn(p);
    if (r !== undefined) return r;
  }
  return undefined;
}

export function metadataSuppressionsOf(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  const calls = RULE_IDS.test(sf.text);
  if (!calls && !/addMetadata\s*\(|cfnOptions\s*\.\s*metadata\b/.test(sf.text)) return;
  const cdk = tables.filter((t) => t.framework === 'cdk' && t.kind !== 'CfnResource');
  if (cdk.length === 0) return;
  const add = (receiver: ts.Expression, md: Plain, where: string) => {
    const t = resourceOf(receiver, cdk);
    if (!t) return;
    for (const s of metadataSuppressions(md, where)) if (!t.suppressions.some((o) => o.text === s.text)) t.suppressions.push(s);
  };
  // helper(orders, 'DYNAMODB_TABLE_ENCRYPTED_KMS'), also in an array or an object (`[{ id: 'W74', reason }]`):
  // maybe a suppression kmsfix cannot read.
  const helperCall = (n: ts.CallExpression) => {
    const rule = n.arguments.map(ruleIn).find((s) => s !== undefined);
    if (rule === undefined) return;
    for (const a of n.arguments) {
      const t = named(a, cdk) ?? resourceOf(a, cdk);
      if (!t || t.encryption.obstacles.some((o) => o.kind === 'code-shape' && o.step.includes(rule))) continue;
      const call = n.getText(sf).replace(/\s+/g, ' ');
      t.encryption.obstacles.push({
        kind: 'code-shape',
        step:
          `${call.length > 90 ? call.slice(0, 87) + '...' : call} (line ${lines.position(n.getStart(sf)).line}) names this table and ${rule}, ` +
          'and may suppress that rule in its Metadata, which kmsfix does not read through a call: if it does, mark the table ' +
          'with a `// kmsfix:ignore <reason>` comment; if not, or the exception no longer holds, remove the call and run kmsfix again',
      });
    }
  };
  const visit = (n: ts.Node): void => {
    // <resource>.cfnOptions.metadata = {...}
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(n.left);
      const options = ts.isPropertyAccessExpression(left) && left.name.text === 'metadata' ? unwrap(left.expression) : undefined;
      if (options && ts.isPropertyAccessExpression(options) && options.name.text === 'cfnOptions')
        add(options.expression, plain(n.right), 'cfnOptions.metadata');
    }
    // <resource>.addMetadata('checkov', {...})
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'addMetadata') {
      const key = n.arguments[0] && stringValue(n.arguments[0]);
      if (key !== undefined && n.arguments[1]) add(n.expression.expression, { [key]: plain(n.arguments[1]) }, 'addMetadata');
    } else if (calls && ts.isCallExpression(n)) helperCall(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
