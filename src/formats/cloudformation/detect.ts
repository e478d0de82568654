/**
 * Finding DynamoDB tables in CloudFormation, SAM and Serverless templates, and deciding each one's
 * status. Works on the shared node tree, so YAML and JSON behave the same.
 */
import { EXPLAIN, isAwsManagedKeyRef, type Status } from '../../rule/status.js';
import { LineIndex, commentLinesAbove } from '../../core/text.js';
import { commentSuppressions } from '../../core/suppressions.js';
import type { Raw, Reference, SseFacts } from '../../rule/peers/facts.js';
import type { DetectedTable, Detection, SourceFile, Suppression } from '../../core/types.js';
import { AnchorIndex, sseEdit, type AliasSite, type SseEdit } from '../yaml/anchors.js';
import { checkPlaceholders } from '../yaml/placeholders.js';
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

export interface CfnTable extends DetectedTable {
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

/** The status a KMSMasterKeyId value gives a table whose SSE is enabled. */
export function classifyKey(node: CNode | null | undefined): { status: Status; why?: string } {
  if (!node || (node.kind === 'scalar' && (node.value === null || node.value === ''))) return { status: 'aws-managed' };
  const fn = intrinsicName(node);
  if (!fn) {
    const s = scalarString(node);
    if (s === undefined) return { status: 'unknown', why: 'KMSMasterKeyId is not a string' };
    return isAwsManagedKeyRef(s) ? { status: 'aws-managed' } : { status: 'customer-managed' };
  }
  if (fn === 'Fn::If') return { status: 'unknown', why: 'KMSMasterKeyId is chosen by Fn::If' };
  const arg = intrinsicArg(node);
  if (fn === 'Fn::Sub') {
    const tpl = arg?.kind === 'seq' ? scalarValue(arg.items[0]) : scalarValue(arg);
    if (tpl !== undefined && isAwsManagedKeyRef(tpl)) return { status: 'aws-managed' };
  }
  if (fn === 'Fn::Join' && arg?.kind === 'seq') {
    const parts = arg.items[1];
    const last = parts?.kind === 'seq' ? scalarValue(parts.items[parts.items.length - 1]) : undefined;
    if (last?.endsWith('alias/aws/dynamodb')) return { status: 'aws-managed' };
  }
  return { status: 'customer-managed' };
}

// ---------------------------------------------------------------- statuses

interface Verdict {
  status: Status;
  message: string;
  blocker?: string;
}

function enabledVerdict(text: string, sse: CNode | null | undefined, where: string): Verdict | undefined {
  if (sse === undefined || sse === null || (sse.kind === 'scalar' && sse.value === null)) {
    return { status: 'aws-owned', message: `No ${where}SSESpecification: ${EXPLAIN.awsOwned}` };
  }
  const fn = intrinsicName(sse);
  if (fn || sse.kind !== 'map') {
    return { status: 'unknown', message: `${where}SSESpecification is ${snippet(text, sse)}: ${EXPLAIN.unknown}` };
  }
  const enabledNode = child(sse, 'SSEEnabled');
  if (enabledNode === undefined) {
    return { status: 'aws-owned', message: `${where}SSESpecification has no SSEEnabled (false by default): ${EXPLAIN.awsOwned}` };
  }
  const enabled = boolOf(enabledNode);
  if (enabled === 'unknown') {
    return { status: 'unknown', message: `SSEEnabled is ${snippet(text, enabledNode)}: ${EXPLAIN.unknown}` };
  }
  if (!enabled) return { status: 'aws-owned', message: `SSEEnabled is false: ${EXPLAIN.awsOwned}` };
  const typeNode = child(sse, 'SSEType');
  if (typeNode && intrinsicName(typeNode)) {
    return { status: 'unknown', message: `SSEType is ${snippet(text, typeNode)}: ${EXPLAIN.unknown}` };
  }
  return undefined;
}

function keyVerdict(text: string, keyNode: CNode | null | undefined, where = ''): Verdict {
  const k = classifyKey(keyNode);
  if (k.status === 'aws-managed') {
    return keyNode
      ? { status: 'aws-managed', message: `${where}KMSMasterKeyId is ${snippet(text, keyNode)}: ${EXPLAIN.awsManaged}` }
      : { status: 'aws-managed', message: `SSE is enabled with no ${where}KMSMasterKeyId: ${EXPLAIN.awsManaged}` };
  }
  if (k.status === 'unknown') return { status: 'unknown', message: `${k.why} (${snippet(text, keyNode)}): ${EXPLAIN.unknown}` };
  return { status: 'customer-managed', message: `Encrypted with customer-managed key ${snippet(text, keyNode)}` };
}

function tableVerdict(text: string, resource: CMap): Verdict & { keyRefs: string[] } {
  const props = child(resource, 'Properties');
  if (props && intrinsicName(props)) {
    return { status: 'unknown', message: `Properties is ${snippet(text, props)}: ${EXPLAIN.unknown}`, keyRefs: [] };
  }
  const sse = child(props, 'SSESpecification');
  const v = enabledVerdict(text, sse, '');
  if (v) return { ...v, keyRefs: [] };
  const keyNode = child(sse, 'KMSMasterKeyId');
  return { ...keyVerdict(text, keyNode), keyRefs: referencedIds(keyNode) };
}

function isLocalRegion(node: CNode | null | undefined): boolean {
  const fn = intrinsicName(node);
  if (fn === 'Ref') return referencedIds(node)[0] === 'AWS::Region';
  if (fn === 'Fn::Sub' && node) return scalarValue(intrinsicArg(node)) === '${AWS::Region}';
  return false;
}

function globalTableVerdict(text: string, resource: CMap): Verdict & { keyRefs: string[]; localReplica?: CMap } {
  const props = child(resource, 'Properties');
  const sse = child(props, 'SSESpecification');
  const top = enabledVerdict(text, sse, '');
  const replicasNode = child(props, 'Replicas');
  if (replicasNode?.kind !== 'seq' || replicasNode.items.some((r) => r.kind !== 'map')) {
    const v = top ?? { status: 'unknown' as Status, message: `Replicas is ${snippet(text, replicasNode)}: ${EXPLAIN.unknown}` };
    return {
      ...v,
      blocker: v.status === 'unknown' ? undefined : 'Replicas is not a plain list: set each replica key by hand',
      keyRefs: [],
    };
  }
  const needing: { replica: CMap; region: string; local: boolean }[] = [];
  let worst: Verdict | undefined;
  const keyRefs: string[] = [];
  for (const r of replicasNode.items as CMap[]) {
    const keyNode = child(child(r, 'SSESpecification'), 'KMSMasterKeyId');
    const region = child(r, 'Region');
    const rv = keyVerdict(text, keyNode, `replica ${snippet(text, region)} `);
    keyRefs.push(...referencedIds(keyNode));
    if (rv.status === 'unknown') worst = rv;
    else if (rv.status === 'aws-managed') {
      needing.push({ replica: r, region: snippet(text, region) || '(no Region)', local: isLocalRegion(region) });
      if (!worst) worst = rv;
    }
  }
  const verdict: Verdict = top ??
    worst ?? { status: 'customer-managed', message: 'Every replica is encrypted with a customer-managed key' };
  if (verdict.status === 'unknown' || verdict.status === 'customer-managed') return { ...verdict, keyRefs };
  const remote = needing.filter((n) => !n.local);
  if (remote.length > 0 || needing.length > 1) {
    const regions = remote.map((n) => n.region).join(', ');
    return {
      ...verdict,
      keyRefs,
      blocker:
        `a KMS key serves one Region: deploy a customer-managed key (or a multi-Region replica key) in ${regions || 'each replica Region'} ` +
        "and set that replica's SSESpecification.KMSMasterKeyId to its ARN; kmsfix never half-fixes a global table",
    };
  }
  return { ...verdict, keyRefs, localReplica: needing[0]?.replica };
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

// ---------------------------------------------------------------- facts for peer scanners

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

function factsOf(flavor: Flavor, kind: 'table' | 'global', type: string, resource: CMap): SseFacts {
  const sse = child(child(resource, 'Properties'), 'SSESpecification');
  const tableKind =
    kind === 'global'
      ? 'cfn-global-table'
      : type === 'AWS::Serverless::SimpleTable'
        ? 'sam-simple-table'
        : flavor === 'serverless'
          ? 'sls-table'
          : 'cfn-table';
  const block =
    sse === undefined || (sse?.kind === 'scalar' && sse.value === null)
      ? 'missing'
      : sse?.kind === 'map' && !intrinsicName(sse)
        ? 'present'
        : 'unresolved';
  return {
    kind: tableKind,
    block,
    enabled: block === 'present' ? rawOf(child(sse, 'SSEEnabled')) : undefined,
    sseType: block === 'present' ? rawOf(child(sse, 'SSEType')) : undefined,
    key: block === 'present' ? keyRawOf(child(sse, 'KMSMasterKeyId')) : undefined,
  };
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

export function detectCloudFormation(file: SourceFile): CfnDetection {
  const json = looksLikeJson(file.path, file.text);
  checkPlaceholders(file.text);
  const docs = json ? parseJson(file.text) : parseYaml(file.text);
  const lines = new LineIndex(file.text);
  const templates: CfnTemplate[] = [];
  const tables: CfnTable[] = [];
  docs.forEach((doc, docIndex) => {
    const template = templateOf(doc.root, docIndex);
    if (!template) return;
    templates.push(template);
    const anchors = doc.aliases ? new AnchorIndex(doc.root) : undefined;
    const replaced = anchors ? replacedSites(template) : undefined;
    for (const rp of template.resources.pairs) {
      const resource = resolveAlias(rp.value);
      if (resource?.kind !== 'map') continue;
      const type = scalarString(child(resource, 'Type'));
      if (!type || !TABLE_TYPES.includes(type)) continue;
      const kind = type === 'AWS::DynamoDB::GlobalTable' ? 'global' : 'table';
      const v = kind === 'global' ? globalTableVerdict(file.text, resource) : tableVerdict(file.text, resource);
      const fixable = v.status === 'aws-owned' || v.status === 'aws-managed';
      const edit =
        anchors && fixable
          ? editThrough(anchors, rp, kind, 'localReplica' in v ? (v.localReplica as CMap | undefined) : undefined, replaced!)
          : undefined;
      const grants = fixable && !v.blocker ? crossAccountGrants(file.text, template.resources, resource, kind === 'global') : [];
      const suppressions = suppressionsOf(file.text, rp, resource);
      const pos = lines.position(rp.keyStart);
      tables.push({
        line: pos.line,
        column: pos.column,
        format: template.flavor,
        type,
        address: rp.key,
        status: v.status,
        message: v.message,
        blocker: v.blocker ?? (grants.length > 0 ? crossAccountBlocker(grants) : edit?.blocker),
        suppressions,
        facts: factsOf(template.flavor, kind, type, resource),
        template,
        resourcePair: rp,
        resource,
        kind,
        keyRefs: v.keyRefs,
        localReplica: 'localReplica' in v ? (v.localReplica as CMap | undefined) : undefined,
        shared: edit?.shared ?? [],
      });
    }
  });
  return { tables, templates, json, roots: docs.map((d) => d.root), aliases: docs.some((d) => d.aliases), text: file.text };
}

/** The manual step for a table whose resource policy lets other accounts in. */
function crossAccountBlocker(grants: string[]): string {
  const list = grants.length <= 3 ? grants : [...grants.slice(0, 3), `${grants.length - 3} more`];
  const who = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  return (
    `its ResourcePolicy lets in ${who}, which a generated key would lock out of the table (its policy lets only this account use it): ` +
    'give the table a key whose policy also lets them use it through DynamoDB, then set SSESpecification by hand'
  );
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
  if (top.blocker) return top;
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
    return {
      blocker: "its settings go through a YAML alias, anchor or merge key: set SSESpecification and the replica's KMSMasterKeyId by hand",
      shared: [...top.shared, ...shared],
    };
  }
  return { shared: [] };
}
