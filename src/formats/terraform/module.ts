/**
 * What a Terraform module (every file of its directory) already declares, as the fix needs it:
 * the names taken, the data sources and policy documents it can reuse, the provider aliases by
 * region, and the shared keys (--key-strategy shared) of an earlier run.
 */
import { holdsKeyPolicy, type KeyPolicyMode } from '../../rule/keyPolicy.js';
import { aliasParts } from '../../rule/keySettings.js';
import { isObj, isStr, readBody, type Value } from './hclvalue.js';
import { configRef, isAwsRequirement, placeKey, placeOf, providerRef, requiredProviders } from './placement.js';
import { pinnedBelow } from './moduleVersion.js';
import type { TopBlock } from './topBlocks.js';

/** A shared key an earlier run declared, and its replica keys. */
export interface SharedKey {
  name: string;
  /** Replica key placement (placeKey) -> aws_kms_replica_key name. */
  replicas: Map<string, string>;
}

export interface ModuleInfo {
  taken: Set<string>;
  /**
   * provider reference ('' for the default provider, `aws.east`, `awsalternate`: placement.ts) ->
   * data "aws_caller_identity" / "aws_partition" name: a key created through a provider names that
   * provider's account (which may be another one, when the provider assumes a role there) and
   * partition in its policy (a resource's `region` changes neither).
   */
  caller: Map<string, string>;
  partition: Map<string, string>;
  /** provider reference -> data "aws_region" name (the Region of keys without a `region` argument of their own). */
  region: Map<string, string>;
  /** key placement (placeKey) -> data "aws_iam_policy_document" name holding kmsfix's key policy. */
  policy: Map<string, string>;
  /** region (literal value, or expression text) -> the reference of the aliased `aws` provider for it (`aws.east`). */
  providerByRegion: Map<string, string>;
  /** provider reference -> its region, when a literal. */
  regionOfProvider: Map<string, string>;
  /** key placement (placeKey) -> the module's shared key. */
  sharedKey: Map<string, SharedKey>;
  /**
   * The attribute of `data "aws_region"` that holds the region's name: `region` when the module
   * requires hashicorp/aws 6 or later (`name` is deprecated there), `name` otherwise (all it has before 6). A module
   * terragrunt units deploy: `region` when each unit's copy requires 6 (its generated files' constraints with the
   * module's, else the unit's lock file, else the module's: regionAttributeOf). `.id` is no way out for a module
   * that says nothing: hashicorp/aws 6 deprecates it too (the data source's `id` has `region` as its alternate;
   * Pulumi's provider, built from it, marks GetRegionResult.id deprecated), so such a module keeps `name`.
   */
  regionAttribute: 'name' | 'region';
  /** local name -> its value, for the locals that are plain strings. */
  locals: Map<string, string>;
  /** The `name` of each `aws_kms_alias` of the module, as written (trimmed): a fix names its alias apart from them. */
  aliasNames: Set<string>;
}

/**
 * A copy of the module that a terragrunt unit deploys (generatedFiles.ts): the top blocks of the files its `generate`
 * blocks write into it, and of the unit's lock file (none when it has none).
 */
export interface DeployedCopy {
  /** The blocks of the generated files Terraform loads in the copy. */
  generated: TopBlock[];
  /** The blocks of generated files the copy may hold or not (generatedFiles.ts): their names are taken, none reused. */
  maybe?: TopBlock[];
  /** The module's own data sources the copy may lack (a generated file replaces their file); 'any': kmsfix cannot tell which. */
  lost?: Set<string> | 'any';
  /**
   * The text of the module's `terraform` blocks the copy may lack (a generated file replaces their file): their
   * `required_providers` do not decide `.region` there (none of the module's do when `lost` is 'any').
   */
  lostTerraform?: Set<string>;
  /** Whether files kmsfix cannot read may be generated into the copy (an include it cannot read). */
  unknown?: boolean;
  lock: TopBlock[];
}

/** A region as a map key: a literal region, or an expression's text. */
export function regionKey(a: { value: string; lit?: { type: string; value?: unknown } } | undefined): string | undefined {
  if (!a) return undefined;
  if (a.lit?.type === 'string') return 'lit:' + String(a.lit.value);
  if (a.lit) return undefined;
  return 'expr:' + a.value.trim();
}

/**
 * The aliased `provider "aws"` configurations of a module, by region (the first alias for a region wins);
 * and the Region a `data "aws_region" "x" { provider = aws.y }` reads (`data.aws_region.x.name`, `.region`,
 * `.id`), by that provider: also one a module is given (`configuration_aliases`), which has no block here.
 */
