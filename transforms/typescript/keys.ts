/**
 * The KMS key each framework gets, built from src/keyPolicy.ts (never retyped): AWS CDK `kms.Key`
 * with `iam.PolicyStatement`s, CDKTF `KmsKey` and Pulumi `aws.kms.Key` with a JSON policy whose
 * account, Region and partition come from the provider's data sources.
 */
import { ACCOUNT_ROOT, ANY_PRINCIPAL, KEY_SETTINGS, keyPolicy, policyDocument, splitPlaceholders, type KeyPolicyMode, type Placeholder } from '../../src/keyPolicy.js';
import { arr, call, obj, raw, str, type Code } from './code.js';

export type Ref = (module: string, member: string[]) => string;

export const CDK = 'aws-cdk-lib';
export const CDK_KMS = 'aws-cdk-lib/aws-kms';
export const CDK_IAM = 'aws-cdk-lib/aws-iam';
export const CDK_DYNAMODB = 'aws-cdk-lib/aws-dynamodb';
export const CDKTF_KMS = '@cdktf/provider-aws/lib/kms-key';
export const PULUMI_AWS = '@pulumi/aws';
export const PULUMI = '@pulumi/pulumi';

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

// ---------------------------------------------------------------- AWS CDK

export interface CdkKeySpec {
  scope: string;
  /** The construct id, as code. */
  id: Code;
  description: Code;
  /** `RETAIN` or `DESTROY`. */
  removal: 'RETAIN' | 'DESTROY';
  policy: KeyPolicyMode;
}

export function cdkPolicyStatements(ref: Ref, mode: KeyPolicyMode): Code[] {
  const vars: Record<Placeholder, string> = {
    partition: ref(CDK, ['Aws', 'PARTITION']),
    account: ref(CDK, ['Aws', 'ACCOUNT_ID']),
    region: ref(CDK, ['Aws', 'REGION']),
  };
  // The whole key policy, the root's statement included: given a `policy`, kms.Key adds no statement of its own.
  return keyPolicy(mode).map((s) => {
    let principal: Code;
    if ('service' in s.principal) principal = call(`new ${ref(CDK_IAM, ['ServicePrincipal'])}`, str(s.principal.service));
    else if (s.principal.aws === ACCOUNT_ROOT) principal = call(`new ${ref(CDK_IAM, ['AccountRootPrincipal'])}`);
    else if (s.principal.aws === ANY_PRINCIPAL) principal = call(`new ${ref(CDK_IAM, ['AnyPrincipal'])}`);
    else principal = call(`new ${ref(CDK_IAM, ['ArnPrincipal'])}`, policyString(s.principal.aws, vars));
    const entries: [string, Code][] = [
      ['sid', str(s.sid)],
      ['principals', arr([principal])],
      ['actions', arr(s.actions.map(str))],
      ['resources', arr([str('*')])],
    ];
    if (s.stringEquals) {
      entries.push([
        'conditions',
        obj([['StringEquals', obj(Object.entries(s.stringEquals).map(([k, v]) => [k, policyString(v, vars)]))]]),
      ]);
    }
    return call(`new ${ref(CDK_IAM, ['PolicyStatement'])}`, obj(entries));
  });
}

export function cdkKey(ref: Ref, spec: CdkKeySpec): Code {
  return call(
    `new ${ref(CDK_KMS, ['Key'])}`,
    raw(spec.scope),
    spec.id,
    obj([
      ['description', spec.description],
      ['enableKeyRotation', raw(String(KEY_SETTINGS.enableKeyRotation))],
      ['removalPolicy', raw(ref(CDK, ['RemovalPolicy', spec.removal]))],
      ['policy', call(`new ${ref(CDK_IAM, ['PolicyDocument'])}`, obj([['statements', arr(cdkPolicyStatements(ref, spec.policy))]]))],
    ]),
  );
}

/** An existing key, by ARN (--kms-key-arn). */
export function cdkImportedKey(ref: Ref, scope: string, id: Code, arn: Code): Code {
  return call(ref(CDK_KMS, ['Key', 'fromKeyArn']), raw(scope), id, arn);
}

