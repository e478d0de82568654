/**
 * Pulumi YAML programs: `resources:` of `type: aws:dynamodb:Table`, with `serverSideEncryption` as in
 * the Terraform provider; and aws-native's tables, read as CloudFormation's (native.ts). Reads the YAML tree shared with CloudFormation (../yaml/tree.ts; aliases
 * and merge keys resolved for reading). Its settings become neutral facts (src/rule/facts.ts); the
 * rule decides (src/rule/cmk.ts).
 */
import { decide, fixWanted } from '../../rule/cmk.js';
import { addGlobalTableReplica, replicasIgnored } from '../../rule/blockers.js';
import { followItsTable } from '../../rule/replicaResource.js';
import { REPLICA_RESOURCE_WORDS } from '../../rule/words.js';
import {
  ABSENT,
  type EncryptionFacts,
  type Obstacle,
  type Replica,
  type Replicas,
  type Setting,
  type Settings,
  type Vocabulary,
} from '../../rule/facts.js';
import { commentSuppressions } from '../../core/suppressions.js';
import { LineIndex, commentLinesAbove } from '../../core/text.js';
import { inScalar } from '../yaml/inScalar.js';
import { ParseError, type Detection, type SourceFile, type TableFacts } from '../../core/types.js';
import path from 'node:path';
import { AnchorIndex, sseEdit, type SseEdit } from '../yaml/anchors.js';
import { explicitKeyIn, mayHoldExplicitKeys } from '../yaml/explicitKeys.js';
import { placeholderError, placeholderIn } from '../../core/placeholders.js';
import { duplicateKeyError } from '../yaml/duplicates.js';
import { keySettingOf, switchSettingOf } from './settings.js';
import { destroyKeeps } from './retention.js';
import { unkeptKeyCautions } from './keptKeys.js';
import { markUnusableYamlKeys } from './keySpec.js';
import { keptKeyText } from './switchOnly.js';
import { unsecret } from './secret.js';
import { keyOnStacks, type PulumiStacks } from '../pulumi/stacks.js';
import { coversEncryption, coversReplicas } from '../pulumi/propertyPath.js';
import { NATIVE_TYPES, nativeFacts } from './native.js';
import { OPTION_FIELDS, RESOURCE_FIELDS, foldedChild, foldedPairs, miscased, section, sectionPair } from './casing.js';
import { integrationTables, sharedTables } from './resourcePolicy.js';
import { snippet } from '../yaml/scalars.js';
import { child, ownPair, parseYaml, resolveAlias, scalarString, type CMap, type CNode, type CPair } from '../yaml/tree.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { eofBlockScalar, eofScalarWithin } from '../yaml/eofScalar.js';

export const TABLE_TYPE = 'aws:dynamodb:Table';
/** The table's type token, short or whole (`aws:dynamodb/table:Table`, as `pulumi convert` writes it). */
const TABLE_TYPES = new Set([TABLE_TYPE, 'aws:dynamodb/table:Table']);
/** A replica of a global table in another Region, as its own resource: read, never fixed (obstacle replica-resource). */
const REPLICA_TYPES = new Set(['aws:dynamodb:TableReplica', 'aws:dynamodb/tableReplica:TableReplica']);
export const SSE_PATH = { properties: 'properties', sse: 'serverSideEncryption' };

export interface Program {
  root: CMap;
  resources: CMap;
  doc: number;
}

export interface PulumiTable extends TableFacts {
  program: Program;
  pair: CPair;
  resource: CMap;
  /** Anchored nodes (aliased elsewhere) that fixing this table edits. */
  shared: SseEdit['shared'];
  /** Something keeps the table or its data past a destroy (retention.ts destroyKeeps): the key is kept too (`retainOnDelete: true`). */
  retain: boolean;
  /** `options: provider: ${name}`: that provider resource's name (the key and its policy's lookups go through it). */
  provider?: string;
  /** A key written as a config value's name (`kmsKeyArn: ${tableKey}`, no variable of that name), or looked up by the alias or key one names (`fn::invoke` of aws:kms:getAlias, `name: ${keyAlias}`; of aws:kms:getKey, `keyId: ${tableKey}`): that name (pulumi/stacks.ts). */
  config?: string;
}

