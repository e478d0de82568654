/**
 * The code each framework gets, built from src/rule/keyPolicy.ts (never retyped): one key-policy helper
 * function per file, a KMS key and an alias per table (or per shared key), and the lookups of the
 * account, partition and Region the CDKTF and Pulumi policies need.
 *
 * - AWS CDK: `dynamoDbKeyPolicy()` returns a new `iam.PolicyDocument` for each key (a document is
 *   mutable: grants on one key must not land in another key's policy); `kms.Key`, `key.addAlias(...)`.
 * - CDKTF: `dynamoDbKeyPolicy(callerIdentity, partition, region)` returns the JSON policy built from
 *   the scope's `DataAwsCallerIdentity` / `DataAwsPartition` / `DataAwsRegion`; `KmsKey`, `KmsAlias`.
 * - Pulumi: the same with `aws.getCallerIdentityOutput()`... outputs and `pulumi.jsonStringify`;
 *   `aws.kms.Key`, `aws.kms.Alias`.
 */
import { aliasParts, DEFAULT_DELETION_WINDOW, type KeySettings } from '../../rule/keySettings.js';
import {
  ACCOUNT_ROOT,
  ANY_PRINCIPAL,
  KEY_SETTINGS,
  keyPolicy,
  policyDocument,
  splitPlaceholders,
  type KeyPolicyMode,
  type Placeholder,
} from '../../rule/keyPolicy.js';
import { arr, call, obj, raw, seq, str, type Code } from './code.js';
import type { CdkTableTag, TableTags } from './keyTags.js';

export type Ref = (module: string, member: string[]) => string;

export const CDK = 'aws-cdk-lib';
export const CDK_KMS = 'aws-cdk-lib/aws-kms';
export const CDK_IAM = 'aws-cdk-lib/aws-iam';
export const CDK_DYNAMODB = 'aws-cdk-lib/aws-dynamodb';
/**
 * Where @cdktf/provider-aws keeps what the fix writes, in the layout of the table's own import: one
 * module per resource (`lib/kms-key`, v10 and later) or one namespace per service (`lib/kms`,
 * `lib/datasources`, v9 and earlier: `import { kms } from '@cdktf/provider-aws'`).
 */
export type CdktfLayout = 'lib' | 'namespaced';
const CDKTF_LIB = '@cdktf/provider-aws/lib/';
export const CDKTF_KMS: Record<CdktfLayout, string> = { lib: CDKTF_LIB + 'kms-key', namespaced: CDKTF_LIB + 'kms' };
export const CDKTF_KMS_ALIAS: Record<CdktfLayout, string> = { lib: CDKTF_LIB + 'kms-alias', namespaced: CDKTF_LIB + 'kms' };
export const PULUMI_AWS = '@pulumi/aws';
export const PULUMI = '@pulumi/pulumi';
export const CDKTF_CORE = 'cdktf';

