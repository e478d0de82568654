/** Files fixed together: same transform, same group key (a Terraform module directory, or the file itself). */
import type { FileOutcome } from './pipeline.js';

export function groupOutcomes(outcomes: FileOutcome[]): FileOutcome[][] {
  const groups = new Map<string, FileOutcome[]>();
  for (const o of outcomes) {
    if (!o.transform) continue;
    const key = `${o.transform.name}\0${o.transform.groupKey ? o.transform.groupKey(o.file.absPath) : o.file.absPath}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.values()];
}
