/**
 * Inline suppression comments, in every tool's own syntax. One place for all formats:
 *   checkov:skip=CKV_AWS_119[:reason]          (also CKV_AWS_271 for table replicas)
 *   trivy:ignore:AVD-AWS-0025[:exp:YYYY-MM-DD]  tfsec:ignore:aws-dynamodb-table-customer-key[:exp:...]
 *     (also tfsec's legacy ID AWS092, and `*`, which Trivy and tfsec read as every rule)
 *   kics-scan ignore-block | kics-scan ignore-line
 *   kmsfix:ignore [reason]
 * Trivy/tfsec ignores are read as Trivy reads them (pkg/iac/ignore): each word of the comment that
 * starts `trivy:` or `tfsec:` is `key:value` sections in any order. An expired one (`exp:` past)
 * suppresses nothing; one scoped to a workspace (`ws:dev`) or to some instances (`[name=x]`)
 * suppresses nothing either: the table fails in the other workspaces or instances, and the code is
 * the same for all of them.
 */
import type { Suppression } from './types.js';

const CHECKOV = /checkov:skip=(CKV_AWS_119|CKV_AWS_271)(?::([^\r\n]*))?/;
/** The IDs Trivy and tfsec know this rule by (AWS092: tfsec's legacy ID, which it still reads). */
const TRIVY_IDS = new Set(['avd-aws-0025', 'aws-dynamodb-table-customer-key', 'aws092', '*']);
const KICS = /kics-scan\s+(ignore-block|ignore-line)/;
const KMSFIX = /kmsfix:ignore\b[ \t]*([^\r\n]*)/;

/**
 * Every syntax above has one of these (most comments have none: Terraform reads each comment of a
 * module's files): the prefilter of commentSuppressions, and of its callers that split a comment first.
 */
export const MAYBE_SUPPRESSION = /checkov:skip=|trivy:|tfsec:|kics-scan|kmsfix:ignore/;

export function commentSuppressions(comment: string, today: Date = new Date()): Suppression[] {
  const out: Suppression[] = [];
  if (!MAYBE_SUPPRESSION.test(comment)) return out;
  const c = CHECKOV.exec(comment);
  if (c) out.push({ tool: 'checkov', text: `checkov:skip=${c[1]}${c[2] ? ` (${c[2].trim()})` : ''}` });
  const t = trivyIgnore(comment, today);
  if (t) out.push({ tool: 'trivy', text: t });
  const k = KICS.exec(comment);
  if (k) out.push({ tool: 'kics', text: `kics-scan ${k[1]}` });
  const m = KMSFIX.exec(comment);
  if (m) out.push({ tool: 'kmsfix', text: `kmsfix:ignore${m[1].trim() ? ` (${m[1].trim()})` : ''}` });
  return out;
}

/** The Trivy/tfsec ignore of this rule a comment holds, as its suppression's text; none when expired or scoped. */
function trivyIgnore(comment: string, today: Date): string | undefined {
  for (const word of comment.split(/\s+/)) {
    const m = /^[#/*]*(trivy|tfsec):(\S+)$/.exec(word);
    if (!m) continue;
    const parts = m[2].split(':');
    const sections = new Map<string, string>();
    for (let i = 0; i + 1 < parts.length; i += 2) sections.set(parts[i], parts[i + 1]);
    const ignore = sections.get('ignore');
    const id = ignore?.replace(/\[.*$/, '');
    if (!id || !TRIVY_IDS.has(id.toLowerCase())) continue;
    const expires = sections.get('exp');
    if (expires !== undefined && !(new Date(`${expires}T23:59:59Z`).getTime() >= today.getTime())) continue;
    if (sections.has('ws') || id !== ignore) continue;
    return `${m[1]}:ignore:${id}${expires ? ` (until ${expires})` : ''}`;
  }
  return undefined;
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
