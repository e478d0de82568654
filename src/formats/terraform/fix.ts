/**
 * Planning the fix of one Terraform module (a directory): a KMS key (rotation on, the shared key
 * policy as an aws_iam_policy_document) and an alias beside each table, the table pointed at the
 * key, and the data sources the policy needs declared once per module, reusing existing ones.
 */
import { serving } from '../../core/edits.js';
import { DEFAULT_KEY_POLICY, KEY_SETTINGS, type KeyPolicyMode } from '../../rule/keyPolicy.js';
import {
  DEFAULT_ALIAS,
  DEFAULT_DELETION_WINDOW,
  aliasParts,
  aliasSafe,
  describeKey,
  freeAliasTemplate,
  type KeySettings,
} from '../../rule/keySettings.js';
import type { DiskContext, Edit, FilePlan, FixOptions, GroupMember } from '../../core/types.js';
import { blockerText } from '../../rule/blockers.js';
import { keyArnKinds, keyArnRegion, keyLiteral, keyRegionMismatch } from '../../rule/keyArn.js';
import { switchAlone, type TfDetection, type TfTable } from './detect.js';
import { WORDS } from './words.js';
import { boolOf } from './settings.js';
import { replicaKeys, tablePlace, type Replica } from './replicaKeys.js';
import { unitCopies } from './generatedFiles.js';
import { informsModule, moduleInfo, unique, type ModuleInfo, type SharedKey } from './module.js';
import { literalRegion, placeKey, placeLabel, placeWords, providerRef, type Placement } from './placement.js';
import { appendBlock, hclDoc, insertAfter, setAttrs, type HclDoc } from './hcledit.js';
import { attr, blocks, type HAttr, type HBlock } from './parse.js';
import { hclString, policyDocument, renderBlockLines, type RBlock, type RItem } from './render.js';
import { siblingBlocks, summarize, type TopBlock } from './topBlocks.js';
import { isObj, readBody } from './hclvalue.js';
import { calledModule } from './callers.js';
import { isRootModule } from './rootModule.js';
import { keyTagsExpression } from './keyTags.js';

type Member = GroupMember<TfDetection>;

// ---------------------------------------------------------------- targets

interface Target {
  member: Member;
  table: TfTable;
  /** Where the table's key goes: its provider and, with hashicorp/aws 6, its own `region` (placement.ts). */
  place: Placement;
  repeat?: { attr: 'count' | 'for_each'; value: string; index: string };
  preventDestroy: boolean;
  replicas: Replica[];
  /** A literal table name, for descriptions. */
  displayName: string;
  /** A repeated table's name in its key's description, as HCL template text (instanceName). */
  instanceName?: string;
}

/** What a table's name may read for a key's description to repeat it: a resource's attribute would make a dependency cycle. */
const DESCRIBABLE_ROOTS = new Set(['var', 'local', 'each', 'count']);

/**
 * What each instance's key description calls a table with `count` / `for_each` (one description per
 * instance, as HCL template text): the name as the table (or the call) writes it, when it reads only
 * var., local., each. and count. (`"shard-${count.index}"` -> `shard-${count.index}`, `each.value.name`
 * -> `${each.value.name}`); else the display name and the instance's key or index (`this[${each.key}]`).
 */
function instanceName(written: string | undefined, displayName: string, index: 'count' | 'for_each'): string {
  const name = written?.trim() ?? '';
  // The first name of each traversal (`each` of each.value.name); a dotted word in a string counts too (then: the key).
  const roots = [...name.matchAll(/(?<![\w.-])([A-Za-z_][\w-]*)\s*\./g)].map((m) => m[1]);
  if (name && !name.includes('\n') && roots.every((r) => DESCRIBABLE_ROOTS.has(r)))
    return /^"(?:[^"\\]|\\.)*"$/.test(name) ? name.slice(1, -1) : `\${${name}}`;
  return `${hclString(displayName).slice(1, -1)}[\${${index === 'count' ? 'count.index' : 'each.key'}}]`;
}

/** The name a table's block writes: its `name`, a registry call's name input, the input a local module call names its table with. */
function writtenName(table: TfTable): string | undefined {
  if (table.kind === 'table') return attr(table.block, 'name')?.value;
  if (table.local) return table.local.nameInput;
  const input = table.registry?.nameInput;
  return input ? attr(table.block, input)?.value : undefined;
}

/**
 * May a table name written so (`"orders"`, `var.name`, `"t-${count.index}"`) hold a `.` when applied? A
 * literal with one, or anything Terraform computes (a variable, a local, each.key) but an index; a name
 * written as a plain literal without one does not. Nothing written: the provider's or module's own name.
 */
