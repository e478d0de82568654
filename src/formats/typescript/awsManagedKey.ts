/**
 * A key written as a lookup of the AWS managed key: `alias/aws/dynamodb`, or an ARN ending in it, given to
 * AWS CDK's `Alias.fromAliasName` / `Alias.fromAliasAttributes` / `Key.fromKeyArn` / `Key.fromLookup`, Pulumi's
 * `aws.kms.getAlias(Output)` / `getKey(Output)` / `Alias.get` / `Key.get` (or the `id` option of `new aws.kms.Alias`), or CDK for Terraform's `DataAwsKmsAlias` / `DataAwsKmsKey`, and
 * read through their attributes (`.targetKeyArn`, `.keyArn`...), `.then(...)` / `.apply(...)`, and the file's
 * consts. Such a table uses the AWS managed key, as one given the literal alias does (a CloudFormation
 * `KMSMasterKeyId: alias/aws/dynamodb`, Terraform's `data "aws_kms_alias"`): aws-managed, not customer-managed.
 * The names are matched as written (the call's last name), the alias as a literal of the call.
 *
 * The same key read through an input the program declares with a default (inputDefaults.ts: a CDK CfnParameter,
 * a CDKTF TerraformVariable) is that default, said with the input; one given as the fallback of a value the program
 * may leave unset (`this.node.tryGetContext('tableKeyArn') ?? '<the alias ARN>'`, `config.get('k') || ...`) is the
 * AWS managed key wherever that value is not set: not known (`maybe`), unless the value cannot be unset (a literal).
 * Pulumi's stack files decide a config read with a fallback per stack (stackConfig.ts) before this is asked.
 */
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { maybeManagedKey, mentionsManagedKey, namesManagedKey } from '../../rule/composedKey.js';
import { composedOf } from './composedKey.js';
import { fnChoices } from './fnChoices.js';
import type { Setting } from '../../rule/facts.js';
import { declarationOf } from './consts.js';
import { passedValue, type PropsRead, propsRead } from './stackProps.js';
import { declaredAt, inputRead } from './inputDefaults.js';
import { type IteratedValues, iteratedValues } from './iterators.js';
import { snippet } from './lookup.js';
import type { CdkContext, Given } from './projectValues.js';
import { fieldValue, indexedValues, memberValue, onlyValueOf } from './singleValue.js';
import { isNullish, propertyName, soleSubstitution, stringValue, ts, unwrap } from './parse.js';

/** A lookup's name, the argument that holds the alias, and the property of it that does (none: the argument itself). */
const LOOKUPS: Record<string, { arg: number; prop?: string }> = {
  fromAliasName: { arg: 2 },
  fromKeyArn: { arg: 2 },
  fromLookup: { arg: 2, prop: 'aliasName' },
  fromAliasAttributes: { arg: 2, prop: 'aliasName' },
  getAlias: { arg: 0, prop: 'name' },
  getAliasOutput: { arg: 0, prop: 'name' },
  getKey: { arg: 0, prop: 'keyId' },
  getKeyOutput: { arg: 0, prop: 'keyId' },
  DataAwsKmsAlias: { arg: 2, prop: 'name' },
  DataAwsKmsKey: { arg: 2, prop: 'keyId' },
  // Pulumi's read of an existing resource (adversarial pass s59 F5): `aws.kms.Alias.get('ddb', 'alias/aws/dynamodb')`,
  // `aws.kms.Key.get(...)`, and the `id` resource option, `new aws.kms.Alias('ddb', {...}, { id: 'alias/aws/dynamodb' })`
  // (calledName: the names they have here).
  'Alias.get': { arg: 1 },
  'Key.get': { arg: 1 },
  'new Alias': { arg: 2, prop: 'id' },
  'new Key': { arg: 2, prop: 'id' },
};

/**
 * A call's name in LOOKUPS: its last name as written, but for Pulumi's reads of a resource, which name the resource's
 * class: its static `get` (`aws.kms.Alias.get(...)`: `Alias.get`), and a `new` of it given the `id` option (`new Alias`;
 * CDK's `new Alias(this, 'A', props)` and `new Key(...)` have no `id` prop, and lookupName finds none).
 */
function calledName(u: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = unwrap(u.expression);
  const last = (e: ts.Expression) =>
    e.kind === ts.SyntaxKind.PropertyAccessExpression
      ? (e as ts.PropertyAccessExpression).name.text
      : e.kind === ts.SyntaxKind.Identifier
        ? (e as ts.Identifier).text
        : undefined;
  const name = last(callee);
  if (name === 'get' && callee.kind === ts.SyntaxKind.PropertyAccessExpression) {
    const owner = last(unwrap((callee as ts.PropertyAccessExpression).expression));
    if (owner === 'Alias' || owner === 'Key') return `${owner}.get`;
  }
  if (u.kind === ts.SyntaxKind.NewExpression && (name === 'Alias' || name === 'Key')) return `new ${name}`;
  return name;
}

/** The attributes of a lookup that are its key (or alias), as each framework names them. */
const KEY_ATTRIBUTES = new Set(['arn', 'id', 'keyArn', 'keyId', 'aliasArn', 'aliasName', 'targetKeyArn', 'targetKeyId', 'aliasTargetKey']);