export interface PulumiDetection extends Detection {
  tables: PulumiTable[];
  programs: Program[];
  roots: (CNode | null)[];
  /** Where the file's YAML aliases start, every document's, in text order (empty: none). */
  aliases: number[];
  /** The text the roots were parsed from. */
  text: string;
}

/**
 * A Pulumi YAML program: a project file with `runtime: yaml`, or a `Main.yaml` (the program a YAML project keeps
 * apart from its `Pulumi.yaml`, which holds the runtime) with `resources`.
 */
function isYamlProgram(root: CNode | null, path: string): root is CMap {
  if (root?.kind !== 'map') return false;
  if (/(?:^|\/)Main\.ya?ml$/.test(path) && child(root, 'runtime') === undefined && section(root, 'resources')?.kind === 'map') return true;
  const runtime = child(root, 'runtime');
  return scalarString(runtime) === 'yaml' || scalarString(child(runtime, 'name')) === 'yaml';
}

/**
 * The YAML components a document defines (`components: {Database: {inputs, resources, outputs}}`): in a YAML
 * component plugin's files (beside a `PulumiPlugin.yaml` with `runtime: yaml`, which merges every `*.yaml` file of
 * its folder), or in a YAML program. Their tables are reported, never fixed (a step says what to write).
 */
function componentsOf(root: CMap, path: string): { name: string; root: CMap; resources: CMap }[] {
  if (/(?:^|\/)Pulumi\.[^/]+\.ya?ml$/.test(path)) return [];
  const components = resolveAlias(child(root, 'components') ?? null);
  if (components?.kind !== 'map') return [];
  return components.pairs.flatMap((p) => {
    const c = resolveAlias(p.value);
    const resources = c?.kind === 'map' ? resolveAlias(child(c, 'resources') ?? null) : null;
    return c?.kind === 'map' && resources?.kind === 'map' ? [{ name: p.key, root: c, resources }] : [];
  });
}

/** Pulumi YAML's words for the settings, where its messages differ from CloudFormation's. */
export const WORDS: Vocabulary = {
  names: {
    container: SSE_PATH.properties,
    block: SSE_PATH.sse,
    enabled: 'enabled',
    key: 'kmsKeyArn',
    replicas: 'replicas',
    replicaKey: 'replica {region} kmsKeyArn',
  },
  phrases: {
    enabledAbsent: '{block} is not enabled',
    enabledFalse: '{block} is not enabled',
    replicaKeys:
      'a KMS key serves one Region: deploy a customer-managed key (or a multi-Region replica key) in {regions} and set ' +
      "each such replica's kmsKeyArn to its ARN; kmsfix never half-fixes a global table",
  },
};

/**
 * The table's `replicas` (the provider's list of `regionName`, `kmsKeyArn`, ...), or undefined when it
 * has none. Each replica's key overrides the table's in its Region; a fix sets none, so the rule leaves
 * a table with replicas to the user, with the step to take (src/rule/cmk.ts).
 */
function replicasOf(text: string, props: CNode | null | undefined): Replicas | undefined {
  const node = child(props, 'replicas');
  if (node === undefined || node === null || (node.kind === 'scalar' && node.value === null)) return undefined;
  const list = resolveAlias(node);
  if (list?.kind !== 'seq') return { keys: 'override', list: { state: 'expression', source: snippet(text, node) }, items: [], fix: 'none' };
  const items = list.items.map((item): Replica => {
    const m = resolveAlias(item);
    const source = snippet(text, item);
    if (m?.kind !== 'map') return { source, readable: false, key: ABSENT };
    const region = child(m, 'regionName');
    return {
      source,
      readable: true,
      ...(region ? { region: { source: snippet(text, region), local: false } } : {}),
      key: keySettingOf(text, child(m, 'kmsKeyArn')),
    };
  });
  return { keys: 'override', list: { state: 'literal', source: snippet(text, list) }, items, fix: 'none' };
}

/** The table's serverSideEncryption as written (the provider's shape: enabled, kmsKeyArn). */
function settingsOf(text: string, props: CNode | null | undefined, root: CNode | null): Settings {
  const sse = child(props, SSE_PATH.sse);
  if (sse === undefined || sse === null || (sse.kind === 'scalar' && sse.value === null)) return { model: 'sse', block: ABSENT };
  if (sse.kind !== 'map') return { model: 'sse', block: { state: 'expression', source: snippet(text, sse) } };
  const block: Setting = { state: 'literal', source: '' };
  const enabled = switchSettingOf(text, child(sse, 'enabled'), 'enabled');
  return { model: 'sse', block, enabled, key: keyAt(text, child(sse, 'kmsKeyArn'), root) };
}