function mayHoldDot(written: string): boolean {
  return written !== '' && !(/^"[^"]*"$/.test(written) && !written.replace(/\$\{\s*count\.index\s*\}/g, '').match(/\$\{|%\{|\./));
}

function targetOf(member: Member, table: TfTable, info: ModuleInfo, root: boolean): Target | { declined: string } {
  const b = table.block;
  const count = attr(b, 'count');
  const forEach = attr(b, 'for_each');
  const repeat = count
    ? { attr: 'count' as const, value: count.value, index: '[count.index]' }
    : forEach
      ? { attr: 'for_each' as const, value: forEach.value, index: '[each.key]' }
      : undefined;
  const lifecycle = blocks(b, 'lifecycle')[0];
  // A table meant to outlive a destroy (prevent_destroy, or deletion protection, on which a destroy fails
  // and the way out, leaving the table, would destroy its key): its key is kept from destruction too.
  const preventDestroy = boolOf(attr(lifecycle, 'prevent_destroy')) === true || boolOf(attr(b, 'deletion_protection_enabled')) === true;
  const nameAttr = attr(b, 'name');
  const literalName = nameAttr?.lit?.type === 'string' && !nameAttr.lit.value.includes('${') ? nameAttr.lit.value : undefined;
  const displayName = table.kind === 'table-replica' ? `${table.label} (replica)` : (table.local?.name ?? literalName ?? table.label);
  let replicas: Replica[] = [];
  if (table.kind === 'table') {
    const r = replicaKeys(b, info.providerByRegion, root, info.regionAttribute === 'region');
    if ('obstacle' in r) return { declined: blockerText(r.obstacle, WORDS.table) };
    replicas = r.replicas;
  }
  const target: Target = { member, table, place: tablePlace(table), repeat, preventDestroy, replicas, displayName };
  if (repeat) target.instanceName = instanceName(writtenName(table), displayName, repeat.attr);
  return target;
}

/**
 * Why --kms-key-arn cannot serve this table, when its key is in another Region than the table: the
 * ARN's Region against the table's own literal `region` (hashicorp/aws 6), else the literal region
 * of its provider (a replica resource whose Region is not written is declined too: a replica is never
 * in its table's Region, where such a key usually is). undefined: no known mismatch.
 */
function otherRegion(t: Target, arn: string, info: ModuleInfo): string | undefined {
  const keyRegion = keyArnRegion(arn);
  const region = t.place.region !== undefined ? literalRegion(t.place.region) : info.regionOfProvider.get(t.place.provider);
  const where = placeWords(t.place);
  const mismatch = keyRegionMismatch(arn, region ? [region] : undefined, where);
  if (mismatch) return mismatch;
  if (t.table.kind === 'table-replica' && (!keyRegion || !region))
    return `--kms-key-arn names one key, and this replica is in the Region of ${where}, which kmsfix cannot check it against: give the replica a key of its Region by hand`;
  return undefined;
}

// ---------------------------------------------------------------- declarations

class Decls {
  private docs: RBlock[] = [];
  private sources: RBlock[] = [];
  constructor(
    private readonly info: ModuleInfo,
    private readonly mode: KeyPolicyMode,
    /** `key: deny_direct_grants` (src/rule/keyPolicy.ts DENY_DIRECT_GRANTS). */
    private readonly denyDirectGrants = false,
  ) {}

  private data(kind: string, base: string, body: RItem[]): string {
    const name = unique(this.info, `data.${kind}`, base);
    this.sources.push({ type: 'data', labels: [kind, name], body });
    return name;
  }

  /** What to declare: policy documents first, then the data sources they read. */
  get needed(): RBlock[] {
    return [...this.docs, ...this.sources];
  }

  /** The data source of this kind read through the provider `provider` ('' the default one): the module's, or a new one. */
  private lookup(kind: 'aws_caller_identity' | 'aws_partition' | 'aws_region', names: Map<string, string>, provider: string): string {
    let name = names.get(provider);
    if (!name) {
      name = provider ? this.data(kind, placeLabel({ provider }), [{ attr: 'provider', value: provider }]) : this.data(kind, 'current', []);
      names.set(provider, name);
    }
    return name;
  }

  caller(provider: string): string {
    return this.lookup('aws_caller_identity', this.info.caller, provider);
  }

  partition(provider: string): string {
    return this.lookup('aws_partition', this.info.partition, provider);
  }

