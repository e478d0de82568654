/**
 * Suppression comments, on the comment lines just above a table's block or inside it:
 * Checkov, Trivy/tfsec, KICS and kmsfix's own.
 */
import type { HBlock, HComment } from './parse.js';

const RULES: { re: RegExp; kinds?: string[] }[] = [
  { re: /checkov:skip\s*=\s*CKV_AWS_119\b/i, kinds: ['table', 'module'] },
  { re: /checkov:skip\s*=\s*CKV_AWS_271\b/i, kinds: ['table-replica'] },
  { re: /(trivy|tfsec):ignore:(AVD-AWS-0025|aws-dynamodb-table-customer-key|AWS092)\b/i },
  { re: /kics-scan\s+ignore-block\b/i },
  { re: /kmsfix:ignore\b/i },
];

function matching(text: string, kind: string): string | undefined {
  for (const r of RULES) {
    if (r.kinds && !r.kinds.includes(kind)) continue;
    const m = r.re.exec(text);
    if (m) return m[0];
  }
  return undefined;
}

function show(comment: string, found: string): string {
  const c = comment.trim();
  return `\`${c.length > 80 ? found : c}\``;
}

/** The suppression that applies to a block, as the comment that says it, or undefined. */
export function suppressionOf(text: string, comments: HComment[], b: HBlock, kind: string): string | undefined {
  // Inside the block.
  for (const c of comments) {
    if (c.start < b.start || c.start >= b.end) continue;
    const m = matching(c.text, kind);
    if (m) return show(c.text, m);
  }
  // Comment lines directly above it.
  let end = text.lastIndexOf('\n', b.start - 1);
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    if (!/^(#|\/\/|\/\*|\*)/.test(line)) break;
    const m = matching(line, kind);
    if (m) return show(line, m);
    end = start - 1;
  }
  return undefined;
}
