/**
 * A CDK or Pulumi table kept past its stack whose key, a key resource of the same file, is not (Caution
 * `unkept-key`; CloudFormation reads the same in a template: cloudformation/keptKeys.ts, Pulumi YAML in a
 * program: pulumi-yaml/keptKeys.ts). kmsfix gives a generated key its table's removal policy (CDK: retention.ts
 * removalOf) or retainOnDelete (Pulumi: retention.ts destroyKeeps) at fix time; a table retained later (RETAIN,
 * kms.Key's and Table's default; Pulumi's retainOnDelete), or given deletion protection, point-in-time recovery
 * or a backup, keeps a key that `cdk destroy` / `pulumi destroy` schedules for deletion, and the table, or its
 * backups, unreadable under it. Any key of the file the table names counts, not only a generated one.
 *
 * Read: the table's key (Table `encryptionKey: k`, TableV2 `TableEncryptionV2.customerManagedKey(k)`,
 * CfnTable `sseSpecification: { kmsMasterKeyId: k.keyArn }`; Pulumi's aws.dynamodb.Table
 * `serverSideEncryption: { kmsKeyArn: k.arn }`, aws-native's `sseSpecification: { kmsMasterKeyId: k.arn }`),
 * `k` a `const k = new kms.Key(...)` (Pulumi: aws.kms.Key, aws-native's kms.Key) or a `this.k = new kms.Key(...)`
 * of the class. CDK: the key's removal policy, `removalPolicy` in its props (RETAIN when absent) or the last
 * `k.applyRemovalPolicy(...)` of the file, said only for a literal DESTROY (a choice or a variable may be RETAIN:
 * kmsfix does not guess); the table's need is the fix's own rule (removalOf: RETAIN, by its removalPolicy or
 * because its data outlives it, dataKeptBy); a CfnTable, which has no removalPolicy, is kept when its data is, or
 * by its own `applyRemovalPolicy(RemovalPolicy.RETAIN)`. Pulumi: the key is kept by its resource options'
 * `retainOnDelete` or `protect` (anything but a literal false, or options kmsfix cannot read: not said); the
 * table's need is the fix's own rule (destroyKeeps), where the destroy deletes the key while the table stays
 * (pulumi/retention.ts: not a protected table, whose destroy fails before its key).
 */
import path from 'node:path';
import type { SourceFile } from '../../core/types.js';
import { constInitializer, declarationOf } from './consts.js';
import { declaredName } from './holders.js';
import { lookup } from './lookup.js';
import type { TsDetection, TsTable } from './tableTypes.js';
import { resolveSymbol } from './imports.js';
import { classOfThis, ts, unwrap } from './parse.js';
import { classWrites } from './singleValue.js';
import { keyDeletedWhileKept } from '../pulumi/retention.js';
import { readOptions } from './options.js';
import { sstGlobalSymbol, sstTableProps } from './sst.js';
import { dataKeptBy, destroyKeeps, removalLeaf, removalOf } from './retention.js';

export type Sym = (e: ts.Expression) => string | undefined;

/** A `kms.Key` of the file: how the table names it (`ordersKey`, `this.ordersKey`), its `new` and where it is declared. */
export interface FileKey {
  name: string;
  created: ts.NewExpression;
  at: ts.Node;
  /** The variable's declaration (an identifier's), to tell its uses from another variable of the same name. */
  decl?: ts.VariableDeclaration;
}

/** The key classes of each framework the caution reads. */
export const KEY_CLASSES: Partial<Record<TsTable['framework'], string[]>> = {
  cdk: ['aws-cdk-lib/aws-kms#Key'],
  pulumi: ['@pulumi/aws#kms.Key', '@pulumi/aws-native#kms.Key'],
};

/** `k.arn` (`k.keyArn`...) as written for a key's ARN or ID: `k`. */
function keyOf(e: ts.Expression | undefined, attributes: string[]): ts.Expression | undefined {
  const u = e && unwrap(e);
  return u && ts.isPropertyAccessExpression(u) && attributes.includes(u.name.text) ? u.expression : undefined;
}

