/**
 * Finding DynamoDB tables in Terraform (HCL): `aws_dynamodb_table`, `aws_dynamodb_table_replica`
 * and calls of the terraform-aws-modules/dynamodb-table module, each with its encryption status.
 */
import { EXPLAIN, isAwsManagedKeyRef, type Status } from '../../rule/status.js';
import { LineIndex } from '../../core/text.js';
import type { DetectedTable, Detection, DiskContext, SourceFile } from '../../core/types.js';
import type { JsonModel } from './tfjson.js';
import { attr, blocks, dynamicBlocks, parseHcl, type HAttr, type HBlock, type HFile } from './parse.js';
import type { Raw, Reference, SseFacts } from '../../rule/peers/facts.js';
import { blockComments, suppressionsOf } from './suppress.js';
import { providersByRegion, regionKey } from './module.js';
import { resourcePolicyBlocker } from './resourcePolicy.js';
import { summarize, type TopBlock } from './topBlocks.js';

export type TfKind = 'table' | 'table-replica' | 'module';

export interface TfTable extends DetectedTable {
  kind: TfKind;
  /** The resource or module label. */
  label: string;
  block: HBlock;
  /** The expression the table's key reference is (customer-managed tables). */
  keyRef?: string;
}

export interface TfDetection extends Detection {
  tables: TfTable[];
  /** Set for HCL files. */
  hcl?: HFile;
  /** Set for .tf.json files. */
  json?: JsonModel;
}

export const MODULE_SOURCE = /(^|[/:])terraform-aws-modules\/(dynamodb-table\/aws|terraform-aws-dynamodb-table)(\b|$)/;

interface Verdict {
  status: Status;
  message: string;
  keyRef?: string;
  blocker?: string;
}

/** A literal or an expression, as a bool: undefined when it is decided only at deploy time. */
export function boolOf(a: HAttr | undefined): boolean | 'missing' | undefined {
  if (!a) return 'missing';
  if (a.lit?.type === 'bool') return a.lit.value;
  if (a.lit?.type === 'string' && (a.lit.value === 'true' || a.lit.value === 'false')) return a.lit.value === 'true';
  if (a.lit?.type === 'null') return 'missing';
  return undefined;
}

/** A key reference that means the AWS managed key (absent, null, empty, alias/aws/dynamodb). */
export function isAwsManagedKeyAttr(a: HAttr | undefined): boolean {
  if (!a || a.lit?.type === 'null') return true;
  return a.lit?.type === 'string' && isAwsManagedKeyRef(a.lit.value);
}

export function keyVerdict(where: string, enabled: HAttr | undefined, key: HAttr | undefined): Verdict {
  const on = boolOf(enabled);
  if (on === undefined) {
    return { status: 'unknown', message: `${where}enabled is the expression \`${enabled!.value}\`: ${EXPLAIN.unknown}` };
  }
  if (on !== true) {
    const why = on === 'missing' ? `${where}enabled is not set` : `${where}enabled = false`;
    return { status: 'aws-owned', message: `${why}: ${EXPLAIN.awsOwned}` };
  }
  if (isAwsManagedKeyAttr(key)) {
    const why = key && key.lit?.type === 'string' && key.lit.value.trim() !== '' ? `${key.name} = ${key.value}` : `no ${where}kms_key_arn`;
    return { status: 'aws-managed', message: `${why}: ${EXPLAIN.awsManaged}` };
  }
  return { status: 'customer-managed', message: `encrypted with the customer-managed key ${key!.value}`, keyRef: key!.value };
}

/** A replica block that needs a key of its own (it has no customer-managed key yet), and the provider alias that creates it. */
export interface Replica {
  block: HBlock;
  alias: string;
  /** The region as written (for messages). */
  region: string;
}

/** Does this table have replica blocks that need a key in their region? */
export function needsReplicaKeys(b: HBlock): boolean {
  return blocks(b, 'replica').some((r) => isAwsManagedKeyAttr(attr(r, 'kms_key_arn')));
}

/**
 * The replica keys a table's fix creates: one per replica region, through the module's aliased
 * `provider "aws"` for that region; or, when a region has no such provider, why the table cannot be
 * fixed. Scan (the table's blocker) and fix (the keys it plans) both ask this one function.
 */
