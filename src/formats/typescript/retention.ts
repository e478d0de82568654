/**
 * What keeps a table's data past a delete, so that its key must stay too: deletion protection and
 * point-in-time recovery, as a TypeScript table's props say them (fix.ts keeps the key; index.ts
 * cautions where it cannot).
 */
import { lookup, type TsTable } from './detect.js';
import { ts, isNullish, unwrap } from './parse.js';

/**
 * Is the table deletion-protected (CDK `deletionProtection`, CDKTF and Pulumi `deletionProtectionEnabled`,
 * anything but a literal `false`)? A destroy fails on such a table, and the way out, leaving it behind,
 * would delete its key: the key is kept as the table is.
 */
export function deletionProtected(t: TsTable, sf: ts.SourceFile): boolean {
  return !!t.props && on(sf, t.props, t.framework === 'cdk' ? 'deletionProtection' : 'deletionProtectionEnabled');
}

/** The property is set, to anything but a literal `false` (or may be: a spread, a computed name). */
function on(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): boolean {
  const l = lookup(sf, o, name);
  return l.kind === 'unknown' || (l.kind === 'value' && unwrap(l.value).kind !== ts.SyntaxKind.FalseKeyword);
}

/**
 * Does the table have point-in-time recovery on (anything but a literal `false`; CDK `pointInTimeRecovery`
 * or `pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled`, Pulumi `pointInTimeRecovery.enabled`)?
 * DynamoDB keeps a deleted table's backup 35 days, under the table's key: the key is kept, or the
 * delete that removes the table would schedule its deletion (in at most 30 days) and the backup with it.
 */
export function recoveryOn(t: TsTable, sf: ts.SourceFile): boolean {
  const within = (o: ts.ObjectLiteralExpression, name: string, flag: string): boolean => {
    const l = lookup(sf, o, name);
    if (l.kind === 'absent') return false;
    if (l.kind === 'unknown') return true;
    const v = unwrap(l.value);
    return ts.isObjectLiteralExpression(v) ? on(sf, v, flag) : !isNullish(v);
  };
  if (!t.props) return false;
  return t.framework === 'cdk'
    ? on(sf, t.props, 'pointInTimeRecovery') || within(t.props, 'pointInTimeRecoverySpecification', 'pointInTimeRecoveryEnabled')
    : within(t.props, 'pointInTimeRecovery', 'enabled');
}