/**
 * What a key expression says of the AWS managed key (see above): `managed`, it names it (`via`: through a CfnParameter's
 * default, which decides as a template parameter does; `why`: through a TerraformVariable's default, said after the
 * value); `maybe`, it names it where a value is not set (`why`: the sentence); undefined, it does not.
 */
export type ManagedKey = { kind: 'managed'; via?: string; why?: string } | { kind: 'maybe'; why: string };

/**
 * The key setting of an expression that names the AWS managed key, or may (ManagedKey): `state` as the format reads a
 * key expression there (CDK's encryptionKey: a reference); one that may be it, `unreadable` (unknown). Undefined otherwise.
 */
export function managedKeySetting(
  sf: ts.SourceFile,
  given: Given,
  e: ts.Expression,
  state: 'expression' | 'reference',
): Setting | undefined {
  const m = awsManagedKeyOf(e, given);
  // Any other expression whose text holds alias/aws/dynamodb (a helper kmsfix does not join): it may be that key.
  // (Not an object literal: a serverless.ts intrinsic, `{ 'Fn::If': [...] }`, which the CloudFormation reading decides.)
  if (!m) {
    const u = unwrap(e);
    // (Nor a choice awsManagedKeyOf reads as one, `a ?? b`, `a || b`, `c ? a : b`: `config.require("k") ?? "alias/aws/dynamodb"`
    // never takes its fallback; a branch it does not take is no key of the table.)
    const choice =
      u.kind === ts.SyntaxKind.ConditionalExpression ||
      (u.kind === ts.SyntaxKind.BinaryExpression &&
        [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes((u as ts.BinaryExpression).operatorToken.kind));
    const other = stringValue(u) === undefined && u.kind !== ts.SyntaxKind.ObjectLiteralExpression && !choice;
    return other && mentionsManagedKey(e.getText()) ? maybeManagedKey(snippet(sf, e), undefined) : undefined;
  }
  if (m.kind === 'maybe') return { state: 'unreadable', source: m.why };
  const source = snippet(sf, e);
  return { state, source: m.why ? `${source} (${m.why})` : source, text: AWS_MANAGED_ALIAS, ...(m.via ? { via: m.via } : {}) };
}

/** What the key expression says of the AWS managed key (see ManagedKey), with the project's values `given` the detection. */
export function awsManagedKeyOf(e: ts.Expression, given: Given, depth = 0): ManagedKey | undefined {
  return walkKey(e, judged(given), depth);
}

/**
 * How a walk of a key expression (walkKey) answers: at a lookup call (`lookup`: its name as written and the argument
 * naming its alias or key), at any other expression first (`own`: WALK_ON to walk it as a key is walked), and whether
 * a name that is no key attribute is followed to the class field or const object member it reads (`held`).
 */
interface KeyWalk<T> {
  lookup: (call: ts.CallExpression | ts.NewExpression, name: string, named: ts.Expression, depth: number) => T | undefined;
  own?: (u: ts.Expression, depth: number) => T | undefined | typeof WALK_ON;
  held?: boolean;
}

/** What KeyWalk's `own` says of an expression it leaves to the walk. */
const WALK_ON = Symbol('walk on');

/**
 * The one walk of a key expression to the lookup it is: through `await`, the file's consts, a lookup's key attributes
 * (`.keyArn`, `.targetKeyArn`...), `.then(...)` / `.apply(...)` and `pulumi.output(...)`, to a lookup call (LOOKUPS),
 * where `walk.lookup` answers. awsManagedKeyOf judges the key there (and reads literals, conditions, maps, inputs and
 * fallbacks on the way: its `own`); lookedUpName returns the lookup itself, for stackConfig.ts to judge its alias or
 * key on the project's stacks. One walk, so that a key the one reaches the other reaches the same way.
 */
function walkKey<T>(e: ts.Expression, walk: KeyWalk<T>, depth: number): T | undefined {
  if (depth > 8) return undefined;
  const u = unwrap(e);
  // `${x}` alone is x (adversarial pass s56 F7: `aliasName: \`${envConfig.tableKeyAlias}\`` read as a literal alias).
  const sole = soleSubstitution(u);
  if (sole) return walkKey(sole, walk, depth + 1);
  if (walk.own) {
    const own = walk.own(u, depth);
    if (own !== WALK_ON) return own;
  }
  // `await aws.kms.getAlias(...)`.
  if (u.kind === ts.SyntaxKind.AwaitExpression) return walkKey((u as ts.AwaitExpression).expression, walk, depth + 1);
  if (ts.isIdentifier(u)) {
    const init = onlyValueOf(declarationOf(u));
    return init && walkKey(init, walk, depth + 1);
  }
  if (ts.isPropertyAccessExpression(u)) {
    if (KEY_ATTRIBUTES.has(u.name.text)) {
      const of = walkKey(u.expression, walk, depth + 1);
      if (of !== undefined || !walk.held) return of;
    }
    if (!walk.held) return undefined;
    // `this.dynamoKey`: the class field's one value; `keys.dynamo`: a const object's member.
    const held = fieldValue(u) ?? memberValue(u, declarationOf);
    return held && walkKey(held, walk, depth + 1);
  }
  if (!ts.isCallExpression(u) && !ts.isNewExpression(u)) return undefined;
  const callee = unwrap(u.expression);
  const name = calledName(u);
  // `lookup.then((a) => a.targetKeyArn)`, `output.apply(...)`: the lookup's key.
  if ((name === 'then' || name === 'apply') && ts.isPropertyAccessExpression(callee)) return walkKey(callee.expression, walk, depth + 1);
  // `pulumi.output(lookup)`.
  if (name === 'output' && u.arguments?.length === 1) return walkKey(u.arguments[0], walk, depth + 1);
  const named = name === undefined ? undefined : lookupName(u, name);
  return named && walk.lookup(u, name as string, named, depth);
}

/**
 * awsManagedKeyOf's walk: the lookup's alias (or key) judged as a key is, or as one the deploy chooses (chosenAlias),
 * with the project's values the detection was `given` (a CDK app's context).
 */
const judged = (given: Given): KeyWalk<ManagedKey> => ({
  held: true,
  // An alias name the deploy chooses (a context or config value): not known, never a key of the account (round 36).
  lookup: (call, name, named, depth) =>
    awsManagedKeyOf(named, given, depth + 1) ??
    (ALIAS_LOOKUPS.has(name) ? chosenAlias(call, named, given) : name === 'fromKeyArn' ? contextKeyArn(call, named, given) : undefined),
  own: (u, depth) => {
    const s = stringValue(u);
    if (s !== undefined) return s.trim() !== '' && isAwsManagedKeyRef(s) ? MANAGED : undefined;
    // CDKTF's `it.value` (`it.key`, `it.getString('arn')`...) of a TerraformIterator over a collection of the file: each
    // entry, as Terraform's `each.value` is read (iterators.ts).
    const iterated = iteratedValues(u);
    if (iterated) return eachEntry(iterated, given, depth);
    // A member of the class's props (`props.keyArn`): what the CDK app's entry passes it (stackProps.ts).
    const read = propsRead(u);
    const passed = read && passedKey(read, given, depth);
    if (passed !== undefined && passed !== WALK_ON) return passed;
    // `arn:${partition}:kms:${region}:${account}:alias/aws/dynamodb`, or the same joined with `+`.
    if (ts.isTemplateExpression(u))
      return isAwsManagedKeyRef(`:${u.templateSpans[u.templateSpans.length - 1].literal.text}`) ? MANAGED : undefined;
    // `pulumi.interpolate`, `pulumi.concat`, `Fn.join`, `Fn.sub`, `formatArn`, `.apply(() => ...)` (composedKey.ts).
    const composed = composedOf(u);
    if (composed && 'text' in composed) return namesManagedKey(composed.text) ? MANAGED : undefined;
    if (composed) {
      const inner = awsManagedKeyOf(composed.inner, given, depth + 1);
      if (inner !== undefined || !ts.isCallExpression(u)) return inner;
    }
    if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return joinedTail(u) ?? plain(awsManagedKeyOf(u.right, given, depth + 1));
    if (ts.isBinaryExpression(u) && FALLBACKS.has(u.operatorToken.kind)) return fallbackOf(u, given, depth);
    // A CfnParameter's or TerraformVariable's value: its default (inputDefaults.ts).
    const input = inputRead(u);
    if (input) {
      const d = input.default && awsManagedKeyOf(input.default, given, depth + 1);
      if (d?.kind !== 'managed') return undefined;
      const written = stringValue(unwrap(input.default as ts.Expression)) ?? (input.default as ts.Expression).getText();
      return input.kind === 'cfn-parameter'
        ? { kind: 'managed', via: `parameter ${input.name}'s default (${written})` }
        : { kind: 'managed', why: `${input.name} defaults to ${(input.default as ts.Expression).getText()} (${declaredAt(input)})` };
    }
    // CDK's `Fn.conditionIf(c, key.keyArn, 'alias/aws/dynamodb')`, CDKTF's `Fn.lookup(map, it.value, default)` (fnChoices.ts):
    // their values (one that is none is optionalProps.ts's), the same way.
    const choices = fnChoices(u)?.filter((c) => !c.none);
    if (choices)
      return someOf(
        choices.map((c) => c.value),
        given,
        depth,
        (i) => `${choices[i].where} (${snippet(u.getSourceFile(), u)})`,
      );
    // `prod ? key : Alias.fromAliasName(this, 'M', 'alias/aws/dynamodb')`, here or in the const the key names: the AWS
    // managed key when every branch is; where one is, `maybe` (real-world round 35).
    if (ts.isConditionalExpression(u))
      return someOf([u.whenTrue, u.whenFalse], given, depth, (i) => `where ${u.condition.getText()} is ${i === 0 ? 'true' : 'false'}`);
    // `keys[props.stage]` of a const map (singleValue.ts): its members, the same way.
    if (u.kind === ts.SyntaxKind.ElementAccessExpression) {
      const indexed = indexedValues(u as ts.ElementAccessExpression);
      const index = unwrap((u as ts.ElementAccessExpression).argumentExpression).getText();
      if (!indexed?.values.length) return undefined;
      return someOf(
        indexed.values,
        given,
        depth,
        (i) => `where ${index} is ${memberNameOf(indexed.values[i])} (${snippet(u.getSourceFile(), u)})`,
      );
    }
    return WALK_ON;
  },
});

/** The argument a lookup call names its alias (or key) with, if it has it (`aliasName` of fromLookup's props...). */
function lookupName(u: ts.CallExpression | ts.NewExpression, name: string): ts.Expression | undefined {
  const lookup = LOOKUPS[name];
  const arg = lookup && u.arguments?.[lookup.arg];
  if (!lookup || !arg) return undefined;
  // A template that is one substitution names what that substitution does (`name: \`${config.require('keyAlias')}\``).
  if (!lookup.prop) return soleSubstitution(arg) ?? arg;
  const o = unwrap(arg);
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  const p = o.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x.name) === lookup.prop);
  return p !== undefined && ts.isPropertyAssignment(p) ? (soleSubstitution(p.initializer) ?? p.initializer) : undefined;
}

