/**
 * What keeps a table's data past a delete, so that its key must stay too: deletion protection and
 * point-in-time recovery, as a TypeScript table's props say them, backups of it in its file
 * (backups.ts), a CDK table's removal policy, and a Pulumi or CDKTF table's options (fix.ts keeps the key;
 * index.ts cautions where it cannot; keptKeys.ts where a table is kept and its key of the same file is not).
 */
import type { PulumiKeep } from '../pulumi/retention.js';
import { backedUp } from './backups.js';
import { lookup } from './lookup.js';
import type { TsTable } from './tableTypes.js';
import type { CopiedOptions } from './options.js';
import { ts, isNullish, unwrap } from './parse.js';
import { transformKeeps } from './transformKeeps.js';

/** What keeps the table's data past a delete of it, as a caution names each (empty: nothing does). */
export function dataKeptBy(t: TsTable, sf: ts.SourceFile): string[] {
  const out: string[] = [];
  if (deletionProtected(t, sf)) out.push(protectionProp(t));
  if (recoveryOn(t, sf)) out.push('point-in-time recovery');
  if (backedUp(t, sf)) out.push('a backup of it in this file (an AWS Backup selection or a dynamodb:CreateBackup grant)');
  return out;
}

/**
 * What keeps a Pulumi or CDKTF table, or its data, past a destroy (`options`: its resource options, read):
 * `protect`, `retainOnDelete` (CDKTF's preventDestroy), deletion protection, and a Pulumi table's
 * point-in-time recovery (CDKTF's preventDestroy would fail every destroy: index.ts cautions instead). The
 * fix gives its generated key retainOnDelete (preventDestroy) for any of them; keptKeys.ts names a key of the
 * file that is not kept where the destroy deletes it while the table stays (pulumi/retention.ts). A Pulumi table is
 * also kept by a transform of its file that sets retainOnDelete (transformKeeps.ts), and an SST v3 app's by its
 * `removal` (TsTable.appKeeps: sstRemoval.ts).
 */
export function destroyKeeps(t: TsTable, sf: ts.SourceFile, options: CopiedOptions): PulumiKeep[] {
  const out = [...options.keptBy];
  // What keeps every table of the file or app: a transform setting retainOnDelete, SST's removal (appKeeps.ts).
  if (t.framework === 'pulumi') out.push(...transformKeeps(sf), ...(t.appKeeps ?? []));
  if (deletionProtected(t, sf)) out.push({ why: protectionProp(t), by: 'deletion protection' });
  if (t.framework === 'pulumi' && recoveryOn(t, sf)) out.push({ why: 'point-in-time recovery', by: 'point-in-time recovery' });
  return out;
}

/**
 * A CDK table's removal policy, which its key follows: DESTROY, RETAIN (kms.Key's default), or a choice
 * between the two that the table makes (`isSandbox ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN`).
 * Any other expression may be SNAPSHOT, which kms.Key refuses: the key is retained. A table whose data
 * outlives it (dataKeptBy) keeps RETAIN, and so does any table but a Table or TableV2 (kms.Key's default:
 * a CfnTable has no removalPolicy of its own). fix.ts copies a choice where the key can read its names.
 */
export type Removal = 'RETAIN' | 'DESTROY' | { expr: ts.Expression };

export function removalOf(t: TsTable, sym: (e: ts.Expression) => string | undefined, sf: ts.SourceFile): Removal {
  if (!t.props || (t.kind !== 'Table' && t.kind !== 'TableV2') || dataKeptBy(t, sf).length > 0) return 'RETAIN';
  const l = lookup(sf, t.props, 'removalPolicy');
  if (l.kind !== 'value') return 'RETAIN';
  const leaf = (e: ts.Expression) => removalLeaf(e, sym);
  const choice = (e: ts.Expression): boolean => {
    const u = unwrap(e);
    return ts.isConditionalExpression(u) ? choice(u.whenTrue) && choice(u.whenFalse) : leaf(u) !== undefined;
  };
  const v = unwrap(l.value);
  if (leaf(v) === 'DESTROY') return 'DESTROY';
  if (!ts.isConditionalExpression(v) || !choice(v) || !/DESTROY/.test(v.getText(sf))) return 'RETAIN';
  return { expr: v };
}

/** `RemovalPolicy.DESTROY` or `RemovalPolicy.RETAIN` (aws-cdk-lib's, or CDK v1's core), else undefined. */
export function removalLeaf(e: ts.Expression, sym: (e: ts.Expression) => string | undefined): 'DESTROY' | 'RETAIN' | undefined {
  return /#RemovalPolicy\.(DESTROY|RETAIN)$/.exec(sym(unwrap(e)) ?? '')?.[1] as 'DESTROY' | 'RETAIN' | undefined;
}

/** The deletion protection property of the table's class (a CfnTable's is CloudFormation's). */
const protectionProp = (t: TsTable) =>
  t.framework === 'cdk' && t.kind !== 'CfnTable' ? 'deletionProtection' : 'deletionProtectionEnabled';

/**
 * Is the table deletion-protected (CDK `deletionProtection`, a CDK CfnTable's, CDKTF's and Pulumi's
 * `deletionProtectionEnabled`, anything but a literal `false`)? A destroy fails on such a table, and the
 * way out, leaving it behind, would delete its key: the key is kept as the table is.
 */
export function deletionProtected(t: TsTable, sf: ts.SourceFile): boolean {
  return !!t.props && on(sf, t.props, protectionProp(t));
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
