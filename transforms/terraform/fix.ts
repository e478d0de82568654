/**
 * Planning the fix of one Terraform module (a directory): a KMS key (rotation on, the shared key
 * policy as an aws_iam_policy_document) and an alias beside each table, the table pointed at the
 * key, and the data sources the policy needs declared once per module, reusing existing ones.
 */
import { applyEdits } from '../../src/edits.js';
import { KEY_SETTINGS, keyDescription } from '../../src/keyPolicy.js';
import type { Edit, FilePlan, DiskContext, FixOptions, GroupMember, SourceFile } from '../../src/types.js';
import { boolOf, isAwsManagedKeyAttr, type TfDetection, type TfTable } from './detect.js';
import { appendBlock, hclDoc, insertAfter, setAttrs, type HclDoc } from './hcledit.js';
import { attr, blocks, parseHcl, type HBlock } from './parse.js';
import { hclString, policyDocument, renderBlockLines, type RBlock, type RItem } from './render.js';
import { summarize, type TopBlock } from './summary.js';
import { outputProblem } from './hclcheck.js';

type Member = GroupMember<TfDetection>;

/** What the module already declares, and the names taken. */
interface ModuleInfo {
  taken: Set<string>;
  caller?: string;
  partition?: string;
  /** provider alias ('' for the default provider) -> data "aws_region" name. */
  region: Map<string, string>;
  /** provider alias -> data "aws_iam_policy_document" name holding kmsfix's key policy. */
  policy: Map<string, string>;
  /** region (literal value, or expression text) -> provider alias. */
  providerByRegion: Map<string, string>;
}

function providerAlias(value: string | undefined): string {
  if (!value) return '';
  const v = value.replace(/^"|"$/g, '').trim();
  const dot = v.indexOf('.');
  return dot === -1 ? '' : v.slice(dot + 1);
}

function regionKey(a: { value: string; lit?: { type: string; value?: unknown } } | undefined): string | undefined {
  if (!a) return undefined;
  if (a.lit?.type === 'string') return 'lit:' + String(a.lit.value);
  if (a.lit) return undefined;
  return 'expr:' + a.value.trim();
}

function moduleInfo(tops: TopBlock[]): ModuleInfo {
  const info: ModuleInfo = { taken: new Set(), region: new Map(), policy: new Map(), providerByRegion: new Map() };
  for (const t of tops) {
    if (t.type === 'resource' && t.labels.length === 2) info.taken.add(`${t.labels[0]}.${t.labels[1]}`);
    if (t.type === 'data' && t.labels.length === 2) {
      info.taken.add(`data.${t.labels[0]}.${t.labels[1]}`);
      if (t.attr('count') || t.attr('for_each')) continue;
      const [kind, name] = t.labels;
      const alias = providerAlias(t.attr('provider')?.value);
      if (kind === 'aws_caller_identity' && !alias) info.caller ??= name;
      else if (kind === 'aws_partition' && !alias) info.partition ??= name;
      else if (kind === 'aws_region' && !t.attr('region') && !t.attr('name') && !info.region.has(alias)) info.region.set(alias, name);
    }
    if (t.type === 'provider' && t.labels[0] === 'aws') {
      const alias = t.attr('alias')?.lit;
      const key = regionKey(t.attr('region'));
      if (alias?.type === 'string' && key && !info.providerByRegion.has(key)) info.providerByRegion.set(key, alias.value);
    }
  }
  // kmsfix's own policy documents, from an earlier run.
  for (const t of tops) {
    if (t.type !== 'data' || t.labels[0] !== 'aws_iam_policy_document' || !t.text.includes('AllowUseOnlyThroughDynamoDB')) continue;
    const m = /data\.aws_region\.([\w-]+)\./.exec(t.text);
    for (const [alias, name] of info.region) if (m && m[1] === name && !info.policy.has(alias)) info.policy.set(alias, t.labels[1]);
  }
  return info;
}

function unique(info: ModuleInfo, prefix: string, base: string): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
  let name = clean;
  for (let i = 2; info.taken.has(`${prefix}.${name}`); i++) name = `${clean}_${i}`;
  info.taken.add(`${prefix}.${name}`);
  return name;
}

// ---------------------------------------------------------------- targets

