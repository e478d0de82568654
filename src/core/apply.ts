/**
 * Applying text edits so that every byte outside an edit stays as it was (the model is ESLint's
 * source-code-fixer): the edits, sorted and checked for overlap (src/core/edits.ts), are spliced into
 * the text in order, each insertion at a point where an edit starts or ends placed as magic-string's
 * `appendLeft` placed it (after an edit that ends there, before one that starts there, insertions at
 * one point in the order given). Its own module, loaded by a fix only (src/engine/pipeline.ts imports
 * it on the first fix; the formats' fix code is loaded on demand). Until the sixty-third session the
 * edits went through magic-string (test/core/apply.test.ts checks the same results), whose chunks and
 * their bookkeeping cost a dense fix about 200 ms (docs/performance.md).
 */
import { checkEdits } from './edits.js';
import type { Edit } from './types.js';

export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  const sorted = checkEdits(text, edits);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}
