/**
 * The CloudFormation resources a fix adds, as values (values.ts): the KMS key with its key
 * policy (from src/rule/keyPolicy.ts, with pseudo parameters) and its alias; render.ts writes them in
 * a template's style, and typescript/fixResources.ts as a serverless.ts's TypeScript (shared by both
 * families, so here).
 */
import { aliasParts, DEFAULT_DELETION_WINDOW, type KeySettings } from '../../rule/keySettings.js';
import {
  ANY_PRINCIPAL_REASON,
  DEFAULT_KEY_POLICY,
  KEY_SETTINGS,
  policyDocument,
  splitPlaceholders,
  type KeyPolicyMode,
  type Placeholder,
} from '../../rule/keyPolicy.js';
import { COMMENT, Intrinsic, YamlAlias, constant, ref, sub, type Value } from './values.js';

const PSEUDO: Record<Placeholder, string> = {
  partition: 'AWS::Partition',
  account: 'AWS::AccountId',
  region: 'AWS::Region',
};

/** A key-policy template string as a CloudFormation value: Ref for a lone placeholder, else Sub. */
function policyString(template: string): Value {
  const parts = splitPlaceholders(template);
  if (parts.length === 1 && typeof parts[0] !== 'string') return ref(PSEUDO[parts[0].placeholder]);
  if (parts.every((p) => typeof p === 'string')) return template;
  return sub(parts.map((p) => (typeof p === 'string' ? p : '${' + PSEUDO[p.placeholder] + '}')).join(''));
}

/** The key policy of each mode, with or without the Deny of direct grants, built once (a constant: render.ts writes it once per place and style). */
const POLICY_VALUES = new Map<string, Value>();

export function keyPolicyValue(mode: KeyPolicyMode, denyDirectGrants = false): Value {
  const id = `${mode}:${denyDirectGrants}`;
  let v = POLICY_VALUES.get(id);
  if (!v) POLICY_VALUES.set(id, (v = constant(policyDocument(mode, policyString, denyDirectGrants) as Value)));
  return v;
}

/**
 * How a key outlives its stack (undefined: deleted with it, scheduled for deletion). `RetainExceptOnCreate`
 * when the only reason to keep it is that policy on its table: a stack create that fails then deletes the
 * key with the table (a `Retain` key would be left behind, unused and billed, each try), and any later
 * operation keeps it as `Retain` does. Any other reason (a `Retain` policy, deletion protection,
 * point-in-time recovery, a backup of the table) is `Retain`.
 */
export type KeyRetention = 'Retain' | 'RetainExceptOnCreate' | undefined;

/** The retention of a key whose tables retain as given: the strongest of them (a shared key's). */
export function strongestRetention(retentions: KeyRetention[]): KeyRetention {
  return retentions.includes('Retain') ? 'Retain' : retentions.includes('RetainExceptOnCreate') ? 'RetainExceptOnCreate' : undefined;
}

/**
 * The retention a table's DeletionPolicy and UpdateReplacePolicy ask of its key, as written (undefined:
 * absent, or something not a string, as an `Fn::If` is): `Delete` or absent asks none,
 * `RetainExceptOnCreate` (DeletionPolicy only; UpdateReplacePolicy does not take it) asks as much,
 * anything else (`Retain`, `Snapshot`, a function) `Retain`.
 */
export function policyRetention(policies: { written: boolean; value: string | undefined }[]): KeyRetention {
  return strongestRetention(
    policies.map(({ written, value }) =>
      !written || value === 'Delete' ? undefined : value === 'RetainExceptOnCreate' ? 'RetainExceptOnCreate' : 'Retain',
    ),
  );
}

export interface KeyResourceSpec {
  /** A string, or a Fn::Sub in a Fn::ForEach body (`${Name}` put in by the loop). */
  description: Value;
  retain: KeyRetention;
  condition?: string;
  policy?: KeyPolicyMode;
  /** A serverless.yml: Checkov reads its suppressions from comments there, not from Metadata. */
  serverless?: boolean;
  /** Tags, multi-Region and deletion window (src/rule/keySettings.ts; the description comes resolved). */
  settings?: KeySettings;
  /** The table's own `Tags` as written (a `{Key, Value}` list, or a function giving one), merged with the settings' tags (keyTags). */
  tableTags?: Value;
}

/** The inline suppressions of a drop-in key, for the rules that fail any `*` principal (src/rule/keyPolicy.ts). */
function suppressions(): Value {
  return {
    checkov: { skip: [{ id: 'CKV_AWS_33', comment: ANY_PRINCIPAL_REASON }] },
    cfn_nag: { rules_to_suppress: [{ id: 'F76', reason: ANY_PRINCIPAL_REASON }] },
  };
}

/** CloudFormation's PendingWindowInDays when the template sets none. */
const DEFAULT_PENDING_WINDOW = DEFAULT_DELETION_WINDOW;

/**
 * The key. `PendingWindowInDays` is written only when the key settings ask for another window than
 * CloudFormation's default, which is the project's 30 days (KICS 2844c749 fails any key that sets
 * it); `MultiRegion: true` when asked; tags as `Tags: [{Key, Value}]`, last: the table's own (keyTags), then
 * `key: tags` in the order given.
 * `DeletionPolicy`/`UpdateReplacePolicy: Retain` under `key: retain: always`, whatever its tables ask.
 */
