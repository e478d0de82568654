/**
 * A CDK for Terraform or Pulumi table switched off beside a customer-managed key of its own
 * (`serverSideEncryption: { enabled: false, kmsKeyArn }`, src/rule/cmk.ts switchedOff): its team chose that key,
 * so a fix turns the switch on alone, the `false` token made `true`, and keeps the key, generating none (as
 * Terraform's detect.ts switchAlone). Only where the table holds the switch itself: its props literal, or the
 * const of the file that only it uses (detect.ts `spreadOf` unset), the block and the switch written there, not
 * brought by a spread. A switch kmsfix cannot edit for this table alone is fixed as any switched-off table's (a
 * key generated). Read at detection (the kept key is named in the commit message); fix.ts planSwitchOnly edits it.
 */
import { switchOnlyFix } from '../../rule/cmk.js';
import type { TsTable } from './tableTypes.js';
import { lookup } from './lookup.js';
import { ts, unwrap } from './parse.js';

/** The Terraform-shaped settings' names (CDKTF's DynamodbTable, Pulumi's aws.dynamodb.Table). */
const BLOCK = 'serverSideEncryption';
const SWITCH = 'enabled';
const KEY = 'kmsKeyArn';

type Table = Pick<TsTable, 'kind' | 'node' | 'props' | 'spreadOf' | 'encryption'>;

/** The property `name` the object literal `o` holds itself (not through a spread), and its value. */
function own(o: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  const l = lookup(o.getSourceFile(), o, name);
  return l.kind === 'value' && l.prop.parent === o && ts.isPropertyAssignment(l.prop) ? l.prop : undefined;
}

/** The switch's `false` token and the key beside it, where a fix turns the switch on alone; undefined for any other table. */
function switchPlace(t: Table): { token: ts.Expression; key: ts.Expression } | undefined {
  if ((t.kind !== 'DynamodbTable' && t.kind !== 'PulumiTable') || !t.props || t.spreadOf || !switchOnlyFix(t.encryption)) return undefined;
  const block = own(t.props, BLOCK);
  const settings = block && unwrap(block.initializer);
  if (!settings || !ts.isObjectLiteralExpression(settings)) return undefined;
  const value = own(settings, SWITCH)?.initializer;
  const token = value && unwrap(value);
  const key = own(settings, KEY)?.initializer;
  return token?.kind === ts.SyntaxKind.FalseKeyword && key ? { token, key } : undefined;
}

/** The `false` token a fix makes `true` (switchPlace). */
export const switchToken = (t: Table): ts.Expression | undefined => switchPlace(t)?.token;

/** Is this table fixed by its switch alone, its own key kept (switchPlace)? */
export const switchAlone = (t: Table): boolean => switchPlace(t) !== undefined;

/** The key such a table keeps, as written (TableFacts.keptKey); undefined for any other table. */
export function keptKeyText(t: Table): string | undefined {
  const key = switchPlace(t)?.key;
  return key?.getText(key.getSourceFile());
}
