/**
 * A Pulumi table's key read from the stack's config: `kmsKeyArn: config.require('tableKey')` (or `get`,
 * `requireSecret`, `requireObject<T>('db').kmsKeyArn`), through the file's consts and fields, of a
 * `new pulumi.Config()` (the project's namespace) or `new pulumi.Config('ns')`. What each stack file sets
 * (src/formats/pulumi/stacks.ts) decides the key: the AWS managed key on every stack is that key
 * (aws-managed), a key some stacks leave out or set to it is decided per stack (unknown), a `get` that every
 * stack sets is a key (customer-managed). Without stack files the code alone decides, as before.
 * A `get` with a fallback (`config.get('tableKey') ?? '<alias ARN of aws/dynamodb>'`, or `||`, which an empty value
 * takes too) gives, on a stack that does not set the value, the fallback (real-world round 32: the AWS managed key
 * on every stack was read as a key). A key looked up by a config value (`getAliasOutput({ name })`, `getKeyOutput({
 * keyId })`) is the value each stack sets, judged as what the lookup names (lookedUpOnStacks).
 */
import { ABSENT, type Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS } from '../../rule/status.js';
import type { SourceFile } from '../../core/types.js';
import { keyOnStacks, type Fallback, type PulumiStacks } from '../pulumi/stacks.js';
import { awsManagedKeyOf, type LookedUp, lookedUpName } from './awsManagedKey.js';
import { declarationOf } from './consts.js';
import type { TsDetection, TsTable } from './tableTypes.js';
import { lookup, snippet } from './lookup.js';
import type { Given } from './projectValues.js';
import { isNullish, stringValue, ts, unwrap } from './parse.js';
import { fieldValue, guarded, memberValue, onlyValueOf } from './singleValue.js';

/** A read of the stack's config: its namespace (undefined: the project's), name, the member of an object read, and whether it may be undefined. */
interface ConfigRead {
  namespace: string | undefined;
  name: string;
  member?: string;
  optional: boolean;
  object: boolean;
  /** The value a stack that does not set it gets: `?? x` (nullish: unset), `|| x` (also empty). */
  fallback?: { node: ts.Expression; empty: boolean };
}

/** Config's reads of one value, and whether each may give undefined (`get*`) and reads an object (`*Object`). */
export const CONFIG_READS: Record<string, { optional: boolean; object: boolean }> = {
  require: { optional: false, object: false },
  requireSecret: { optional: false, object: false },
  get: { optional: true, object: false },
  getSecret: { optional: true, object: false },
  requireObject: { optional: false, object: true },
  requireSecretObject: { optional: false, object: true },
  getObject: { optional: true, object: true },
  getSecretObject: { optional: true, object: true },
};

/** Does a Pulumi table of the detection take its key from the stack's config (so the stack files are worth reading)? */
export function readsStackConfig(file: SourceFile, d: TsDetection): boolean {
  if (!file.text.includes('Config(')) return false;
  return d.tables.some((t) => {
    if (t.framework !== 'pulumi') return false;
    const node = keyNode(t, d.sf);
    const read = node && (configRead(node) ?? lookupRead(node));
    return !!read && (!read.object || read.member !== undefined);
  });
}

/**
 * A key read from the stack's config, as the stacks decide it (see above); undefined when the file's stacks
 * were not read, the key is not such a read, or every stack sets it for a `require` (the code's reading stands).
 */
export function stackKeySetting(sf: ts.SourceFile, given: Given, node: ts.Expression): Setting | undefined {
  // The stacks of the file being detected (read before a second detection, see index.ts): projectValues.ts.
  const stacks = given.values.stacks;
  if (!stacks) return undefined;
  const read = configRead(node);
  if (!read) return lookedUpOnStacks(sf, node, stacks, given);
  if (read.object && read.member === undefined) return undefined;
  const source = snippet(sf, node);
  // A guard before the table (`if (!key) throw`) proves a `get`'s value set.
  const optional = read.optional && !guarded(unwrap(node));
  const on = keyOnStacks(stacks, read.namespace ?? stacks.project, read.name, read.member, optional, fallbackOf(sf, read, given));
  if (on.kind === 'aws-managed') return { state: 'expression', source, text: AWS_MANAGED_ALIAS, via: on.why };
  if (on.kind === 'absent') return { ...ABSENT, source, via: on.why };
  if (on.kind === 'per-stack') return { state: 'unreadable', source: `kmsKeyArn is ${source}, and ${on.why}` };
  // Every stack sets a `get`'s value (or its fallback is a key): a key, as a `require`'s.
  return optional || read.fallback ? { state: 'expression', source } : undefined;
}

/**
 * The config read a lookup's alias name or key id is (`aws.kms.getAliasOutput({ name: config.require('keyAlias') })`,
 * `aws.kms.getKeyOutput({ keyId: config.require('tableKey') })`), with the lookup, if it is one.
 */
function lookupRead(node: ts.Expression): (ConfigRead & { looked: LookedUp }) | undefined {
  const looked = lookedUpName(node);
  const read = looked && configRead(looked.name);
  return read && (!read.object || read.member !== undefined) ? { ...read, looked } : undefined;
}

