/** A table's suppression comments, as the TypeScript family finds them above its `new` expression (suppressionsOf). */
import { MAYBE_SUPPRESSION, commentSuppressions } from '../../core/suppressions.js';
import type { Suppression } from '../../core/types.js';
import { ts } from './parse.js';

/**
 * Suppression comments (`// kmsfix:ignore reason`, `// checkov:skip=CKV_AWS_119:reason`, and the other
 * tools' syntaxes) in the comments just above the table's `new` expression, up to its statement.
 */
export function suppressionsOf(sf: ts.SourceFile, node: ts.Node): Suppression[] {
  const text = sf.text;
  const out: Suppression[] = [];
  for (let cur: ts.Node | undefined = node; cur && !ts.isSourceFile(cur); cur = cur.parent) {
    for (const r of ts.getLeadingCommentRanges(text, cur.pos) ?? []) {
      const comment = text.slice(r.pos, r.end);
      // Every syntax commentSuppressions reads has one of these (most comments have none).
      if (!MAYBE_SUPPRESSION.test(comment)) continue;
      for (const line of comment.split('\n')) {
        for (const s of commentSuppressions(line.replace(/\*\/\s*$/, ''))) if (!out.some((o) => o.text === s.text)) out.push(s);
      }
    }
    if (ts.isStatement(cur) && (ts.isBlock(cur.parent) || ts.isSourceFile(cur.parent))) break;
  }
  return out;
}