export function providersByRegion(tops: TopBlock[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tops) {
    if (t.type === 'data' && t.labels[0] === 'aws_region' && t.labels.length === 2) {
      const provider = /^aws\.[A-Za-z_][\w-]*$/.exec(t.attr('provider')?.value.trim() ?? '')?.[0];
      if (provider) for (const a of ['name', 'region', 'id']) out.set(`expr:data.aws_region.${t.labels[1]}.${a}`, provider);
      continue;
    }
    if (t.type !== 'provider' || t.labels[0] !== 'aws') continue;
    const alias = t.attr('alias')?.lit;
    const key = regionKey(t.attr('region'));
    if (alias?.type === 'string' && key && !out.has(key)) out.set(key, `aws.${alias.value}`);
  }
  return out;
}

/** provider reference ('' for the default `aws`, `aws.east`, `awsalternate`) -> its literal region (the first configuration of each). */
function providerRegions(tops: TopBlock[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tops) {
    const ref = configRef(t);
    const region = ref === undefined ? undefined : t.attr('region')?.lit;
    if (ref !== undefined && region?.type === 'string' && !out.has(ref)) out.set(ref, region.value);
  }
  return out;
}

const KEY_ID = /^aws_kms_key\.([A-Za-z_][\w-]*)\.key_id$/;
const KEY_ARN = /^aws_kms_key\.([A-Za-z_][\w-]*)\.arn$/;

/**
 * The shared keys of an earlier run: an `aws_kms_alias` named by the shared scheme of the alias
 * template (`alias/dynamodb/...-shared` by default, src/rule/keySettings.ts) on a single `aws_kms_key` of the module.
 */
function sharedKeys(tops: TopBlock[], aliasTemplate?: string): Map<string, SharedKey> {
  const { before, after } = aliasParts(aliasTemplate, true);
  const out = new Map<string, SharedKey>();
  const resource = (type: string, name: string) => tops.find((t) => t.type === 'resource' && t.labels[0] === type && t.labels[1] === name);
  for (const a of tops) {
    if (a.type !== 'resource' || a.labels[0] !== 'aws_kms_alias') continue;
    const name = a.attr('name')?.value.trim() ?? '';
    if (!name.startsWith('"' + before) || !name.endsWith(after + '"')) continue;
    const m = KEY_ID.exec(a.attr('target_key_id')?.value.trim() ?? '');
    const key = m && resource('aws_kms_key', m[1]);
    if (!key || key.attr('count') || key.attr('for_each')) continue;
    const place = placeKey(placeOf(key.attr('provider')?.value, key.attr('region')));
    if (out.has(place)) continue;
    const replicas = new Map<string, string>();
    for (const r of tops) {
      if (r.type !== 'resource' || r.labels[0] !== 'aws_kms_replica_key' || r.attr('count') || r.attr('for_each')) continue;
      if (KEY_ARN.exec(r.attr('primary_key_arn')?.value.trim() ?? '')?.[1] !== key.labels[1]) continue;
      const at = placeKey(placeOf(r.attr('provider')?.value, r.attr('region')));
      if (!replicas.has(at)) replicas.set(at, r.labels[1]);
    }
    out.set(place, { name: key.labels[1], replicas });
  }
  return out;
}

/** The lowest major version a Terraform version constraint allows ("~> 6.0", ">= 5.0, < 7.0"...); 0 if it has no lower bound. */
export function lowestMajor(constraint: string): number {
  let lowest = 0;
  for (const part of constraint.split(',')) {
    const m = /^\s*(>=|>|~>|=)?\s*v?(\d+)/.exec(part);
    if (m && !/^\s*(!=|<)/.test(part)) lowest = Math.max(lowest, Number(m[2]));
  }
  return lowest;
}

/**
 * The lowest major version of hashicorp/aws the module can run with: the lower bound of the
 * `required_providers` constraints of its `terraform` blocks, else (no constraint) the version its
 * lock file selected (`.terraform.lock.hcl` in the module folder); 0 when nothing says. The
 * constraints come first: a module others call (`source = "../../"`) runs with their provider,
 * whatever its own lock file selected, as long as the constraints allow it.
 */
export function awsProviderMajor(tops: TopBlock[]): number {
  const constraints = awsConstraints(tops);
  if (constraints.length) return Math.max(0, ...constraints.map(([, v]) => lowestMajor(v)));
  const version = tops.find(isAwsLock)?.attr('version')?.lit;
  return version?.type === 'string' ? lowestMajor(version.value) : 0;
}