/** The lookups that name an alias: the AWS managed key's own (`alias/aws/dynamodb`) is one a value may name. */
const ALIAS_LOOKUPS = new Set([
  'fromAliasName',
  'fromLookup',
  'fromAliasAttributes',
  'getAlias',
  'getAliasOutput',
  'DataAwsKmsAlias',
  'Alias.get',
  'new Alias',
]);

/**
 * A lookup (LOOKUPS) with the alias, or key, it is given (`name`): `by` an alias (`aws.kms.getAliasOutput({ name:
 * config.require('keyAlias') }).targetKeyArn`), or by a key, whose id may be an alias name, an alias ARN, a key id or
 * a key ARN (`aws.kms.getKeyOutput({ keyId: config.require('tableKey') }).arn`).
 */
export interface LookedUp {
  call: ts.CallExpression | ts.NewExpression;
  name: ts.Expression;
  by: 'alias' | 'key';
}

/**
 * The lookup a key expression is, through the file's consts, the key attributes and `.then`/`.apply`, with the alias
 * or key it is given (LookedUp); undefined for any other key. For stackConfig.ts, which judges a config value's alias
 * or key id on the project's stacks: `alias/aws/dynamodb` or its ARN is the AWS managed key, whichever lookup names
 * it (real-world round 37: `getKeyOutput({ keyId: config.require('tableKey') })` with a stack's `alias/aws/dynamodb`
 * was customer-managed, the same value through getAliasOutput decided per stack).
 */