interface Replica {
  block: HBlock;
  alias: string;
  region: string;
}

interface Target {
  member: Member;
  table: TfTable;
  /** The provider alias of the table ('' for the default). */
  provider: string;
  repeat?: { attr: 'count' | 'for_each'; value: string; index: string };
  preventDestroy: boolean;
  replicas: Replica[];
  /** A literal table name, for descriptions. */
  displayName: string;
}

function targetOf(member: Member, table: TfTable, info: ModuleInfo): Target | { declined: string } {
  const b = table.block;
  const count = attr(b, 'count');
  const forEach = attr(b, 'for_each');
  const repeat = count
    ? { attr: 'count' as const, value: count.value, index: '[count.index]' }
    : forEach
      ? { attr: 'for_each' as const, value: forEach.value, index: '[each.key]' }
      : undefined;
  const lifecycle = blocks(b, 'lifecycle')[0];
  const preventDestroy = boolOf(attr(lifecycle, 'prevent_destroy')) === true;
  const nameAttr = attr(b, 'name');
  const literalName = nameAttr?.lit?.type === 'string' && !nameAttr.lit.value.includes('${') ? nameAttr.lit.value : undefined;
  const displayName = table.kind === 'table-replica' ? `${table.label} (replica)` : (literalName ?? table.label);
  const replicas: Replica[] = [];
  if (table.kind === 'table') {
    for (const r of blocks(b, 'replica')) {
      if (!isAwsManagedKeyAttr(attr(r, 'kms_key_arn'))) continue;
      const regionAttr = attr(r, 'region_name');
      const key = regionKey(regionAttr);
      const alias = key ? info.providerByRegion.get(key) : undefined;
      const region = regionAttr?.value ?? '(no region_name)';
      if (!alias) {
        const lit = regionAttr?.lit?.type === 'string' ? regionAttr.lit.value : undefined;
        const suggested = lit ? lit.replace(/-/g, '_') : 'replica';
        return {
          declined:
            `no provider "aws" configuration with an alias for replica region ${region} in this module: ` +
            `add \`provider "aws" { alias = "${suggested}"  region = ${region} }\` so kmsfix can create the replica's key in that region`,
        };
      }
      replicas.push({ block: r, alias, region });
    }
  }
  return { member, table, provider: providerAlias(attr(b, 'provider')?.value), repeat, preventDestroy, replicas, displayName };
}

// ---------------------------------------------------------------- declarations

class Decls {
  private docs: RBlock[] = [];
  private sources: RBlock[] = [];
  constructor(private readonly info: ModuleInfo) {}

  private data(kind: string, base: string, body: RItem[]): string {
    const name = unique(this.info, `data.${kind}`, base);
    this.sources.push({ type: 'data', labels: [kind, name], body });
    return name;
  }

  /** What to declare: policy documents first, then the data sources they read. */
  get needed(): RBlock[] {
    return [...this.docs, ...this.sources];
  }

  caller(): string {
    return (this.info.caller ??= this.data('aws_caller_identity', 'current', []));
  }

  partition(): string {
    return (this.info.partition ??= this.data('aws_partition', 'current', []));
  }

  region(alias: string): string {
    let name = this.info.region.get(alias);
    if (!name) {
      name = alias ? this.data('aws_region', alias, [{ attr: 'provider', value: `aws.${alias}` }]) : this.data('aws_region', 'current', []);
      this.info.region.set(alias, name);
    }
    return name;
  }

  /** The key policy document for keys created through this provider. */
  policy(alias: string): string {
    let name = this.info.policy.get(alias);
    if (!name) {
      const account = `data.aws_caller_identity.${this.caller()}.account_id`;
      const exprs = {
        account,
        partition: `data.aws_partition.${this.partition()}.partition`,
        region: `data.aws_region.${this.region(alias)}.name`,
      };
      name = unique(this.info, 'data.aws_iam_policy_document', alias ? `dynamodb_kms_${alias}` : 'dynamodb_kms');
      this.docs.push(policyDocument(name, exprs));
      this.info.policy.set(alias, name);
    }
    return name;
  }
}

// ---------------------------------------------------------------- keys

