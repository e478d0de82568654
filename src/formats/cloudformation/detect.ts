/**
 * Finding DynamoDB tables in CloudFormation, SAM and Serverless templates, and reading each one's
 * encryption settings into neutral facts (src/rule/facts.ts) for the rule to decide on
 * (src/rule/cmk.ts). Works on the shared node tree, so YAML and JSON behave the same.
 */
import { decide, fixWanted } from '../../rule/cmk.js';
import {
  ABSENT,
  type EncryptionFacts,
  type Replica,
  type Replicas,
  type Setting,
  type Settings,
  type Vocabulary,
} from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isFixableStatus } from '../../rule/status.js';
import { LineIndex, commentLinesAbove } from '../../core/text.js';
import { commentSuppressions } from '../../core/suppressions.js';
import type { Raw, Reference, TableKind } from '../../rule/peers/facts.js';
import type { Detection, SourceFile, Suppression, TableFacts } from '../../core/types.js';
import { AnchorIndex, sseEdit, type AliasSite, type SseEdit } from '../yaml/anchors.js';
import { placeholderError, placeholderIn, placeholderSetting } from '../../core/placeholders.js';
import { ParseError } from '../../core/types.js';
import { boolOf, snippet } from '../yaml/scalars.js';
import { crossAccountGrants } from './resourcePolicy.js';
import {
  child,
  looksLikeJson,
  ownPair,
  pair,
  parseJson,
  parseYaml,
  resolveAlias,
  scalarString,
  type CMap,
  type CNode,
  type CPair,
  type CSeq,
} from '../yaml/tree.js';

export type Flavor = 'cloudformation' | 'sam' | 'serverless';

export const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'];

export interface CfnTemplate {
  flavor: Flavor;
  root: CMap;
  resources: CMap;
  /** Keys from the document's root to `resources`. */
  resourcesPath: string[];
  /** Index of the template's YAML document in the file. */
  doc: number;
}

export interface CfnTable extends TableFacts {
  template: CfnTemplate;
  resourcePair: CPair;
  resource: CMap;
  kind: 'table' | 'global';
  /** Logical IDs the table's key reference points at (for verification). */
  keyRefs: string[];
  /** GlobalTable: the replica in the stack's own region that still needs a key. */
  localReplica?: CMap;
  /** Anchored nodes (aliased elsewhere) that fixing this table edits; empty for most tables. */
  shared: SseEdit['shared'];
}

export interface CfnDetection extends Detection {
  tables: CfnTable[];
  templates: CfnTemplate[];
  json: boolean;
  /** Every document's root, templates or not (for verification on the resolved documents). */
  roots: (CNode | null)[];
  /** Whether any document holds YAML aliases. */
  aliases: boolean;
  /** The text the roots were parsed from. */
  text: string;
}

// ---------------------------------------------------------------- intrinsics and literals

const SHORT_TAG_FN: Record<string, string> = { '!Ref': 'Ref', '!Condition': 'Condition' };

export function intrinsicName(node: CNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.tag) return SHORT_TAG_FN[node.tag] ?? 'Fn::' + node.tag.slice(1);
  if (node.kind === 'map' && node.pairs.length === 1) {
    const k = node.pairs[0].key;
    if (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::')) return k;
  }
  return undefined;
}

function intrinsicArg(node: CNode): CNode | null {
  return node.tag ? node : node.kind === 'map' ? node.pairs[0].value : null;
}

/** Logical IDs a key reference points at (Ref X, GetAtt X.Arn). */
export function referencedIds(node: CNode | null | undefined): string[] {
  const fn = intrinsicName(node);
  if (!node || !fn) return [];
  const arg = intrinsicArg(node);
  if (fn === 'Ref') return scalarValue(arg) ? [scalarValue(arg)!] : [];
  if (fn === 'Fn::GetAtt') {
    if (arg?.kind === 'scalar') return [String(arg.value).split('.')[0]];
    if (arg?.kind === 'seq' && arg.items[0]) return scalarValue(arg.items[0]) ? [scalarValue(arg.items[0])!] : [];
  }
  return [];
}

