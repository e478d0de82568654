/**
 * What of a Terraform file needs its module's inputs evaluated (inputs.ts, evaluate.ts): the tables
 * whose encryption switch or key reads a variable or a local, and the calls of local modules.
 * Cheap and loaded with detection: a file with neither (most files) loads and reads no evaluation.
 */
import type { TfDetection, TfTable } from './detect.js';
import { attr, blocks, type HAttr, type HBlock } from './parse.js';

/** Does the expression read a variable or a local (so that evaluating it says more than its text)? */
export function readsInputs(expr: string): boolean {
  return /\b(var|local)\.[A-Za-z_]/.test(expr);
}

/** A module source that is a folder of this repository (`./modules/x`, `../../`). */
export const LOCAL_SOURCE = /^\.\.?(\/|$)/;

export interface InputUses {
  /** The file's tables (and replica resources) whose switch or key reads inputs. */
  own: TfTable[];
  /** Its calls of local modules (not a local copy of the registry module, which is a table of `det`). */
  calls: HBlock[];
}

export function inputUses(det: TfDetection): InputUses {
  const reads = (a: HAttr | undefined) => !!a && !a.lit && readsInputs(a.value);
  const own = det.tables.filter((t) => {
    if (t.kind === 'module')
      return reads(attr(t.block, 'server_side_encryption_enabled')) || reads(attr(t.block, 'server_side_encryption_kms_key_arn'));
    if (t.kind === 'table-replica') return reads(attr(t.block, 'kms_key_arn'));
    if (t.kind !== 'table') return false;
    const sse = blocks(t.block, 'server_side_encryption')[0];
    return reads(attr(sse, 'enabled')) || reads(attr(sse, 'kms_key_arn'));
  });
  const all = det.hcl?.blocks ?? det.json?.blocks ?? [];
  // A local copy of the registry module (`../terraform-aws-modules/terraform-aws-dynamodb-table`) is read as the registry module.
  const registry = new Set(det.tables.map((t) => t.block));
  const calls = all.filter((b) => {
    const src = attr(b, 'source')?.lit;
    return b.type === 'module' && b.labels.length === 1 && src?.type === 'string' && LOCAL_SOURCE.test(src.value) && !registry.has(b);
  });
  return { own, calls };
}
