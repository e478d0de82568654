/**
 * A small evaluator of KMS key policies, for tests: does a key policy let a caller do an action?
 *
 * It follows KMS's rules for a request on a key in the key's own account:
 * - an explicit Deny in a matching statement wins; otherwise any matching Allow allows;
 * - a statement that names the account (`arn:...:root` or the bare account ID) delegates to IAM: a
 *   principal of that account matches only if its own IAM policies allow the action (the root user
 *   itself always matches);
 * - `*` (or `AWS: "*"`) matches every principal; a service principal matches that service only;
 * - actions match with `*` and `?` wildcards, case-insensitively;
 * - conditions: StringEquals and StringLike on the request context, where a key missing from the context
 *   does not match; BoolIfExists, where a missing key matches and a present one compares as "true"/"false"
 *   (case-insensitively); any other operator throws, so that a policy this evaluator cannot judge fails
 *   the test instead of passing it.
 * - every request carries `aws:PrincipalIsAWSService` (a global key of every signed request: "true" for a
 *   service principal), and a CreateGrant that DynamoDB makes for a caller `kms:GrantIsForAWSResource` "true".
 * A principal of another account needs both the key policy to allow it and its own IAM policies to
 * allow it; callers here grant themselves whatever IAM they need, to test the key policy alone.
 */

import type { KeyPolicyMode } from '../../src/rule/keyPolicy.js';

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal: '*' | { AWS?: string | string[]; Service?: string | string[] };
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement[];
}

export type Caller =
  | {
      kind: 'aws';
      /** e.g. arn:aws:iam::111122223333:role/app, or arn:aws:iam::111122223333:root for the root user. */
      arn: string;
      /** Actions the caller's own IAM policies allow on this key. */
      iam: string[];
    }
  | { kind: 'service'; service: string };

export interface Request {
  caller: Caller;
  action: string;
  /** The request context: kms:ViaService, kms:CallerAccount. */
  context: Record<string, string>;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
    caseInsensitive ? 'i' : '',
  );
  return re.test(value);
}

export function accountOf(arn: string): string {
  const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn);
  if (!m) throw new Error(`not a principal ARN: ${arn}`);
  return m[1];
}

const isRoot = (arn: string) => /^arn:[^:]+:iam::\d{12}:root$/.test(arn);

function principalMatches(st: Statement, req: Request): boolean {
  const p = st.Principal;
  if (p === '*') return true;
  if (req.caller.kind === 'service') return list(p.Service).includes(req.caller.service) || list(p.AWS).includes('*');
  const caller = req.caller;
  for (const aws of list(p.AWS)) {
    if (aws === '*') return true;
    if (aws === caller.arn) return true;
    const account = /^\d{12}$/.test(aws) ? aws : isRoot(aws) ? accountOf(aws) : undefined;
    // The account: delegation to IAM. The root user is the account; anyone else needs IAM to allow it.
    if (account === accountOf(caller.arn) && (isRoot(caller.arn) || caller.iam.some((a) => glob(a, req.action, true)))) return true;
  }
  return false;
}

function conditionsMatch(st: Statement, req: Request): boolean {
  for (const [op, tests] of Object.entries(st.Condition ?? {})) {
    if (op !== 'StringEquals' && op !== 'StringLike' && op !== 'BoolIfExists')
      throw new Error(`condition operator ${op} is not supported by this evaluator`);
    for (const [key, values] of Object.entries(tests)) {
      const actual = contextOf(req)[key];
      if (op === 'BoolIfExists') {
        if (actual !== undefined && !list(values).some((v) => v.toLowerCase() === actual.toLowerCase())) return false;
        continue;
      }
      if (actual === undefined) return false;
      if (!list(values).some((v) => (op === 'StringEquals' ? v === actual : glob(v, actual, false)))) return false;
    }
  }
  return true;
}

/** The request's context with the global key every signed request carries. */
function contextOf(req: Request): Record<string, string> {
  return { 'aws:PrincipalIsAWSService': String(req.caller.kind === 'service'), ...req.context };
}