export function lookedUpName(e: ts.Expression): LookedUp | undefined {
  return walkKey(e, NAME_LOOKUP, 0);
}

/** lookedUpName's walk: the lookup, returned (not judged); a class field or const object's member is not followed. */
const NAME_LOOKUP: KeyWalk<LookedUp> = {
  lookup: (call, name, named) => ({ call, name: named, by: ALIAS_LOOKUPS.has(name) ? 'alias' : 'key' }),
};

/**
 * A lookup by an alias name a context or config value (or an environment variable) chooses: the AWS managed key
 * wherever that value is `alias/aws/dynamodb`, which kmsfix does not read here (a Pulumi program's stack files are
 * read first, stackConfig.ts; a CDK app's context files, cdk.json and cdk.context.json, are when a first detection
 * asks for them, cdkContext.ts): `maybe`, naming the lookup and the value. Real-world round 36: `kms.Key.fromLookup(this,
 * 'K', { aliasName: this.node.tryGetContext('tableKeyAlias') })` with cdk.json's `alias/aws/dynamodb` was read as a
 * key of the account. Any other name (a literal, a prop) is the code's: undefined.
 */
function chosenAlias(call: ts.CallExpression | ts.NewExpression, name: ts.Expression, given: Given): ManagedKey | undefined {
  const value = deployChoice(name);
  if (!value) return undefined;
  const sf = call.getSourceFile();
  // A context value the CDK app's context files give (read for such a lookup: index.ts, cdkContext.ts), or one they do not.
  const context = contextRead(name);
  if (context !== undefined) {
    const read = given.values.cdkContext;
    if (!read) given.wants.add('cdkContext');
    const set = read && contextSet(read, context);
    if (set?.kind === 'managed') return set;
    if (set?.kind === 'maybe')
      return { kind: 'maybe', why: `the key is looked up by an alias name ${value} chooses (${snippet(sf, call)}), ${set.why}` };
    if (set === null) return undefined;
    const whole = !context.around || (context.around.head === '' && context.around.tail === '');
    if (read)
      return {
        kind: 'maybe',
        why: `the key is looked up by an alias name ${value} chooses (${snippet(sf, call)}), which ${contextFiles(read)} does not set: the AWS managed key where ${!whole ? `the name it makes is ${AWS_MANAGED_ALIAS}` : context.steps.length === 0 ? `\`-c ${context.name}=alias/aws/dynamodb\` sets it` : 'it is alias/aws/dynamodb'}`,
      };
  }
  return {
    kind: 'maybe',
    why: `the key is looked up by an alias name ${value} chooses (${snippet(sf, call)}), whose value kmsfix does not read: the AWS managed key where it is alias/aws/dynamodb`,
  };
}

/**
 * `Key.fromKeyArn(this, 'K', this.node.tryGetContext('tableKeyArn'))`: the AWS managed key where the app's context
 * files set the value to its alias or alias ARN (cdkContext.ts: cdk.json's context, then cdk.context.json); any other
 * value, or none, a key of the account, as before. Unlike an alias a context value names (chosenAlias: `maybe` when no
 * file sets it), a key ARN passed in through the context is the usual way of passing a customer-managed key, and the
 * AWS managed key's own ARN (arn:...:key/<id>) is not known to the code: a context value the files leave unset is
 * not worth an `unknown` on every such app; one they set to the AWS managed key's alias is that key, as the literal is
 * (on some environments of an object per environment, `tryGetContext(stage).tableKeyArn`: `maybe`, F6).
 */
function contextKeyArn(call: ts.CallExpression | ts.NewExpression, arn: ts.Expression, given: Given): ManagedKey | undefined {
  const context = contextRead(arn);
  if (context === undefined) return undefined;
  const sf = call.getSourceFile();
  const read = given.values.cdkContext;
  if (!read) given.wants.add('cdkContext');
  const set = read && contextSet(read, context);
  return set?.kind === 'maybe' ? { kind: 'maybe', why: `the key (${snippet(sf, call)}) is ${set.why}` } : (set ?? undefined);
}

/**
 * A key a class takes in its props (`Key.fromKeyArn(this, 'K', props.keyArn)`), judged on what each creation of the
 * class in the CDK app's entry passes (stackProps.ts; the entry is read when a first detection meets such a read):
 * `maybe` when some or all creations pass the AWS managed key (a literal, a const of the entry, a lookup of it),
 * naming them (the entry may not show every creation); WALK_ON, as before, when none does or the entry shows no
 * creation (a key of the account).
 */
function passedKey(read: PropsRead, given: Given, depth: number): ManagedKey | typeof WALK_ON {
  const all = given.values.stackProps;
  if (!all) given.wants.add('stackProps');
  const creations = all?.get(read.cls) ?? [];
  const values = creations.map((c) => passedValue(c.props, read.member));
  const each = values.map((v) => v && awsManagedKeyOf(v, given, depth + 1));
  const said = (i: number) => {
    const v = values[i] as ts.Expression;
    const why = each[i]?.kind === 'maybe' ? `: ${(each[i] as { why: string }).why}` : '';
    return `${creations[i].at} creates ${read.cls} with ${read.member} ${stringValue(unwrap(v)) ?? v.getText()}${why}`;
  };
  const some = each.flatMap((m, i) => (m ? [i] : []));
  if (some.length === 0) return WALK_ON;
  // The other creations: those passing a value kmsfix reads as another key (a literal, a template, a lookup), and those
  // whose value it does not read (adversarial pass s63 M2: `'...:alias/' + x` was said to be "not" the AWS managed key).
  const rest = creations.flatMap((c, i) => (some.includes(i) ? [] : [{ c, v: values[i] }]));
  const others = rest.filter((r) => r.v !== undefined && readAsKey(r.v)).map((r) => r.c.at);
  const unread = rest
    .filter((r) => r.v === undefined || !readAsKey(r.v))
    .map((r) => `${r.c.at} creates it${r.v === undefined ? '' : ` (${snippet(r.v.getSourceFile(), r.v)})`}`);
  // Never `managed`, even where every creation the entry shows passes the AWS managed key: a Stage or another stack
  // of the app may create the class with a customer-managed key (adversarial pass s62 adv2 F6: a fix would then
  // replace production's key), and a props const changed after its declaration is not followed (F1).
  const not =
    others.length > 0
      ? `, not where ${others.join(', ')} creates it`
      : unread.length > 0
        ? ''
        : ` (the entry's creations; a Stage or another stack may create ${read.cls} with another key)`;
  const unknown = unread.length > 0 ? `; kmsfix does not read the ${read.member} passed where ${unread.join(', ')}` : '';
  return { kind: 'maybe', why: `the key is the AWS managed key where ${some.map(said).join(', ')}${not}${unknown}` };
}

/**
 * A value passed for a key that kmsfix reads as one (passedKey): a string literal or a const of the file holding one,
 * a template, or a lookup (LOOKUPS); not any other expression (a call, a `+` of values it does not read).
 */
function readAsKey(v: ts.Expression): boolean {
  const u = unwrap(v);
  const init = u.kind === ts.SyntaxKind.Identifier ? onlyValueOf(declarationOf(u as ts.Identifier)) : undefined;
  const x = init ? unwrap(init) : u;
  return stringValue(x) !== undefined || x.kind === ts.SyntaxKind.TemplateExpression || lookedUpName(x) !== undefined;
}

/** The context files read, for messages: `cdk.json's context`. */
const contextFiles = (read: CdkContext) => `${read.paths.map((p) => `${p}'s`).join(' and ')} context`;

/**
 * A context value an expression reads: `this.node.tryGetContext('tableKeyAlias')`, or a member of one that is an object
 * per environment (adversarial pass F6, the usual CDK configuration): `this.node.tryGetContext(stage).tableKeyAlias`
 * (through `const envConfig = this.node.tryGetContext(stage)`), `this.node.tryGetContext('keys')[stage]`. `name`: the
 * context name, `steps`: the members read in turn, each undefined where the code picks it at run time (`stage`, not a
 * literal nor a const of one); `text`, for messages. Through the file's consts.
 */
interface ContextRead {
  name?: string;
  steps: (string | undefined)[];
  text: string;
  /** The text a template writes around the value (`alias/${...}`): the name is head + value + tail. */
  around?: { head: string; tail: string };
}

/**
 * Can a name that ends in `tail` (a template's text after its last substitution) be the AWS managed key's alias or
 * alias ARN? `alias/${stage}-table` never is: its lookup is a key of the account, whatever the value.
 */
const mayEndManaged = (tail: string) => AWS_MANAGED_ALIAS.endsWith(tail) || isAwsManagedKeyRef(tail);

function contextRead(e: ts.Expression, depth = 0): ContextRead | undefined {
  if (depth > 6) return undefined;
  const u = unwrap(e);
  // A template of one context value (`${envConfig.tableKeyAlias}`, `alias/${envConfig.keyName}`): the name it makes of the value.
  if (ts.isTemplateExpression(u)) {
    if (u.templateSpans.length !== 1) return undefined;
    const [head, tail] = [u.head.text, u.templateSpans[0].literal.text];
    const of = mayEndManaged(tail) ? contextRead(u.templateSpans[0].expression, depth + 1) : undefined;
    return of && { ...of, around: { head: head + (of.around?.head ?? ''), tail: (of.around?.tail ?? '') + tail } };
  }
  // `this.node.tryGetContext(stage) ?? {}` (or `|| {}`): an empty object where the context sets no value, whose
  // members are then unset as the context's are; read as the value itself (adversarial pass s61 F6: reported a key of
  // the account where cdk.json's value is the AWS managed key's alias ARN, which the same read without `?? {}` named).
  if (ts.isBinaryExpression(u) && FALLBACKS.has(u.operatorToken.kind) && isEmptyObject(u.right)) return contextRead(u.left, depth + 1);
  if (ts.isIdentifier(u)) {
    const init = onlyValueOf(declarationOf(u));
    if (init) return contextRead(init, depth + 1);
    // `const { tableKeyAlias } = this.node.tryGetContext(stage)`: the member of what the const destructures.
    const bound = destructuredFrom(u);
    const of = bound && contextRead(bound.from, depth + 1);
    return of && { ...of, steps: [...of.steps, bound.member], text: `${of.text}.${bound.member}` };
  }
  if (ts.isPropertyAccessExpression(u) || u.kind === ts.SyntaxKind.ElementAccessExpression) {
    const access = u as ts.PropertyAccessExpression | ts.ElementAccessExpression;
    const of = contextRead(access.expression, depth + 1);
    if (!of) return undefined;
    if (ts.isPropertyAccessExpression(access))
      return { ...of, steps: [...of.steps, access.name.text], text: `${of.text}.${access.name.text}` };
    const index = access.argumentExpression;
    return { ...of, steps: [...of.steps, literalOf(index)], text: `${of.text}[${unwrap(index).getText()}]` };
  }
  if (!ts.isCallExpression(u) || !ts.isPropertyAccessExpression(u.expression) || u.expression.name.text !== 'tryGetContext')
    return undefined;
  const arg = u.arguments[0];
  if (!arg) return undefined;
  const name = literalOf(arg);
  return { name, steps: [], text: name ?? `tryGetContext(${unwrap(arg).getText()})` };
}

/** `{}`: an object literal without members. */
function isEmptyObject(e: ts.Expression): boolean {
  const u = unwrap(e);
  return u.kind === ts.SyntaxKind.ObjectLiteralExpression && (u as ts.ObjectLiteralExpression).properties.length === 0;
}

/**
 * The value a name is destructured from and the member it takes, for a `const { member } = from` (or `{ member: name }`)
 * of a block around it, without a default or rest; undefined for any other binding.
 */
function destructuredFrom(id: ts.Identifier): { from: ts.Expression; member: string } | undefined {
  for (let cur: ts.Node = id; cur.parent; cur = cur.parent) {
    const p = cur.parent;
    if (!ts.isBlock(p) && !ts.isSourceFile(p)) continue;
    for (const st of p.statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) {
        if (!ts.isObjectBindingPattern(d.name) || !d.initializer) continue;
        const el = d.name.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === id.text);
        if (!el) continue;
        if (el.initializer || el.dotDotDotToken) return undefined;
        const member = el.propertyName ? propertyName(el.propertyName as ts.PropertyName) : id.text;
        return member === undefined ? undefined : { from: d.initializer, member };
      }
    }
  }
  return undefined;
}