/** A key as written, and a lookup of the AWS managed key written in place (`{fn::invoke: {function: aws:kms:getAlias, ...}}`). */
function keyAt(text: string, node: CNode | null | undefined, root: CNode | null): Setting {
  const key = keySettingOf(text, node, 'kmsKeyArn', variableText(root));
  return looksUpAwsManagedKey(invokedLookup(unsecret(node), undefined)) ? { ...key, text: AWS_MANAGED_ALIAS } : key;
}

/** A key that names the AWS managed key (its alias, or an ARN of it), as read or as written. */
const managedText = (k: Setting | undefined) => k?.state !== 'unreadable' && k?.text !== undefined && isAwsManagedKeyRef(k.text);

/**
 * `kmsKeyArn: {fn::select: [index, [a, b]]}`: one of the list's keys, each read as a key written there would be
 * (keyAt, variableKey: a lookup of the AWS managed key, a variable or a config value holding it). That key (or none:
 * `''`, null) in every one is that key; in some, or one kmsfix cannot read, unknown, naming it (real-world round 35,
 * F3: `fn::select [${keyIndex}, [${own.arn}, ${managed}]]` was customer-managed where a stack picks `${managed}`).
 * Which element each stack's index picks is not read. No such element: what is written stands.
 */
function selectedKey(
  text: string,
  settings: Settings,
  props: CNode | null | undefined,
  root: CMap,
  stacks: PulumiStacks | undefined,
): Settings {
  if (settings.model !== 'sse') return settings;
  const select = resolveAlias(child(resolveAlias(child(child(props, SSE_PATH.sse), 'kmsKeyArn') ?? null), 'fn::select') ?? null);
  const list = select?.kind === 'seq' && select.items.length === 2 ? resolveAlias(select.items[1]) : undefined;
  if (list?.kind !== 'seq' || list.items.length === 0) return settings;
  const each = list.items.map((item) => {
    const key = variableKey({ model: 'sse', key: keyAt(text, item, root) }, root, stacks);
    const node = resolveAlias(item);
    // A null item: no key, as `kmsKeyArn: null` is (the AWS managed key, `enabled: true`).
    if (node?.kind === 'scalar' && node.value === null) return { item, key: ABSENT };
    return { item, key: key.model === 'sse' ? key.key : undefined };
  });
  const notOwn = (k: Setting | undefined) => k?.state === 'absent' || managedText(k) || (k?.state === 'literal' && k.text?.trim() === '');
  const odd = each.find((e) => e.key?.state === 'unreadable' || notOwn(e.key));
  if (!odd) return settings;
  const source = snippet(text, child(child(props, SSE_PATH.sse), 'kmsKeyArn'));
  if (each.every((e) => managedText(e.key))) return { ...settings, key: { state: 'expression', source, text: AWS_MANAGED_ALIAS } };
  const said =
    odd.key?.state === 'unreadable'
      ? `is not known (${odd.key.source})`
      : managedText(odd.key)
        ? 'is the AWS managed key'
        : 'is no key (the AWS managed key)';
  return {
    ...settings,
    key: {
      state: 'unreadable',
      source: `kmsKeyArn is fn::select over a list whose item ${list.items.indexOf(odd.item) + 1}, ${snippet(text, odd.item)}, ${said}: the key where the index picks it`,
    },
  };
}

/** Aliases a fix replaces rather than follows: a table's own `properties: *x` or `serverSideEncryption: *x`. */
function replacedSites(resources: CMap): Set<CNode> {
  const sites = new Set<CNode>();
  for (const p of resources.pairs) {
    if (p.value?.kind !== 'map' || !TABLE_TYPES.has(scalarString(child(p.value, 'type')) ?? '')) continue;
    const props = ownPair(p.value, SSE_PATH.properties)?.value;
    if (props?.kind === 'alias') sites.add(props);
    const sse = props?.kind === 'map' ? ownPair(props, SSE_PATH.sse)?.value : undefined;
    if (sse?.kind === 'alias') sites.add(sse);
  }
  return sites;
}