export function replicaKeys(b: HBlock, providerByRegion: Map<string, string>): { replicas: Replica[] } | { blocker: string } {
  const replicas: Replica[] = [];
  for (const r of blocks(b, 'replica')) {
    if (!isAwsManagedKeyAttr(attr(r, 'kms_key_arn'))) continue;
    const regionAttr = attr(r, 'region_name');
    const key = regionKey(regionAttr);
    const alias = key ? providerByRegion.get(key) : undefined;
    const region = regionAttr?.value ?? '(no region_name)';
    if (!alias) {
      const lit = regionAttr?.lit?.type === 'string' ? regionAttr.lit.value : undefined;
      const suggested = lit ? lit.replace(/-/g, '_') : 'replica';
      return {
        blocker:
          `no provider "aws" configuration with an alias for replica region ${region} in this module: ` +
          `add \`provider "aws" { alias = "${suggested}"  region = ${region} }\` so kmsfix can create the replica's key in that region`,
      };
    }
    replicas.push({ block: r, alias, region });
  }
  return { replicas };
}

function tableVerdict(b: HBlock): Verdict {
  let v: Verdict;
  if (dynamicBlocks(b, 'server_side_encryption').length > 0) {
    v = { status: 'unknown', message: `server_side_encryption is a dynamic block: ${EXPLAIN.unknown}` };
  } else {
    const sse = blocks(b, 'server_side_encryption')[0];
    if (!sse) v = { status: 'aws-owned', message: `no server_side_encryption block: ${EXPLAIN.awsOwned}` };
    else v = keyVerdict('server_side_encryption.', attr(sse, 'enabled'), attr(sse, 'kms_key_arn'));
  }
  if (v.status !== 'customer-managed' && dynamicBlocks(b, 'replica').length > 0) {
    v.blocker =
      'its replicas come from a dynamic "replica" block: give every replica region a KMS key and set each replica\'s kms_key_arn by hand';
  }
  return v;
}

function replicaVerdict(b: HBlock): Verdict {
  const key = attr(b, 'kms_key_arn');
  if (isAwsManagedKeyAttr(key)) {
    const why = key && key.lit?.type === 'string' && key.lit.value.trim() !== '' ? `kms_key_arn = ${key.value}` : 'no kms_key_arn';
    return { status: 'aws-managed', message: `${why}: ${EXPLAIN.awsManaged}` };
  }
  return { status: 'customer-managed', message: `encrypted with the customer-managed key ${key!.value}`, keyRef: key!.value };
}

function moduleVerdict(b: HBlock): Verdict {
  const v = keyVerdict('', attr(b, 'server_side_encryption_enabled'), attr(b, 'server_side_encryption_kms_key_arn'));
  v.message = v.message
    .replace(/^enabled/, 'server_side_encryption_enabled')
    .replace(/^no kms_key_arn/, 'no server_side_encryption_kms_key_arn');
  const replicas = attr(b, 'replica_regions');
  if (v.status !== 'customer-managed' && replicas && !/^\[\s*\]$/.test(replicas.value) && replicas.lit?.type !== 'null') {
    v.blocker =
      'the module call has replica_regions: give every replica region a KMS key and set kms_key_arn in each replica_regions entry by hand';
  }
  return v;
}

// ---------------------------------------------------------------- facts for peer scanners

export function rawOf(a: { value: string; lit?: HAttr['lit'] } | undefined): Raw | undefined {
  if (!a) return undefined;
  switch (a.lit?.type) {
    case 'bool':
      return a.lit.value;
    case 'string':
      return a.lit.value;
    case 'null':
      return null;
    case 'number':
      return Number(a.lit.value);
  }
  return { unresolved: a.value };
}

export function keyRawOf(a: { value: string; lit?: HAttr['lit'] } | undefined): Raw | Reference | undefined {
  if (a && !a.lit && /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[[^\]]*\])+$/.test(a.value.trim())) return { ref: a.value.trim() };
  return rawOf(a);
}

function factsOf(kind: TfKind, b: HBlock): SseFacts {
  if (kind === 'table-replica') return { kind: 'tf-replica', block: 'present', key: keyRawOf(attr(b, 'kms_key_arn')) };
  if (kind === 'module') {
    // The module's inputs decide the table; the DataDog KICS fork also reads a server_side_encryption block in the call.
    const sse = blocks(b, 'server_side_encryption')[0];
    const enabled = attr(b, 'server_side_encryption_enabled');
    return {
      kind: 'tf-module',
      block: sse || enabled ? 'present' : 'missing',
      enabled: enabled ? rawOf(enabled) : rawOf(attr(sse, 'enabled')),
      key: keyRawOf(attr(b, 'server_side_encryption_kms_key_arn') ?? attr(sse, 'kms_key_arn')),
    };
  }
  if (dynamicBlocks(b, 'server_side_encryption').length > 0) return { kind: 'tf-table', block: 'unresolved' };
  const sse = blocks(b, 'server_side_encryption')[0];
  if (!sse) return { kind: 'tf-table', block: 'missing' };
  return { kind: 'tf-table', block: 'present', enabled: rawOf(attr(sse, 'enabled')), key: keyRawOf(attr(sse, 'kms_key_arn')) };
}