/** A string literal, or the name of a const holding one (`const stage = 'dev'`); undefined for anything else. */
function literalOf(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  const init = ts.isIdentifier(u) ? onlyValueOf(declarationOf(u)) : u;
  return init && stringValue(unwrap(init));
}

/**
 * What the app's context sets a context read to (ContextRead): every string it may be, on each environment where the
 * code picks a name at run time (every top-level object of the context when the name itself is picked: the values
 * per environment); `managed` when each is the AWS managed key's alias (or alias ARN), `maybe` when some are (naming
 * where), null when it sets others only (a key of the account); undefined when it sets none (no such string).
 */
function contextSet(read: CdkContext, context: ContextRead): ManagedKey | null | undefined {
  let at: { where: string[]; value: unknown; path: string }[] =
    context.name !== undefined
      ? read.values[context.name]
        ? [{ where: [context.name], ...read.values[context.name] }]
        : []
      : // The name is picked at run time: only a read of a member of it is followed (the objects per environment).
        context.steps.length === 0
        ? []
        : Object.entries(read.values).flatMap(([name, v]) => (typeof v.value === 'object' ? [{ where: [name], ...v }] : []));
  for (const step of context.steps) {
    at = at.flatMap((a) => {
      if (typeof a.value !== 'object' || a.value === null) return [];
      const members = Object.entries(a.value as Record<string, unknown>);
      return members
        .filter(([m]) => step === undefined || m === step)
        .map(([m, value]) => ({ where: [...a.where, m], value, path: a.path }));
    });
  }
  const strings = at.filter(
    (a): a is { where: string[]; value: string; path: string } => typeof a.value === 'string' && a.value.trim() !== '',
  );
  if (strings.length === 0) return undefined;
  const made = (v: string) => (context.around ? context.around.head + v + context.around.tail : v);
  const managed = strings.filter((a) => isAwsManagedKeyRef(made(a.value)));
  const said = (a: (typeof strings)[number]) => `${a.path}'s context sets ${a.where.join('.')} to ${a.value}`;
  if (managed.length === strings.length) return { kind: 'managed', why: managed.map(said).join(', ') };
  if (managed.length === 0) return null;
  return {
    kind: 'maybe',
    why: `the AWS managed key where the context picks ${managed.map((a) => a.where.join('.')).join(', ')} (${managed.map(said).join(', ')}), not elsewhere`,
  };
}