// ---------------------------------------------------------------- JSON policies (CDKTF, Pulumi)

/** Plain policy data as code; rendered template strings are already Code (a tagged object). */
function toCode(v: unknown): Code {
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return arr(v.map(toCode));
  if (typeof v === 'object' && v !== null && 'kind' in v) return v as Code;
  return obj(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toCode(x)]));
}

/** The key policy document (src/keyPolicy.ts) as a JSON-able object literal. */
function jsonPolicy(mode: KeyPolicyMode, vars: Record<Placeholder, string>, tag: string): Code {
  return toCode(policyDocument(mode, (t) => policyString(t, vars, tag)));
}

/** Variables holding the account, Region and partition, declared once per block. */
export interface ContextVars {
  caller: string;
  region: string;
  partition: string;
}

export function cdktfContext(ref: Ref, scope: string, v: ContextVars, q: (s: string) => string): [string, Code][] {
  const mod = (name: string) => `@cdktf/provider-aws/lib/data-aws-${name}`;
  return [
    [v.caller, call(`new ${ref(mod('caller-identity'), ['DataAwsCallerIdentity'])}`, raw(scope), raw(q('CallerIdentity')))],
    [v.partition, call(`new ${ref(mod('partition'), ['DataAwsPartition'])}`, raw(scope), raw(q('Partition')))],
    [v.region, call(`new ${ref(mod('region'), ['DataAwsRegion'])}`, raw(scope), raw(q('Region')))],
  ];
}

export interface TfKeySpec {
  scope: string;
  id: Code;
  description: Code;
  vars: ContextVars;
  policy: KeyPolicyMode;
  /** Extra entries (e.g. lifecycle) copied from the table. */
  extra: [string, Code][];
}

export function cdktfKey(ref: Ref, spec: TfKeySpec): Code {
  const vars = { account: `${spec.vars.caller}.accountId`, region: `${spec.vars.region}.name`, partition: `${spec.vars.partition}.partition` };
  return call(
    `new ${ref(CDKTF_KMS, ['KmsKey'])}`,
    raw(spec.scope),
    spec.id,
    obj([
      ['description', spec.description],
      ['enableKeyRotation', raw(String(KEY_SETTINGS.enableKeyRotation))],
      ['deletionWindowInDays', raw(String(KEY_SETTINGS.pendingWindowInDays))],
      ['policy', call('JSON.stringify', jsonPolicy(spec.policy, vars, ''))],
      ...spec.extra,
    ]),
  );
}

export function pulumiContext(ref: Ref, v: ContextVars): [string, Code][] {
  return [
    [v.caller, call(ref(PULUMI_AWS, ['getCallerIdentityOutput']))],
    [v.partition, call(ref(PULUMI_AWS, ['getPartitionOutput']))],
    [v.region, call(ref(PULUMI_AWS, ['getRegionOutput']))],
  ];
}

export interface PulumiKeySpec {
  name: Code;
  description: Code;
  vars: ContextVars;
  policy: KeyPolicyMode;
  opts?: Code;
}

export function pulumiKey(ref: Ref, spec: PulumiKeySpec): Code {
  const vars = { account: `${spec.vars.caller}.accountId`, region: `${spec.vars.region}.name`, partition: `${spec.vars.partition}.partition` };
  const args: Code[] = [
    spec.name,
    obj([
      ['description', spec.description],
      ['enableKeyRotation', raw(String(KEY_SETTINGS.enableKeyRotation))],
      ['deletionWindowInDays', raw(String(KEY_SETTINGS.pendingWindowInDays))],
      ['policy', call(ref(PULUMI, ['jsonStringify']), jsonPolicy(spec.policy, vars, ref(PULUMI, ['interpolate'])))],
    ]),
  ];
  if (spec.opts) args.push(spec.opts);
  return call(`new ${ref(PULUMI_AWS, ['kms', 'Key'])}`, ...args);
}