function statementMatches(st: Statement, req: Request): boolean {
  if (!list(st.Action).some((a) => glob(a, req.action, true))) return false;
  if (!list(st.Resource ?? '*').includes('*')) throw new Error(`a key policy statement's Resource must be "*" (${st.Sid})`);
  return principalMatches(st, req) && conditionsMatch(st, req);
}

/** 'allow' or 'deny', and the Sids of the statements that decided it. */
export function decide(doc: PolicyDocument, req: Request): { decision: 'allow' | 'deny'; by: string[] } {
  const matching = doc.Statement.filter((s) => statementMatches(s, req));
  const denies = matching.filter((s) => s.Effect === 'Deny');
  if (denies.length > 0) return { decision: 'deny', by: denies.map((s) => s.Sid ?? '?') };
  const allows = matching.filter((s) => s.Effect === 'Allow');
  if (allows.length > 0) return { decision: 'allow', by: allows.map((s) => s.Sid ?? '?') };
  return { decision: 'deny', by: [] };
}

// ---------------------------------------------------------------- the callers every generated policy is judged for

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const PARTITION = 'aws';
export const REGION = 'us-east-1';

const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/orders-api`;
const through = (region: string) => `dynamodb.${region}.amazonaws.com`;

/** What a table's users do with its key when DynamoDB calls KMS for them, and what the key's owner does. */
export function scenarios(region: string): { name: string; requests: Request[] }[] {
  const app = (iam: string[]): Caller => ({ kind: 'aws', arn: APP_ROLE, iam });
  const dynamo = { 'kms:ViaService': through(region), 'kms:CallerAccount': ACCOUNT };
  // DynamoDB creates its grants on the caller's behalf: the request says so.
  const dynamoFor = (action: string) => (action === 'kms:CreateGrant' ? { ...dynamo, 'kms:GrantIsForAWSResource': 'true' } : dynamo);
  const use = [
    'kms:Decrypt',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:GenerateDataKeyWithoutPlaintext',
    'kms:ReEncryptFrom',
    'kms:CreateGrant',
    'kms:DescribeKey',
  ];
  return [
    {
      name: 'app role, no KMS permission in IAM, through DynamoDB',
      requests: use.map((action) => ({ caller: app([]), action, context: dynamoFor(action) })),
    },
    {
      name: 'app role, no KMS permission in IAM, calling KMS directly',
      requests: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'].map((action) => ({
        caller: app([]),
        action,
        context: { 'kms:CallerAccount': ACCOUNT },
      })),
    },
    {
      name: 'app role, no KMS permission in IAM, through another service',
      requests: [
        {
          caller: app([]),
          action: 'kms:Decrypt',
          context: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT },
        },
      ],
    },
    {
      name: 'app role, no KMS permission in IAM, through DynamoDB in another Region',
      requests: [
        {
          caller: app([]),
          action: 'kms:Decrypt',
          context: { 'kms:ViaService': through(region === 'eu-west-1' ? 'us-west-2' : 'eu-west-1'), 'kms:CallerAccount': ACCOUNT },
        },
      ],
    },
    {
      name: 'app role with kms:Decrypt in IAM, calling KMS directly',
      requests: [{ caller: app(['kms:Decrypt']), action: 'kms:Decrypt', context: { 'kms:CallerAccount': ACCOUNT } }],
    },
    {
      name: 'app role with kms:CreateGrant in IAM, creating a grant directly',
      requests: [{ caller: app(['kms:CreateGrant']), action: 'kms:CreateGrant', context: { 'kms:CallerAccount': ACCOUNT } }],
    },
    {
      name: 'app role with kms:CreateGrant in IAM, DynamoDB creating a grant for it',
      requests: [{ caller: app(['kms:CreateGrant']), action: 'kms:CreateGrant', context: dynamoFor('kms:CreateGrant') }],
    },
    {
      name: 'another account, through DynamoDB, with every KMS permission in its IAM',
      requests: use.map((action) => ({
        caller: { kind: 'aws', arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/partner`, iam: ['kms:*'] } as Caller,
        action,
        context: {
          'kms:ViaService': through(region),
          'kms:CallerAccount': OTHER_ACCOUNT,
          ...(action === 'kms:CreateGrant' ? { 'kms:GrantIsForAWSResource': 'true' } : {}),
        },
      })),
    },
    {
      name: 'account root administers the key',
      requests: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:EnableKeyRotation', 'kms:TagResource', 'kms:DescribeKey'].map(
        (action) => ({
          caller: { kind: 'aws', arn: `arn:aws:iam::${ACCOUNT}:root`, iam: [] } as Caller,
          action,
          context: { 'kms:CallerAccount': ACCOUNT },
        }),
      ),
    },
    {
      name: 'DynamoDB service principal describes the key',
      requests: ['kms:DescribeKey', 'kms:ListAliases'].map((action) => ({
        caller: { kind: 'service', service: 'dynamodb.amazonaws.com' } as Caller,
        action,
        context: {},
      })),
    },
    {
      name: 'DynamoDB service principal decrypts directly',
      requests: [{ caller: { kind: 'service', service: 'dynamodb.amazonaws.com' }, action: 'kms:Decrypt', context: {} }],
    },
  ];
}

