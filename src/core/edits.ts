/**
 * Text edits: sorted, checked for overlap, and which tables each serves. They are applied by
 * src/core/apply.ts, which only a fix loads.
 */
import type { Edit } from './types.js';

export class EditConflictError extends Error {}

/** Sort edits by position; insertions at one point keep the order they were given in. */
export function sortEdits(edits: readonly Edit[]): Edit[] {
  return edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map((x) => x.edit);
}

/** Throws EditConflictError when two edits overlap (two insertions at one point do not). */
export function checkEdits(text: string, edits: readonly Edit[]): Edit[] {
  const sorted = sortEdits(edits);
  let lastEnd = -1;
  for (const e of sorted) {
    if (e.start < 0 || e.end > text.length || e.start > e.end) {
      throw new EditConflictError(`edit [${e.start}, ${e.end}) is outside the file (length ${text.length})`);
    }
    if (e.start < lastEnd) {
      throw new EditConflictError(`overlapping edits at offset ${e.start}`);
    }
    if (e.end > e.start) lastEnd = e.end;
  }
  return sorted;
}

/** Mark the edits from index `from` on as serving these tables only (Edit.tables). */
export function serving(edits: Edit[], from: number, tables: readonly string[]): void {
  for (let i = from; i < edits.length; i++) edits[i].tables = tables;
}

/** The edits that serve a table: those marked with its address, and those marked with none (shared). */
export function editsServing(edits: readonly Edit[], address: string): Edit[] {
  return edits.filter((e) => !e.tables || e.tables.includes(address));
}
