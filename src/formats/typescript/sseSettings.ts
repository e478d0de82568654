/**
 * SSE settings shaped as CloudFormation's (sseSpecification { sseEnabled, sseType, kmsMasterKeyId }: CDK's CfnTable and
 * CfnGlobalTable, aws-native's tables, a serverless.ts's resources) or Terraform's (serverSideEncryption { enabled,
 * kmsKeyArn }: CDKTF's DynamodbTable, Pulumi's aws.dynamodb.Table), and a table's list of replicas with each one's key.
 */
import { ABSENT, type Replicas, type Setting, type Settings } from '../../rule/facts.js';
import { lookup, snippet } from './lookup.js';
import { ts, unwrap } from './parse.js';
import type { Given } from './projectValues.js';
import { blockOf, keyOf, objectAt, settingOf, switchOf } from './settingReaders.js';

/** The CloudFormation SSE names: CDK's L1 props (camelCase), or the resource's own (PascalCase). */
export const CFN_NAMES = { block: 'sseSpecification', enabled: 'sseEnabled', sseType: 'sseType', key: 'kmsMasterKeyId' };

/**
 * CloudFormation-shaped SSE (CfnTable, CfnGlobalTable, aws-native's tables): sseSpecification
 * { sseEnabled, sseType, kmsMasterKeyId }. sseType matters only when it is not a string (KMS is its one value).
 */
export function cfnSettings(
  sf: ts.SourceFile,
  given: Given,
  props: ts.ObjectLiteralExpression,
  withKey: boolean,
  names = CFN_NAMES,
  /** How the key is read: as the TypeScript family reads a key (keyOf), or as a serverless.ts's (resources.ts). */
  readKey = keyOf(sf, given),
): Settings {
  const block = settingOf(sf, props, names.block, blockOf(sf));
  const o = objectAt(sf, props, names.block);
  if (block.state !== 'literal' || !o) return { model: 'sse', block };
  const settings: Settings = {
    model: 'sse',
    block,
    enabled: settingOf(sf, o, names.enabled, switchOf(sf)),
    sseType: settingOf(sf, o, names.sseType, keyOf(sf, given)),
  };
  if (withKey) settings.key = settingOf(sf, o, names.key, readKey);
  return settings;
}

/** Terraform-shaped SSE (CDKTF DynamodbTable, Pulumi aws.dynamodb.Table): serverSideEncryption { enabled, kmsKeyArn }. */
export function tfSettings(sf: ts.SourceFile, given: Given, props: ts.ObjectLiteralExpression): Settings {
  const block = settingOf(sf, props, 'serverSideEncryption', blockOf(sf));
  const o = objectAt(sf, props, 'serverSideEncryption');
  if (block.state !== 'literal' || !o) return { model: 'sse', block };
  return { model: 'sse', block, enabled: settingOf(sf, o, 'enabled', switchOf(sf)), key: settingOf(sf, o, 'kmsKeyArn', keyOf(sf, given)) };
}

/**
 * The object literal every element of `xs.map(cb)` is, when `cb` is a function that returns one:
 * `(r) => ({...})`, or a body whose only return (at its top level, its last statement) returns one.
 */
function mappedObject(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'map') return undefined;
  const cb = e.arguments.length === 1 ? unwrap(e.arguments[0]) : undefined;
  if (!cb || !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) return undefined;
  let returned: ts.Expression | undefined;
  if (!ts.isBlock(cb.body)) returned = cb.body;
  else {
    const last = cb.body.statements[cb.body.statements.length - 1];
    const returns = (n: ts.Node): boolean =>
      ts.isReturnStatement(n) || (!ts.isFunctionLike(n) && !ts.isClassLike(n) && (ts.forEachChild(n, returns) ?? false));
    const earlier = cb.body.statements.slice(0, -1).some(returns);
    if (last && ts.isReturnStatement(last) && !earlier) returned = last.expression;
  }
  const o = returned && unwrap(returned);
  return o && ts.isObjectLiteralExpression(o) ? o : undefined;
}

/** A list of replicas, each object literal's key read by `keyOf`. */
export function replicasOf(
  sf: ts.SourceFile,
  props: ts.ObjectLiteralExpression,
  name: string,
  keys: Replicas['keys'],
  keyOfReplica: (o: ts.ObjectLiteralExpression) => Setting,
): Replicas {
  const l = lookup(sf, props, name);
  const replicas: Replicas = { keys, list: ABSENT, items: [], fix: 'none' };
  if (l.kind === 'absent') {
    // A global table needs its replicas; another table may have none.
    if (keys === 'own') replicas.list = { state: 'absent', source: 'missing' };
    return replicas;
  }
  if (l.kind === 'unknown') {
    replicas.list = keys === 'own' ? { state: 'unreadable', source: l.why } : { state: 'expression', source: snippet(sf, l.node) };
    return replicas;
  }
  const list = unwrap(l.value);
  // `regions.map((region) => ({ region, sseSpecification: { kmsMasterKeyId: ... } }))`: every replica has the
  // callback's object's key (read as one replica; never fixed: a key set there would serve every Region).
  const template = mappedObject(list);
  if (template) {
    replicas.list = { state: 'literal', source: snippet(sf, list) };
    replicas.items = [{ source: snippet(sf, template), readable: true, key: keyOfReplica(template) }];
    replicas.fix = 'none';
    return replicas;
  }
  if (!ts.isArrayLiteralExpression(list)) {
    replicas.list = { state: 'expression', source: snippet(sf, keys === 'own' ? list : l.value) };
    return replicas;
  }
  replicas.list = { state: 'literal', source: snippet(sf, list) };
  replicas.items = list.elements.map((el) => {
    const e = unwrap(el as ts.Expression);
    if (!ts.isObjectLiteralExpression(e)) return { source: snippet(sf, el), readable: false, key: ABSENT };
    return { source: snippet(sf, el), readable: true, key: keyOfReplica(e) };
  });
  return replicas;
}

/** A CfnGlobalTable replica's key: sseSpecification.kmsMasterKeyId. */
export function cfnReplicaKey(sf: ts.SourceFile, given: Given, replica: ts.ObjectLiteralExpression): Setting {
  const spec = lookup(sf, replica, 'sseSpecification');
  if (spec.kind === 'unknown') return { state: 'unreadable', source: spec.why };
  const o = objectAt(sf, replica, 'sseSpecification');
  return o ? settingOf(sf, o, 'kmsMasterKeyId', keyOf(sf, given)) : ABSENT;
}