/** `options: provider: ${name}`: the provider resource's name, which the fix creates the key and its lookups through. */
export function providerOf(opts: CMap | undefined): string | undefined {
  const v = scalarString(resolveAlias(child(opts, 'provider')) ?? null);
  return v === undefined ? undefined : /^\$\{([A-Za-z_][\w-]*)\}$/.exec(v.trim())?.[1];
}

/**
 * What the table's resource `options` keep a fix from doing right: providers (a `providers` map,
 * a parent whose providers the table inherits, a `provider` that is not `${name}`) that the
 * generated key and its policy's Region and account lookups would not go through, so the key could
 * be in another Region than the table; `ignoreChanges` naming serverSideEncryption (or `'*'`,
 * every property), which `pulumi up` would then leave as it is; and `replaceOnChanges` naming it, for which
 * `pulumi up` would replace the table (a new, empty one) instead of changing its key in place.
 */
function optionObstacles(text: string, lines: LineIndex, opts: CMap | undefined): Obstacle[] {
  if (!opts) return [];
  const out: Obstacle[] = [];
  // A provider named as `${name}` goes to the key and its lookups too (providerOf).
  // Option names in any case, as pulumi-yaml reads them (casing.ts).
  const through = ['provider', 'providers', 'parent'].find(
    (k) => foldedPairs(opts, k).length > 0 && !(k === 'provider' && providerOf(opts)),
  );
  if (through) {
    const what = snippet(text, child(opts, through) ?? foldedChild(opts, through));
    out.push({
      kind: 'code-shape',
      step:
        `the table is created with options.${through} ${what}, and kmsfix would create its key, and the Region and account lookups of the key's policy, ` +
        `through the default provider (possibly another Region or account than the table's): create the key with the same ${through} by hand, then set ${SSE_PATH.sse}`,
    });
  }
  // Replacing the table (a new, empty one) is worse than ignoring the change: said first.
  const replaced = encryptionEntry(opts, 'replaceOnChanges');
  if (replaced) out.push({ kind: 'replaced-on-changes', where: `options.${replaced.key}`, entry: snippet(text, replaced.entry) });
  const ignored = encryptionEntry(opts, 'ignoreChanges');
  if (ignored)
    out.push({ kind: 'ignored-changes', where: `options.${ignored.key}`, entry: snippet(text, ignored.entry), tool: 'pulumi up' });
  // `replicas` (or a path under it): a global table whose replicas are declared elsewhere.
  const replicas = optionEntry(opts, 'ignoreChanges', coversReplicas);
  if (replicas)
    out.push(replicasIgnored(`options.${replicas.key}`, snippet(text, replicas.entry), lines.position(replicas.entry.start).line));
  return out;
}

/**
 * A table whose resource fields or option names are written in another case than pulumi-yaml's (`Options`,
 * `ReplaceOnChanges`): pulumi-yaml reads them as its fields (casing.ts), the rest of kmsfix only as written, so the
 * table is declined, naming them.
 */
function miscasedObstacle(resource: CMap, opts: CMap | undefined): Obstacle | undefined {
  const keys = [
    ...miscased(resource, RESOURCE_FIELDS),
    ...miscased(opts, OPTION_FIELDS).map((m) => ({ written: `options.${m.written}`, field: `options.${m.field}` })),
  ];
  if (keys.length === 0) return undefined;
  const written = keys.map((k) => k.written).join(', ');
  return {
    kind: 'code-shape',
    step:
      `the table writes ${written} in another case than pulumi-yaml's field${keys.length > 1 ? 's' : ''}, which pulumi-yaml reads as ` +
      `${keys.map((k) => k.field).join(', ')} (with a miscapitalization warning) and kmsfix reads only in camelCase: ` +
      `rename ${keys.length > 1 ? 'them' : 'it'} ${keys.map((k) => k.field.split('.').pop()).join(', ')}, then run kmsfix again`,
  };
}

/**
 * The entry of a property-path option (`ignoreChanges`, `replaceOnChanges`: a list, or one entry) that covers
 * the encryption: a path under serverSideEncryption (its quoted form too), or '*', every property (pulumi/propertyPath.ts).
 */
function encryptionEntry(opts: CMap, option: string): { key: string; entry: CNode } | undefined {
  return optionEntry(opts, option, coversEncryption);
}

