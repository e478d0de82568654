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
