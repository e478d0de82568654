/**
 * Pulumi YAML programs: `resources:` of `type: aws:dynamodb:Table`, with `serverSideEncryption` as in
 * the Terraform provider. Reads the YAML tree shared with CloudFormation (../yaml/tree.ts; aliases
 * and merge keys resolved for reading).
 */
import type { SseFacts } from '../../rule/peers/facts.js';
import { EXPLAIN, isAwsManagedKeyRef, type Status } from '../../rule/status.js';
import { commentSuppressions } from '../../core/suppressions.js';
import { LineIndex, commentLinesAbove } from '../../core/text.js';
import type { DetectedTable, Detection, SourceFile } from '../../core/types.js';
import { AnchorIndex, sseEdit, type SseEdit } from '../yaml/anchors.js';
import { checkPlaceholders } from '../yaml/placeholders.js';
import { boolOf, snippet } from '../yaml/scalars.js';
import { child, ownPair, parseYaml, resolveAlias, scalarString, type CMap, type CNode, type CPair } from '../yaml/tree.js';

export const TABLE_TYPE = 'aws:dynamodb:Table';
export const SSE_PATH = { properties: 'properties', sse: 'serverSideEncryption' };

export interface Program {
  root: CMap;
  resources: CMap;
  doc: number;
}

export interface PulumiTable extends DetectedTable {
  program: Program;
  pair: CPair;
  resource: CMap;
  /** Anchored nodes (aliased elsewhere) that fixing this table edits. */
  shared: SseEdit['shared'];
}

export interface PulumiDetection extends Detection {
  tables: PulumiTable[];
  programs: Program[];
  roots: (CNode | null)[];
  aliases: boolean;
  /** The text the roots were parsed from. */
  text: string;
}

function isYamlProgram(root: CNode | null): root is CMap {
  if (root?.kind !== 'map') return false;
  const runtime = child(root, 'runtime');
  return scalarString(runtime) === 'yaml' || scalarString(child(runtime, 'name')) === 'yaml';
}

function verdict(text: string, props: CNode | null | undefined): { status: Status; message: string; facts: SseFacts } {
  const sse = child(props, SSE_PATH.sse);
  if (sse === undefined || sse === null || (sse.kind === 'scalar' && sse.value === null)) {
    return {
      status: 'aws-owned',
      message: `No serverSideEncryption: ${EXPLAIN.awsOwned}`,
      facts: { kind: 'pulumi-yaml-table', block: 'missing' },
    };
  }
  if (sse.kind !== 'map') {
    return {
      status: 'unknown',
      message: `serverSideEncryption is ${snippet(text, sse)}: ${EXPLAIN.unknown}`,
      facts: { kind: 'pulumi-yaml-table', block: 'unresolved' },
    };
  }
  const enabledNode = child(sse, 'enabled');
  const keyNode = child(sse, 'kmsKeyArn');
  const enabled = boolOf(enabledNode);
  const facts: SseFacts = {
    kind: 'pulumi-yaml-table',
    block: 'present',
    enabled: enabledNode === undefined ? undefined : enabled === 'unknown' ? { unresolved: snippet(text, enabledNode) } : enabled,
    key: keyNode === undefined ? undefined : (scalarString(keyNode) ?? { unresolved: snippet(text, keyNode) }),
  };
  if (enabledNode === undefined || enabled === false) {
    return { status: 'aws-owned', message: `serverSideEncryption is not enabled: ${EXPLAIN.awsOwned}`, facts };
  }
  if (enabled === 'unknown') return { status: 'unknown', message: `enabled is ${snippet(text, enabledNode)}: ${EXPLAIN.unknown}`, facts };
  const key = scalarString(keyNode);
  if (keyNode === undefined || (key !== undefined && isAwsManagedKeyRef(key))) {
    return {
      status: 'aws-managed',
      message: `${keyNode ? `kmsKeyArn is ${snippet(text, keyNode)}` : 'SSE is enabled with no kmsKeyArn'}: ${EXPLAIN.awsManaged}`,
      facts,
    };
  }
  return { status: 'customer-managed', message: `Encrypted with customer-managed key ${snippet(text, keyNode)}`, facts };
}

/** Aliases a fix replaces rather than follows: a table's own `properties: *x` or `serverSideEncryption: *x`. */
function replacedSites(resources: CMap): Set<CNode> {
  const sites = new Set<CNode>();
  for (const p of resources.pairs) {
    if (p.value?.kind !== 'map' || scalarString(child(p.value, 'type')) !== TABLE_TYPE) continue;
    const props = ownPair(p.value, SSE_PATH.properties)?.value;
    if (props?.kind === 'alias') sites.add(props);
    const sse = props?.kind === 'map' ? ownPair(props, SSE_PATH.sse)?.value : undefined;
    if (sse?.kind === 'alias') sites.add(sse);
  }
  return sites;
}

export function detectPulumiYaml(file: SourceFile): PulumiDetection {
  checkPlaceholders(file.text);
  const docs = parseYaml(file.text);
  const lines = new LineIndex(file.text);
  const tables: PulumiTable[] = [];
  const programs: Program[] = [];
  docs.forEach((doc, docIndex) => {
    if (!isYamlProgram(doc.root)) return;
    const resources = child(doc.root, 'resources');
    if (resources?.kind !== 'map') return;
    const program = { root: doc.root, resources, doc: docIndex };
    programs.push(program);
    const anchors = doc.aliases ? new AnchorIndex(doc.root) : undefined;
    const replaced = anchors ? replacedSites(resources) : undefined;
    for (const pair of resources.pairs) {
      const resource = resolveAlias(pair.value);
      if (resource?.kind !== 'map' || scalarString(child(resource, 'type')) !== TABLE_TYPE) continue;
      const v = verdict(file.text, child(resource, SSE_PATH.properties));
      const edit =
        anchors && (v.status === 'aws-owned' || v.status === 'aws-managed')
          ? sseEdit(anchors, pair, SSE_PATH, (site) => replaced!.has(site.alias))
          : undefined;
      const pos = lines.position(pair.keyStart);
      tables.push({
        line: pos.line,
        column: pos.column,
        format: 'pulumi-yaml',
        type: TABLE_TYPE,
        address: pair.key,
        status: v.status,
        message: v.message,
        blocker: edit?.blocker,
        facts: v.facts,
        suppressions: commentLinesAbove(file.text, pair.keyStart).flatMap((c) => commentSuppressions(c)),
        program,
        pair,
        resource,
        shared: edit?.shared ?? [],
      });
    }
  });
  return { tables, programs, roots: docs.map((d) => d.root), aliases: docs.some((d) => d.aliases), text: file.text };
}