/** The first entry of a property-path option that `covers` says yes to, with the option's name as written. */
function optionEntry(opts: CMap, option: string, covers: (entry: string) => boolean): { key: string; entry: CNode } | undefined {
  // The option as written, merge keys followed, else in another case (casing.ts): each is read.
  const written = child(opts, option);
  const lists = [
    ...(written !== undefined ? [{ key: option, value: written }] : []),
    ...foldedPairs(opts, option)
      .filter((p) => p.key !== option)
      .map((p) => ({ key: p.key, value: resolveAlias(p.value) })),
  ];
  for (const { key, value } of lists) {
    const resolved = resolveAlias(value);
    const entries = resolved?.kind === 'seq' ? resolved.items : resolved ? [resolved] : [];
    const entry = entries.find((e) => covers(scalarString(resolveAlias(e)) ?? ''));
    if (entry) return { key, entry };
  }
  return undefined;
}

/**
 * A global table whose replicas are resources of their own (`globalTableArn: ${orders.arn}`) is fixed
 * with them or not at all, and kmsfix does not fix replica resources: the table gets the obstacle.
 */
/** A `variables:` entry's value where it is a plain string (no interpolation; under `fn::secret` too), as variableKey reads a key written as it. */
function variableText(root: CNode | null): (name: string) => string | undefined {
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
function variableKey(settings: Settings, root: CMap, stacks: PulumiStacks | undefined): Settings {
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
function referenceOf(root: CMap, text: string | undefined): [string, string, string | undefined] | undefined {
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
function configDefault(root: CMap, name: string, member?: string): string | undefined {
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
function stackKey(written: Setting, config: ConfigRef, stacks: PulumiStacks): Setting {
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
const configNameOf = (settings: Settings, root: CMap): string | undefined => configRefOf(settings, root)?.name;

/** A key written as `${v}` (or `${v.targetKeyArn}`) of a variable that looks up an alias or key a config value names: that value's name. */
function lookupConfigOf(settings: Settings, root: CMap): string | undefined {
  const key = settings.model === 'sse' ? settings.key : undefined;
  const ref = key?.state === 'literal' ? referenceOf(root, key.text) : undefined;
  const looked = ref ? chosenLookup(keyLookupOf(root, ref[1], ref[2])) : undefined;
  const named = looked === undefined ? undefined : referenceOf(root, looked.named);
  const name = named?.[2] === undefined ? named?.[1] : undefined;
  return name && child(section(root, 'variables'), name) == null ? name : undefined;
}

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
function invokedLookup(node: CNode | null | undefined, attribute: string | undefined): KeyLookup | undefined {
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
function keyLookupOf(root: CMap, name: string, attribute: string | undefined, depth = 0): KeyLookup | undefined {
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
const looksUpAwsManagedKey = (l: KeyLookup | undefined): boolean =>
  l?.named !== undefined && l.named.trim() !== '' && !l.named.includes('${') && isAwsManagedKeyRef(l.named);

/**
 * A lookup (KeyLookup) whose alias name or key id is a config value or variable (`name: ${keyAlias}`, `keyId:
 * ${tableKey}`, `get: {id: ${keyAlias}}`); undefined for any other (a literal name: looksUpAwsManagedKey).
 */
interface ChosenLookup {
  named: string;
  by: 'alias' | 'key';
}

function chosenLookup(l: KeyLookup | undefined): ChosenLookup | undefined {
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
function lookedUpKey(key: Setting, looked: ChosenLookup, root: CMap, stacks: PulumiStacks | undefined): Setting {
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

function globalTableMembers(tables: PulumiTable[]): void {
  for (const r of tables) {
    if (!REPLICA_TYPES.has(r.type)) continue;
    const arn = scalarString(resolveAlias(child(child(r.resource, SSE_PATH.properties), 'globalTableArn')) ?? null);
    const name = /^\$\{([^.}]+)\.arn\}$/.exec(arn?.trim() ?? '')?.[1];
    const table = tables.find((t) => t.program === r.program && t.address === name && TABLE_TYPES.has(t.type));
    if (table) {
      addGlobalTableReplica(table.encryption.obstacles, r.address);
      followItsTable(r.encryption, table.encryption, table.address, 'kmsKeyArn');
    }
  }
}

/** `stacks`: the project's stacks, read for keys written as config values (index.ts). */
export function detectPulumiYaml(file: SourceFile, stacks?: PulumiStacks): PulumiDetection {
  let docs: ReturnType<typeof parseYaml>;
  try {
    docs = parseYaml(file.text, true);
  } catch (err) {
    throw err instanceof ParseError ? placeholderError(file.text, err) : err;
  }
  const lines = new LineIndex(file.text);
  const explicitKeys = mayHoldExplicitKeys(file.text);
  const tables: PulumiTable[] = [];
  const programs: Program[] = [];
  // Duplicate keys: an error at the first, and the resources that depend on none still reported (never fixed).
  const duplicates = docs.flatMap((d) => d.duplicates ?? []);
  const error = duplicates.length > 0 ? duplicateKeyError(file.text, lines, duplicates[0]) : undefined;
  const eofScalar = eofBlockScalar(
    file.text,
    docs.map((d) => d.root),
  );
  docs.forEach((doc, docIndex) => {
    const root = doc.root;
    if (root?.kind !== 'map') return;
    const program = isYamlProgram(root, file.path);
    const components = componentsOf(root, file.path);
    if (!program && components.length === 0) return;
    if (doc.duplicates && root.pairs.filter((p) => p.key === sectionPair(root, 'resources')?.key).length > 1) return;
    const resources = section(root, 'resources');
    const scopes: { name?: string; program: Program }[] = components.map((c) => ({
      name: c.name,
      program: { root: c.root, resources: c.resources, doc: docIndex },
    }));
    if (program && resources?.kind === 'map') {
      const p = { root, resources, doc: docIndex };
      programs.push(p);
      scopes.unshift({ program: p });
    }
    for (const scope of scopes) readScope({ root, aliases: doc.aliases, duplicates: doc.duplicates }, scope.program, scope.name);
  });
  function readScope(
    doc: { root: CMap; aliases?: number[]; duplicates?: number[] },
    program: Program,
    component: string | undefined,
  ): void {
    const { resources } = program;
    const anchors = doc.aliases ? new AnchorIndex(doc.root) : undefined;
    const replaced = anchors ? replacedSites(resources) : undefined;
    const variables = section(program.root, 'variables');
    for (const pair of resources.pairs) {
      const resource = resolveAlias(pair.value);
      // `Type:` too: pulumi-yaml reads it as type (casing.ts); the table is then declined (miscasedObstacle).
      const type = resource?.kind === 'map' ? (scalarString(child(resource, 'type') ?? foldedChild(resource, 'type')) ?? '') : '';
      const replica = REPLICA_TYPES.has(type);
      const native = NATIVE_TYPES.has(type);
      if (resource?.kind !== 'map' || !(replica || native || TABLE_TYPES.has(type))) continue;
      // `get:` reads a resource another stack owns (pulumi-yaml refuses `properties` beside it): not the program's.
      if (ownPair(resource, 'get')) continue;
      if (doc.duplicates && ambiguous(resources, pair, doc.duplicates)) continue;
      const props = child(resource, SSE_PATH.properties);
      const written = settingsOf(file.text, props, doc.root);
      const configName =
        native || replica || component ? undefined : (configNameOf(written, doc.root) ?? lookupConfigOf(written, doc.root));
      const encryption: EncryptionFacts = native
        ? nativeFacts(file.text, type, props)
        : replica
          ? {
              // No peer scanner reads a replica resource of Pulumi YAML.
              peerKind: 'code',
              words: REPLICA_RESOURCE_WORDS,
              settings: { model: 'sse', key: keySettingOf(file.text, child(props, 'kmsKeyArn')) },
              obstacles: [{ kind: 'replica-resource' }],
            }
          : {
              peerKind: 'pulumi-yaml-table',
              words: WORDS,
              settings: selectedKey(file.text, variableKey(written, doc.root, stacks), props, doc.root, stacks),
              obstacles: [],
            };
      const replicas = replica || native ? undefined : replicasOf(file.text, props);
      if (replicas) encryption.replicas = replicas;
      const edit =
        anchors && !native && fixWanted(decide(encryption))
          ? sseEdit(anchors, pair, SSE_PATH, (site) => replaced!.has(site.alias))
          : undefined;
      if (edit?.obstacle) encryption.obstacles.push(edit.obstacle);
      // An explicit YAML key (`? orders`) in the resource: declined with where it is (yaml/explicitKeys.ts).
      const explicit = explicitKeys && fixWanted(decide(encryption)) ? explicitKeyIn(file.text, lines, resources, pair) : undefined;
      if (explicit)
        encryption.obstacles.push({ kind: 'yaml-explicit-key', at: `${path.basename(file.path)}:${explicit.line}:${explicit.column}` });
      const opts = resolveAlias(child(resource, 'options') ?? foldedChild(resource, 'options'));
      // (An aws-native table's options are its provider's: its obstacle says what to write.)
      if (!native) encryption.obstacles.push(...optionObstacles(file.text, lines, opts?.kind === 'map' ? opts : undefined));
      const cased = miscasedObstacle(resource, opts?.kind === 'map' ? opts : undefined);
      if (cased) encryption.obstacles.push(cased);
      // Pulumi AWS 7: a table in a Region of its own, which the key and its policy's lookups would not follow.
      const region = native ? undefined : child(props, 'region');
      const regionValue = region ? resolveAlias(region) : undefined;
      if (region && regionValue && !(regionValue.kind === 'scalar' && regionValue.value === null))
        encryption.obstacles.push({ kind: 'resource-region', region: snippet(file.text, region) });
      if (error) encryption.obstacles.push({ kind: 'file-error', at: `${error.line}:${error.column}`, message: error.message });
      // In the table's properties, any fix's setting would follow it; elsewhere, only the key, alias and lookups.
      const eof = eofScalarWithin(eofScalar, props, [pair.value, resource, variables]);
      if (eof) encryption.obstacles.push(eof);
      if (component !== undefined)
        encryption.obstacles.push({
          kind: 'code-shape',
          step:
            `the table is a resource of the YAML component ${component} (its \`components.${component}.resources\`): kmsfix does not ` +
            'write into components; add an aws:kms:Key with rotation and a policy for DynamoDB to the same resources and set the ' +
            "table's serverSideEncryption (enabled: true, kmsKeyArn: ${<key>.arn})",
        });
      const namePlaceholder = placeholderIn(pair.key);
      if (namePlaceholder !== undefined)
        encryption.obstacles.push({ kind: 'template-placeholder', where: 'resource name', placeholder: namePlaceholder });
      const pos = lines.position(pair.keyStart);
      tables.push({
        line: pos.line,
        column: pos.column,
        format: 'pulumi-yaml',
        type,
        address: component === undefined ? pair.key : `${component}.${pair.key}`,
        encryption,
        suppressions: commentLinesAbove(file.text, pair.keyStart, (at) => inScalar(doc.root, at)).flatMap((c) => commentSuppressions(c)),
        program,
        pair,
        resource,
        shared: edit?.shared ?? [],
        retain: destroyKeeps(resource).length > 0,
        provider: opts?.kind === 'map' ? providerOf(opts) : undefined,
        ...(configName === undefined ? {} : { config: configName }),
      });
    }
  }
  globalTableMembers(tables);
  // The key a table fixed by its switch alone keeps (the commit message names it, and no new key: switchOnly.ts).
  for (const t of tables) {
    const kept = keptKeyText(file.text, t);
    if (kept !== undefined) t.keptKey = kept;
  }
  // A table whose key of the program DynamoDB cannot use (an asymmetric or HMAC key: keySpec.ts).
  markUnusableYamlKeys(file.text, tables);
  // A table kept past a destroy whose key of the program is not (keptKeys.ts).
  unkeptKeyCautions(file.text, tables, lines, path.basename(file.path));
  sharedTables(file.text, tables);
  integrationTables(file.text, tables);
  const detection: PulumiDetection = {
    tables,
    programs,
    roots: docs.map((d) => d.root),
    aliases: docs.flatMap((d) => d.aliases ?? []),
    text: file.text,
  };
  if (error) detection.error = error;
  return detection;
}

/** A resource whose name repeats, or that holds a repeated key, is not read. */
function ambiguous(resources: CMap, pair: CPair, duplicates: number[]): boolean {
  if (resources.pairs.filter((p) => p.key === pair.key).length > 1) return true;
  const end = pair.value?.end ?? pair.keyEnd;
  return duplicates.some((d) => d >= pair.keyStart && d < end);
}
