/**
 * Files fixed together: same format, same group key (a Terraform module directory, or the file
 * itself). The one place groups are built (batch.ts); the scheduler (schedule.ts) only keeps every
 * group in one batch, by sending whole folders (no format groups files across folders).
 */
import type { Format, SourceFile } from '../core/types.js';

/** The key of the group a file is fixed in: its family, then the format's group (default: the file). */
export function groupKeyOf(format: Format, absPath: string): string {
  return `${format.name}\0${format.groupKey ? format.groupKey(absPath) : absPath}`;
}

/** The groups of some files, by key, in the order of their first file. */
export function groupsOf<T extends { format: Format; file: SourceFile }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = groupKeyOf(item.format, item.file.absPath);
    const g = groups.get(key);
    if (g) g.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
