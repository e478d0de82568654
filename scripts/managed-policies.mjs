#!/usr/bin/env node
// Classifies every AWS managed policy's default version for the `iam-roles` caution (`--key-policy iam`) and
// writes src/rule/managedPolicyList.ts. Not run by tests.
//
// Usage: node scripts/managed-policies.mjs MAMIP_DIR [--write] [--report]
//   MAMIP_DIR: a checkout of https://github.com/z0ph/MAMIP (policies/<Name>: `aws iam get-policy-version` of the
//   default version; policies-list.json: `aws iam list-policies`, for the paths). For example:
//     git clone --depth 1 https://github.com/z0ph/MAMIP /tmp/MAMIP && node scripts/managed-policies.mjs /tmp/MAMIP --write
//   --write rewrites src/rule/managedPolicyList.ts (its header records MAMIP's commit and date if MAMIP_DIR is a
//   git checkout, else pass MAMIP_COMMIT and MAMIP_DATE in the environment). --report prints every policy's class.
//
// A policy is, by its Allow statements (Deny ones only take away, Conditions are ignored: a grant under a condition
// such as kms:ViaService is still a grant):
//   kms       an Action (or the complement of a NotAction) matches a KMS action DynamoDB encryption needs, on a
//             Resource that may be a KMS key ("*", a kms ARN, a pattern whose service part matches kms) or any
//             NotResource. kms:DescribeKey, kms:ListAliases and the like are not enough.
//   dynamodb  not kms, and an unconditional statement grants a DynamoDB item action on every table.
//   partial   not kms, and DynamoDB item actions only on some tables or under a condition: in neither list, so
//             'unknown' to kmsfix (the role is not named), as kmsfix cannot tell whether the grant covers a table.
//   none      none of these.
// Policies whose path is /aws-service-role/ are left out: IAM does not attach them to a customer's role.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const KMS_USE = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:CreateGrant',
];
const DYNAMODB_ITEM = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:GetRecords',
];
const ANY_TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/kmsfix-probe-Table-1A2B3C';
const ANY_STREAM = 'arn:aws:dynamodb:us-east-1:123456789012:table/kmsfix-probe-Table-1A2B3C/stream/2026-01-01T00:00:00.000';

/** IAM's wildcard match: `*` any run, `?` one character, case-insensitive (actions) or not (resources). */
function matches(pattern, value, ci) {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ci ? 'is' : 's').test(value);
}
const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The actions of `wanted` a statement allows: its Action's matches, or those its NotAction leaves. */
function allowed(st, wanted) {
  if (st.NotAction !== undefined) return wanted.filter((a) => !list(st.NotAction).some((p) => matches(p, a, true)));
  return wanted.filter((a) => list(st.Action).some((p) => matches(p, a, true)));
}

/** Whether a statement's resources may include a customer's KMS key. */
function mayBeKey(st) {
  if (st.NotResource !== undefined) return true;
  return list(st.Resource).some((r) => {
    if (r === '*') return true;
    const service = r.split(':')[2];
    return service === undefined || matches(service, 'kms', false);
  });
}

/** 'all' if a statement's resources include every table (and its streams), 'some' if some, else undefined. */
function tables(st) {
  if (st.NotResource !== undefined) return 'some';
  const rs = list(st.Resource);
  if (rs.some((r) => matches(r, ANY_TABLE, false) || matches(r, ANY_STREAM, false))) return 'all';
  if (rs.some((r) => r.split(':')[2] === undefined || matches(r.split(':')[2], 'dynamodb', false))) return 'some';
  return undefined;
}

export function classify(document) {
  let kms = [];
  let dynamodb;
  for (const st of list(document.Statement)) {
    if (st.Effect !== 'Allow') continue;
    const k = allowed(st, KMS_USE);
    if (k.length > 0 && mayBeKey(st)) kms = kms.concat(k);
    const d = allowed(st, DYNAMODB_ITEM);
    if (d.length > 0) {
      const t = tables(st);
      if (t === 'all' && st.Condition === undefined) dynamodb = 'all';
      else if (t !== undefined && dynamodb === undefined) dynamodb = 'some';
    }
  }
  if (kms.length > 0) return { kind: 'kms', why: [...new Set(kms)].join(' ') };
  if (dynamodb === 'all') return { kind: 'dynamodb' };
  if (dynamodb === 'some') return { kind: 'partial' };
  return { kind: 'none' };
}