interface KeyPlan {
  name: string;
  blocks: RBlock[];
  /** Reference to the key ARN, from the table's own block (indexed for count/for_each). */
  arn: string;
  /** Replica key ARN reference per replica block. */
  replicaArn: Map<HBlock, string>;
}

function meta(t: { provider: string; repeat?: Target['repeat'] }, withRepeat: boolean): RItem[] {
  const items: RItem[] = [];
  if (withRepeat && t.repeat) items.push({ attr: t.repeat.attr, value: t.repeat.value });
  if (t.provider) items.push({ attr: 'provider', value: `aws.${t.provider}` });
  if (items.length) items.push({ blank: true });
  return items;
}

function tableRef(t: Target, index: string): string {
  if (t.table.kind === 'module') return `module.${t.table.label}${index}.dynamodb_table_id`;
  if (t.table.kind === 'table-replica') return `replace(aws_dynamodb_table_replica.${t.table.label}${index}.id, ":", "-")`;
  return `aws_dynamodb_table.${t.table.label}${index}.name`;
}

function planKey(targets: Target[], decls: Decls, info: ModuleInfo, shared: boolean): KeyPlan {
  const first = targets[0];
  const perTable = !shared;
  const repeat = perTable ? first.repeat : undefined;
  const index = repeat?.index ?? '';
  const name = unique(info, 'aws_kms_key', perTable ? first.table.label + (first.table.kind === 'table-replica' ? '_replica' : '') : first.provider ? `dynamodb_${first.provider}` : 'dynamodb');
  const aliasName = unique(info, 'aws_kms_alias', name);
  const replicaAliases = [...new Set(targets.flatMap((t) => t.replicas.map((r) => r.alias)))];
  const description = keyDescription(targets.map((t) => t.displayName));
  const base = { provider: first.provider, repeat };
  const keyBody: RItem[] = [
    ...meta(base, true),
    { attr: 'description', value: hclString(description) },
    { attr: 'enable_key_rotation', value: String(KEY_SETTINGS.enableKeyRotation) },
    { attr: 'deletion_window_in_days', value: String(KEY_SETTINGS.pendingWindowInDays) },
    ...(replicaAliases.length ? [{ attr: 'multi_region', value: 'true' }] : []),
    { attr: 'policy', value: `data.aws_iam_policy_document.${decls.policy(first.provider)}.json` },
  ];
  if (targets.some((t) => t.preventDestroy)) {
    keyBody.push({ blank: true }, { block: { type: 'lifecycle', labels: [], body: [{ attr: 'prevent_destroy', value: 'true' }] } });
  }
  const out: RBlock[] = [{ type: 'resource', labels: ['aws_kms_key', name], body: keyBody }];
  // The alias: named after the table (unique per account and region), or the module for a shared key.
  const named = perTable ? first : targets.find((t) => !t.repeat);
  const aliasValue = named
    ? `"alias/dynamodb/\${${tableRef(named, index)}}${perTable ? '' : '-shared'}"`
    : hclString(`alias/dynamodb/${first.displayName.replace(/[^A-Za-z0-9/_-]/g, '-')}-shared`);
  out.push({
    type: 'resource',
    labels: ['aws_kms_alias', aliasName],
    body: [...meta({ provider: first.provider, repeat }, true), { attr: 'name', value: aliasValue }, { attr: 'target_key_id', value: `aws_kms_key.${name}${index}.key_id` }],
  });
  const replicaArn = new Map<HBlock, string>();
  const replicaNames = new Map<string, string>();
  for (const alias of replicaAliases) {
    const rname = unique(info, 'aws_kms_replica_key', `${name}_${alias}`);
    replicaNames.set(alias, rname);
    out.push({
      type: 'resource',
      labels: ['aws_kms_replica_key', rname],
      body: [
        ...meta({ provider: alias, repeat }, true),
        { attr: 'description', value: hclString(`${description} (replica)`) },
        { attr: 'primary_key_arn', value: `aws_kms_key.${name}${index}.arn` },
        { attr: 'deletion_window_in_days', value: String(KEY_SETTINGS.pendingWindowInDays) },
        { attr: 'policy', value: `data.aws_iam_policy_document.${decls.policy(alias)}.json` },
      ],
    });
  }
  for (const t of targets) for (const r of t.replicas) replicaArn.set(r.block, `aws_kms_replica_key.${replicaNames.get(r.alias)}${index}.arn`);
  return { name, blocks: out, arn: `aws_kms_key.${name}${index}.arn`, replicaArn };
}