/** The context or config value (or environment variable) an expression is, through the file's consts, for messages. */
export function deployChoice(e: ts.Expression, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const u = unwrap(e);
  // `envConfig.tableKeyAlias` of `const envConfig = this.node.tryGetContext(stage)`, `tryGetContext('keys')[stage]`, a
  // name destructured from one.
  const member = contextRead(u);
  if (member && member.steps.length > 0) return `the CDK context value ${member.text}`;
  // `${value}` alone is the value; another template, one of a context value (above) or none.
  if (ts.isTemplateExpression(u)) {
    const sole = soleSubstitution(u);
    return sole && deployChoice(sole, depth + 1);
  }
  if (ts.isIdentifier(u)) {
    const init = onlyValueOf(declarationOf(u));
    return init && deployChoice(init, depth + 1);
  }
  if (ts.isBinaryExpression(u) && FALLBACKS.has(u.operatorToken.kind))
    return deployChoice(u.left, depth + 1) ?? deployChoice(u.right, depth + 1);
  // `process.env.TABLE_KEY_ALIAS`.
  if (ts.isPropertyAccessExpression(u) && /^process\.env$/.test(u.expression.getText())) return `the environment variable ${u.name.text}`;
  if (!ts.isCallExpression(u) || !ts.isPropertyAccessExpression(u.expression)) return undefined;
  const method = u.expression.name.text;
  const arg = u.arguments[0] && (stringValue(unwrap(u.arguments[0])) ?? u.arguments[0].getText());
  if (method === 'tryGetContext') return `the CDK context value ${arg ?? '(unnamed)'}`;
  if (/^(require|get)(Secret)?$/.test(method) && u.arguments.length >= 1) return `the stack's config value ${arg}`;
  return undefined;
}

