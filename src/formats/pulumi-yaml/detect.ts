/**
 * Pulumi YAML programs: `resources:` of `type: aws:dynamodb:Table`, with `serverSideEncryption` as in
 * the Terraform provider; and aws-native's tables, read as CloudFormation's (native.ts). Reads the YAML tree shared with CloudFormation (../yaml/tree.ts; aliases
 * and merge keys resolved for reading). Its settings become neutral facts (src/rule/facts.ts); the
 * rule decides (src/rule/cmk.ts).
 */
import { decide, fixWanted } from '../../rule/cmk.js';
import { addGlobalTableReplica } from '../../rule/blockers.js';
import { followItsTable } from '../../rule/replicaResource.js';
import { REPLICA_RESOURCE_WORDS } from '../../rule/words.js';
import { ABSENT, type EncryptionFacts, type Replica, type Replicas, type Setting, type Settings } from '../../rule/facts.js';
import { commentSuppressions } from '../../core/suppressions.js';
import { LineIndex, commentLinesAbove } from '../../core/text.js';
import { inScalar } from '../yaml/inScalar.js';
import { ParseError, type SourceFile } from '../../core/types.js';
import path from 'node:path';
import { AnchorIndex, sseEdit } from '../yaml/anchors.js';
import { explicitKeyIn, mayHoldExplicitKeys } from '../yaml/explicitKeys.js';
import { placeholderError, placeholderIn } from '../../core/placeholders.js';
import { duplicateKeyError } from '../yaml/duplicates.js';
import { keySettingOf, switchSettingOf } from './settings.js';
import { destroyKeeps } from './retention.js';
import { unkeptKeyCautions } from './keptKeys.js';
import { markUnusableYamlKeys } from './keySpec.js';
import { keptKeyText } from './switchOnly.js';
import { unsecret } from './secret.js';
import type { PulumiStacks } from '../pulumi/stacks.js';
import { NATIVE_TYPES, nativeFacts } from './native.js';
import { foldedChild, section, sectionPair } from './casing.js';
import { integrationTables, sharedTables } from './resourcePolicy.js';
import { snippet } from '../yaml/scalars.js';
import { child, ownPair, parseYaml, resolveAlias, scalarString, type CMap, type CNode, type CPair } from '../yaml/tree.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { eofBlockScalar, eofScalarWithin } from '../yaml/eofScalar.js';
import { TABLE_TYPE, SSE_PATH, type Program, type PulumiTable, type PulumiDetection } from './tableTypes.js';
import { WORDS } from './words.js';
import { miscasedObstacle, optionObstacles, providerOf } from './resourceOptions.js';
import { invokedLookup, looksUpAwsManagedKey } from './keyLookups.js';
import { variableText, variableKey, configNameOf, lookupConfigOf } from './configKeys.js';

/** The table's type token, short or whole (`aws:dynamodb/table:Table`, as `pulumi convert` writes it). */
const TABLE_TYPES = new Set([TABLE_TYPE, 'aws:dynamodb/table:Table']);
/** A replica of a global table in another Region, as its own resource: read, never fixed (obstacle replica-resource). */
const REPLICA_TYPES = new Set(['aws:dynamodb:TableReplica', 'aws:dynamodb/tableReplica:TableReplica']);

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

/**
 * A global table whose replicas are resources of their own (`globalTableArn: ${orders.arn}`) is fixed
 * with them or not at all, and kmsfix does not fix replica resources: the table gets the obstacle.
 */
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
