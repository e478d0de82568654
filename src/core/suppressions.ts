/**
 * Inline suppression comments, in every tool's own syntax. One place for all formats:
 *   checkov:skip=CKV_AWS_119[:reason]          (also CKV_AWS_271 for table replicas)
 *   trivy:ignore:AVD-AWS-0025[:exp:YYYY-MM-DD]  tfsec:ignore:aws-dynamodb-table-customer-key[:exp:...]
 *   kics-scan ignore-block | kics-scan ignore-line
 *   kmsfix:ignore [reason]
 * An expired trivy/tfsec ignore (its date is past) suppresses nothing, as in Trivy.
 */
import type { Suppression } from './types.js';

const CHECKOV = /checkov:skip=(CKV_AWS_119|CKV_AWS_271)(?::([^\r\n]*))?/;
const TRIVY = /(trivy|tfsec):ignore:(AVD-AWS-0025|aws-dynamodb-table-customer-key|avd-aws-0025)(?::exp:(\d{4}-\d{2}-\d{2}))?/i;
const KICS = /kics-scan\s+(ignore-block|ignore-line)/;
const KMSFIX = /kmsfix:ignore\b[ \t]*([^\r\n]*)/;

export function commentSuppressions(comment: string, today: Date = new Date()): Suppression[] {
  const out: Suppression[] = [];
  const c = CHECKOV.exec(comment);
  if (c) out.push({ tool: 'checkov', text: `checkov:skip=${c[1]}${c[2] ? ` (${c[2].trim()})` : ''}` });
  const t = TRIVY.exec(comment);
  if (t) {
    const expires = t[3];
    const expired = expires !== undefined && new Date(`${expires}T23:59:59Z`).getTime() < today.getTime();
    if (!expired) out.push({ tool: 'trivy', text: `${t[1]}:ignore:${t[2]}${expires ? ` (until ${expires})` : ''}` });
  }
  const k = KICS.exec(comment);
  if (k) out.push({ tool: 'kics', text: `kics-scan ${k[1]}` });
  const m = KMSFIX.exec(comment);
  if (m) out.push({ tool: 'kmsfix', text: `kmsfix:ignore${m[1].trim() ? ` (${m[1].trim()})` : ''}` });
  return out;
}

/** A resource's Metadata as plain values (a map, a list, a string, a boolean); what a format could not read is absent. */
export type Plain = { [key: string]: Plain } | Plain[] | string | number | boolean | undefined;

const field = (v: Plain, key: string): Plain => (v && typeof v === 'object' && !Array.isArray(v) ? v[key] : undefined);
const text = (v: Plain): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
const withId = (list: Plain, id: string): Plain => (Array.isArray(list) ? list.find((i) => text(field(i, 'id')) === id) : undefined);
/** A switch as CloudFormation reads it: a boolean, or the string `true` (as a synthesized template may hold it). */
const on = (v: Plain): boolean => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
/** The rule IDs a Metadata suppression of this rule names (checkov, cfn_nag, cfn-guard). */
export const METADATA_RULE_IDS = ['CKV_AWS_119', 'W74', 'DYNAMODB_TABLE_ENCRYPTED_KMS', 'DYNAMODB_TABLE_MUST_BE_ENCRYPTED'];

const said = (what: string, reason: string | undefined) => (reason ? `${what} (${reason.trim()})` : what);

/**
 * The suppressions a resource's Metadata holds for this rule, in the peer tools' own keys: checkov
 * `skip` CKV_AWS_119, cfn_nag `rules_to_suppress` W74, cfn-guard `SuppressedRules`
 * DYNAMODB_TABLE_ENCRYPTED_KMS (or DYNAMODB_TABLE_MUST_BE_ENCRYPTED, that rule alone), and
 * `kmsfix: { ignore: true }`. `where` names the Metadata in the user's terms (AWS CDK's
 * `cfnOptions.metadata`, `addMetadata`; CloudFormation's `Metadata`): one reading for every format
 * that holds a Metadata as values (src/formats/cloudformation/detect.ts suppressionsOf, AWS CDK's).
 */
export function metadataSuppressions(md: Plain, where: string): Suppression[] {
  const found: Suppression[] = [];
  const checkov = withId(field(field(md, 'checkov'), 'skip'), 'CKV_AWS_119');
  if (checkov) found.push({ tool: 'checkov', text: said(`${where}.checkov.skip CKV_AWS_119`, text(field(checkov, 'comment'))) });
  const nag = withId(field(field(md, 'cfn_nag'), 'rules_to_suppress'), 'W74');
  if (nag) found.push({ tool: 'cfn-nag', text: said(`${where}.cfn_nag.rules_to_suppress W74`, text(field(nag, 'reason'))) });
  const guard = field(field(md, 'guard'), 'SuppressedRules');
  for (const rule of ['DYNAMODB_TABLE_ENCRYPTED_KMS', 'DYNAMODB_TABLE_MUST_BE_ENCRYPTED']) {
    if (Array.isArray(guard) && guard.some((g) => text(g) === rule))
      found.push({ tool: 'cfn-guard', rule, text: `${where}.guard.SuppressedRules ${rule}` });
  }
  const own = field(md, 'kmsfix');
  if (on(field(own, 'ignore')) || own === 'ignore')
    found.push({ tool: 'kmsfix', text: said(`${where}.kmsfix.ignore`, text(field(own, 'reason'))) });
  return found;
}
