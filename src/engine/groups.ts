/** Files fixed together: same transform, same group key (a Terraform module directory, or the file itself). */
import type { Format } from '../core/types.js';
import type { FileOutcome } from '../core/result.js';

/** The key of the group a file is fixed in: its family, then the format's group (default: the file). */
export function groupKeyOf(family: string, transform: Format, absPath: string): string {
  return `${family}\0${transform.groupKey ? transform.groupKey(absPath) : absPath}`;
}

export function groupOutcomes(outcomes: FileOutcome[]): FileOutcome[][] {
  const groups = new Map<string, FileOutcome[]>();
  for (const o of outcomes) {
    if (!o.transform) continue;
    const key = groupKeyOf(o.transform.name, o.transform, o.file.absPath);
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.values()];
}