/**
 * A key looked up by an alias name (round 36) or a key id (round 37: `getKey`, `getKeyOutput`) the stack's config
 * gives: the value each stack sets, judged as a key of that value is: `alias/aws/dynamodb` (or its ARN) on every
 * stack is the AWS managed key (aws-managed); on some, or a value kmsfix cannot read, decided per stack (unknown);
 * another alias, a key id or a key ARN on every stack, a key of the account (the AWS managed key's own id is not
 * known to the code). Undefined when the key is no such lookup (awsManagedKey.ts says `maybe` of a lookup by an alias
 * whose stacks were not read; one by a key id is then a key passed in, as `kmsKeyArn: config.require(...)` is).
 */
function lookedUpOnStacks(sf: ts.SourceFile, node: ts.Expression, stacks: PulumiStacks, given: Given): Setting | undefined {
  const read = lookupRead(node);
  if (!read) return undefined;
  const source = snippet(sf, node);
  const optional = read.optional && !guarded(unwrap(read.looked.name));
  const on = keyOnStacks(stacks, read.namespace ?? stacks.project, read.name, read.member, optional, fallbackOf(sf, read, given));
  const what = read.looked.by === 'alias' ? 'the alias' : 'the key';
  if (on.kind === 'set') return { state: 'expression', source };
  if (on.kind === 'aws-managed') return { state: 'expression', source, text: AWS_MANAGED_ALIAS, via: `${what} it looks up: ${on.why}` };
  return { state: 'unreadable', source: `kmsKeyArn is ${source}, a lookup of ${what} the stack's config names, and ${on.why}` };
}

/** What a read's fallback gives a stack that does not set the value (see Fallback); none for `?? undefined`. */
function fallbackOf(sf: ts.SourceFile, read: ConfigRead, given: Given): Fallback | undefined {
  if (!read.fallback) return undefined;
  const f = unwrap(read.fallback.node);
  if (isNullish(f) || stringValue(f)?.trim() === '') return undefined;
  const managed = awsManagedKeyOf(f, given);
  const kind = managed === undefined ? 'set' : managed.kind === 'maybe' || managed.via || managed.why ? 'unknown' : 'managed';
  return { kind, text: snippet(sf, f), empty: read.fallback.empty };
}

/** The table's `serverSideEncryption.kmsKeyArn` as written, if it has one. */
function keyNode(t: TsTable, sf: ts.SourceFile): ts.Expression | undefined {
  if (!t.props) return undefined;
  const sse = lookup(sf, t.props, 'serverSideEncryption');
  const o = sse.kind === 'value' ? unwrap(sse.value) : undefined;
  if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
  const key = lookup(sf, o, 'kmsKeyArn');
  return key.kind === 'value' ? key.value : undefined;
}

/** The config read an expression is, through the file's consts, lets never assigned again, fields and const objects. */
function configRead(e: ts.Expression, depth = 0): ConfigRead | undefined {
  if (depth > 8) return undefined;
  const u = unwrap(e);
  if (ts.isIdentifier(u)) {
    const value = onlyValueOf(declarationOf(u));
    return value && configRead(value, depth + 1);
  }
  // `config.get('tableKey') ?? fallback` (`||`): a read of one value with a fallback (not an object's, nor one in a fallback).
  if (
    ts.isBinaryExpression(u) &&
    (u.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || u.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    const inner = configRead(u.left, depth + 1);
    if (!inner || inner.fallback || (inner.object && inner.member === undefined)) return undefined;
    return { ...inner, fallback: { node: u.right, empty: u.operatorToken.kind === ts.SyntaxKind.BarBarToken } };
  }
  if (ts.isPropertyAccessExpression(u)) {
    // `config.requireObject<Db>('db').kmsKeyArn`, or `db.kmsKeyArn` of `const db = config.requireObject<Db>('db')`.
    const inner = configRead(u.expression, depth + 1);
    if (inner?.object && inner.member === undefined) return { ...inner, member: u.name.text };
    const held = fieldValue(u) ?? memberValue(u, declarationOf);
    return held && configRead(held, depth + 1);
  }
  if (!ts.isCallExpression(u) || !ts.isPropertyAccessExpression(u.expression)) return undefined;
  const how = CONFIG_READS[u.expression.name.text];
  const name = how && u.arguments.length >= 1 ? stringValue(u.arguments[0]) : undefined;
  const namespace = name === undefined ? undefined : configNamespace(u.expression.expression);
  return namespace === undefined ? undefined : { namespace: namespace || undefined, name: name as string, ...how };
}

/** The namespace of a `new pulumi.Config(...)` (`''`: none given, the project's); undefined when the object is not one. */
function configNamespace(e: ts.Expression, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const u = unwrap(e);
  const held = ts.isIdentifier(u) ? onlyValueOf(declarationOf(u)) : ts.isPropertyAccessExpression(u) ? fieldValue(u) : undefined;
  if (held) return configNamespace(held, depth + 1);
  if (!ts.isNewExpression(u) || !/(^|\.)Config$/.test(u.expression.getText())) return undefined;
  const arg = u.arguments?.[0];
  return arg === undefined ? '' : stringValue(arg);
}
