/**
 * Applying text edits with magic-string, so that every byte outside an edit stays as it was (the model
 * is ESLint's source-code-fixer). Its own module, loaded by a fix only (src/engine/pipeline.ts imports
 * it on the first fix; the formats' fix code is loaded on demand): a scan never loads magic-string.
 * magic-string is an ES module only; imported (not required), it is bundled into the CLI's CommonJS
 * build (scripts/bundle.mjs).
 */
import { MagicString } from 'magic-string';
import { checkEdits } from './edits.js';
import type { Edit } from './types.js';

export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  const sorted = checkEdits(text, edits);
  const s = new MagicString(text);
  for (const e of sorted) {
    if (e.start === e.end) {
      if (e.text) s.appendLeft(e.start, e.text);
    } else if (e.text === '') {
      s.remove(e.start, e.end);
    } else {
      s.overwrite(e.start, e.end, e.text);
    }
  }
  return s.toString();
}