/** The module's `required_providers` version constraints for hashicorp/aws: its local name, and the constraint. */
function awsConstraints(tops: TopBlock[]): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, req] of requiredProviders(tops)) {
    const v: Value | undefined = isObj(req) ? req.obj.get('version') : req;
    if (isAwsRequirement(name, req) && isStr(v)) out.push([name, v.str]);
  }
  return out;
}

/** The lock file's block for hashicorp/aws (`provider "registry.terraform.io/hashicorp/aws" { version = ... }`). */
const isAwsLock = (t: TopBlock) => t.type === 'provider' && /(^|\/)hashicorp\/aws$/.test(t.labels[0] ?? '');

/**
 * The first hashicorp/aws version with `kms_key_arn` in `server_side_encryption`
 * (hashicorp/terraform-provider-aws#11081, merged in early 2020; kmsfix asks for this release or later).
 */
export const AWS_KMS_KEY_ARN_SINCE = '2.49.0';

/**
 * The first hashicorp/aws version with which a fix that gives a table's `replica` blocks their keys
 * applies: `multi_region` of `aws_kms_key` and the `aws_kms_replica_key` resource came in 3.64.0, and
 * before 4.52.0 a changed `replica.*.kms_key_arn` of an existing table failed at apply
 * (hashicorp/terraform-provider-aws#29102: "KMSMasterKeyId must be specified for each replica").
 */
export const AWS_REPLICA_KEYS_SINCE = '4.52.0';

/**
 * How the module pins hashicorp/aws to versions older than `minimum` (by default AWS_KMS_KEY_ARN_SINCE,
 * without `kms_key_arn`), as written: a `required_providers` constraint, the legacy `version` of a
 * `provider "aws"` block, or the version its lock file selected; undefined when a version it allows is
 * that recent, or nothing pins it. A constraint counts only when every version it allows is older
 * (`~> 3.40.0`, `< 4.0`): terraform init installs the newest version a constraint allows (`>= 3.0`,
 * `~> 4.0`: a recent one), unless the lock file holds one, which counts as it is.
 */
export function awsProviderPinBelow(tops: TopBlock[], minimum = AWS_KMS_KEY_ARN_SINCE): string | undefined {
  for (const [name, constraint] of awsConstraints(tops)) {
    const pin = pinnedBelow('', constraint, minimum);
    if (pin) return `required_providers ${name} ${pin}`;
  }
  for (const t of tops) {
    if (t.type !== 'provider') continue;
    const v = t.attr('version')?.lit;
    if (v?.type !== 'string') continue;
    const lock = isAwsLock(t);
    if (!lock && t.labels[0] !== 'aws') continue;
    const pin = pinnedBelow('', v.value, minimum);
    if (pin) return lock ? `.terraform.lock.hcl (version ${v.value})` : `provider "aws" ${pin}`;
  }
  return undefined;
}

/** The module's locals whose value is a plain string (no interpolation). */
function plainLocals(tops: TopBlock[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tops) {
    if (t.type !== 'locals') continue;
    const body = readBody(t.text);
    if (isObj(body)) for (const [k, v] of body.obj) if (isStr(v) && !v.str.includes('${') && !out.has(k)) out.set(k, v.str);
  }
  return out;
}

/**
 * The words a file's text holds when moduleInfo can learn something from its blocks: a provider
 * block (or the lock file's, or a `terraform` block's required_providers), a `locals` block, an
 * `aws_kms_*` resource (shared keys, and the names `unique` gives keys, aliases and replica keys),
 * a data source of a kind the fix declares (`unique` gives those too; policy documents). moduleInfo
 * reads nothing else: other resources' and data sources' names are taken, but `unique` is asked
 * only for these kinds. Block types are bare words (HCL) or plain keys (JSON); a label or key
 * spelled with an escape holds a backslash, so a file with one is read too.
 */
const INFO_WORDS = ['provider', 'locals', 'aws_kms', 'aws_caller_identity', 'aws_partition', 'aws_region', 'aws_iam_policy_document', '\\'];

/** Whether moduleInfo could learn anything from this text's blocks (INFO_WORDS); false: its blocks change nothing it returns. */
export function informsModule(text: string): boolean {
  return INFO_WORDS.some((w) => text.includes(w));
}

/** Blocks that name resource addresses the module must not declare (Terraform refuses a plan that does). */
const REFACTORING = new Set(['moved', 'removed', 'import']);

