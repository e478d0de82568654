/**
 * CloudFormation values to insert, independent of syntax: plain data plus intrinsic functions.
 * The key policy is turned into these from src/keyPolicy.ts; render.ts writes them per file style.
 */
import { ALIAS_PREFIX, ANY_PRINCIPAL_REASON, DEFAULT_KEY_POLICY, KEY_SETTINGS, SHARED_ALIAS_SUFFIX, policyDocument, splitPlaceholders, type KeyPolicyMode, type Placeholder } from '../../rule/keyPolicy.js';

export class Intrinsic {
  constructor(
    readonly fn: 'Ref' | 'Fn::GetAtt' | 'Fn::Sub' | 'Fn::Join',
    readonly arg: Value,
  ) {}
}
/** A YAML alias (`*name`), written as is: the value of a merge key that keeps an anchored mapping. */
export class YamlAlias {
  constructor(readonly name: string) {}
}
export type Value = string | number | boolean | Intrinsic | YamlAlias | Value[] | { [key: string]: Value };

export const ref = (name: string) => new Intrinsic('Ref', name);
export const getAtt = (resource: string, attribute: string) => new Intrinsic('Fn::GetAtt', [resource, attribute]);
export const sub = (template: string) => new Intrinsic('Fn::Sub', template);

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

export function keyPolicyValue(mode: KeyPolicyMode): Value {
  return policyDocument(mode, policyString) as Value;
}

export interface KeyResourceSpec {
  description: string;
  retain: boolean;
  condition?: string;
  policy?: KeyPolicyMode;
  /** A serverless.yml: Checkov reads its suppressions from comments there, not from Metadata. */
  serverless?: boolean;
}

/**
 * A key whose name is this is written as a YAML comment line (`# text`) in block style, and left
 * out of JSON and flow style.
 */
export const COMMENT = '\u0000#';

/** The inline suppressions of a drop-in key, for the rules that fail any `*` principal (src/keyPolicy.ts). */
function suppressions(): Value {
  return {
    checkov: { skip: [{ id: 'CKV_AWS_33', comment: ANY_PRINCIPAL_REASON }] },
    cfn_nag: { rules_to_suppress: [{ id: 'F76', reason: ANY_PRINCIPAL_REASON }] },
  };
}

/** CloudFormation's PendingWindowInDays when the template sets none. */
const DEFAULT_PENDING_WINDOW = 30;

/**
 * The key. `PendingWindowInDays` is left at CloudFormation's default, which is the project's 30
 * days (KICS 2844c749 fails any key that sets it).
 */
export function keyResource(spec: KeyResourceSpec): Value {
  const mode = spec.policy ?? DEFAULT_KEY_POLICY;
  const r: { [key: string]: Value } = {};
  if (mode === 'drop-in' && spec.serverless) r[COMMENT] = `checkov:skip=CKV_AWS_33:${ANY_PRINCIPAL_REASON}`;
  r.Type = 'AWS::KMS::Key';
  if (spec.condition) r.Condition = spec.condition;
  if (spec.retain) {
    r.DeletionPolicy = 'Retain';
    r.UpdateReplacePolicy = 'Retain';
  }
  if (mode === 'drop-in') r.Metadata = suppressions();
  const props: { [key: string]: Value } = { Description: spec.description, EnableKeyRotation: KEY_SETTINGS.enableKeyRotation };
  if (KEY_SETTINGS.pendingWindowInDays !== DEFAULT_PENDING_WINDOW) props.PendingWindowInDays = KEY_SETTINGS.pendingWindowInDays;
  props.KeyPolicy = keyPolicyValue(mode);
  r.Properties = props;
  return r;
}

/**
 * The alias of a generated key: `alias/dynamodb/<table name>` (src/keyPolicy.ts), the name read
 * with the table's Ref; `-shared` after the first table's name for a key shared by several tables.
 */
export function aliasResource(table: string, keyId: string, condition?: string, shared = false): Value {
  const r: { [key: string]: Value } = { Type: 'AWS::KMS::Alias' };
  if (condition) r.Condition = condition;
  r.Properties = {
    AliasName: sub(`${ALIAS_PREFIX}\${${table}}${shared ? SHARED_ALIAS_SUFFIX : ''}`),
    TargetKeyId: ref(keyId),
  };
  return r;
}

/**
 * Serverless Framework resolves `${...}` itself, so a Sub with `${AWS::...}` would clash with its
 * variables: there, Sub is written as Join of literal parts and Refs.
 */
export function subToJoin(template: string): Intrinsic {
  const parts: Value[] = [];
  const re = /\$\{([^}]+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(ref(m[1]));
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return new Intrinsic('Fn::Join', ['', parts]);
}
