/** Terraform JSON (.tf.json): detection and position-aware edits that keep the file's style. */
import { ParseError } from '../../src/types.js';
import type { FilePlan, FixOptions, GroupMember, SourceFile } from '../../src/types.js';
import type { TfDetection } from './detect.js';
import type { TopBlock } from './summary.js';

export interface JsonModel {
  tops: TopBlock[];
}

export function detectTerraformJson(file: SourceFile): TfDetection {
  void file;
  throw new ParseError('Terraform JSON is not supported yet', 1, 1);
}

export function fixTerraformJson(m: GroupMember<TfDetection>, options: FixOptions, info: unknown, decls: unknown, plan: FilePlan): void {
  void m, options, info, decls, plan;
}