export function keyResource(spec: KeyResourceSpec): Value {
  const mode = spec.policy ?? DEFAULT_KEY_POLICY;
  const r: { [key: string]: Value } = {};
  if (mode === 'drop-in' && spec.serverless) r[COMMENT] = `checkov:skip=CKV_AWS_33:${ANY_PRINCIPAL_REASON}`;
  r.Type = 'AWS::KMS::Key';
  if (spec.condition) r.Condition = spec.condition;
  const settings = spec.settings ?? {};
  // `key: retain: always` keeps every key, on a failed create too (RetainExceptOnCreate would not: the
  // roll back race of docs/rolling-back.md is a failed deploy's).
  const retain = settings.retain === 'always' ? 'Retain' : spec.retain;
  if (retain) {
    r.DeletionPolicy = retain;
    // UpdateReplacePolicy takes Delete, Retain or Snapshot: a replaced key is kept either way.
    r.UpdateReplacePolicy = 'Retain';
  }
  if (mode === 'drop-in') r.Metadata = suppressions();
  const props: { [key: string]: Value } = { Description: spec.description, EnableKeyRotation: KEY_SETTINGS.enableKeyRotation };
  if (settings.multiRegion) props.MultiRegion = true;
  const window = settings.deletionWindowDays ?? KEY_SETTINGS.pendingWindowInDays;
  if (window !== DEFAULT_PENDING_WINDOW) props.PendingWindowInDays = window;
  props.KeyPolicy = keyPolicyValue(mode, settings.denyDirectGrants);
  const tags = keyTags(spec.tableTags, settings.tags ?? {});
  if (tags !== undefined) props.Tags = tags;
  r.Properties = props;
  return r;
}

/**
 * A key's `Tags`: the table's own, as written, then `key: tags`, which wins on a tag key both name (the table's item
 * left out). A table's `Tags` that a function gives (`!If [...]`, `!Ref` a list) is kept whole where `key: tags` is
 * empty, and gives way to it otherwise (the two cannot be merged in the template). Undefined: no tags.
 */
export function keyTags(table: Value | undefined, settings: Record<string, string>): Value | undefined {
  const own = Object.entries(settings).map(([Key, Value]) => ({ Key, Value }));
  if (table === undefined || (!Array.isArray(table) && own.length > 0)) return own.length > 0 ? own : undefined;
  if (!Array.isArray(table)) return table;
  const kept = table.filter((item) => !(isTag(item) && typeof item.Key === 'string' && Object.hasOwn(settings, item.Key)));
  const tags = [...kept, ...own];
  return tags.length > 0 ? tags : undefined;
}

const isTag = (v: Value): v is { [key: string]: Value } =>
  typeof v === 'object' && !Array.isArray(v) && !(v instanceof Intrinsic) && !(v instanceof YamlAlias);

/**
 * The alias of a generated key: the alias template (src/rule/keySettings.ts, default
 * `alias/dynamodb/{table}`) around the table's name read with the table's Ref; `-shared` after the
 * first table's name for a key shared by several tables.
 */
export function aliasResource(
  table: string,
  keyId: string,
  condition?: string,
  shared = false,
  template?: string,
  /** The key as the alias names it (default `!Ref keyId`; in a Fn::ForEach body `!GetAtt [!Sub keyId, Arn]`). */
  target: Value = ref(keyId),
  /**
   * The table's name may hold a `.` (DynamoDB allows it, a KMS alias does not): the alias name is
   * split at each `.` and joined with `-` when the stack deploys.
   */
  dotted = false,
): Value {
  const r: { [key: string]: Value } = { Type: 'AWS::KMS::Alias' };
  if (condition) r.Condition = condition;
  const { before, after } = aliasParts(template, shared);
  const name = sub(`${before}\${${table}}${after}`);
  r.Properties = {
    AliasName: dotted ? new Intrinsic('Fn::Join', ['-', new Intrinsic('Fn::Split', ['.', name])]) : name,
    TargetKeyId: target,
  };
  return r;
}

/** Substitutions that never hold a `.`: pseudo parameters (not AWS::URLSuffix) and the Serverless stage and service (names the Framework allows without one). */
const DOTLESS =
  /^(?:AWS::(?:StackName|Region|AccountId|Partition)|sls:stage|opt:stage(?:,.*)?|self:provider\.stage|self:service|sls:instanceId)$/;

/**
 * May a table's name, a string with substitutions (`${Stage}.orders`, `orders-${sls:stage}`), hold a
 * `.` when deployed, which a KMS alias name cannot? Yes when its literal parts hold one, or a
 * substitution might: a parameter that `variableDotless` does not clear, a resource attribute, a
 * Serverless variable other than the stage and service.
 */
export function nameMayHoldDot(name: string, variableDotless: (name: string) => boolean = () => false): boolean {
  if (name.replace(/\$\{[^}]*\}/g, '').includes('.')) return true;
  for (const m of name.matchAll(/\$\{([^}]*)\}/g)) {
    const v = m[1].trim();
    if (!v.startsWith('!') && !DOTLESS.test(v) && !variableDotless(v)) return true;
  }
  return false;
}
