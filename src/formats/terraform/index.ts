/** The Terraform family: HCL (.tf) and Terraform JSON (.tf.json), fixed one module directory at a time. */
import path from 'node:path';
import type { DiskContext, Format, SourceFile } from '../../core/types.js';
import { embeddedTables, heredocBodies } from '../embedded.js';
import { detectTerraform, type TfDetection } from './detect.js';
import { isTerragruntUnit } from './entry.js';
import { detectTerragruntUnit } from './terragruntUnit.js';
import { verifyTerraform } from './verify.js';

let fixModule: typeof import('./fix.js') | undefined;

export const terraform: Format<TfDetection> = {
  name: 'terraform',
  detect: (file, context) => (isTerragruntUnit(file.path) ? detectTerragruntUnit(file, context) : withEmbedded(file, context)),
  // A terragrunt unit is never fixed, and no file of a module: a group of its own.
  groupKey: (absPath) => (isTerragruntUnit(absPath) ? absPath : path.dirname(absPath)),
  // Planning code (renderers, editors) is loaded only by `fix` (once: each dynamic import() goes through the module loader).
  fix: async (group, options, context) => (fixModule ??= await import('./fix.js')).fixTerraform(group, options, context),
  verify: verifyTerraform,
};

/** The file's tables, and those of CloudFormation templates in its heredocs (src/formats/embedded.ts: reported, never fixed). */
async function withEmbedded(file: SourceFile, context?: DiskContext): Promise<TfDetection> {
  const d = await detectTerraform(file, context);
  if (!file.text.includes('AWS::DynamoDB::')) return d;
  const rows = await embeddedTables(file, heredocBodies(file.text));
  // A new detection: the one detectTerraform gave may be read again as a sibling's, whose readers know only its own tables.
  return rows.length ? { ...d, tables: [...d.tables, ...(rows as TfDetection['tables'])] } : d;
}

export default terraform;