/**
 * `copies`: the module's copies that terragrunt units deploy (generatedFiles.ts), whose generated files declare data
 * sources and constraints of their own (declaredElsewhere, regionAttributeOf).
 */
export function moduleInfo(
  tops: TopBlock[],
  mode: KeyPolicyMode,
  aliasTemplate?: string,
  denyDirectGrants = false,
  copies: DeployedCopy[] = [],
): ModuleInfo {
  const info: ModuleInfo = {
    taken: new Set(),
    caller: new Map(),
    partition: new Map(),
    region: new Map(),
    policy: new Map(),
    providerByRegion: providersByRegion(tops),
    regionOfProvider: providerRegions(tops),
    sharedKey: sharedKeys(tops, aliasTemplate),
    regionAttribute: regionAttributeOf(tops, copies),
    locals: plainLocals(tops),
    aliasNames: new Set(),
  };
  for (const t of tops) {
    if (t.type === 'resource' && t.labels[0] === 'aws_kms_alias') {
      // As `terraform fmt` writes it: no spaces inside `${ }`.
      const name = t
        .attr('name')
        ?.value.trim()
        .replace(/\$\{\s*([^}]*?)\s*\}/g, '${$1}');
      if (name) info.aliasNames.add(name);
    }
    if (t.type === 'locals') {
      const body = readBody(t.text);
      if (isObj(body)) for (const k of body.obj.keys()) info.taken.add(`local.${k}`);
    }
    if (t.type === 'resource' && t.labels.length === 2) info.taken.add(`${t.labels[0]}.${t.labels[1]}`);
    // A refactoring's addresses (moved from and to, removed, import's target): a resource declared at one fails the plan.
    if (REFACTORING.has(t.type))
      for (const a of ['from', 'to']) {
        const address = /^\s*([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)\s*(?:\[[^\]]*\]\s*)?$/.exec(t.attr(a)?.value ?? '');
        if (address && address[1] !== 'module' && address[1] !== 'data') info.taken.add(`${address[1]}.${address[2]}`);
      }
    if (t.type === 'data' && t.labels.length === 2) {
      const address = `data.${t.labels[0]}.${t.labels[1]}`;
      info.taken.add(address);
      // Not reused where a unit's generated file replaces its file (since session 63, adversarial F1).
      if (t.attr('count') || t.attr('for_each') || copies.some((c) => c.lost === 'any' || c.lost?.has(address))) continue;
      const [kind, name] = t.labels;
      const provider = providerRef(t.attr('provider')?.value);
      if (kind === 'aws_caller_identity' && !info.caller.has(provider)) info.caller.set(provider, name);
      else if (kind === 'aws_partition' && !info.partition.has(provider)) info.partition.set(provider, name);
      else if (kind === 'aws_region' && !t.attr('region') && !t.attr('name') && !info.region.has(provider)) info.region.set(provider, name);
    }
  }
  declaredElsewhere(info, tops, copies);
  // kmsfix's own policy documents of this mode (with the Deny of direct grants exactly when asked), from an earlier run: the Region through a provider's
  // data "aws_region", or as a key's `region` argument writes it (`dynamodb.eu-west-2.amazonaws.com`,
  // `dynamodb.${var.region}.amazonaws.com`), with the account of a provider's data "aws_caller_identity".
  for (const t of tops) {
    if (t.type !== 'data' || t.labels[0] !== 'aws_iam_policy_document' || !holdsKeyPolicy(t.text, mode, denyDirectGrants)) continue;
    const m = /data\.aws_region\.([\w-]+)\./.exec(t.text);
    for (const [provider, name] of info.region)
      if (m && m[1] === name && !info.policy.has(provider)) info.policy.set(provider, t.labels[1]);
    const own = m ? undefined : /dynamodb\.(?:\$\{([^}]+)\}|([a-z0-9-]+))\.amazonaws\.com/.exec(t.text);
    const account = /data\.aws_caller_identity\.([\w-]+)\./.exec(t.text)?.[1];
    const provider = [...info.caller].find(([, name]) => name === account)?.[0];
    if (own && provider !== undefined) {
      const place = placeKey({ provider, region: own[1]?.trim() ?? `"${own[2]}"` });
      if (!info.policy.has(place)) info.policy.set(place, t.labels[1]);
    }
  }
  return info;
}

/**
 * The attribute of `data "aws_region"` that holds the Region's name (ModuleInfo.regionAttribute): `region` when the
 * module requires hashicorp/aws 6 or later; for a module terragrunt units deploy, when each unit's copy does (its
 * generated files' constraints and the module's but those of a file a generated one replaces; with none, the unit's
 * lock file, else the module's).
 */
