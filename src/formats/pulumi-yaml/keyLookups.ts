/**
 * A key read through an `fn::invoke` of aws:kms:getKey or getAlias (`keyLookupOf`, `chosenLookup`, `lookedUpKey`):
 * whether the lookup names the AWS managed key, through variables and config.
 */
import type { Setting } from '../../rule/facts.js';
import { unsecret } from './secret.js';
import { keyOnStacks, type PulumiStacks } from '../pulumi/stacks.js';
import { section } from './casing.js';
import { child, resolveAlias, scalarString, type CMap, type CNode } from '../yaml/tree.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { referenceOf, configDefault } from './configKeys.js';

/** The lookups of a key and the argument that names it. */
const KEY_LOOKUPS: Record<string, string> = {
  'aws:kms:getAlias': 'name',
  'aws:kms/getAlias:getAlias': 'name',
  'aws:kms:getKey': 'keyId',
  'aws:kms/getKey:getKey': 'keyId',
};
const KEY_ATTRIBUTES = new Set(['arn', 'id', 'targetKeyArn', 'targetKeyId', 'keyId']);

/**
 * The resources that read an existing alias or key (`type: aws:kms:Alias` with `get: {id: alias/aws/dynamodb}`; adversarial
 * pass s59 F5: read as a key of the account), lookups as aws:kms:getAlias and getKey are: by the alias, by the key (whose
 * id may be an alias name or ARN, as getKey's keyId).
 */
const READ_TYPES: Record<string, 'alias' | 'key'> = {
  'aws:kms:Alias': 'alias',
  'aws:kms/alias:Alias': 'alias',
  'aws:kms:Key': 'key',
  'aws:kms/key:Key': 'key',
};

/**
 * A lookup of a key read for its key: the alias name or key id it is given (`named`, as written; undefined when none is
 * a string) and whether it looks up `by` an alias or a key.
 */
interface KeyLookup {
  named: string | undefined;
  by: 'alias' | 'key';
}

/**
 * An `fn::invoke` of aws:kms:getAlias or aws:kms:getKey (KEY_LOOKUPS) read for its key (`attribute`: `targetKeyArn`,
 * `arn`...; none: the invoke's `return` names it), written in place or as a variable. Undefined for anything else.
 */
export function invokedLookup(node: CNode | null | undefined, attribute: string | undefined): KeyLookup | undefined {
  const invoke = resolveAlias(child(node, 'fn::invoke') ?? null);
  const fn = scalarString(resolveAlias(child(invoke, 'function') ?? null) ?? null);
  const arg = fn === undefined ? undefined : KEY_LOOKUPS[fn];
  if (arg === undefined) return undefined;
  const read = attribute ?? scalarString(resolveAlias(child(invoke, 'return') ?? null) ?? null);
  if (read === undefined || !KEY_ATTRIBUTES.has(read)) return undefined;
  const named = scalarString(unsecret(child(resolveAlias(child(invoke, 'arguments') ?? null), arg)));
  return { named, by: arg === 'name' ? 'alias' : 'key' };
}

/**
 * What a name of the program (`ddbAlias` of `${ddbAlias.targetKeyArn}`) looks up, read for `attribute`: its variable's
 * `fn::invoke` (invokedLookup), or, no variable of that name, its resource's `get:` of a READ_TYPES type (the `id` it
 * reads). Undefined for any other name.
 */
export function keyLookupOf(root: CMap, name: string, attribute: string | undefined, depth = 0): KeyLookup | undefined {
  const variable = unsecret(child(section(root, 'variables'), name));
  if (variable != null) return throughLookup(root, invokedLookup(variable, attribute), depth);
  const resource = resolveAlias(child(section(root, 'resources'), name) ?? null);
  const by = READ_TYPES[scalarString(resolveAlias(child(resource, 'type') ?? null) ?? null) ?? ''];
  const get = resolveAlias(child(resource, 'get') ?? null);
  if (by === undefined || get?.kind !== 'map' || attribute === undefined || !KEY_ATTRIBUTES.has(attribute)) return undefined;
  return throughLookup(root, { named: scalarString(unsecret(child(get, 'id'))), by }, depth);
}

/**
 * A key lookup whose id is another lookup's key (`keyId: ${managed.targetKeyId}`, `get: {id: ${managed.targetKeyId}}`):
 * that lookup, where it is of the AWS managed key (adversarial pass 2 of session 59, F4: customer-managed); two hops.
 */