/** The expression a CDK or Pulumi table names its key with, as written; undefined for another table. */
export function keyExpression(t: TsTable, sf: ts.SourceFile): ts.Expression | undefined {
  const value = (o: ts.ObjectLiteralExpression | undefined, name: string) => {
    const l = o && lookup(sf, o, name);
    return l?.kind === 'value' ? unwrap(l.value) : undefined;
  };
  // An SST v3 sst.aws.Dynamo's table args are its transform.table object (sst.ts).
  const sst =
    t.type === 'sst.aws.Dynamo' && !ts.isObjectLiteralExpression(t.node) ? sstTableProps(sf, 'v3', t.node.arguments?.[1]) : undefined;
  const props = t.props ?? (sst && sst !== 'absent' && !('unreadable' in sst) ? sst : undefined);
  if (!props) return undefined;
  if (t.kind === 'Table') return value(props, 'encryptionKey');
  if (t.kind === 'TableV2') {
    const e = value(props, 'encryption');
    const call = e && ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) ? e : undefined;
    return call && (call.expression as ts.PropertyAccessExpression).name.text === 'customerManagedKey' ? call.arguments[0] : undefined;
  }
  const within = (block: string, key: string) => {
    const o = value(props, block);
    return o && ts.isObjectLiteralExpression(o) ? value(o, key) : undefined;
  };
  if (t.kind === 'CfnTable') return keyOf(within('sseSpecification', 'kmsMasterKeyId'), ['keyArn', 'keyId']);
  if (t.kind === 'PulumiTable') return keyOf(within('serverSideEncryption', 'kmsKeyArn'), ['arn', 'keyId']);
  if (t.kind === 'NativeTable') return keyOf(within('sseSpecification', 'kmsMasterKeyId'), ['arn', 'keyId']);
  return undefined;
}

/**
 * The key (a `new` of one of `classes`) an expression names, when the file creates it where kmsfix can see (a
 * const, or a property of the class assigned once).
 */
export function fileKey(e: ts.Expression | undefined, sf: ts.SourceFile, sym: Sym, classes: string[]): FileKey | undefined {
  const u = e && unwrap(e);
  if (!u) return undefined;
  let init: ts.Expression | undefined;
  let at: ts.Node | undefined;
  let decl: ts.VariableDeclaration | undefined;
  if (ts.isIdentifier(u)) {
    const d = declarationOf(u);
    init = constInitializer(d);
    if (init) decl = d as ts.VariableDeclaration;
    at = decl?.name;
  } else if (ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = classOfThis(u);
    const assigned = cls ? assignedInClass(cls, u.name.text) : [];
    if (assigned.length === 1) [init, at] = [assigned[0].right, assigned[0].left];
  }
  const created = init && unwrap(init);
  if (!created || !at || !ts.isNewExpression(created) || !classes.includes(sym(created.expression) ?? '')) return undefined;
  return { name: u.getText(sf), created, at, decl };
}

/**
 * Every `this.<name> = ...` of a class (a property declared with an initializer counts as one), in the order of
 * the class's properties, then of its members' assignments (`=` only). From the class's one walk (singleValue.ts
 * classWrites), for every name: `encryptionKey: this.key` of each table of a stack walked the whole class again before.
 */
function assignedInClass(cls: ts.ClassDeclaration | ts.ClassExpression, name: string): { left: ts.Node; right: ts.Expression }[] {
  const out: { left: ts.Node; right: ts.Expression }[] = [];
  for (const m of cls.members)
    if (ts.isPropertyDeclaration(m) && m.initializer && ts.isIdentifier(m.name) && m.name.text === name)
      out.push({ left: m.name, right: m.initializer });
  for (const w of classWrites(cls).get(name) ?? [])
    if (w.member && w.op === ts.SyntaxKind.EqualsToken) out.push({ left: w.left, right: w.right });
  return out;
}

/** The argument of the last `<holder>.applyRemovalPolicy(...)` of the file on this variable (`name` as written; `decl`: an identifier's). */
function appliedRemoval(sf: ts.SourceFile, name: string, decl: ts.VariableDeclaration | undefined): ts.CallExpression | undefined {
  if (!sf.text.includes('applyRemovalPolicy')) return undefined;
  let last: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'applyRemovalPolicy' &&
      n.arguments.length > 0 &&
      n.expression.expression.getText(sf) === name
    ) {
      const holder = unwrap(n.expression.expression);
      if (!ts.isIdentifier(holder) || declarationOf(holder) === decl) last = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return last;
}

/** Where a node starts, as cautions say it (`stack.ts:12:11`). */
function where(n: ts.Node, sf: ts.SourceFile, file: string): string {
  const p = sf.getLineAndCharacterOfPosition(n.getStart(sf));
  return `${file}:${p.line + 1}:${p.character + 1}`;
}

/** The key's removal policy, as written, when it is a literal DESTROY (else undefined: RETAIN, kms.Key's default, or not known). */
function destroyedBy(key: FileKey, sf: ts.SourceFile, sym: Sym, file: string): string | undefined {
  const applied = appliedRemoval(sf, key.name, key.decl);
  if (applied)
    return removalLeaf(applied.arguments[0], sym) === 'DESTROY' ? `${applied.getText(sf)} (${where(applied, sf, file)})` : undefined;
  const props = key.created.arguments?.[2] && unwrap(key.created.arguments[2]);
  const l = props && ts.isObjectLiteralExpression(props) ? lookup(sf, props, 'removalPolicy') : undefined;
  return l?.kind === 'value' && removalLeaf(l.value, sym) === 'DESTROY' ? `removalPolicy: ${unwrap(l.value).getText(sf)}` : undefined;
}

