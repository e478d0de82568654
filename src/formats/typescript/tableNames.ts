/** A table's deployed name as a TypeScript fix reads it, and the key alias's name made of it. */
import { aliasSafe } from '../../rule/keySettings.js';
import { call, raw, seq, str } from './code.js';
import type { TsTable } from './tableTypes.js';
import { lookup } from './lookup.js';
import { constInitializer, declarationOf } from './consts.js';
import { CDK, CDKTF_CORE, type AliasName, type Ref } from './keys.js';
import { stringValue, ts, unwrap } from './parse.js';

/**
 * The name an alias is made of: the table's name read at deploy time, except when the table is
 * given a literal name holding characters a KMS alias may not (`orders.v1`): then that name, each
 * such character written `-`. A name the file does not write as a literal (`${stage}.orders`, a
 * prop; a Pulumi table named after a resource name that is not a literal without `.`) may hold a `.`
 * at deploy time: its `.` is written `-` there (CDK `Fn.join('-', Fn.split('.', name))`, CDKTF
 * `Fn.replace(name, '.', '-')`, Pulumi `name.apply((n) => n.replace(/\./g, '-'))`). A name CloudFormation
 * generates (stack name, logical ID, suffix) never holds one.
 */
export function aliasNameOf(t: TsTable, expr: string, sf: ts.SourceFile, ref: Ref): AliasName {
  const { l, v } = tableNameProp(t, sf);
  if (v !== undefined && aliasSafe(v) !== v) return { literal: aliasSafe(v) };
  const name = raw(tableNameOf(t, expr));
  const resourceName = t.framework === 'pulumi' && t.idNode ? stringValue(t.idNode) : undefined;
  const safe =
    l?.kind === 'absent' ? t.framework !== 'pulumi' || (resourceName !== undefined && !resourceName.includes('.')) : v !== undefined;
  if (safe) return { expr: name };
  if (t.framework === 'cdk') return { expr: call(ref(CDK, ['Fn', 'join']), str('-'), call(ref(CDK, ['Fn', 'split']), str('.'), name)) };
  if (t.framework === 'cdktf') return { expr: call(ref(CDKTF_CORE, ['Fn', 'replace']), name, str('.'), str('-')) };
  return { expr: call(`${tableNameOf(t, expr)}.apply`, seq(raw('(n) => n.replace(/\\./g, '), str('-'), raw(')'))) };
}

/**
 * The table's name prop (`tableName`, Pulumi's and CDKTF's `name`) as the props give it (`l`), and its value when the
 * file writes it as a string (`v`: `tableName: 'orders'`, or a const holding one).
 */
export function tableNameProp(t: TsTable, sf: ts.SourceFile) {
  const l = t.props ? lookup(sf, t.props, t.framework === 'cdk' ? 'tableName' : 'name') : undefined;
  return { l, v: l?.kind === 'value' ? constString(l.value) : undefined };
}

/** A string literal, or a `const` of the file holding one (`tableName: tableName`, `const tableName = 'chat'`): its value. */
function constString(e: ts.Expression): string | undefined {
  const x = unwrap(e);
  const v = stringValue(x);
  if (v !== undefined || !ts.isIdentifier(x)) return v;
  const init = constInitializer(declarationOf(x));
  return init && stringValue(unwrap(init));
}

/** What a table's deployed name is read from, on the table's expression. */
function tableNameOf(t: TsTable, expr: string): string {
  if (t.framework === 'cdk') return t.kind === 'CfnTable' ? `${expr}.ref` : `${expr}.tableName`;
  return `${expr}.name`;
}
