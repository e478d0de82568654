/**
 * The permissions boundaries a module gives roles (EncryptionFacts.cautions `permissions-boundary`):
 * a key policy whose principal is * cannot lift a boundary, so a role whose boundary allows no KMS
 * action loses access to a table once it uses a KMS key. Read for a module with a table a fix would
 * change: `permissions_boundary` on an `aws_iam_role` or `aws_iam_user`, and a module call's input
 * named for one (`role_permissions_boundary`, `role_permissions_boundary_arn`), in the table's file
 * and the module's other files.
 */
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { TfDetection } from './detect.js';
import { siblingBlocks, summarize, type TopBlock } from './topBlocks.js';

const WORD = 'permissions_boundary';
const ROLE_BOUNDARY = /^\s*permissions_boundary\s*=/m;
const INPUT_BOUNDARY = /^\s*"?\w*permissions_boundary\w*"?\s*[=:]/m;
const BOUNDED = new Set(['aws_iam_role', 'aws_iam_user']);

/** What gives a role a boundary among some top blocks: `aws_iam_role.app`, `module.lambda`. */
function bounding(tops: TopBlock[]): string[] {
  const out: string[] = [];
  for (const b of tops) {
    if (!b.text.includes(WORD)) continue;
    if (b.type === 'resource' && BOUNDED.has(b.labels[0]) && ROLE_BOUNDARY.test(b.text)) out.push(`${b.labels[0]}.${b.labels[1]}`);
    else if (b.type === 'module' && INPUT_BOUNDARY.test(b.text)) out.push(`module.${b.labels[0]}`);
  }
  return out;
}

export async function boundaryCautions(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  if (!det.tables.some((t) => fixWanted(decide(t.encryption, WAIVABLE)))) return;
  const own = file.text.includes(WORD) ? bounding(summarize(det, file.text)) : [];
  const siblings = context ? (await context.siblings()).filter((f) => f.text.includes(WORD)) : [];
  const where = [...own, ...(siblings.length > 0 ? bounding(await siblingBlocks(siblings)) : [])];
  if (where.length === 0) return;
  for (const t of det.tables) (t.encryption.cautions ??= []).push({ kind: 'permissions-boundary', where });
}