function scalarValue(node: CNode | null | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

// ---------------------------------------------------------------- settings, as written

/** CloudFormation's words for its settings (the rule's default wording is CloudFormation's). */
export const WORDS: Vocabulary = {
  names: {
    container: 'Properties',
    block: 'SSESpecification',
    enabled: 'SSEEnabled',
    sseType: 'SSEType',
    key: 'KMSMasterKeyId',
    replicas: 'Replicas',
    replicaKey: 'replica {region} KMSMasterKeyId',
  },
};

/**
 * The template's parameters that have a Default, by name: a setting that is `!Ref` to one of them is
 * read as its default, as Checkov and cfn-nag evaluate it, and says so (Setting.via). A parameter
 * without a Default, or any other intrinsic (Fn::If on a condition...), stays decided at deploy time.
 */
export type Defaults = Map<string, CNode>;

function defaultsOf(root: CMap): Defaults {
  const out: Defaults = new Map();
  const params = child(root, 'Parameters');
  if (params?.kind !== 'map') return out;
  for (const p of params.pairs) {
    const d = child(p.value, 'Default');
    if (d?.kind === 'scalar' && !d.tag) out.set(p.key, d);
  }
  return out;
}

/** The parameter a setting is `!Ref` to and its default, when it has one. */
function parameterDefault(node: CNode | null | undefined, defaults: Defaults | undefined): { name: string; value: CNode } | undefined {
  if (!defaults || defaults.size === 0 || intrinsicName(node) !== 'Ref') return undefined;
  const name = referencedIds(node)[0];
  const value = name === undefined ? undefined : defaults.get(name);
  return value === undefined ? undefined : { name, value };
}

function viaParameter(name: string, value: CNode): string {
  const v = value.kind === 'scalar' ? value.value : undefined;
  return `parameter ${name}'s default (${v === '' || v === null || v === undefined ? "''" : String(v)})`;
}

/** A KMSMasterKeyId as written: the text of an intrinsic function that names a key is read where it can be (Fn::Sub, Fn::Join). */
function keySetting(text: string, node: CNode | null | undefined, defaults?: Defaults): Setting {
  if (!node) return node === null ? { ...ABSENT, raw: null } : ABSENT;
  const source = snippet(text, node);
  const raw = keyRawOf(node);
  const param = parameterDefault(node, defaults);
  if (param) {
    const d = keySetting(text, param.value);
    if (d.state === 'literal') return { ...d, source, raw, via: viaParameter(param.name, param.value) };
  }
  if (node.kind === 'scalar' && (node.value === null || node.value === '')) {
    return { state: 'literal', source, text: node.value === null ? undefined : '', raw };
  }
  const fn = intrinsicName(node);
  if (!fn) {
    const s = scalarString(node);
    if (s === undefined) return { state: 'unreadable', source: `KMSMasterKeyId is not a string (${source})`, raw };
    const p = placeholderIn(s);
    if (p !== undefined) return { state: 'unreadable', source: placeholderSetting('KMSMasterKeyId', p), raw };
    return { state: 'literal', source, text: s, raw };
  }
  if (fn === 'Fn::If') return { state: 'unreadable', source: `KMSMasterKeyId is chosen by Fn::If (${source})`, raw };
  const arg = intrinsicArg(node);
  let known: string | undefined;
  if (fn === 'Fn::Sub') known = arg?.kind === 'seq' ? scalarValue(arg.items[0]) : scalarValue(arg);
  if (fn === 'Fn::Join' && arg?.kind === 'seq') {
    const parts = arg.items[1];
    const last = parts?.kind === 'seq' ? scalarValue(parts.items[parts.items.length - 1]) : undefined;
    // The joined string ends with its last part.
    if (last?.endsWith(AWS_MANAGED_ALIAS)) known = AWS_MANAGED_ALIAS;
  }
  const state = fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue' ? 'reference' : 'expression';
  return known === undefined ? { state, source, raw } : { state, source, text: known, raw };
}

/** SSEEnabled as written. */
function enabledSetting(text: string, node: CNode | null | undefined, defaults?: Defaults): Setting {
  if (node === undefined) return ABSENT;
  const source = snippet(text, node);
  const param = parameterDefault(node, defaults);
  if (param) {
    const d = enabledSetting(text, param.value);
    if (d.bool !== undefined) return { ...d, source, raw: rawOf(node), via: viaParameter(param.name, param.value) };
  }
  const p = placeholderIn(scalarString(node) ?? '');
  if (p !== undefined) return { state: 'unreadable', source: placeholderSetting('SSEEnabled', p), raw: rawOf(node) };
  const b = boolOf(node);
  return {
    state: node?.kind === 'scalar' && !node.tag ? 'literal' : 'expression',
    source,
    bool: b === 'unknown' ? undefined : b,
    raw: rawOf(node),
  };
}

/** SSEType as written: only an intrinsic function matters to the rule (KMS is its one value). */
function sseTypeSetting(text: string, node: CNode | null | undefined, defaults?: Defaults): Setting {
  if (node === undefined) return ABSENT;
  const param = parameterDefault(node, defaults);
  if (param && scalarString(param.value) === 'KMS')
    return { state: 'literal', source: snippet(text, node), raw: rawOf(node), via: viaParameter(param.name, param.value) };
  const p = placeholderIn(scalarString(node) ?? '');
  if (p !== undefined) return { state: 'unreadable', source: placeholderSetting('SSEType', p), raw: rawOf(node) };
  return { state: intrinsicName(node) ? 'expression' : 'literal', source: snippet(text, node), raw: rawOf(node) };
}

/** The table's (or global table's) SSESpecification; a table's Properties first. */
function settingsOf(text: string, props: CNode | null | undefined, global: boolean, defaults?: Defaults): Settings {
  if (!global && props && intrinsicName(props))
    return { model: 'unreadable', container: { state: 'expression', source: snippet(text, props) } };
  const sse = child(props, 'SSESpecification');
  if (sse === undefined || sse === null || (sse.kind === 'scalar' && sse.value === null)) {
    // A null node (an alias that cannot be resolved): peers see a block they cannot read.
    return sse === null ? { model: 'sse', block: ABSENT, peerBlock: 'unresolved' } : { model: 'sse', block: ABSENT };
  }
  if (intrinsicName(sse) || sse.kind !== 'map') return { model: 'sse', block: { state: 'expression', source: snippet(text, sse) } };
  const settings: Settings = {
    model: 'sse',
    block: { state: 'literal', source: '' },
    enabled: enabledSetting(text, child(sse, 'SSEEnabled'), defaults),
    sseType: sseTypeSetting(text, child(sse, 'SSEType'), defaults),
  };
  // A global table's keys are its replicas'.
  if (!global) settings.key = keySetting(text, child(sse, 'KMSMasterKeyId'), defaults);
  return settings;
}

function isLocalRegion(node: CNode | null | undefined): boolean {
  const fn = intrinsicName(node);
  if (fn === 'Ref') return referencedIds(node)[0] === 'AWS::Region';
  if (fn === 'Fn::Sub' && node) return scalarValue(intrinsicArg(node)) === '${AWS::Region}';
  return false;
}

/** A global table's replicas (each with its own key); a fix sets the key of the one in the stack's own Region. */
function replicasOf(text: string, props: CNode | null | undefined): Replicas {
  const node = child(props, 'Replicas');
  if (node?.kind !== 'seq' || node.items.some((r) => r.kind !== 'map')) {
    return {
      keys: 'own',
      list: node === undefined ? ABSENT : { state: 'expression', source: snippet(text, node) },
      items: [],
      fix: 'local',
    };
  }
  const items = (node.items as CMap[]).map((r): Replica => {
    const region = child(r, 'Region');
    return {
      source: '', // each replica is a mapping: never worded
      readable: true,
      region: { source: snippet(text, region), local: isLocalRegion(region) },
      key: keySetting(text, child(child(r, 'SSESpecification'), 'KMSMasterKeyId')),
    };
  });
  return { keys: 'own', list: { state: 'literal', source: '' }, items, fix: 'local' };
}

/** Logical IDs the table's key references point at (a global table's: its replicas'), for verification. */
function keyRefsOf(props: CNode | null | undefined, global: boolean): string[] {
  if (!global) return referencedIds(child(child(props, 'SSESpecification'), 'KMSMasterKeyId'));
  const replicas = child(props, 'Replicas');
  if (replicas?.kind !== 'seq' || replicas.items.some((r) => r.kind !== 'map')) return [];
  return replicas.items.flatMap((r) => referencedIds(child(child(r, 'SSESpecification'), 'KMSMasterKeyId')));
}

/** The parameters whose defaults decided (Setting.via, as viaParameter words it). */
function parametersOf(via: string[]): string[] {
  return [...new Set(via.map((v) => /^parameter (\S+)'s/.exec(v)![1]))];
}

// ---------------------------------------------------------------- suppressions

function seqHasId(node: CNode | null | undefined, id: string): CMap | undefined {
  if (node?.kind !== 'seq') return undefined;
  return node.items.find((i): i is CMap => i.kind === 'map' && scalarString(child(i, 'id')) === id);
}

export function suppressionsOf(text: string, resourcePair: CPair, resource: CMap): Suppression[] {
  const found: Suppression[] = [];
  const md = child(resource, 'Metadata');
  const checkov = seqHasId(child(child(md, 'checkov'), 'skip'), 'CKV_AWS_119');
  if (checkov)
    found.push({ tool: 'checkov', text: withReason('Metadata.checkov.skip CKV_AWS_119', scalarString(child(checkov, 'comment'))) });
  const nag = seqHasId(child(child(md, 'cfn_nag'), 'rules_to_suppress'), 'W74');
  if (nag) found.push({ tool: 'cfn-nag', text: withReason('Metadata.cfn_nag.rules_to_suppress W74', scalarString(child(nag, 'reason'))) });
  const guard = child(child(md, 'guard'), 'SuppressedRules');
  for (const rule of ['DYNAMODB_TABLE_ENCRYPTED_KMS', 'DYNAMODB_TABLE_MUST_BE_ENCRYPTED']) {
    if (guard?.kind === 'seq' && guard.items.some((i) => scalarString(i) === rule)) {
      found.push({ tool: 'cfn-guard', rule, text: `Metadata.guard.SuppressedRules ${rule}` });
    }
  }
  const own = child(md, 'kmsfix');
  if (own && (boolOf(child(own, 'ignore')) === true || scalarString(own) === 'ignore')) {
    found.push({ tool: 'kmsfix', text: withReason('Metadata.kmsfix.ignore', scalarString(child(own, 'reason'))) });
  }
  // Comments (YAML): on the logical ID's line, or in the comment lines just above it.
  const lineEnd = text.indexOf('\n', resourcePair.keyStart);
  const comments = [
    text.slice(resourcePair.keyStart, lineEnd === -1 ? text.length : lineEnd),
    ...commentLinesAbove(text, resourcePair.keyStart),
  ];
  for (const c of comments) {
    const hash = c.indexOf('#');
    if (hash !== -1) found.push(...commentSuppressions(c.slice(hash)));
  }
  return found;
}

function withReason(what: string, reason: string | undefined): string {
  return reason ? `${what} (${reason.trim()})` : what;
}

// ---------------------------------------------------------------- as peer scanners read values

function rawOf(node: CNode | null | undefined): Raw | undefined {
  if (node === undefined) return undefined;
  if (node === null) return null;
  const fn = intrinsicName(node);
  if (fn || node.kind !== 'scalar') return { unresolved: fn ?? node.kind };
  return (node.value as Raw) ?? null;
}

function keyRawOf(node: CNode | null | undefined): Raw | Reference | undefined {
  const fn = intrinsicName(node);
  if (fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue') return { ref: referencedIds(node)[0] ?? fn };
  return rawOf(node);
}

/** How peer scanners tell the table apart. */
function peerKindOf(flavor: Flavor, kind: 'table' | 'global', type: string): TableKind {
  if (kind === 'global') return 'cfn-global-table';
  if (type === 'AWS::Serverless::SimpleTable') return 'sam-simple-table';
  return flavor === 'serverless' ? 'sls-table' : 'cfn-table';
}

// ---------------------------------------------------------------- templates

function templateOf(root: CNode | null, doc: number): CfnTemplate | undefined {
  if (root?.kind !== 'map') return undefined;
  const resources = child(root, 'Resources');
  if (resources?.kind === 'map') {
    const transform = child(root, 'Transform');
    const sam = transform !== undefined && /AWS::Serverless/.test(JSON.stringify(transform && toPlain(transform)));
    const typed = resources.pairs.some((p) => /^(AWS|Custom|Alexa)::/.test(scalarString(child(p.value, 'Type')) ?? ''));
    if (pair(root, 'AWSTemplateFormatVersion') || sam || typed)
      return { flavor: sam ? 'sam' : 'cloudformation', root, resources, resourcesPath: ['Resources'], doc };
  }
  const sls = child(child(root, 'resources'), 'Resources');
  if (sls?.kind === 'map') return { flavor: 'serverless', root, resources: sls, resourcesPath: ['resources', 'Resources'], doc };
  return undefined;
}

function toPlain(node: CNode | null): unknown {
  node = resolveAlias(node);
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  if (node.kind === 'map') return Object.fromEntries(node.pairs.map((p) => [p.key, toPlain(p.value)]));
  return null;
}

/** The documents; a file that does not parse is reported at the template placeholder that broke it, if any (src/core/placeholders.ts). */
function parsed(text: string, json: boolean) {
  try {
    return json ? parseJson(text) : parseYaml(text, true);
  } catch (err) {
    throw err instanceof ParseError ? placeholderError(text, err) : err;
  }
}

export function detectCloudFormation(file: SourceFile): CfnDetection {
  const json = looksLikeJson(file.path, file.text);
  const docs = parsed(file.text, json);
  const lines = new LineIndex(file.text);
  const templates: CfnTemplate[] = [];
  const tables: CfnTable[] = [];
  const duplicates = docs.flatMap((d) => d.duplicates ?? []);
  const error = duplicates.length > 0 ? duplicateKeyError(file.text, lines, duplicates[0]) : undefined;
  docs.forEach((doc, docIndex) => {
    const template = templateOf(doc.root, docIndex);
    if (!template) return;
    templates.push(template);
    if (doc.duplicates && ambiguousPath(template)) return;
    const anchors = doc.aliases ? new AnchorIndex(doc.root) : undefined;
    const replaced = anchors ? replacedSites(template) : undefined;
    const defaults = template.flavor === 'serverless' ? undefined : defaultsOf(template.root);
    for (const rp of template.resources.pairs) {
      const resource = resolveAlias(rp.value);
      if (resource?.kind !== 'map') continue;
      const type = scalarString(child(resource, 'Type'));
      if (!type || !TABLE_TYPES.includes(type)) continue;
      // Duplicate keys: a table whose logical ID repeats, or that holds a repeated key, is not read.
      if (doc.duplicates && ambiguousTable(template, rp, doc.duplicates)) continue;
      const kind = type === 'AWS::DynamoDB::GlobalTable' ? 'global' : 'table';
      const props = child(resource, 'Properties');
      const encryption: EncryptionFacts = {
        peerKind: peerKindOf(template.flavor, kind, type),
        words: WORDS,
        settings: settingsOf(file.text, props, kind === 'global', defaults),
        obstacles: [],
      };
      if (kind === 'global') encryption.replicas = replicasOf(file.text, props);
      // What keeps a fix from being made, looked for only where the rule would fix the table.
      const a = decide(encryption);
      const localReplica = a.replica === undefined ? undefined : ((child(props, 'Replicas') as CSeq).items[a.replica] as CMap);
      const edit = anchors && isFixableStatus(a.status) ? editThrough(anchors, rp, kind, localReplica, replaced!) : undefined;
      const grants = fixWanted(a) ? crossAccountGrants(file.text, template.resources, resource, kind === 'global') : [];
      if (grants.length > 0) encryption.obstacles.push({ kind: 'cross-account-grants', grants });
      if (edit?.obstacle) encryption.obstacles.push(edit.obstacle);
      // A status a parameter's default decides: left to the parameter unless --fix-parameterised.
      const parameters = a.via && isFixableStatus(a.status) ? parametersOf(a.via) : [];
      if (parameters.length > 0) encryption.obstacles.push({ kind: 'parameter', decidedBy: a.via!, inputs: parameters });
      if (error) encryption.obstacles.push({ kind: 'file-error', at: `${error.line}:${error.column}`, message: error.message });
      const idPlaceholder = placeholderIn(rp.key);
      if (idPlaceholder !== undefined)
        encryption.obstacles.push({ kind: 'template-placeholder', where: 'logical ID', placeholder: idPlaceholder });
      const pos = lines.position(rp.keyStart);
      tables.push({
        line: pos.line,
        column: pos.column,
        format: template.flavor,
        type,
        address: rp.key,
        encryption,
        suppressions: suppressionsOf(file.text, rp, resource),
        template,
        resourcePair: rp,
        resource,
        kind,
        keyRefs: keyRefsOf(props, kind === 'global'),
        localReplica,
        shared: edit?.shared ?? [],
      });
    }
  });
  const detection: CfnDetection = {
    tables,
    templates,
    json,
    roots: docs.map((d) => d.root),
    aliases: docs.some((d) => d.aliases),
    text: file.text,
  };
  if (error) detection.error = error;
  return detection;
}

// ---------------------------------------------------------------- YAML duplicate keys

/**
 * A file with duplicate keys is an error (at the first repeated key), and its tables that do not
 * depend on a repeated key are still reported (never fixed: the engine writes no file in error).
 */
function duplicateKeyError(text: string, lines: LineIndex, offset: number): ParseError {
  const key = /^[^:\r\n]*/.exec(text.slice(offset))![0].trim();
  const pos = lines.position(offset);
  return new ParseError(
    `YAML: Map keys must be unique: ${key} repeats a key of its mapping (the tables read without it are reported; the file is not fixed)`,
    pos.line,
    pos.column,
  );
}

/** A key on the way to the resources (Resources, resources) is repeated: which tables the template means is not known. */
function ambiguousPath(template: CfnTemplate): boolean {
  let map: CNode | null | undefined = template.root;
  for (const key of template.resourcesPath) {
    if (map?.kind !== 'map' || map.pairs.filter((p) => p.key === key).length > 1) return true;
    map = child(map, key);
  }
  return false;
}

function ambiguousTable(template: CfnTemplate, rp: CPair, duplicates: number[]): boolean {
  if (template.resources.pairs.filter((p) => p.key === rp.key).length > 1) return true;
  const end = rp.value?.end ?? rp.keyEnd;
  return duplicates.some((d) => d >= rp.keyStart && d < end);
}

// ---------------------------------------------------------------- YAML anchors on the way to the settings

const SSE_PATH = { properties: 'Properties', sse: 'SSESpecification' };

/**
 * Aliases that a fix replaces rather than follows: a table's own `Properties: *x` or
 * `SSESpecification: *x` (the table then gets a mapping of its own). An anchored node aliased only
 * there can be edited for the table that holds it, when those tables are fixed too.
 */
function replacedSites(template: CfnTemplate): Set<CNode> {
  const sites = new Set<CNode>();
  for (const rp of template.resources.pairs) {
    const r = rp.value;
    if (r?.kind !== 'map' || !['AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable'].includes(scalarString(child(r, 'Type')) ?? ''))
      continue;
    const props = ownPair(r, 'Properties')?.value;
    if (props?.kind === 'alias') sites.add(props);
    const sse = props?.kind === 'map' ? ownPair(props, 'SSESpecification')?.value : undefined;
    if (sse?.kind === 'alias') sites.add(sse);
  }
  return sites;
}

/** How a fix would edit the table's settings through YAML anchors, aliases and merge keys. */
function editThrough(anchors: AnchorIndex, rp: CPair, kind: 'table' | 'global', replica: CMap | undefined, replaced: Set<CNode>): SseEdit {
  if (kind === 'table') return sseEdit(anchors, rp, SSE_PATH, (site: AliasSite) => replaced.has(site.alias));
  // A global table's settings are in two places (the table's and its replica's); either may go
  // through an alias or an anchor: left to the user.
  const top = sseEdit(anchors, rp, SSE_PATH, () => false);
  if (top.obstacle) return top;
  const props = ownPair(rp.value, 'Properties')?.value;
  const replicas = props?.kind === 'map' ? ownPair(props, 'Replicas')?.value : undefined;
  const inReplicas = replicas?.kind === 'seq' && (!replica || replicas.items.includes(replica));
  const replicaSse = replica ? ownPair(replica, 'SSESpecification') : undefined;
  const touched = replicaSse?.value?.kind === 'map' ? replicaSse.value : replica;
  const shared = touched ? anchors.around(touched) : [];
  if (
    props?.kind !== 'map' ||
    !inReplicas ||
    (replica && pair(replica, 'SSESpecification') && !replicaSse) ||
    replicaSse?.value?.kind === 'alias' ||
    shared.length > 0 ||
    top.shared.length > 0
  ) {
    return { obstacle: { kind: 'yaml-global-table' }, shared: [...top.shared, ...shared] };
  }
  return { shared: [] };
}