/** A template literal body: backticks, backslashes and `${` escaped. */
export function templatePart(s: string): string {
  return s.replace(/[`\\]/g, (c) => '\\' + c).replace(/\$\{/g, '\\${');
}

/** A key-policy template string as code: a plain string, a lone expression, or a template literal. */
export function policyString(template: string, vars: Record<Placeholder, string>, tag = ''): Code {
  const parts = splitPlaceholders(template);
  if (parts.every((p) => typeof p === 'string')) return str(template);
  if (parts.length === 1 && typeof parts[0] !== 'string') return raw(vars[parts[0].placeholder]);
  return raw(tag + '`' + parts.map((p) => (typeof p === 'string' ? templatePart(p) : '${' + vars[p.placeholder] + '}')).join('') + '`');
}

/**
 * The placeholders the policy of a mode uses: the lookups a CDKTF or Pulumi scope needs, and the
 * parameters of the helper, in the order its callers pass them (`--key-policy iam` needs no Region).
 */
export function helperParams(mode: KeyPolicyMode): Placeholder[] {
  const used = new Set<Placeholder>();
  for (const s of keyPolicy(mode)) {
    const templates = ['aws' in s.principal ? s.principal.aws : '', ...Object.values(s.stringEquals ?? {})];
    for (const t of templates) for (const p of splitPlaceholders(t)) if (typeof p !== 'string') used.add(p.placeholder);
  }
  return (['account', 'partition', 'region'] as Placeholder[]).filter((p) => used.has(p));
}

/** The comment above the helper: what the policy lets whom do (the statements' Sids say the rest). */
export function policyComment(mode: KeyPolicyMode, denyDirectGrants = false): string {
  const text =
    mode === 'iam'
      ? 'DynamoDB table key policy: IAM policies grant the use of the key.'
      : 'DynamoDB table key policy, like aws/dynamodb: used only through DynamoDB.';
  // key: deny_direct_grants: what tells this helper from one an earlier run wrote without it.
  return denyDirectGrants ? `${text} No grant outside AWS services.` : text;
}

export const POLICY_HELPER = 'dynamoDbKeyPolicy';

/**
 * The table name an alias is made of: an expression read from the table at deploy time
 * (`orders.tableName`, or one that writes its `.` as `-` there), or the name the table is given as a
 * literal, already cut down to the characters KMS allows in alias names (a DynamoDB table name may
 * hold `.`, an alias may not).
 */
export type AliasName = { expr: Code } | { literal: string };

/**
 * The alias from the key settings' template (`alias/dynamodb/{table}` by default; `-shared` for a
 * shared key) around the table's name: a template literal around an expression (`tag` before it, as
 * Pulumi's `pulumi.interpolate`), or a plain string for a literal name.
 */
function aliasCode(name: AliasName, shared: boolean, template: string | undefined, tag = ''): Code {
  const { before, after } = aliasParts(template, shared);
  if ('literal' in name) return str(before + name.literal + after);
  return seq(raw(tag + '`' + templatePart(before) + '${'), name.expr, raw('}' + templatePart(after) + '`'));
}

/** Key props every generated key of a framework gets from the key settings, in the order they are written. */
function settingEntries(settings: KeySettings | undefined, deletionWindow: (days: number) => [string, Code] | undefined): [string, Code][] {
  const out: [string, Code][] = [];
  if (settings?.multiRegion) out.push(['multiRegion', raw('true')]);
  const w = deletionWindow(settings?.deletionWindowDays ?? DEFAULT_DELETION_WINDOW);
  if (w) out.push(w);
  return out;
}

/**
 * `tags: { team: 'data' }` (CDKTF, Pulumi): the table's own (keyTags.ts), then the settings', which win on a tag key
 * both name; a table's tags given by an expression whole give way to the settings' tags.
 */
function tagEntries(settings: KeySettings | undefined, table?: TableTags): [string, Code][] {
  const own = Object.entries(settings?.tags ?? {}).map(([k, v]): [string, Code] => [k, str(v)]);
  if (table && 'whole' in table) return own.length ? [['tags', obj(own)]] : [['tags', table.whole]];
  const named = new Set(own.map(([k]) => k));
  const tags = [...(table?.entries ?? []).filter(([k]) => !named.has(k)), ...own];
  return tags.length ? [['tags', obj(tags)]] : [];
}

// ---------------------------------------------------------------- AWS CDK

export function cdkPolicyDocument(ref: Ref, mode: KeyPolicyMode, denyDirectGrants = false): Code {
  const vars: Record<Placeholder, string> = {
    partition: ref(CDK, ['Aws', 'PARTITION']),
    account: ref(CDK, ['Aws', 'ACCOUNT_ID']),
    region: ref(CDK, ['Aws', 'REGION']),
  };
  // The whole key policy, the root's statement included: given a `policy`, kms.Key adds no statement of its own.
  const statements = keyPolicy(mode, denyDirectGrants).map((s) => {
    let principal: Code;
    if ('service' in s.principal) principal = call(`new ${ref(CDK_IAM, ['ServicePrincipal'])}`, str(s.principal.service));
    else if (s.principal.aws === ACCOUNT_ROOT) principal = call(`new ${ref(CDK_IAM, ['AccountRootPrincipal'])}`);
    else if (s.principal.aws === ANY_PRINCIPAL) principal = call(`new ${ref(CDK_IAM, ['AnyPrincipal'])}`);
    else principal = call(`new ${ref(CDK_IAM, ['ArnPrincipal'])}`, policyString(s.principal.aws, vars));
    const entries: [string, Code][] = [
      ['sid', str(s.sid)],
      // iam.PolicyStatement's effect defaults to ALLOW.
      ...(s.effect === 'Deny' ? [['effect', raw(ref(CDK_IAM, ['Effect', 'DENY']))] as [string, Code]] : []),
      ['principals', arr([principal])],
      ['actions', arr(s.actions.map(str))],
      ['resources', arr([str('*')])],
    ];
    const conditions: [string, Code][] = [
      ...(s.stringEquals
        ? [['StringEquals', obj(Object.entries(s.stringEquals).map(([k, v]) => [k, policyString(v, vars)]))] as [string, Code]]
        : []),
      ...(s.boolIfExists ? [['BoolIfExists', obj(Object.entries(s.boolIfExists).map(([k, v]) => [k, str(v)]))] as [string, Code]] : []),
    ];
    if (conditions.length > 0) entries.push(['conditions', obj(conditions)]);
    return call(`new ${ref(CDK_IAM, ['PolicyStatement'])}`, obj(entries));
  });
  return call(`new ${ref(CDK_IAM, ['PolicyDocument'])}`, obj([['statements', arr(statements)]]));
}

export interface CdkKeySpec {
  scope: string;
  /** The construct id, as code. */
  id: Code;
  description: Code;
  /** The key's removalPolicy, following its tables' (absent: kms.Key's default, RETAIN). */
  removal?: Code;
  /** The call of the file's policy helper. */
  policy: Code;
  settings?: KeySettings;
}

export function cdkKey(ref: Ref, spec: CdkKeySpec): Code {
  return call(
    `new ${ref(CDK_KMS, ['Key'])}`,
    raw(spec.scope),
    spec.id,
    obj([
      ['description', spec.description],
      ['enableKeyRotation', raw(String(KEY_SETTINGS.enableKeyRotation))],
      // kms.Key's pendingWindow defaults to 30 days: written only when another window is chosen.
      ...settingEntries(spec.settings, (days) =>
        days === DEFAULT_DELETION_WINDOW ? undefined : ['pendingWindow', call(ref(CDK, ['Duration', 'days']), raw(String(days)))],
      ),
      ...(spec.removal ? [['removalPolicy', spec.removal] as [string, Code]] : []),
      ['policy', spec.policy],
    ]),
  );
}

/**
 * `Tags.of(key).add('team', 'data')`, one statement per tag (CDK tags constructs, not props): the table's own
 * `Tags.of(table).add(...)` repeated (keyTags.ts), then the key settings', which win on a tag key both name (the
 * table's statement left out).
 */
export function cdkTags(ref: Ref, keyVar: string, settings: KeySettings | undefined, table: CdkTableTag[] = []): Code[] {
  const own = Object.entries(settings?.tags ?? {});
  const kept = table.filter((t) => t.key === undefined || !Object.hasOwn(settings?.tags ?? {}, t.key));
  if (kept.length + own.length === 0) return [];
  // `ref` imports `Tags` when the file does not: only for a key that gets tags.
  const head = `${ref(CDK, ['Tags'])}.of(${keyVar}).add`;
  return [...kept.map((t) => call(head, ...t.args)), ...own.map(([k, v]) => call(head, str(k), str(v)))];
}

/** An existing key, by ARN (--kms-key-arn). */
export function cdkImportedKey(ref: Ref, scope: string, id: Code, arn: Code): Code {
  return call(ref(CDK_KMS, ['Key', 'fromKeyArn']), raw(scope), id, arn);
}

/** `key.addAlias(`alias/dynamodb/${table.tableName}`)`. */
export function cdkAlias(keyVar: string, name: AliasName, shared: boolean, template?: string): Code {
  return call(`${keyVar}.addAlias`, aliasCode(name, shared, template));
}

// ---------------------------------------------------------------- JSON policies (CDKTF, Pulumi)

/** Plain policy data as code; rendered template strings are already Code (a tagged object). */
function toCode(v: unknown): Code {
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return arr(v.map(toCode));
  if (typeof v === 'object' && v !== null && 'kind' in v) return v as Code;
  return obj(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toCode(x)]));
}

/** The helper's parameter for each placeholder. */
export const LOOKUP_PARAMS: Record<Placeholder, string> = { account: 'callerIdentity', partition: 'partition', region: 'region' };

export type RegionAttribute = 'name' | 'region';

function lookupReads(region: RegionAttribute): Record<Placeholder, string> {
  return { account: 'callerIdentity.accountId', partition: 'partition.partition', region: `region.${region}` };
}

/** The CDKTF helper: `function dynamoDbKeyPolicy(callerIdentity: DataAwsCallerIdentity, ...) { return JSON.stringify({...}); }`. */
export function cdktfPolicyHelper(
  refType: Ref,
  mode: KeyPolicyMode,
  region: RegionAttribute,
  layout: CdktfLayout,
  denyDirectGrants = false,
): { params: string[]; returns: string; value: Code } {
  const params = helperParams(mode).map((p) => `${LOOKUP_PARAMS[p]}: ${refType(cdktfLookupModule(p, layout), [CDKTF_LOOKUP[p].cls])}`);
  return {
    params,
    returns: 'string',
    value: call('JSON.stringify', toCode(policyDocument(mode, (t) => policyString(t, lookupReads(region), ''), denyDirectGrants))),
  };
}

/** The Pulumi helper: `function dynamoDbKeyPolicy(callerIdentity: pulumi.Output<aws.GetCallerIdentityResult>, ...)`. */
export function pulumiPolicyHelper(
  ref: Ref,
  refType: Ref,
  mode: KeyPolicyMode,
  region: RegionAttribute,
  denyDirectGrants = false,
): { params: string[]; returns: string; value: Code } {
  const output = refType(PULUMI, ['Output']);
  const params = helperParams(mode).map((p) => `${LOOKUP_PARAMS[p]}: ${output}<${refType(PULUMI_AWS, [PULUMI_LOOKUP[p].result])}>`);
  const interpolate = ref(PULUMI, ['interpolate']);
  return {
    params,
    returns: `${output}<string>`,
    value: call(
      ref(PULUMI, ['jsonStringify']),
      toCode(policyDocument(mode, (t) => policyString(t, lookupReads(region), interpolate), denyDirectGrants)),
    ),
  };
}

// ---------------------------------------------------------------- lookups

export const CDKTF_LOOKUP: Record<Placeholder, { module: string; cls: string; id: string }> = {
  account: { module: '@cdktf/provider-aws/lib/data-aws-caller-identity', cls: 'DataAwsCallerIdentity', id: 'CallerIdentity' },
  partition: { module: '@cdktf/provider-aws/lib/data-aws-partition', cls: 'DataAwsPartition', id: 'Partition' },
  region: { module: '@cdktf/provider-aws/lib/data-aws-region', cls: 'DataAwsRegion', id: 'Region' },
};

export const PULUMI_LOOKUP: Record<Placeholder, { fn: string; result: string }> = {
  account: { fn: 'getCallerIdentityOutput', result: 'GetCallerIdentityResult' },
  partition: { fn: 'getPartitionOutput', result: 'GetPartitionResult' },
  region: { fn: 'getRegionOutput', result: 'GetRegionResult' },
};

/** The module of a lookup's class in a provider layout. */
export function cdktfLookupModule(p: Placeholder, layout: CdktfLayout): string {
  return layout === 'namespaced' ? CDKTF_LIB + 'datasources' : CDKTF_LOOKUP[p].module;
}

/**
 * `new DataAwsRegion(this, 'Region')`, with the table's provider when it has one; the Region lookup of a
 * table with a `region` of its own selects that Region (`region`: hashicorp/aws 6, the provider's when unset).
 */
export function cdktfLookup(
  ref: Ref,
  p: Placeholder,
  spec: { scope: string; id: Code; provider: string | undefined; region?: string; layout: CdktfLayout },
): Code {
  const l = CDKTF_LOOKUP[p];
  const entries: [string, Code][] = [];
  if (spec.provider) entries.push(['provider', raw(spec.provider)]);
  if (spec.region) entries.push(['region', raw(spec.region)]);
  return call(
    `new ${ref(cdktfLookupModule(p, spec.layout), [l.cls])}`,
    raw(spec.scope),
    spec.id,
    ...(entries.length ? [obj(entries)] : []),
  );
}

/** `aws.getRegionOutput()`, or `aws.getRegionOutput({}, { parent: this })` with the table's parent / provider. */
export function pulumiLookup(ref: Ref, p: Placeholder, opts: Code | undefined): Code {
  return call(ref(PULUMI_AWS, [PULUMI_LOOKUP[p].fn]), ...(opts ? [raw('{}'), opts] : []));
}

// ---------------------------------------------------------------- CDKTF and Pulumi keys and aliases

export interface TfKeySpec {
  layout: CdktfLayout;
  scope: string;
  id: Code;
  description: Code;
  policy: Code;
  /** Extra entries (provider, lifecycle) copied from the table. */
  extra: [string, Code][];
  settings?: KeySettings;
  /** The table's own tags (keyTags.ts). */
  tableTags?: TableTags;
}

/** CDKTF and Pulumi: `deletionWindowInDays` always (the provider's default is 30 too, written for the reader), then `multiRegion`. */
function tfSettingEntries(settings: KeySettings | undefined): [string, Code][] {
  const days = settings?.deletionWindowDays ?? KEY_SETTINGS.pendingWindowInDays;
  return [['deletionWindowInDays', raw(String(days))], ...settingEntries(settings, () => undefined)];
}

/** A CDKTF KmsKey's or a Pulumi kms.Key's properties (one provider's arguments): its description, rotation, settings, policy and tags. */
function tfKeyEntries(spec: { description: Code; policy: Code; settings?: KeySettings; tableTags?: TableTags }): [string, Code][] {
  return [
    ['description', spec.description],
    ['enableKeyRotation', raw(String(KEY_SETTINGS.enableKeyRotation))],
    ...tfSettingEntries(spec.settings),
    ['policy', spec.policy],
    ...tagEntries(spec.settings, spec.tableTags),
  ];
}

export function cdktfKey(ref: Ref, spec: TfKeySpec): Code {
  return call(`new ${ref(CDKTF_KMS[spec.layout], ['KmsKey'])}`, raw(spec.scope), spec.id, obj([...tfKeyEntries(spec), ...spec.extra]));
}

export function cdktfAlias(
  ref: Ref,
  spec: {
    layout: CdktfLayout;
    scope: string;
    id: Code;
    keyVar: string;
    tableName: AliasName;
    shared: boolean;
    provider?: string;
    /** The table's own `region` (cdktfRegion.ts): the alias is in the key's Region. */
    region?: string;
    template?: string;
  },
): Code {
  return call(
    `new ${ref(CDKTF_KMS_ALIAS[spec.layout], ['KmsAlias'])}`,
    raw(spec.scope),
    spec.id,
    obj([
      ['name', aliasCode(spec.tableName, spec.shared, spec.template)],
      ['targetKeyId', raw(`${spec.keyVar}.keyId`)],
      ...(spec.provider ? [['provider', raw(spec.provider)] as [string, Code]] : []),
      ...(spec.region ? [['region', raw(spec.region)] as [string, Code]] : []),
    ]),
  );
}

export interface PulumiKeySpec {
  name: Code;
  description: Code;
  policy: Code;
  opts?: Code;
  settings?: KeySettings;
  /** The table's own tags (keyTags.ts). */
  tableTags?: TableTags;
}

export function pulumiKey(ref: Ref, spec: PulumiKeySpec): Code {
  const args: Code[] = [spec.name, obj(tfKeyEntries(spec))];
  if (spec.opts) args.push(spec.opts);
  return call(`new ${ref(PULUMI_AWS, ['kms', 'Key'])}`, ...args);
}

export function pulumiAlias(
  ref: Ref,
  spec: { name: Code; keyVar: string; tableName: AliasName; shared: boolean; opts?: Code; template?: string },
): Code {
  const args: Code[] = [
    spec.name,
    obj([
      ['name', aliasCode(spec.tableName, spec.shared, spec.template, 'literal' in spec.tableName ? '' : ref(PULUMI, ['interpolate']))],
      ['targetKeyId', raw(`${spec.keyVar}.keyId`)],
    ]),
  ];
  if (spec.opts) args.push(spec.opts);
  return call(`new ${ref(PULUMI_AWS, ['kms', 'Alias'])}`, ...args);
}