/** A removal policy that keeps a table: anything but DESTROY that names RemovalPolicy (RETAIN, SNAPSHOT, RETAIN_ON_UPDATE_OR_DELETE). */
const KEEPS_TABLE = /#RemovalPolicy\.(RETAIN|SNAPSHOT|RETAIN_ON_UPDATE_OR_DELETE)$/;

/** What keeps a CDK table past its stack, as the caution names it (empty: nothing, or kmsfix cannot tell). */
function tableKeptBy(t: TsTable, sf: ts.SourceFile, sym: Sym): string[] {
  const data = dataKeptBy(t, sf);
  if (data.length > 0) return data;
  if (t.kind === 'CfnTable') {
    const holder = declaredName(t.node);
    let decl: ts.Node = t.node.parent;
    while (ts.isParenthesizedExpression(decl) || ts.isAsExpression(decl) || ts.isSatisfiesExpression(decl)) decl = decl.parent;
    const applied = holder ? appliedRemoval(sf, holder, ts.isVariableDeclaration(decl) ? decl : undefined) : undefined;
    return applied && KEEPS_TABLE.test(sym(unwrap(applied.arguments[0])) ?? '') ? [applied.getText(sf)] : [];
  }
  if (!t.props || removalOf(t, sym, sf) === 'DESTROY') return [];
  const l = lookup(sf, t.props, 'removalPolicy');
  if (l.kind === 'absent') return [`its removal policy (RemovalPolicy.RETAIN, a ${t.kind}'s default)`];
  return l.kind === 'value' ? [`removalPolicy: ${unwrap(l.value).getText(sf)}`] : [];
}

/**
 * A Pulumi key's options when they keep it not (`no retainOnDelete`, `retainOnDelete: false`), as the caution
 * says them; undefined when they keep it (retainOnDelete, or protect: its destroy fails) or cannot be read.
 */
function unretained(key: FileKey, sf: ts.SourceFile): string | undefined {
  const options = key.created.arguments?.[2];
  const read = readOptions(sf, 'pulumi', undefined, options);
  if ('unreadable' in read || read.keptBy.length > 0) return undefined;
  const o = options && unwrap(options);
  const written = o && ts.isObjectLiteralExpression(o) ? lookup(sf, o, 'retainOnDelete') : undefined;
  return written?.kind === 'value' ? `retainOnDelete: ${unwrap(written.value).getText(sf)}` : 'no retainOnDelete';
}

/** What keeps a Pulumi table while `pulumi destroy` deletes its key (empty: nothing, or kmsfix cannot tell). */
function pulumiKeptBy(t: TsTable, sf: ts.SourceFile): string[] {
  const options = readOptions(sf, 'pulumi', t.props, ts.isObjectLiteralExpression(t.node) ? undefined : t.node.arguments?.[2]);
  return 'unreadable' in options ? [] : keyDeletedWhileKept(destroyKeeps(t, sf, options));
}

/** Adds the caution to each CDK or Pulumi table of the file whose key of the file is deleted while the table is kept. */
export function unkeptKeyCautions(file: SourceFile, d: TsDetection): void {
  if (!/aws-kms|aws_kms|@pulumi\/aws|\baws\.kms\.Key\b/.test(file.text)) return;
  const sf = d.sf;
  // SST v3's global aws (no import) names @pulumi/aws's key class too (sst.ts).
  const sym: Sym = (e) => resolveSymbol(e, d.binds) ?? sstGlobalSymbol(e);
  const name = path.basename(file.path);
  for (const t of d.tables) {
    const classes = KEY_CLASSES[t.framework];
    const key = classes && fileKey(keyExpression(t, sf), sf, sym, classes);
    if (!key) continue;
    const pulumi = t.framework === 'pulumi';
    const policy = pulumi ? unretained(key, sf) : destroyedBy(key, sf, sym, name);
    const keptBy = !policy ? [] : pulumi ? pulumiKeptBy(t, sf) : tableKeptBy(t, sf, sym);
    if (!policy || keptBy.length === 0) continue;
    // A table SST's removal keeps: its key is kept when SST keeps the table (sstRemoval.ts).
    const family = pulumi ? (t.appKeeps?.length ? 'sst' : 'pulumi') : 'cdk';
    (t.encryption.cautions ??= []).push({ kind: 'unkept-key', key: key.name, at: where(key.at, sf, name), keptBy, policy, family });
  }
}
