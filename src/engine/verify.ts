/**
 * Verification of a fixed group, in one place, on the text the engine applied once: each changed
 * file is re-parsed and re-detected (every fixed table customer-managed, every other table as it
 * was), then the format's own checks run on the whole group (Format.verify: keys and rotation,
 * the resolved YAML documents, HashiCorp's parser on changed Terraform...).
 */
import type { Detection, DiskContext, Edit, FixOptions, FixedFile, Format } from '../core/types.js';
import { detectWithEmbedded } from './embedded.js';
import { type Disk, contextFor } from './disk.js';
import { judgedStatus } from '../rule/evaluate.js';
import { type Detected, errorOf } from './pipeline.js';

export interface Applied {
  edits: Edit[];
  newText: string;
  fixed: string[];
}

/** The problems of each changed file of a group (empty: it may be written). */
export async function verifyGroup(
  format: Format,
  members: Detected[],
  applied: Map<Detected, Applied>,
  options: FixOptions,
  disk: Disk,
  context: DiskContext,
): Promise<Map<Detected, string[]>> {
  const problems = new Map<Detected, string[]>();
  const files: FixedFile[] = [];
  const owners: Detected[] = [];
  for (const o of members) {
    const before = { file: o.file, detection: o.detection! };
    const a = applied.get(o);
    if (!a) {
      files.push({ file: o.file, detection: o.detection!, before, edits: [], fixed: [] });
      owners.push(o);
      continue;
    }
    const file = { ...o.file, text: a.newText };
    let detection: Detection;
    try {
      detection = await detectWithEmbedded(format, file, contextFor(disk, [file], format));
    } catch (err) {
      const e = errorOf(file, err);
      problems.set(o, [`the fixed file does not parse (${e.line ?? '?'}:${e.column ?? '?'}: ${e.message})`]);
      continue;
    }
    const after = detection.tables.map((t) => ({ address: t.address, status: judgedStatus(t, options) }));
    problems.set(o, tableProblems(o, after, a.fixed));
    files.push({ file, detection, before, edits: a.edits, fixed: a.fixed });
    owners.push(o);
  }
  if (format.verify) {
    const extra = await format.verify(files, options, context);
    owners.forEach((o, i) => {
      if (applied.has(o) && extra[i]?.length) problems.get(o)!.push(...extra[i]);
    });
  }
  return problems;
}

/** Every table still found; the fixed ones customer-managed, the others with the status they had. */
function tableProblems(before: Detected, after: { address: string; status: string }[], fixed: string[]): string[] {
  const problems: string[] = [];
  const now = new Map(after.map((t) => [t.address, t]));
  for (const t of before.tables) {
    const a = now.get(t.address);
    if (!a) problems.push(`table ${t.address} is no longer found`);
    else if (fixed.includes(t.address) && a.status !== 'customer-managed') {
      problems.push(`table ${t.address} is ${a.status}, not customer-managed`);
    } else if (!fixed.includes(t.address) && a.status !== t.status) {
      problems.push(`table ${t.address} changed from ${t.status} to ${a.status} though it was not to be fixed`);
    }
  }
  return problems;
}
