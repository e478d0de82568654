/**
 * Peer scanners' rules on KMS keys and key policies, for the keys kmsfix generates: a fixed file
 * must not make a scanner fail a rule it passed before unless docs/scanner-parity.md says which and why. The
 * semantics come from each tool's rule code (Checkov 3.3, cfn-nag 0.8, KICS and its Datadog fork,
 * Trivy, cfn-guard registry), quirks included: Checkov's CloudFormation CKV_AWS_33 ignores
 * conditions, its Terraform version skips conditioned statements; cfn-nag F76 fails any `*` in an
 * Allow principal; KICS f6049677 and cfn-guard only match a bare `Principal: "*"`; KICS 2844c749
 * fails any PendingWindowInDays. Only what decides the generated keys' verdicts is modelled.
 */
import { DEFAULT_KEY_POLICY, keyPolicy, type KeyPolicyMode } from '../keyPolicy.js';
import type { Tool } from './rules.js';

/** The formats a generated key is written in, as the scanners that read them see it. */
export const KEY_FORMATS = ['cloudformation', 'serverless', 'cdk', 'terraform', 'cdktf', 'pulumi'] as const;
export type KeyFormat = (typeof KEY_FORMATS)[number];

export interface KeyStatementFacts {
  effect: 'Allow' | 'Deny';
  /** A bare `Principal: "*"`, or the AWS and Service principals ('*' kept as such, others as written). */
  principal: '*' | { aws: string[]; service: string[] };
  actions: string[];
  resources: string[];
  condition: boolean;
}

export interface KeyFacts {
  format: KeyFormat;
  statements: KeyStatementFacts[];
  /** Terraform: the policy is a `data "aws_iam_policy_document"` the key references (not literal on the key). */
  policyDocument: boolean;
  /** CloudFormation PendingWindowInDays is set. */
  pendingWindowInDays: boolean;
  rotation: boolean;
  /** Inline suppressions on the key (or its policy document), as `tool:rule`. */
  suppressions: string[];
}

type Rule = { tool: Tool; id: string; formats: KeyFormat[]; fires: (k: KeyFacts) => boolean };

const allows = (k: KeyFacts) => k.statements.filter((s) => s.effect === 'Allow');
const awsWildcard = (s: KeyStatementFacts) => s.principal === '*' || s.principal.aws.includes('*');
const anyWildcard = (s: KeyStatementFacts) =>
  s.principal === '*' || [...s.principal.aws, ...s.principal.service].some((p) => p.includes('*'));
const globMatch = (pattern: string, action: string) =>
  new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$', 'i').test(action);
const grants = (s: KeyStatementFacts, actions: readonly string[]) => s.actions.some((p) => actions.some((a) => globMatch(p, a)));

/** KMS actions by IAM access level (Service Authorization Reference), as cloudsplaining classifies them. */
const PERMISSIONS_MANAGEMENT = ['kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:RetireGrant', 'kms:RevokeGrant'];
const WRITE = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:UpdateAlias',
];
/** Actions that can be limited to a key ARN (all key actions; not CreateKey, ListKeys, ListAliases, GenerateRandom...). */
const RESTRICTABLE = [
  ...PERMISSIONS_MANAGEMENT,
  ...WRITE,
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListResourceTags',
];

const CFN: KeyFormat[] = ['cloudformation', 'cdk'];