  region(provider: string): string {
    return this.lookup('aws_region', this.info.region, provider);
  }

  /** The key policy document for keys created at this placement. */
  policy(place: Placement): string {
    const id = placeKey(place);
    let name = this.info.policy.get(id);
    if (!name) {
      // Through the provider the key is created with: its account (a provider may assume a role in
      // another), its partition, its Region; or the Region the key's own `region` argument names (the
      // account and partition stay the provider's).
      const account = `data.aws_caller_identity.${this.caller(place.provider)}.account_id`;
      // A region argument that is an expression may be null (`region = var.region`, default null: the
      // provider's Region), which a template cannot interpolate: the provider's Region stands in for it.
      const providers = () => `data.aws_region.${this.region(place.provider)}.${this.info.regionAttribute}`;
      const exprs = {
        account,
        partition: `data.aws_partition.${this.partition(place.provider)}.partition`,
        region:
          place.region === undefined
            ? providers()
            : literalRegion(place.region) !== undefined
              ? place.region
              : `coalesce(${place.region}, ${providers()})`,
      };
      const label = placeLabel(place);
      name = unique(this.info, 'data.aws_iam_policy_document', label ? `dynamodb_kms_${label}` : 'dynamodb_kms');
      this.docs.push(policyDocument(name, exprs, this.mode, this.denyDirectGrants));
      this.info.policy.set(id, name);
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

/** The arguments that place a generated resource as its table is: count/for_each, provider, and (hashicorp/aws 6) region. */
function meta(t: { place: Placement; repeat?: Target['repeat'] }): RItem[] {
  const items: RItem[] = [];
  if (t.repeat) items.push({ attr: t.repeat.attr, value: t.repeat.value });
  if (t.place.provider) items.push({ attr: 'provider', value: t.place.provider });
  if (t.place.region !== undefined) items.push({ attr: 'region', value: t.place.region });
  if (items.length) items.push({ blank: true });
  return items;
}

/** The input names a module call's fix sets: the registry module's, or the local module's variables that feed its table. */
function moduleInputs(t: TfTable): { enabled?: string; on: string; json: unknown; key: string } {
  if (t.local) return { enabled: t.local.enabledVar, on: 'true', json: true, key: t.local.keyVar! };
  const m = t.registry!;
  return { enabled: m.enabled.input, on: m.enabled.fixed, json: m.enabled.json, key: m.key };
}

/**
 * The table's deployed name inside the alias's quoted name: an expression interpolated
 * (`${aws_dynamodb_table.t.name}`), or a template's own text. Undefined for a local module called
 * once without an output for it (its literal name is used). A local module called with `count` or
 * `for_each` names each instance's table differently, and each alias must differ too: the call's own
 * expression for the name (`each.key`, `"t-${count.index}"`: the alias has the same
 * `count`/`for_each`), else the instance's key or index after the call's label.
 */
function aliasNamePart(t: Target, index: string): string | undefined {
  const local = t.table.local;
  if (local) {
    const input = local.nameInput?.trim();
    // The name as the call makes it: its expression for the module's name variable, else the module's own name when known.
    const written = input ?? (local.nameKnown ? JSON.stringify(local.name) : 'unknown');
    if (local.nameOutput) return `\${${dotSafe(`module.${t.table.label}${index}.${local.nameOutput}`, written)}}`;
    if (!t.repeat) return undefined;
    // `"t-${count.index}"`: an index holds no `.`, so the template is spliced as it is.
    if (input !== undefined) return mayHoldDot(input) ? `\${${dotSafe(input, input)}}` : input.slice(1, -1);
    return t.repeat.attr === 'count'
      ? `${t.table.label}-\${count.index}`
      : `${t.table.label}-\${replace(each.key, "/[^a-zA-Z0-9/_-]/", "-")}`;
  }
  if (t.table.registry) {
    const name = `module.${t.table.label}${index}.${t.table.registry.nameOutput}`;
    const input = t.table.registry.nameInput;
    return `\${${input ? dotSafe(name, attr(t.table.block, input)?.value.trim() ?? '') : name}}`;
  }
  // A replica's id is `<table name>:<region>`; the table's name may hold a `.`, which an alias may not either.
  if (t.table.kind === 'table-replica') return `\${replace(aws_dynamodb_table_replica.${t.table.label}${index}.id, "/[.:]/", "-")}`;
  // A name DynamoDB allows and a KMS alias does not (a `.`) is read through replace().
  return `\${${dotSafe(`aws_dynamodb_table.${t.table.label}${index}.name`, attr(t.table.block, 'name')?.value.trim() ?? '')}}`;
}

/** A table name reference as an alias reads it: through `replace(..., ".", "-")` when the name, as written, may hold a `.` (mayHoldDot). */
function dotSafe(ref: string, written: string): string {
  return mayHoldDot(written) ? `replace(${ref}, ".", "-")` : ref;
}

/** The key settings contract (src/rule/keySettings.ts) as a key's attributes: the deletion window, then `tags` after a blank line. */
function windowItem(key: KeySettings): RItem {
  return { attr: 'deletion_window_in_days', value: String(key.deletionWindowDays ?? DEFAULT_DELETION_WINDOW) };
}

/**
 * A key's `tags` after a blank line: the table's own expression (keyTags.ts) and `key: tags`, merged as
 * `merge(<table's>, { ... })` when both (the settings' win on a tag key both name, as merge() does).
 */
function tagItems(key: KeySettings, table: string | undefined): RItem[] {
  const entries = Object.entries(key.tags ?? {});
  if (table !== undefined)
    return [{ blank: true }, entries.length ? { map: 'tags', entries, mergedInto: table } : { attr: 'tags', value: table }];
  return entries.length ? [{ blank: true }, { map: 'tags', entries }] : [];
}

/** Where a repeated table's name goes in its key's description (no table name holds it). */
const MARK = '\u0001';

function planKey(targets: Target[], decls: Decls, info: ModuleInfo, shared: boolean, key: KeySettings): KeyPlan {
  const first = targets[0];
  const perTable = !shared;
  const tableTags = keyTagsExpression(
    targets.map((t) => ({ table: t.table, json: !!t.member.detection.json, repeat: t.repeat })),
    shared,
  );
  const repeat = perTable ? first.repeat : undefined;
  const index = repeat?.index ?? '';
  const label = placeLabel(first.place);
  const name = unique(
    info,
    'aws_kms_key',
    perTable ? first.table.label + (first.table.kind === 'table-replica' ? '_replica' : '') : label ? `dynamodb_${label}` : 'dynamodb',
  );
  const aliasName = unique(info, 'aws_kms_alias', name);
  // One replica key per replica placement.
  const replicaPlaces = new Map<string, Placement>();
  for (const t of targets)
    for (const r of t.replicas) if (!replicaPlaces.has(placeKey(r.place))) replicaPlaces.set(placeKey(r.place), r.place);
  // A repeated table's key describes each instance (instanceName), spliced into the quoted text at MARK.
  const each = repeat ? first.instanceName : undefined;
  const description = (suffix = '') =>
    hclString(describeKey(each === undefined ? targets.map((t) => t.displayName) : [MARK], key.description) + suffix)
      .split(MARK)
      .join(each ?? '');
  const keyBody: RItem[] = [
    ...meta({ place: first.place, repeat }),
    { attr: 'description', value: description() },
    { attr: 'enable_key_rotation', value: String(KEY_SETTINGS.enableKeyRotation) },
    windowItem(key),
    ...(replicaPlaces.size || key.multiRegion ? [{ attr: 'multi_region', value: 'true' }] : []),
    { attr: 'policy', value: `data.aws_iam_policy_document.${decls.policy(first.place)}.json` },
    ...tagItems(key, tableTags),
  ];
  if (targets.some((t) => t.preventDestroy)) {
    keyBody.push({ blank: true }, { block: { type: 'lifecycle', labels: [], body: [{ attr: 'prevent_destroy', value: 'true' }] } });
  }
  const out: RBlock[] = [{ type: 'resource', labels: ['aws_kms_key', name], body: keyBody }];
  // The alias: named after the table (unique per account and region), or the module for a shared key.
  const named = perTable ? first : targets.find((t) => !t.repeat);
  const part = named && aliasNamePart(named, index);
  const aliasText = (template: string) => {
    const { before, after } = aliasParts(template, !perTable);
    return part ? `"${before}${part}${after}"` : hclString(`${before}${aliasSafe((named ?? first).displayName)}${after}`);
  };
  // Named apart from the module's aliases (a key a roll back kept has the name a fix would give), also where the
  // kept one writes the table's literal name (`"alias/dynamodb/orders"`).
  const literal = named && !repeat ? attr(named.table.block, 'name')?.lit : undefined;
  const forms = (template: string) => {
    const { before, after } = aliasParts(template, !perTable);
    const text = aliasText(template);
    return literal?.type === 'string' ? [text, hclString(`${before}${aliasSafe(literal.value)}${after}`)] : [text];
  };
  const aliasValue = aliasText(freeAliasTemplate(key.alias, forms, info.aliasNames) ?? DEFAULT_ALIAS);
  out.push({
    type: 'resource',
    labels: ['aws_kms_alias', aliasName],
    body: [
      ...meta({ place: first.place, repeat }),
      { attr: 'name', value: aliasValue },
      { attr: 'target_key_id', value: `aws_kms_key.${name}${index}.key_id` },
    ],
  });
  const replicaArn = new Map<HBlock, string>();
  const replicaNames = new Map<string, string>();
  for (const [id, place] of replicaPlaces) {
    const rname = unique(info, 'aws_kms_replica_key', `${name}_${placeLabel(place)}`);
    replicaNames.set(id, rname);
    out.push({
      type: 'resource',
      labels: ['aws_kms_replica_key', rname],
      body: [
        ...meta({ place, repeat }),
        { attr: 'description', value: description(' (replica)') },
        { attr: 'primary_key_arn', value: `aws_kms_key.${name}${index}.arn` },
        windowItem(key),
        { attr: 'policy', value: `data.aws_iam_policy_document.${decls.policy(place)}.json` },
        ...tagItems(key, tableTags),
      ],
    });
  }
  for (const t of targets)
    for (const r of t.replicas) replicaArn.set(r.block, `aws_kms_replica_key.${replicaNames.get(placeKey(r.place))}${index}.arn`);
  return { name, blocks: out, arn: `aws_kms_key.${name}${index}.arn`, replicaArn };
}

// ---------------------------------------------------------------- table edits

const always = () => true;

/**
 * The table's edits: its switch on and its key set to `arn`; or, `arn` undefined, its switch on alone
 * (a table switched off beside a customer-managed key of its own keeps that key: src/rule/cmk.ts switchedOff).
 */
function pointTable(doc: HclDoc, t: Target, arn: string | undefined, replicaArn: Map<HBlock, string>): void {
  const b = t.table.block;
  if (arn === undefined) {
    const sse = blocks(b, 'server_side_encryption')[0];
    if (t.table.kind === 'module') {
      const inputs = moduleInputs(t.table);
      if (inputs.enabled)
        setAttrs(doc, b, [{ name: inputs.enabled, value: inputs.on, replace: (a: HAttr) => a.value.trim() !== inputs.on }]);
    } else if (sse) setAttrs(doc, sse, [{ name: 'enabled', value: 'true', replace: (a) => a.value !== 'true' }]);
    return;
  }
  if (t.table.kind === 'module') {
    const inputs = moduleInputs(t.table);
    setAttrs(
      doc,
      b,
      [
        ...(inputs.enabled ? [{ name: inputs.enabled, value: inputs.on, replace: (a: HAttr) => a.value.trim() !== inputs.on }] : []),
        { name: inputs.key, value: arn, replace: always },
      ],
      'separate',
    );
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
  if (keyLiteral(s)) return hclString(s);
  return s;
}

/**
 * Why this module cannot take a --kms-key-arn expression: it names a variable, local, module call, data
 * source or resource no file of the module declares (`tops`: every file's blocks); plan would fail
 * ("Reference to undeclared input variable"). Undefined for an ARN, or a reference the module declares.
 */
function undeclaredKeyArn(arn: string, tops: TopBlock[]): string | undefined {
  const v = arn.trim();
  const [head, a, b] = v.split('.');
  let what: string | undefined;
  let found = false;
  if (head === 'var') {
    what = `a variable ${a}`;
    found = tops.some((t) => t.type === 'variable' && t.labels[0] === a);
  } else if (head === 'local') {
    what = `a local ${a}`;
    found = tops.some((t) => {
      const body = t.type === 'locals' ? readBody(t.text) : undefined;
      return isObj(body) && body.obj.has(a);
    });
  } else if (head === 'module') {
    what = `a module call ${a}`;
    found = tops.some((t) => t.type === 'module' && t.labels[0] === a);
  } else if (head === 'data') {
    what = `a data source ${a}.${b}`;
    found = tops.some((t) => t.type === 'data' && t.labels[0] === a && t.labels[1] === b);
  } else if (/^aws_kms_/.test(head) && a) {
    what = `a resource ${head}.${a}`;
    found = tops.some((t) => t.type === 'resource' && t.labels[0] === head && t.labels[1] === a);
  }
  if (!what || found) return undefined;
  return `--kms-key-arn ${v} names ${what}, which no file of this module declares (plan would fail): declare it${head === 'var' ? ` (variable "${a}" { type = string })` : ''} and run kmsfix again`;
}

/**
 * The reference every table fixed with --kms-key-arn gets: an expression as given; an ARN written
 * once per module: the module's local that already holds it, or a new local when several tables
 * use it (in an HCL file: the local goes after the first of them).
 */
function keyArnRef(v: string, targets: Target[], info: ModuleInfo): { ref: string; local?: RBlock } {
  const value = keyArnValue(v);
  if (!value.startsWith('"')) return { ref: value };
  for (const [name, s] of info.locals) if (s === v.trim()) return { ref: `local.${name}` };
  if (targets.length < 2 || !targets[0].member.detection.hcl) return { ref: value };
  const name = unique(info, 'local', 'dynamodb_kms_key_arn');
  return { ref: `local.${name}`, local: { type: 'locals', labels: [], body: [{ attr: name, value }] } };
}

/**
 * An alias ARN is not written into `kms_key_arn` (the provider reads the table's key back as the key's ARN, and every
 * later plan would update the table again: terraform-aws-modules/terraform-aws-dynamodb-table#92, session 64's deploy
 * review): the key it names is, through `data "aws_kms_key" { key_id = "<alias ARN>" }` (DescribeKey takes an alias
 * ARN, of another account too) and its `.arn`. The data source reads through the table's provider, in its Region:
 * only where that Region is known to be the alias's (otherRegion declines one known to differ).
 */
function aliasRegionUnknown(t: Target, arn: string, info: ModuleInfo): string | undefined {
  if (!keyArnKinds(arn).includes('alias-arn')) return undefined;
  // A table with its own `region` is declined whatever it is (the data source would need the same one).
  if (t.place.region === undefined && info.regionOfProvider.get(t.place.provider) !== undefined) return undefined;
  return (
    `--kms-key-arn ${arn.trim()} is an alias ARN, which kmsfix writes as data "aws_kms_key" { key_id = <the alias ARN> } read through the table's provider, ` +
    `and the Region of ${placeWords(t.place)} is not a literal kmsfix can compare with the alias's${t.place.region !== undefined ? ' (the table sets its own region)' : ''}: ` +
    "give the key's ARN, or an expression such as data.aws_kms_alias.a.target_key_arn"
  );
}

/** The data source (one per provider, reused where the module declares the same one) whose `.arn` is the alias's key. */
function aliasKeyArn(arn: string, provider: string, info: ModuleInfo, tops: TopBlock[]): { ref: string; data?: RBlock } {
  const value = hclString(arn.trim());
  const same = tops.find(
    (b) =>
      b.type === 'data' &&
      b.labels[0] === 'aws_kms_key' &&
      b.labels.length === 2 &&
      b.attr('key_id')?.value.trim() === value &&
      providerRef(b.attr('provider')?.value) === provider &&
      !b.attr('count') &&
      !b.attr('for_each'),
  );
  if (same) return { ref: `data.aws_kms_key.${same.labels[1]}.arn` };
  const alias = /:alias\/(.+)$/.exec(arn.trim())![1];
  const name = unique(info, 'data.aws_kms_key', alias.split('/').filter(Boolean).join('_'));
  const body: RItem[] = [...(provider ? [{ attr: 'provider', value: provider }] : []), { attr: 'key_id', value }];
  return { ref: `data.aws_kms_key.${name}.arn`, data: { type: 'data', labels: ['aws_kms_key', name], body } };
}

// ---------------------------------------------------------------- writers

/**
 * Where a file's edits are planned: HCL text edits, or JSON modifications. `tables`: the tables
 * the edits serve (Edit.tables); absent for the module's shared declarations.
 */
interface Writer {
  /** `arn` undefined: the switch alone (pointTable). */
  point(t: Target, arn: string | undefined, replicaArn: Map<HBlock, string>): void;
  addAfter(t: Target, blocks: RBlock[], tables?: string[]): void;
  edits(): Edit[];
}

function hclWriter(doc: HclDoc): Writer {
  const own = (tables: string[] | undefined, plan: () => void) => {
    const from = doc.edits.length;
    plan();
    if (tables) serving(doc.edits, from, tables);
  };
  return {
    point: (t, arn, replicaArn) => own([t.table.address], () => pointTable(doc, t, arn, replicaArn)),
    addAfter: (t, bs, tables) => own(tables, () => insertAfter(doc, t.table.block, bs)),
    edits: () => doc.edits,
  };
}

/**
 * A .tf.json file's modifications make one edit (tfjson.ts JsonDoc): it serves every table it
 * points or adds a key for, or every table of the module when it also holds shared declarations.
 */
async function jsonWriter(m: Member): Promise<Writer> {
  const { JsonDoc, jsonOfHcl } = await import('./tfjson.js');
  const doc = new JsonDoc(m.file.text, m.detection.json!);
  const pathOf = (b: HBlock) => (b as import('./tfjson.js').JBlock).jsonPath;
  let served: Set<string> | undefined = new Set();
  return {
    point(t, arn, replicaArn) {
      served?.add(t.table.address);
      const b = t.table.block;
      if (arn === undefined) {
        // The switch alone, the table's own key kept (pointTable).
        const sse = blocks(b, 'server_side_encryption')[0];
        const inputs = t.table.kind === 'module' ? moduleInputs(t.table) : undefined;
        if (inputs?.enabled) {
          if (attr(b, inputs.enabled)?.value.trim() !== inputs.on) doc.set([...pathOf(b), inputs.enabled], inputs.json);
        } else if (!inputs && sse && attr(sse, 'enabled')?.value !== 'true') doc.set([...pathOf(sse), 'enabled'], true);
        return;
      }
      const v = jsonOfHcl(arn);
      if (t.table.kind === 'module') {
        const inputs = moduleInputs(t.table);
        if (inputs.enabled && attr(b, inputs.enabled)?.value.trim() !== inputs.on) doc.set([...pathOf(b), inputs.enabled], inputs.json);
        doc.set([...pathOf(b), inputs.key], v);
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
    addAfter: (_t, bs, tables) => {
      if (!tables) served = undefined;
      else for (const a of tables) served?.add(a);
      for (const x of bs) doc.addBlock(x);
    },
    edits: () => {
      const edits = doc.edits();
      if (served) serving(edits, 0, [...served]);
      return edits;
    },
  };
}

// ---------------------------------------------------------------- the group

export async function fixTerraform(group: Member[], options: FixOptions, context: DiskContext): Promise<Map<string, FilePlan>> {
  const plans = new Map<string, FilePlan>();
  // The module's other files, those that can inform moduleInfo (the others are not parsed: in a
  // module of fifty files, most hold only Lambda, IAM, queue... resources).
  const siblingFiles = await context.siblings();
  const siblings = await siblingBlocks(siblingFiles.filter((f) => informsModule(f.text)));
  const tops = [...group.flatMap((m) => summarize(m.detection, m.file.text)), ...siblings];
  // A root module (a replica Region's missing provider is added there, or passed by the callers of a module).
  const root =
    group.some((m) => m.targets.length > 0) && (await isRootModule(tops, siblingFiles)) && !(await calledModule(group[0].file, context));
  const mode = options.keyPolicy ?? DEFAULT_KEY_POLICY;
  const deny = options.key?.denyDirectGrants === true;
  // What the terragrunt units that deploy the module write into their copies of it (data sources, constraints).
  const info = moduleInfo(tops, mode, options.key?.alias, deny, await unitCopies(group[0].file, context));
  const decls = new Decls(info, mode, deny);
  // Every file's blocks, for a --kms-key-arn expression (its variable, local... must be declared): parsed once, only then.
  let everyTop: Promise<TopBlock[]> | undefined;
  const declaredTops = () =>
    (everyTop ??= siblingBlocks(siblingFiles).then((all) => [...group.flatMap((m) => summarize(m.detection, m.file.text)), ...all]));
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
      const t = targetOf(m, table, info, root);
      if ('declined' in t) {
        plans.get(m.file.path)!.declined!.push({ address, reason: t.declined });
        continue;
      }
      // --kms-key-arn: one key, in one Region, named by what the module declares.
      const reason = !options.kmsKeyArn
        ? undefined
        : t.replicas.length > 0
          ? '--kms-key-arn names one key in one region, and this table has replicas in other regions: give each replica region a key'
          : ((keyArnValue(options.kmsKeyArn).startsWith('"') ? undefined : undeclaredKeyArn(options.kmsKeyArn, await declaredTops())) ??
            otherRegion(t, options.kmsKeyArn, info) ??
            aliasRegionUnknown(t, options.kmsKeyArn, info));
      if (reason !== undefined) plans.get(m.file.path)!.declined!.push({ address, reason });
      else targets.push(t);
    }
  }

  let declsAfter: Target | undefined;
  /** Blocks to add after a table, and the tables they serve (none: every table, e.g. a shared local). */
  const after: [Target, RBlock[], string[] | undefined][] = [];
  const writer = (t: Target) => writers.get(t.member.file.path)!;
  // A table switched off beside a customer-managed key of its own: the switch on alone, that key kept, none generated.
  // (Tables of one local module call share its switch input: it is set once.)
  const switched = new Set<HBlock>();
  for (const t of targets.filter((x) => switchAlone(x.table))) {
    if (!switched.has(t.table.block)) writer(t).point(t, undefined, new Map());
    switched.add(t.table.block);
    plans.get(t.member.file.path)!.fixed.push(t.table.address);
  }
  targets.splice(0, targets.length, ...targets.filter((x) => !switchAlone(x.table)));
  // Tables of one local module call share its inputs: the call is set once, with the first table's key.
  const pointed = new Set<HBlock>();
  const fixTarget = (t: Target, arn: string, replicaArn: Map<HBlock, string>) => {
    if (!pointed.has(t.table.block)) writer(t).point(t, arn, replicaArn);
    pointed.add(t.table.block);
    plans.get(t.member.file.path)!.fixed.push(t.table.address);
    declsAfter ??= t;
  };
  if (options.kmsKeyArn && keyArnKinds(options.kmsKeyArn).includes('alias-arn')) {
    // An alias ARN: the key it names, through a data source per provider (aliasKeyArn).
    const byProvider = new Map<string, Target[]>();
    for (const t of targets) byProvider.set(t.place.provider, [...(byProvider.get(t.place.provider) ?? []), t]);
    for (const [provider, ts] of byProvider) {
      const key = aliasKeyArn(options.kmsKeyArn, provider, info, await declaredTops());
      for (const t of ts) fixTarget(t, key.ref, new Map());
      if (key.data) after.push([ts[0], [key.data], undefined]);
    }
  } else if (options.kmsKeyArn) {
    const key = keyArnRef(options.kmsKeyArn, targets, info);
    for (const t of targets) fixTarget(t, key.ref, new Map());
    if (key.local) after.push([targets[0], [key.local], undefined]);
  } else if (options.keyStrategy === 'shared') {
    const byPlace = new Map<string, Target[]>();
    for (const t of targets) byPlace.set(placeKey(t.place), [...(byPlace.get(placeKey(t.place)) ?? []), t]);
    for (const ts of byPlace.values()) {
      const existing = info.sharedKey.get(placeKey(ts[0].place));
      if (existing) {
        for (const t of ts) {
          const reuse = reuseSharedKey(t, existing);
          if ('declined' in reuse) plans.get(t.member.file.path)!.declined!.push({ address: t.table.address, reason: reuse.declined });
          else fixTarget(t, `aws_kms_key.${existing.name}.arn`, reuse.replicaArn);
        }
        continue;
      }
      const key = planKey(ts, decls, info, true, options.key ?? {});
      for (const t of ts) fixTarget(t, `aws_kms_key.${key.name}.arn`, key.replicaArn);
      after.push([ts[0], key.blocks, ts.map((t) => t.table.address)]);
    }
  } else {
    for (const t of targets) {
      if (pointed.has(t.table.block)) {
        fixTarget(t, '', new Map());
        continue;
      }
      const key = planKey([t], decls, info, false, options.key ?? {});
      fixTarget(t, key.arn, key.replicaArn);
      after.push([t, key.blocks, [t.table.address]]);
    }
  }
  for (const [t, bs, tables] of after) writer(t).addAfter(t, bs, tables);
  if (declsAfter && decls.needed.length > 0) writer(declsAfter).addAfter(declsAfter, decls.needed);

  for (const [p, w] of writers) plans.get(p)!.edits.push(...w.edits());
  return plans;
}

/** A shared key of an earlier run, for one more table: its replica keys must cover the table's replica regions. */
function reuseSharedKey(t: Target, key: SharedKey): { replicaArn: Map<HBlock, string> } | { declined: string } {
  const replicaArn = new Map<HBlock, string>();
  for (const r of t.replicas) {
    const name = key.replicas.get(placeKey(r.place));
    if (!name) {
      return {
        declined:
          `the module's shared key aws_kms_key.${key.name} has no aws_kms_replica_key created ${r.place.region === undefined ? 'through' : 'with'} ${placeWords(r.place)} ` +
          `(replica region ${r.region}): add one (the key must be multi-Region), or fix this table with --key-strategy per-table`,
      };
    }
    replicaArn.set(r.block, `aws_kms_replica_key.${name}.arn`);
  }
  return { replicaArn };
}

export { renderBlockLines };