const MANAGED: ManagedKey = { kind: 'managed' };

/**
 * The values one of which the key is (a condition's branches, a map's members): the AWS managed key when each is
 * (the first one's words); a branch that may be: that; one that is, among others that are not: `maybe`, with
 * `where(i)` saying when that one is picked.
 */
function someOf(values: ts.Expression[], given: Given, depth: number, where: (i: number) => string): ManagedKey | undefined {
  const each = values.map((v) => awsManagedKeyOf(v, given, depth + 1));
  if (each.every((m) => m?.kind === 'managed')) return each[0];
  const maybe = each.find((m) => m?.kind === 'maybe');
  if (maybe) return maybe;
  const i = each.findIndex((m) => m?.kind === 'managed');
  if (i < 0) return undefined;
  return { kind: 'maybe', why: `the key is the AWS managed key (${snippet(values[i].getSourceFile(), values[i])}) ${where(i)}` };
}

/**
 * A key that is a CDKTF iterator's entry (IteratedValues), judged entry by entry in Terraform's words for `each.value`
 * (instanceKeys.ts): the AWS managed key when every entry is (`every forEach entry gives ...`); where some are, `maybe`
 * (`the AWS managed key for each instance whose forEach entry gives ...`); an entry that may be it, that.
 */
function eachEntry(it: IteratedValues, given: Given, depth: number): ManagedKey | undefined {
  const sf = it.read.getSourceFile();
  const each = it.values.map((v) =>
    typeof v === 'string' ? (v.trim() !== '' && isAwsManagedKeyRef(v) ? MANAGED : undefined) : awsManagedKeyOf(v, given, depth + 1),
  );
  const shown = (i: number) => {
    const v = it.values[i];
    return JSON.stringify(typeof v === 'string' ? v : (stringValue(unwrap(v)) ?? v.getText()));
  };
  const managed = each.flatMap((m, i) => (m?.kind === 'managed' ? [shown(i)] : []));
  const whence = snippet(sf, it.of);
  if (managed.length > 0 && managed.length === each.length)
    return { kind: 'managed', why: `every forEach entry gives ${[...new Set(managed)].join(' or ')}: ${whence}` };
  const maybe = each.find((m) => m?.kind === 'maybe');
  if (maybe) return maybe;
  if (managed.length === 0) return undefined;
  return {
    kind: 'maybe',
    why: `${snippet(sf, it.read)}: the AWS managed key for each instance whose forEach entry gives ${[...new Set(managed)].join(' or ')} (${whence})`,
  };
}