function throughLookup(root: CMap, l: KeyLookup | undefined, depth: number): KeyLookup | undefined {
  const ref = l?.by === 'key' && depth < 2 ? /^\$\{([\w-]+)\.([\w-]+)\}$/.exec(l.named?.trim() ?? '') : undefined;
  const inner = ref ? keyLookupOf(root, ref[1], ref[2], depth + 1) : undefined;
  return inner && looksUpAwsManagedKey(inner) ? inner : l;
}

/** Is it a lookup (KeyLookup) of the AWS managed key's alias (or its ARN), written as a literal? */
export const looksUpAwsManagedKey = (l: KeyLookup | undefined): boolean =>
  l?.named !== undefined && l.named.trim() !== '' && !l.named.includes('${') && isAwsManagedKeyRef(l.named);

/**
 * A lookup (KeyLookup) whose alias name or key id is a config value or variable (`name: ${keyAlias}`, `keyId:
 * ${tableKey}`, `get: {id: ${keyAlias}}`); undefined for any other (a literal name: looksUpAwsManagedKey).
 */
interface ChosenLookup {
  named: string;
  by: 'alias' | 'key';
}

export function chosenLookup(l: KeyLookup | undefined): ChosenLookup | undefined {
  return l?.named?.includes('${') ? { named: l.named, by: l.by } : undefined;
}

/**
 * A key looked up by an alias (round 36: `name: ${keyAlias}` with the default `alias/aws/dynamodb` was
 * customer-managed) or a key id (round 37: getKey's `keyId: ${tableKey}` with Pulumi.dev.yaml's `alias/aws/dynamodb`
 * was customer-managed, the same value through getAlias decided per stack) that a config value (or variable) names:
 * judged as that value is, one path for both lookups (a key id may be an alias name, an alias ARN, a key id or a key
 * ARN; only `alias/aws/dynamodb` or its ARN is known to be the AWS managed key, whichever lookup names it). On the
 * stacks read, as a key of that value is (stackKey: the AWS managed key on every stack, aws-managed; on some, unknown;
 * another alias, key id or key ARN on each, a key of the account); without stack files, a default that is that alias
 * is it unless a stack sets another (unknown), a variable's literal is what it says. Any other alias name, or one
 * kmsfix cannot read: unknown, never a key of the account; any other key id (no default, `${ordersKey.arn}`): a key
 * passed in, as `kmsKeyArn: ${tableKey}` is (the Pulumi TypeScript reading of getKeyOutput, stackConfig.ts).
 */
export function lookedUpKey(key: Setting, looked: ChosenLookup, root: CMap, stacks: PulumiStacks | undefined): Setting {
  const named = looked.named;
  const written = referenceOf(root, named);
  const ref = written?.[2] === undefined ? written?.[1] : undefined;
  const what = looked.by === 'alias' ? 'the alias' : 'the key';
  const lookup = `${key.source} looks up ${what} ${named.trim()}`;
  const variable = ref === undefined ? undefined : child(section(root, 'variables'), ref);
  if (ref !== undefined && variable == null) {
    if (stacks) {
      const on = keyOnStacks(stacks, stacks.project, ref, undefined, false);
      if (on.kind === 'set') return key;
      if (on.kind === 'aws-managed')
        return { state: 'expression', source: key.source, text: AWS_MANAGED_ALIAS, via: `${what} it looks up: ${on.why}` };
      return { state: 'unreadable', source: `${lookup}, and ${on.why}` };
    }
    const fallback = configDefault(root, ref);
    if (fallback !== undefined && fallback.trim() !== '' && !isAwsManagedKeyRef(fallback)) return key;
    if (looked.by === 'key' && fallback === undefined) return key;
    return {
      state: 'unreadable',
      source:
        fallback !== undefined && isAwsManagedKeyRef(fallback)
          ? `${lookup}, whose default is ${fallback.trim()}: the AWS managed key unless the stack's config sets another`
          : `${lookup}, a config value no stack file or default gives that kmsfix can read`,
    };
  }
  const literal = variable == null ? undefined : scalarString(unsecret(variable));
  if (literal !== undefined && !literal.includes('${'))
    return isAwsManagedKeyRef(literal) ? { state: 'expression', source: key.source, text: AWS_MANAGED_ALIAS } : key;
  if (looked.by === 'key') return key;
  return { state: 'unreadable', source: `${lookup}, a name kmsfix cannot read: the AWS managed key where it is alias/aws/dynamodb` };
}