/** What each mode must answer, scenario by scenario (kms-policy-eval.ts scenarios()). */
export const EXPECTED: Record<KeyPolicyMode, Record<string, 'allow' | 'deny'>> = {
  'drop-in': {
    'app role, no KMS permission in IAM, through DynamoDB': 'allow',
    'app role, no KMS permission in IAM, calling KMS directly': 'deny',
    'app role, no KMS permission in IAM, through another service': 'deny',
    'app role, no KMS permission in IAM, through DynamoDB in another Region': 'deny',
    'app role with kms:Decrypt in IAM, calling KMS directly': 'allow',
    'app role with kms:CreateGrant in IAM, creating a grant directly': 'allow',
    'app role with kms:CreateGrant in IAM, DynamoDB creating a grant for it': 'allow',
    'another account, through DynamoDB, with every KMS permission in its IAM': 'deny',
    'account root administers the key': 'allow',
    'DynamoDB service principal describes the key': 'allow',
    'DynamoDB service principal decrypts directly': 'deny',
  },
  iam: {
    'app role, no KMS permission in IAM, through DynamoDB': 'deny',
    'app role, no KMS permission in IAM, calling KMS directly': 'deny',
    'app role, no KMS permission in IAM, through another service': 'deny',
    'app role, no KMS permission in IAM, through DynamoDB in another Region': 'deny',
    'app role with kms:Decrypt in IAM, calling KMS directly': 'allow',
    'app role with kms:CreateGrant in IAM, creating a grant directly': 'allow',
    'app role with kms:CreateGrant in IAM, DynamoDB creating a grant for it': 'allow',
    'another account, through DynamoDB, with every KMS permission in its IAM': 'deny',
    'account root administers the key': 'allow',
    'DynamoDB service principal describes the key': 'allow',
    'DynamoDB service principal decrypts directly': 'deny',
  },
};

/**
 * What each mode must answer with `key: deny_direct_grants: true`: as without it, except that nobody creates a
 * grant directly (DynamoDB still does, for the table's users).
 */
export function expectedVerdicts(mode: KeyPolicyMode, denyDirectGrants = false): Record<string, 'allow' | 'deny'> {
  return denyDirectGrants
    ? { ...EXPECTED[mode], 'app role with kms:CreateGrant in IAM, creating a grant directly': 'deny' }
    : EXPECTED[mode];
}

/** Each scenario's verdict: 'allow' only if every request of it is allowed, 'deny' if every one is denied. */
export function verdicts(doc: PolicyDocument, region: string): Record<string, 'allow' | 'deny' | 'mixed'> {
  const out: Record<string, 'allow' | 'deny' | 'mixed'> = {};
  for (const s of scenarios(region)) {
    const ds = new Set(s.requests.map((r) => decide(doc, r).decision));
    out[s.name] = ds.size === 1 ? [...ds][0] : 'mixed';
  }
  return out;
}
