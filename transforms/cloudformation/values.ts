/**
 * CloudFormation values to insert, independent of syntax: plain data plus intrinsic functions.
 * The key policy is turned into these from src/keyPolicy.ts; render.ts writes them per file style.
 */
import { DEFAULT_KEY_POLICY, KEY_SETTINGS, policyDocument, splitPlaceholders, type KeyPolicyMode, type Placeholder } from '../../src/keyPolicy.js';

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
}

export function keyResource(spec: KeyResourceSpec): Value {
  const r: { [key: string]: Value } = { Type: 'AWS::KMS::Key' };
  if (spec.condition) r.Condition = spec.condition;
  if (spec.retain) {
    r.DeletionPolicy = 'Retain';
    r.UpdateReplacePolicy = 'Retain';
  }
  r.Properties = {
    Description: spec.description,
    EnableKeyRotation: KEY_SETTINGS.enableKeyRotation,
    PendingWindowInDays: KEY_SETTINGS.pendingWindowInDays,
    KeyPolicy: keyPolicyValue(spec.policy ?? DEFAULT_KEY_POLICY),
  };
  return r;
}

export function aliasResource(aliasSuffix: string, keyId: string, condition?: string): Value {
  const r: { [key: string]: Value } = { Type: 'AWS::KMS::Alias' };
  if (condition) r.Condition = condition;
  r.Properties = {
    AliasName: sub('alias/${AWS::StackName}/' + aliasSuffix),
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
