/**
 * Inline suppression comments, in every tool's own syntax. One place for all formats:
 *   checkov:skip=CKV_AWS_119[:reason]          (also CKV_AWS_271 for table replicas)
 *   trivy:ignore:AVD-AWS-0025[:exp:YYYY-MM-DD]  tfsec:ignore:aws-dynamodb-table-customer-key[:exp:...]
 *     (also tfsec's legacy ID AWS092, and `*`, which Trivy and tfsec read as every rule)
 *   kics-scan ignore-block | kics-scan ignore-line
 *   kmsfix:ignore [reason]
 * A near-miss of kmsfix's own comment (`kmsfix: ignore`, `kmsfix-ignore`, `KMSFIX:IGNORE`) is kept as
 * an `unclear` suppression: it silences nothing, and keeps the table from being fixed (a team meant
 * to skip it; src/rule/evaluate.ts judge says what to write). Other tools' near-misses are theirs.
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
 * What reads as an attempt at kmsfix's own comment but is not it: any case, `-`, `_`, `:` or spaces
 * between the words (`# kmsfix: ignore`, `# kmsfix-ignore`, `# KMSFIX:IGNORE`, `# kms-fix ignore`).
 * `ignore` whole, so prose ("kmsfix ignores test code") is none.
 */
const NEAR_KMSFIX = /kms[-_ ]?fix[ \t]*[-_:]?[ \t]*(?:ignore|skip)\b/i;

/**
 * Every syntax above has one of these (most comments have none: Terraform reads each comment of a
 * module's files): the prefilter of commentSuppressions, and of its callers that split a comment first.
 */
export const MAYBE_SUPPRESSION = /checkov:skip=|trivy:|tfsec:|kics-scan|kms[-_ ]?fix/i;

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
  else {
    const near = NEAR_KMSFIX.exec(comment);
    if (near) out.push({ tool: 'kmsfix', text: near[0], unclear: '`kmsfix:ignore <reason>`' });
  }
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
/**
 * kmsfix's `ignore` switch: a boolean, or a string YAML 1.1 reads as one (`yes`, `on`: the YAML 1.2
 * parsers of kmsfix and CloudFormation tools read them as strings, but the team meant true), or
 * `"true"` as a synthesized template may hold it. Anything else is neither (`switchOf` undefined).
 */
function switchOf(v: Plain): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const w = v.trim().toLowerCase();
  return ['true', 'yes', 'on'].includes(w) ? true : ['false', 'no', 'off'].includes(w) ? false : undefined;
}
/** A Metadata key that reads as kmsfix's own but is not it: `kmsFix`, `KMSFIX`, `kms_fix`, `kmsfix-ignore`. */
const nearKmsfixKey = (k: string) => k !== 'kmsfix' && /^kms[-_ ]?fix/i.test(k);
/** What kmsfix's Metadata suppression is: the fix an unclear one is told. */
const OWN_METADATA = '`kmsfix: { ignore: true, reason: ... }`';
/** The rule IDs a Metadata suppression of this rule names (checkov, cfn_nag, cfn-guard). */
export const METADATA_RULE_IDS = ['CKV_AWS_119', 'W74', 'DYNAMODB_TABLE_ENCRYPTED_KMS', 'DYNAMODB_TABLE_MUST_BE_ENCRYPTED'];

const said = (what: string, reason: string | undefined) => (reason ? `${what} (${reason.trim()})` : what);

/**
 * The suppressions a resource's Metadata holds for this rule, in the peer tools' own keys: checkov
 * `skip` CKV_AWS_119, cfn_nag `rules_to_suppress` W74, cfn-guard `SuppressedRules`
 * DYNAMODB_TABLE_ENCRYPTED_KMS (or DYNAMODB_TABLE_MUST_BE_ENCRYPTED, that rule alone), and
 * `kmsfix: { ignore: true }`. `where` names the Metadata in the user's terms (AWS CDK's
 * `cfnOptions.metadata`, `addMetadata`; CloudFormation's `Metadata`): one reading for every format
 * that holds a Metadata as values (src/formats/cloudformation/suppressions.ts suppressionsOf, AWS CDK's).
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
  if (switchOf(field(own, 'ignore')) === true || own === 'ignore')
    found.push({ tool: 'kmsfix', text: said(`${where}.kmsfix.ignore`, text(field(own, 'reason'))) });
  else {
    const unclear = unclearMetadata(md, own, where);
    if (unclear) found.push(unclear);
  }
  return found;
}

/** A Metadata value as the message shows it: JSON, `null` for an empty one, or what kmsfix could not read (an expression). */
const shownValue = (v: Plain | null): string => (v === undefined ? '(a value kmsfix cannot read)' : JSON.stringify(v));

/**
 * A near-miss of kmsfix's own Metadata suppression, when there is no clear one: a misspelled key
 * (`kmsFix:`), a value that is not a mapping (`kmsfix: true`), a key under it that is not `ignore` or
 * `reason` (`Ignore:`, `skip:`), or an `ignore` that is neither true nor false (`ignore:`, `ignore: 1`).
 * `ignore: false` is clear: the team wants the table fixed.
 */
function unclearMetadata(md: Plain, own: Plain, where: string): Suppression | undefined {
  const near = md && typeof md === 'object' && !Array.isArray(md) ? Object.keys(md).find(nearKmsfixKey) : undefined;
  if (near !== undefined) return { tool: 'kmsfix', text: `${where}.${near}`, unclear: OWN_METADATA };
  if (own === undefined && !(md && typeof md === 'object' && !Array.isArray(md) && 'kmsfix' in md)) return undefined;
  if (!own || typeof own !== 'object' || Array.isArray(own))
    return { tool: 'kmsfix', text: `${where}.kmsfix: ${shownValue(own)}`, unclear: OWN_METADATA };
  const stray = Object.keys(own).find((k) => k !== 'ignore' && k !== 'reason');
  if (stray !== undefined)
    return { tool: 'kmsfix', text: `${where}.kmsfix.${stray}`, unclear: '`ignore: true` (lower case) under `kmsfix:`' };
  if ('ignore' in own && switchOf(own.ignore) === undefined)
    return { tool: 'kmsfix', text: `${where}.kmsfix.ignore: ${shownValue(own.ignore)}`, unclear: '`ignore: true`' };
  if (!('ignore' in own)) return { tool: 'kmsfix', text: `${where}.kmsfix`, unclear: '`ignore: true` under `kmsfix:`' };
  return undefined;
}