function main() {
  const dir = process.argv[2];
  if (!dir || !existsSync(path.join(dir, 'policies'))) {
    console.error('usage: node scripts/managed-policies.mjs MAMIP_DIR [--write] [--report]');
    process.exit(2);
  }
  const paths = new Map();
  const listFile = path.join(dir, 'policies-list.json');
  if (existsSync(listFile)) for (const p of JSON.parse(readFileSync(listFile, 'utf8')).Policies) paths.set(p.PolicyName, p.Path);
  const out = { kms: [], dynamodb: [], partial: [], none: [], skipped: [], unreadable: [] };
  for (const name of readdirSync(path.join(dir, 'policies')).sort()) {
    if (paths.get(name) === '/aws-service-role/') {
      out.skipped.push(name);
      continue;
    }
    const raw = readFileSync(path.join(dir, 'policies', name), 'utf8');
    if (raw.trim() === '') {
      out.unreadable.push(name); // an empty file in the mirror: left out, so 'unknown'
      continue;
    }
    const doc = JSON.parse(raw).PolicyVersion.Document;
    const c = classify(typeof doc === 'string' ? JSON.parse(decodeURIComponent(doc)) : doc);
    out[c.kind].push(name);
    if (process.argv.includes('--report')) console.log(`${c.kind}\t${name}${c.why ? `\t${c.why}` : ''}`);
  }
  console.error(
    Object.entries(out)
      .map(([k, v]) => `${k}: ${v.length}`)
      .join(', '),
  );
  if (!process.argv.includes('--write')) return;
  const git = (...a) => {
    try {
      return execFileSync('git', ['-C', dir, ...a], { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  const commit = process.env.MAMIP_COMMIT ?? git('rev-parse', 'HEAD') ?? 'unknown';
  const date = process.env.MAMIP_DATE ?? git('log', '-1', '--format=%cs') ?? 'unknown';
  const words = (names) => {
    const lines = [];
    let line = '';
    for (const n of names) {
      const next = line ? `${line} ${n}` : n;
      if (next.length > 110) {
        lines.push(line);
        line = n;
      } else line = next;
    }
    if (line) lines.push(line);
    return lines.map((l) => `  '${l}',`).join('\n');
  };
  const text = `// Generated by scripts/managed-policies.mjs: do not edit. Regenerate: see the script's header.
// Source: the default version of every AWS managed policy as mirrored by https://github.com/z0ph/MAMIP
// at commit ${commit} (${date}).
// Policies under /aws-service-role/ (not attachable to a customer's role) are left out.

/**
 * AWS managed policies whose Allow statements grant DynamoDB item actions on every table (Resource "*") and no
 * KMS action that uses a key. Space-separated names, split into lines.
 */
export const GENERATED_DYNAMODB = \`
${words(out.dynamodb).replace(/^ {2}'|',$/gm, '')}
\`;

/**
 * AWS managed policies whose Allow statements grant no KMS action that uses a key (kms:Decrypt, kms:Encrypt,
 * kms:GenerateDataKey*, kms:ReEncrypt*, kms:CreateGrant), whatever their conditions, and no DynamoDB item action
 * on any table. Those granting DynamoDB item actions on some tables only, or under a condition, are in neither
 * list (kmsfix cannot tell whether they cover a table):
${words(out.partial).replace(/^ {2}'(.*)',$/gm, ' *   $1')}
 */
export const GENERATED_NO_KMS = \`
${words(out.none).replace(/^ {2}'|',$/gm, '')}
\`;
`;
  writeFileSync(path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'src', 'rule', 'managedPolicyList.ts'), text);
  console.error(`wrote src/rule/managedPolicyList.ts (${text.length} bytes)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