export const KEY_RULES: Rule[] = [
  // Checkov CKV_AWS_33, CloudFormation (and the serverless runner, which calls it): any Allow statement
  // with Principal "*" or AWS "*", conditions not considered.
  { tool: 'checkov', id: 'CKV_AWS_33', formats: ['cloudformation', 'serverless', 'cdk'], fires: (k) => allows(k).some(awsWildcard) },
  // Checkov CKV_AWS_33, Terraform: conditioned statements skipped; a data-document reference is never read.
  {
    tool: 'checkov',
    id: 'CKV_AWS_33',
    formats: ['terraform', 'cdktf'],
    fires: (k) => !k.policyDocument && allows(k).some((s) => !s.condition && awsWildcard(s)),
  },
  // Checkov's cloudsplaining checks on data "aws_iam_policy_document" (conditioned statements skipped).
  {
    tool: 'checkov',
    id: 'CKV_AWS_109',
    formats: ['terraform'],
    fires: (k) => k.policyDocument && allows(k).some((s) => !s.condition && s.resources.includes('*') && grants(s, PERMISSIONS_MANAGEMENT)),
  },
  {
    tool: 'checkov',
    id: 'CKV_AWS_111',
    formats: ['terraform'],
    fires: (k) => k.policyDocument && allows(k).some((s) => !s.condition && s.resources.includes('*') && grants(s, WRITE)),
  },
  {
    tool: 'checkov',
    id: 'CKV_AWS_356',
    formats: ['terraform'],
    fires: (k) => k.policyDocument && allows(k).some((s) => !s.condition && s.resources.includes('*') && grants(s, RESTRICTABLE)),
  },
  { tool: 'checkov', id: 'CKV_AWS_7', formats: ['cloudformation', 'serverless', 'cdk', 'terraform', 'cdktf'], fires: (k) => !k.rotation },
  // cfn-nag F76: any `*` in a principal of an Allow statement; conditions never consulted.
  { tool: 'cfn-nag', id: 'F76', formats: CFN, fires: (k) => allows(k).some(anyWildcard) },
  { tool: 'cfn-nag', id: 'F19', formats: CFN, fires: (k) => !k.rotation },
  // KICS da905474 / 7ebc9038 "KMS Key With Vulnerable Policy": an unconditioned Allow with an AWS "*"
  // principal or kms:* (the account root's statement of AWS's default key policy: Checkmarx/kics#6844).
  {
    tool: 'kics',
    id: 'da905474-7454-43c0-b8d2-5756ab951aba',
    formats: CFN,
    fires: (k) => allows(k).some((s) => !s.condition && (awsWildcard(s) || s.actions.some((a) => a === 'kms:*' || a === '*'))),
  },
  {
    tool: 'kics',
    id: '7ebc9038-0bde-479a-acc4-6ed7b6758899',
    formats: ['terraform', 'cdktf'],
    fires: (k) =>
      !k.policyDocument && allows(k).some((s) => !s.condition && (awsWildcard(s) || s.actions.some((a) => a === 'kms:*' || a === '*'))),
  },
  // KICS f6049677 and cfn-guard KMS_NO_WILDCARD_PRINCIPAL: a bare Principal "*" only.
  { tool: 'kics', id: 'f6049677-ec4a-43af-8779-5190b6d03cba', formats: CFN, fires: (k) => allows(k).some((s) => s.principal === '*') },
  { tool: 'cfn-guard', id: 'KMS_NO_WILDCARD_PRINCIPAL', formats: CFN, fires: (k) => k.statements.some((s) => s.principal === '*') },
  // KICS 2844c749 "CMK Is Unusable": any PendingWindowInDays.
  { tool: 'kics', id: '2844c749-bd78-4cd1-90e8-b179df827602', formats: CFN, fires: (k) => k.pendingWindowInDays },
  { tool: 'kics', id: '235ca980-eb71-48f4-9030-df0c371029eb', formats: CFN, fires: (k) => !k.rotation },
  { tool: 'kics', id: '22fbfeac-7b5a-421a-8a27-7a2178bb910b', formats: ['terraform', 'cdktf'], fires: (k) => !k.rotation },
  { tool: 'trivy', id: 'AVD-AWS-0065', formats: ['terraform'], fires: (k) => !k.rotation },
  { tool: 'cfn-guard', id: 'CMK_BACKING_KEY_ROTATION_ENABLED', formats: CFN, fires: (k) => !k.rotation },
];

export interface KeyVerdict {
  tool: Tool;
  id: string;
  result: 'pass' | 'fail' | 'suppressed';
}

/** Every key rule that applies to the key's format, with its result (a suppression of a firing rule is `suppressed`). */
export function keyVerdicts(k: KeyFacts): KeyVerdict[] {
  return KEY_RULES.filter((r) => r.formats.includes(k.format)).map((r) => {
    if (!r.fires(k)) return { tool: r.tool, id: r.id, result: 'pass' as const };
    // cfn-guard skips its F76 mirror for a cfn_nag F76 suppression.
    const suppressed =
      k.suppressions.includes(`${r.tool}:${r.id}`) || (r.id === 'KMS_NO_WILDCARD_PRINCIPAL' && k.suppressions.includes('cfn-nag:F76'));
    return { tool: r.tool, id: r.id, result: suppressed ? ('suppressed' as const) : ('fail' as const) };
  });
}

/**
 * The statements of a key policy mode (with the Deny of direct grants of `key: deny_direct_grants`), as the rules
 * see them. That Deny's `AWS: "*"` fires none of them: each rule on a `*` principal reads Allow statements only
 * (Checkov's CKV_AWS_33 skips a Deny in both its CloudFormation and Terraform versions; cfn-nag F76 reads the
 * allowed principals; KICS and cloudsplaining Allow statements), and cfn-guard KMS_NO_WILDCARD_PRINCIPAL a bare
 * `Principal: "*"`, which kmsfix never writes.
 */
export function policyStatementFacts(mode: KeyPolicyMode, denyDirectGrants = false): KeyStatementFacts[] {
  return keyPolicy(mode, denyDirectGrants).map((s) => ({
    effect: s.effect ?? 'Allow',
    principal: 'aws' in s.principal ? { aws: [s.principal.aws], service: [] } : { aws: [], service: [s.principal.service] },
    actions: [...s.actions],
    resources: ['*'],
    condition: s.stringEquals !== undefined || s.boolIfExists !== undefined,
  }));
}

/**
 * What kmsfix writes around the policy of a generated key, per format and mode: the facts docs/scanner-parity.md
 * table is computed from. test/rule/key-peers.test.ts reads the same facts back from every fixture's
 * output, so this cannot drift from what the formats write.
 */
export function generatedKeyFacts(format: KeyFormat, mode: KeyPolicyMode = DEFAULT_KEY_POLICY, denyDirectGrants = false): KeyFacts {
  const dropIn = mode === 'drop-in';
  const suppressions: Record<KeyFormat, string[]> = {
    cloudformation: dropIn ? ['checkov:CKV_AWS_33', 'cfn-nag:F76'] : [],
    serverless: dropIn ? ['checkov:CKV_AWS_33'] : [],
    cdk: [],
    terraform: ['checkov:CKV_AWS_109', 'checkov:CKV_AWS_111', 'checkov:CKV_AWS_356'],
    cdktf: [],
    pulumi: [],
  };
  return {
    format,
    statements: policyStatementFacts(mode, denyDirectGrants),
    policyDocument: format === 'terraform',
    pendingWindowInDays: false,
    rotation: true,
    suppressions: suppressions[format],
  };
}
