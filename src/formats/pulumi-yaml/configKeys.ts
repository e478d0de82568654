/**
 * A key written as one of the program's names (`kmsKeyArn: ${tableKey}`), read where the program gives it
 * (`variableKey`): a variable's value, a config value's default, and what each stack's config sets of it.
 */
import { ABSENT, type Setting, type Settings } from '../../rule/facts.js';
import { unsecret } from './secret.js';
import { keyOnStacks, type PulumiStacks } from '../pulumi/stacks.js';
import { section } from './casing.js';
import { child, resolveAlias, scalarString, type CMap, type CNode } from '../yaml/tree.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { keyLookupOf, looksUpAwsManagedKey, chosenLookup, lookedUpKey } from './keyLookups.js';

/** A `variables:` entry's value where it is a plain string (no interpolation; under `fn::secret` too), as variableKey reads a key written as it. */
export function variableText(root: CNode | null): (name: string) => string | undefined {
  return (name) => {
    const variables = root?.kind === 'map' ? section(root, 'variables') : undefined;
    const v = scalarString(unsecret(child(variables, name)));
    return v === undefined || v.includes('${') ? undefined : v;
  };
}

/**
 * A key written as one of the program's names (`kmsKeyArn: ${tableKey}`), read where the program gives
 * it: a variable's literal value, or a config value's default, which a stack's own config may replace.
 * The AWS managed key there: that key (a variable), or maybe it (a config default: unknown).
 */