// ---------------------------------------------------------------- table edits

const always = () => true;

function pointTable(doc: HclDoc, t: Target, arn: string, replicaArn: Map<HBlock, string>): void {
  const b = t.table.block;
  if (t.table.kind === 'module') {
    setAttrs(doc, b, [
      { name: 'server_side_encryption_enabled', value: 'true', replace: (a) => boolOf(a) !== true || a.value !== 'true' },
      { name: 'server_side_encryption_kms_key_arn', value: arn, replace: always },
    ], 'separate');
    return;
  }
  if (t.table.kind === 'table-replica') {
    setAttrs(doc, b, [{ name: 'kms_key_arn', value: arn, replace: always }]);
    return;
  }
  const sse = blocks(b, 'server_side_encryption')[0];
  if (sse) {
    setAttrs(doc, sse, [
      { name: 'enabled', value: 'true', replace: (a) => a.value !== 'true' },
      { name: 'kms_key_arn', value: arn, replace: always },
    ]);
  } else {
    appendBlock(doc, b, {
      type: 'server_side_encryption',
      labels: [],
      body: [
        { attr: 'enabled', value: 'true' },
        { attr: 'kms_key_arn', value: arn },
      ],
    });
  }
  for (const r of t.replicas) setAttrs(doc, r.block, [{ name: 'kms_key_arn', value: replicaArn.get(r.block)!, replace: always }]);
}

/** --kms-key-arn: an ARN or alias becomes a string, anything else is taken as a Terraform expression. */
export function keyArnValue(v: string): string {
  const s = v.trim();
  if (/^(arn:|alias\/)/.test(s) || /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(s) || /^mrk-/.test(s)) return hclString(s);
  return s;
}

// ---------------------------------------------------------------- writers

/** Where a file's edits are planned: HCL text edits, or JSON modifications. */
interface Writer {
  point(t: Target, arn: string, replicaArn: Map<HBlock, string>): void;
  addAfter(t: Target, blocks: RBlock[]): void;
  edits(): Edit[];
}

function hclWriter(doc: HclDoc): Writer {
  return {
    point: (t, arn, replicaArn) => pointTable(doc, t, arn, replicaArn),
    addAfter: (t, bs) => insertAfter(doc, t.table.block, bs),
    edits: () => doc.edits,
  };
}

async function jsonWriter(m: Member): Promise<Writer> {
  const { JsonDoc, jsonOfHcl } = await import('./json.js');
  const doc = new JsonDoc(m.file.text, m.detection.json!);
  const pathOf = (b: HBlock) => (b as import('./json.js').JBlock).jsonPath;
  return {
    point(t, arn, replicaArn) {
      const b = t.table.block;
      const v = jsonOfHcl(arn);
      if (t.table.kind === 'module') {
        if (attr(b, 'server_side_encryption_enabled')?.value !== 'true') doc.set([...pathOf(b), 'server_side_encryption_enabled'], true);
        doc.set([...pathOf(b), 'server_side_encryption_kms_key_arn'], v);
      } else if (t.table.kind === 'table-replica') {
        doc.set([...pathOf(b), 'kms_key_arn'], v);
      } else {
        const sse = blocks(b, 'server_side_encryption')[0];
        if (sse) {
          if (attr(sse, 'enabled')?.value !== 'true') doc.set([...pathOf(sse), 'enabled'], true);
          doc.set([...pathOf(sse), 'kms_key_arn'], v);
        } else {
          doc.set([...pathOf(b), 'server_side_encryption'], { enabled: true, kms_key_arn: v });
        }
        for (const r of t.replicas) doc.set([...pathOf(r.block), 'kms_key_arn'], jsonOfHcl(replicaArn.get(r.block)!));
      }
    },
    addAfter: (_t, bs) => bs.forEach((x) => doc.addBlock(x)),
    edits: () => doc.edits(),
  };
}

// ---------------------------------------------------------------- the group

