/**
 * Suppression comments, on the comment lines just above a table's block or inside it, in each
 * tool's own syntax (src/core/suppressions.ts): Checkov, Trivy/tfsec, KICS and kmsfix's own.
 */
import { commentSuppressions } from '../../core/suppressions.js';
import type { Suppression } from '../../core/types.js';
import type { HComment } from './parse.js';

/** The comments that speak for a block: those inside it, and the comment lines right above it. */
export function blockComments(text: string, comments: HComment[], b: { start: number; end: number }): string[] {
  const out: string[] = [];
  for (const c of comments) if (c.start >= b.start && c.start < b.end) out.push(c.text);
  let end = text.lastIndexOf('\n', b.start - 1);
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).trim();
    if (!/^(#|\/\/|\/\*|\*)/.test(line)) break;
    out.push(line);
    end = start - 1;
  }
  return out;
}

export function suppressionsOf(texts: string[]): Suppression[] {
  const seen = new Set<string>();
  const out: Suppression[] = [];
  for (const t of texts) {
    for (const s of commentSuppressions(t)) {
      const k = `${s.tool}\0${s.text}`;
      if (!seen.has(k)) out.push(s);
      seen.add(k);
    }
  }
  return out;
}