export function variableKey(settings: Settings, root: CMap, stacks: PulumiStacks | undefined): Settings {
  if (settings.model !== 'sse') return settings;
  const key = settings.key;
  if (key?.state !== 'literal' || key.text === undefined) return settings;
  const ref = referenceOf(root, key.text);
  if (!ref) return settings;
  const name = ref[1];
  // A config value (or a member of an object one, `${keyCfg.arn}`): what each stack's file sets, the program's default
  // under it (pulumi/stacks.ts).
  const config = configRefOf(settings, root);
  if (stacks && config !== undefined) return { ...settings, key: stackKey(key, config, stacks) };
  // A lookup of the AWS managed key (`fn::invoke` of aws:kms:getAlias or getKey): that key, read as `${v.targetKeyArn}`.
  // So is a resource's read of it (`get: {id: alias/aws/dynamodb}`), read as `${r.targetKeyArn}` (keyLookupOf).
  const lookup = keyLookupOf(root, name, ref[2]);
  if (looksUpAwsManagedKey(lookup)) return { ...settings, key: { ...key, state: 'expression', text: AWS_MANAGED_ALIAS } };
  const looked = chosenLookup(lookup);
  if (looked !== undefined) return { ...settings, key: lookedUpKey(key, looked, root, stacks) };
  if (ref[2] !== undefined && config === undefined) return settings;
  const variable = ref[2] === undefined ? scalarString(unsecret(child(section(root, 'variables'), name))) : undefined;
  const fallback = configDefault(root, name, ref[2]);
  if (variable !== undefined && !variable.includes('${') && isAwsManagedKeyRef(variable))
    return { ...settings, key: { ...key, text: AWS_MANAGED_ALIAS } };
  if (variable?.includes('${')) {
    // A variable built from others (`arn:...:alias/aws/${svc}`): their literal values put in; an AWS managed key's
    // alias kmsfix cannot complete is never a customer-managed key (adversarial pass of session 63, t5).
    const text = variableText(root);
    const filled = variable.replace(/\$\{([\w-]+)\}/g, (whole, n: string) => text(n) ?? whole);
    if (!filled.includes('${') && isAwsManagedKeyRef(filled)) return { ...settings, key: { ...key, text: AWS_MANAGED_ALIAS } };
    if (/(?:^|[:/])alias\/aws\//.test(filled))
      return {
        ...settings,
        key: {
          state: 'unreadable',
          source: `kmsKeyArn is ${key.text}, whose value ${variable} names an AWS managed key's alias kmsfix does not complete (alias/aws/...: never a customer-managed key)`,
        },
      };
  }
  if (variable === undefined && fallback !== undefined && isAwsManagedKeyRef(fallback))
    return {
      ...settings,
      key: {
        state: 'unreadable',
        source: `kmsKeyArn is ${key.text}, whose default is ${fallback.trim() || "''"}: the AWS managed key unless the stack's config sets another`,
      },
    };
  return settings;
}

/**
 * A reference written alone, `${name}` or `${name.attribute}`: [the text, the name, the attribute]. A config value may be
 * written with the project's namespace, `${<project>:name}`, which pulumi-yaml reads as `${name}` (its sort.go and
 * run.go strip `<project>:` from a name no resource, variable or config entry has, `stripConfigNamespace`; adversarial
 * pass s59 F6: `${p8:keyArn}` of a default `alias/aws/dynamodb` was read as a key of the account): the name is given
 * without it.
 */
export function referenceOf(root: CMap, text: string | undefined): [string, string, string | undefined] | undefined {
  const ref = /^\$\{(?:([\w-]+):)?([\w-]+)(?:\.([\w-]+))?\}$/.exec(text?.trim() ?? '');
  if (!ref || (ref[1] !== undefined && ref[1] !== projectOf(root))) return undefined;
  return [ref[0], ref[2], ref[3]];
}

/** The project's name (`name:` of the program's Pulumi.yaml): its config's namespace. */
const projectOf = (root: CMap) => scalarString(resolveAlias(child(root, 'name') ?? null) ?? null);

/**
 * The default of the program's config entry `name` (`config:`, or the older `configuration:`), declared as `name` or
 * with the project's namespace, `<project>:name`, which pulumi-yaml declares as `name` (stripConfigNamespace, above);
 * of an object one (`type: object`), its `member`'s.
 */
export function configDefault(root: CMap, name: string, member?: string): string | undefined {
  const config = section(root, 'config') ?? section(root, 'configuration');
  const entry = child(config, name) ?? child(config, `${projectOf(root)}:${name}`);
  const value = resolveAlias(child(resolveAlias(entry ?? null), 'default') ?? null);
  return scalarString(member === undefined ? value : resolveAlias(child(value, member) ?? null));
}

/**
 * A member of an object config value that a stack's file (or the default under it) does not hold: pulumi-yaml's
 * reading of `${keyCfg.arn}` there is not read (unknown), never a key of the account.
 */
const NO_MEMBER = { kind: 'unknown', text: 'what pulumi-yaml reads for a missing member, not known', empty: false } as const;

/**
 * The key `${name}` (`${name.member}`) of a config value on every stack: the AWS managed key on each is that key; on
 * some, decided per stack.
 */
export function stackKey(written: Setting, config: ConfigRef, stacks: PulumiStacks): Setting {
  const on = keyOnStacks(stacks, stacks.project, config.name, config.member, false, config.member === undefined ? undefined : NO_MEMBER);
  if (on.kind === 'set') return written;
  if (on.kind === 'aws-managed') return { state: 'expression', source: written.source, text: AWS_MANAGED_ALIAS, via: on.why };
  if (on.kind === 'absent') return { ...ABSENT, source: written.source, via: on.why };
  return { state: 'unreadable', source: `kmsKeyArn is ${written.source}, and ${on.why}` };
}

/** A config value's name, and the member read of an object one (`${keyCfg.arn}`: `arn`). */
interface ConfigRef {
  name: string;
  member?: string;
}

/**
 * A key written as `${name}` of no variable: a config value, which each stack's file may set (pulumi/stacks.ts); as
 * `${name.member}` of no variable and no resource: that member of an object config value (adversarial pass s63 F3:
 * `${keyCfg.arn}` of a default `{arn: ...alias/aws/dynamodb}` was customer-managed).
 */
function configRefOf(settings: Settings, root: CMap): ConfigRef | undefined {
  const key = settings.model === 'sse' ? settings.key : undefined;
  const ref = key?.state === 'literal' ? referenceOf(root, key.text) : undefined;
  if (!ref || child(section(root, 'variables'), ref[1]) != null) return undefined;
  if (ref[2] === undefined) return { name: ref[1] };
  return child(section(root, 'resources'), ref[1]) == null ? { name: ref[1], member: ref[2] } : undefined;
}

/** The config value a key is written as (configRefOf): its name. */
export const configNameOf = (settings: Settings, root: CMap): string | undefined => configRefOf(settings, root)?.name;

/** A key written as `${v}` (or `${v.targetKeyArn}`) of a variable that looks up an alias or key a config value names: that value's name. */
export function lookupConfigOf(settings: Settings, root: CMap): string | undefined {
  const key = settings.model === 'sse' ? settings.key : undefined;
  const ref = key?.state === 'literal' ? referenceOf(root, key.text) : undefined;
  const looked = ref ? chosenLookup(keyLookupOf(root, ref[1], ref[2])) : undefined;
  const named = looked === undefined ? undefined : referenceOf(root, looked.named);
  const name = named?.[2] === undefined ? named?.[1] : undefined;
  return name && child(section(root, 'variables'), name) == null ? name : undefined;
}