export async function fixTerraform(group: Member[], options: FixOptions, context: DiskContext): Promise<Map<string, FilePlan>> {
  const plans = new Map<string, FilePlan>();
  const tops = [...group.flatMap((m) => summarize(m.detection, m.file.text)), ...(await siblingBlocks(await context.siblings()))];
  const info = moduleInfo(tops);
  const decls = new Decls(info);
  const writers = new Map<string, Writer>();
  for (const m of group) {
    plans.set(m.file.path, { edits: [], fixed: [], declined: [] });
    if (m.targets.length === 0) continue;
    if (m.detection.hcl) writers.set(m.file.path, hclWriter(hclDoc(m.file.text, m.detection.hcl)));
    else if (m.detection.json) writers.set(m.file.path, await jsonWriter(m));
  }

  const targets: Target[] = [];
  for (const m of group) {
    for (const address of m.targets) {
      const table = m.detection.tables.find((t) => t.address === address)!;
      const t = targetOf(m, table, info);
      if ('declined' in t) plans.get(m.file.path)!.declined!.push({ address, reason: t.declined });
      else if (options.kmsKeyArn && t.replicas.length > 0) {
        plans.get(m.file.path)!.declined!.push({
          address,
          reason: '--kms-key-arn names one key in one region, and this table has replicas in other regions: give each replica region a key',
        });
      } else targets.push(t);
    }
  }

  let declsAfter: Target | undefined;
  const after: [Target, RBlock[]][] = [];
  const writer = (t: Target) => writers.get(t.member.file.path)!;
  const fixTarget = (t: Target, arn: string, replicaArn: Map<HBlock, string>) => {
    writer(t).point(t, arn, replicaArn);
    plans.get(t.member.file.path)!.fixed.push(t.table.address);
    declsAfter ??= t;
  };
  if (options.kmsKeyArn) {
    for (const t of targets) fixTarget(t, keyArnValue(options.kmsKeyArn), new Map());
  } else if (options.keyStrategy === 'shared') {
    const byProvider = new Map<string, Target[]>();
    for (const t of targets) byProvider.set(t.provider, [...(byProvider.get(t.provider) ?? []), t]);
    for (const ts of byProvider.values()) {
      const key = planKey(ts, decls, info, true);
      for (const t of ts) fixTarget(t, `aws_kms_key.${key.name}.arn`, key.replicaArn);
      after.push([ts[0], key.blocks]);
    }
  } else {
    for (const t of targets) {
      const key = planKey([t], decls, info, false);
      fixTarget(t, key.arn, key.replicaArn);
      after.push([t, key.blocks]);
    }
  }
  for (const [t, bs] of after) writer(t).addAfter(t, bs);
  if (declsAfter && decls.needed.length > 0) writer(declsAfter).addAfter(declsAfter, decls.needed);

  for (const [p, w] of writers) plans.get(p)!.edits.push(...w.edits());
  await checkParses(group, plans);
  return plans;
}

/**
 * The module's other files: those the engine did not pass because they hold no table (the
 * prefilter skipped them) still declare names, data sources and providers. The engine reads them
 * (DiskContext.siblings); files that cannot be parsed are left out.
 */
async function siblingBlocks(files: SourceFile[]): Promise<TopBlock[]> {
  const out: TopBlock[] = [];
  for (const { path: name, text } of files) {
    try {
      const detection: TfDetection = name.toLowerCase().endsWith('.json')
        ? { tables: [], json: (await import('./json.js')).jsonModel(text) }
        : { tables: [], hcl: await parseHcl(text) };
      out.push(...summarize(detection, text));
    } catch {
      /* unparsable: it is not ours to report */
    }
  }
  return out;
}

/** Every output must parse with HashiCorp's own parser before anything is written (hclcheck.ts). */
async function checkParses(group: Member[], plans: Map<string, FilePlan>): Promise<void> {
  for (const m of group) {
    const plan = plans.get(m.file.path)!;
    if (plan.edits.length === 0) continue;
    const out = applyEdits(m.file.text, plan.edits as Edit[]);
    const problem = await outputProblem(m.file.path, out, plan.edits as Edit[]);
    if (problem) throw new Error(`the fixed ${m.file.path} does not parse with HashiCorp's parser: ${problem}`);
  }
}

export { renderBlockLines };