function regionAttributeOf(tops: TopBlock[], copies: DeployedCopy[]): 'name' | 'region' {
  const six = (all: TopBlock[]) => awsProviderMajor(all) >= 6;
  if (copies.length === 0) return six(tops) ? 'region' : 'name';
  // awsProviderMajor reads the first lock file's block: the unit's, before the module folder's. The `terraform` blocks
  // of a module file a generated one replaces are not the copy's (since session 63, adversarial 2 F4).
  const kept = (c: DeployedCopy) => tops.filter((t) => t.type !== 'terraform' || (c.lost !== 'any' && !c.lostTerraform?.has(t.text)));
  return copies.every((c) => six([...c.generated, ...c.lock, ...kept(c)])) ? 'region' : 'name';
}

const FIX_DATA = ['aws_caller_identity', 'aws_partition', 'aws_region'] as const;

/**
 * Data sources of the kinds the fix declares that the module has where terragrunt deploys it, or that it reads and
 * declares where kmsfix cannot see (real-world round 45, F1): never declared a second time.
 * - Each name a unit's generated files declare is taken; one every unit declares, through the same provider (and, for
 *   `aws_region`, with no `region` or `name` of its own), is reused for that provider when the module has none.
 *   A name a generated file the copy may hold or not declares (`maybe`) is taken, never reused; with a file kmsfix
 *   cannot read (`unknown`), the fix's `current` names are taken too (since session 63, adversarial F1).
 * - A `data.aws_caller_identity.x` (or aws_partition, aws_region) the module reads and nothing kmsfix reads declares
 *   is declared elsewhere (a generated file whose contents kmsfix does not read, an override): its name is taken, and
 *   one named `current`, the name the fix gives the default provider's, is reused for the default provider.
 */
function declaredElsewhere(info: ModuleInfo, tops: TopBlock[], copies: DeployedCopy[]): void {
  const maps = { aws_caller_identity: info.caller, aws_partition: info.partition, aws_region: info.region };
  const declared = new Set<string>();
  for (const t of [...tops, ...copies.flatMap((c) => [...c.generated, ...(c.maybe ?? [])])])
    if (t.type === 'data' && t.labels.length === 2) declared.add(`data.${t.labels[0]}.${t.labels[1]}`);
  for (const c of copies) {
    for (const t of [...c.generated, ...(c.maybe ?? [])]) {
      if (t.type === 'data' && t.labels.length === 2) info.taken.add(`data.${t.labels[0]}.${t.labels[1]}`);
      else if (t.type === 'resource' && t.labels.length === 2) info.taken.add(`${t.labels[0]}.${t.labels[1]}`);
    }
    // A file kmsfix cannot read may declare the names the fix gives: its own are named apart from them.
    if (c.unknown) for (const kind of FIX_DATA) info.taken.add(`data.${kind}.current`);
  }
  const reusable = (t: TopBlock, kind: string) =>
    t.type === 'data' &&
    t.labels.length === 2 &&
    t.labels[0] === kind &&
    !t.attr('count') &&
    !t.attr('for_each') &&
    (kind !== 'aws_region' || (!t.attr('region') && !t.attr('name')));
  for (const kind of FIX_DATA) {
    const names = maps[kind];
    for (const t of copies[0]?.generated ?? []) {
      if (!reusable(t, kind)) continue;
      const provider = providerRef(t.attr('provider')?.value);
      const same = (u: TopBlock) => reusable(u, kind) && u.labels[1] === t.labels[1] && providerRef(u.attr('provider')?.value) === provider;
      if (!names.has(provider) && copies.every((c) => c.generated.some(same))) names.set(provider, t.labels[1]);
    }
  }
  for (const t of tops)
    for (const m of t.text.matchAll(/\bdata\.(aws_caller_identity|aws_partition|aws_region)\.([A-Za-z_][\w-]*)/g)) {
      const address = `data.${m[1]}.${m[2]}`;
      if (declared.has(address)) continue;
      info.taken.add(address);
      const names = maps[m[1] as (typeof FIX_DATA)[number]];
      if (m[2] === 'current' && !names.has('')) names.set('', 'current');
    }
}

/** A new name of this kind (`aws_kms_key`, `data.aws_region`...), taken from now on. */
export function unique(info: ModuleInfo, prefix: string, base: string): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
  let name = clean;
  for (let i = 2; info.taken.has(`${prefix}.${name}`); i++) name = `${clean}_${i}`;
  info.taken.add(`${prefix}.${name}`);
  return name;
}