/** The name of the map member a value is the value of (`prod` of `{ prod: key }`). */
function memberNameOf(v: ts.Expression): string {
  const p = v.parent;
  return (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name ? p.name.getText() : v.getText();
}

/**
 * A string joined with `+` whose last parts are literals (or consts of the file holding one) that together end in the
 * AWS managed key's alias, read as a template is by its text after the last substitution (adversarial pass s63 M2:
 * `'arn:aws:kms:us-east-1:111111111111:alias/' + 'aws/dynamodb'` was not read, the alias split between two literals):
 * the whole string when every part is one. Undefined otherwise (the caller reads the last part alone, as before).
 */
function joinedTail(u: ts.BinaryExpression): ManagedKey | undefined {
  const parts: ts.Expression[] = [];
  const flatten = (e: ts.Expression) => {
    const x = unwrap(e);
    if (x.kind === ts.SyntaxKind.BinaryExpression && (x as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.PlusToken) {
      flatten((x as ts.BinaryExpression).left);
      flatten((x as ts.BinaryExpression).right);
    } else parts.push(x);
  };
  flatten(u);
  const literal = (e: ts.Expression) =>
    stringValue(e) ??
    (e.kind === ts.SyntaxKind.Identifier ? stringValue(unwrapped(onlyValueOf(declarationOf(e as ts.Identifier)))) : undefined);
  let tail = '';
  let i = parts.length - 1;
  for (; i >= 0; i--) {
    const text = literal(parts[i]);
    if (text === undefined) break;
    tail = text + tail;
  }
  const whole = i < 0;
  if (tail.trim() === '') return undefined;
  return isAwsManagedKeyRef(whole ? tail : `:${tail}`) ? MANAGED : undefined;
}

const unwrapped = (e: ts.Expression | undefined) => e && unwrap(e);

/** A key the AWS managed key ends: the end names it, whatever an input gives the rest (a string joined with `+`). */
const plain = (m: ManagedKey | undefined): ManagedKey | undefined => (m?.kind === 'managed' ? m : undefined);

const FALLBACKS = new Set<ts.SyntaxKind>([ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken]);

/**
 * `value ?? fallback` (`||`): the value where it is set, else the fallback. A literal value is always set (`''` is
 * not, to `||`), and so is a value that names the AWS managed key (a lookup is never unset) or an input's; any other
 * value, with a fallback that names that key, may be it where the code leaves the value unset (`maybe`, naming it).
 */
function fallbackOf(u: ts.BinaryExpression, given: Given, depth: number): ManagedKey | undefined {
  const value = unwrap(u.left);
  const written = stringValue(value);
  const or = u.operatorToken.kind === ts.SyntaxKind.BarBarToken;
  if (written !== undefined && (written !== '' || !or)) return awsManagedKeyOf(value, given, depth + 1);
  if (written === '' || isNullish(value)) return awsManagedKeyOf(u.right, given, depth + 1);
  // A lookup, an input's value (a token, set at synth whatever it holds), Pulumi's `config.require(...)` (a stack
  // without the value fails) or a value that may itself be unset decides.
  const left = awsManagedKeyOf(value, given, depth + 1);
  if (left || inputRead(value) || isRequire(value)) return left;
  const right = awsManagedKeyOf(u.right, given, depth + 1);
  if (right?.kind !== 'managed') return right;
  const fallback = snippet(value.getSourceFile(), u.right);
  return {
    kind: 'maybe',
    why: `the key is the AWS managed key (${fallback}) where ${unsetWhere(value)} (${snippet(value.getSourceFile(), u)})`,
  };
}

/** Where a value the code may leave unset is unset, for messages: a context value's own sentence, else `<value> is not set`. */
function unsetWhere(value: ts.Expression): string {
  let v = value;
  for (let i = 0; i < 4 && ts.isIdentifier(v); i++) {
    const init = onlyValueOf(declarationOf(v));
    if (!init) break;
    v = unwrap(init);
  }
  if (ts.isCallExpression(v) && ts.isPropertyAccessExpression(v.expression) && v.expression.name.text === 'tryGetContext') {
    const name = stringValue(v.arguments[0] && unwrap(v.arguments[0]));
    const named = name === undefined ? 'the value' : name;
    return `the context does not set ${named} (cdk.json's or cdk.context.json's context, \`-c ${named}=...\` on the command line)`;
  }
  return `${snippet(value.getSourceFile(), value)} is not set`;
}

/** `config.require('k')`, `requireSecret`: a value never unset (a stack without it fails). */
function isRequire(value: ts.Expression): boolean {
  const u = unwrap(value);
  return ts.isCallExpression(u) && ts.isPropertyAccessExpression(u.expression) && /^require(Secret)?$/.test(u.expression.name.text);
}