export function moduleSourceMatches(b: HBlock): boolean {
  const src = attr(b, 'source');
  return src?.lit?.type === 'string' && MODULE_SOURCE.test(src.lit.value);
}

export async function detectTerraform(file: SourceFile, context?: DiskContext): Promise<TfDetection> {
  let det: TfDetection;
  if (file.path.toLowerCase().endsWith('.json')) {
    const { jsonModel } = await import('./tfjson.js');
    const json = jsonModel(file.text);
    det = { tables: detectBlocks(file.text, json.blocks, (b) => (b as import('./tfjson.js').JBlock).comments), json };
  } else {
    const hcl = await parseHcl(file.text);
    det = { tables: detectBlocks(file.text, hcl.blocks, (b) => blockComments(file.text, hcl.comments, b)), hcl };
  }
  await moduleBlockers(file, det, context);
  return det;
}

/** The module's other files that may hold what a blocker depends on: provider configurations and resource policies. */
const PROVIDERS_OR_POLICIES = /provider\s*"aws"|"provider"\s*:|aws_dynamodb_resource_policy/;
/** ...and, once the module has a resource policy, the policy documents and locals it may read. */
const POLICY_PARTS = /aws_iam_policy_document|locals/;

/** This file's blocks, and those of the module's other files that blockers read (fix.ts reads them). */
async function moduleTops(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<TopBlock[]> {
  const { siblingBlocks } = await import('./fix.js');
  const own = summarize(det, file.text);
  // The engine reads the module's other files (none in memory, where every file is passed).
  const siblings = context ? await context.siblings() : [];
  const first = await siblingBlocks(siblings, (text) => PROVIDERS_OR_POLICIES.test(text));
  const all = [...own, ...first];
  if (!all.some((t) => t.type === 'resource' && t.labels[0] === 'aws_dynamodb_resource_policy')) return all;
  return [...all, ...(await siblingBlocks(siblings, (text) => POLICY_PARTS.test(text) && !PROVIDERS_OR_POLICIES.test(text)))];
}

/**
 * Blockers that depend on the module, not only on the table's own block: a replica region with no
 * provider alias to create its key through (replicaKeys, which the fix plans with too), and a
 * resource policy that grants other accounts (resourcePolicy.ts). The module's other files are
 * read only for a table that could otherwise be fixed.
 */
async function moduleBlockers(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  const open = det.tables.filter((t) => !t.blocker && (t.status === 'aws-owned' || t.status === 'aws-managed'));
  if (open.length === 0) return;
  let module: Promise<TopBlock[]> | undefined;
  const tops = () => (module ??= moduleTops(file, det, context));
  for (const t of open) {
    if (t.kind === 'table' && needsReplicaKeys(t.block)) {
      const r = replicaKeys(t.block, providersByRegion(await tops()));
      if ('blocker' in r) {
        t.blocker = r.blocker;
        continue;
      }
    }
    const nameAttr = attr(t.block, 'name');
    const name = t.kind === 'table' && nameAttr?.lit?.type === 'string' ? nameAttr.lit.value : undefined;
    t.blocker = resourcePolicyBlocker({ kind: t.kind, label: t.label, name }, await tops());
  }
}

function detectBlocks(text: string, all: HBlock[], commentsOf: (b: HBlock) => string[]): TfTable[] {
  const lines = new LineIndex(text);
  const tables: TfTable[] = [];
  for (const b of all) {
    let kind: TfKind | undefined;
    let type = '';
    let address = '';
    if (
      b.type === 'resource' &&
      b.labels.length === 2 &&
      (b.labels[0] === 'aws_dynamodb_table' || b.labels[0] === 'aws_dynamodb_table_replica')
    ) {
      kind = b.labels[0] === 'aws_dynamodb_table' ? 'table' : 'table-replica';
      type = b.labels[0];
      address = `${b.labels[0]}.${b.labels[1]}`;
    } else if (b.type === 'module' && b.labels.length === 1 && moduleSourceMatches(b)) {
      kind = 'module';
      type = 'module';
      address = `module.${b.labels[0]}`;
    }
    if (!kind) continue;
    const v = kind === 'table' ? tableVerdict(b) : kind === 'table-replica' ? replicaVerdict(b) : moduleVerdict(b);
    const pos = lines.position(b.start);
    tables.push({
      line: pos.line,
      column: pos.column,
      format: 'terraform',
      type,
      address,
      kind,
      label: b.labels[b.labels.length - 1],
      block: b,
      status: v.status,
      message: v.message,
      blocker: v.blocker,
      suppressions: suppressionsOf(commentsOf(b)),
      facts: factsOf(kind, b),
      keyRef: v.keyRef,
    });
  }
  return tables;
}
