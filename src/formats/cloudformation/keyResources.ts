/**
 * The CloudFormation resources a fix adds, as values (../yaml/values.ts): the KMS key with its key
 * policy (from src/rule/keyPolicy.ts, with pseudo parameters) and its alias; ../yaml/render.ts
 * writes them in the file's style.
 */
import {
  ALIAS_PREFIX,
  ANY_PRINCIPAL_REASON,
  DEFAULT_KEY_POLICY,
  KEY_SETTINGS,
  SHARED_ALIAS_SUFFIX,
  policyDocument,
  splitPlaceholders,
  type KeyPolicyMode,
  type Placeholder,
} from '../../rule/keyPolicy.js';
import { COMMENT, ref, sub, type Value } from '../yaml/values.js';

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

/** The inline suppressions of a drop-in key, for the rules that fail any `*` principal (src/rule/keyPolicy.ts). */
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
 * The alias of a generated key: `alias/dynamodb/<table name>` (src/rule/keyPolicy.ts), the name read
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
