/**
 * A file's detection with the tables of the CloudFormation templates written inside its strings
 * (src/core/embedded.ts): the file's format finds the strings (`Format.embedded`), the CloudFormation
 * family reads their tables (`Format.templateTables`). Both the first detection and verification's
 * go through here, so a fixed file reports the same rows. A file that says something else writes it
 * (src/core/generatedFile.ts) has that obstacle on each of its tables, in every format.
 */
import { generatedFileObstacle } from '../core/generatedFile.js';
import type { Detection, DiskContext, Format, SourceFile } from '../core/types.js';
import { FORMATS, loadFormat } from '../formats/index.js';

export async function detectWithEmbedded(format: Format, file: SourceFile, context?: DiskContext): Promise<Detection> {
  const own = await format.detect(file, context);
  const detection = generated(file, own);
  const bodies = format.embedded?.(file, own) ?? [];
  if (bodies.length === 0) return detection;
  const reader = format.templateTables ? format : await loadFormat(FORMATS.find((e) => e.name === 'cloudformation')!);
  const rows = reader.templateTables?.(file, bodies) ?? [];
  // A new detection: the format's own may be read again (a Terraform module's sibling), by readers that know only its tables.
  return rows.length ? { ...detection, tables: [...detection.tables, ...rows] } : detection;
}

/** The detection with the `generated-file` obstacle on each table, when the file's head says it is generated. */
function generated(file: SourceFile, detection: Detection): Detection {
  const o = detection.tables.length > 0 ? generatedFileObstacle(file.text, file.path) : undefined;
  if (!o) return detection;
  // New rows: a format may hand the same detection out again (a module's files read once). A table whose own
  // block says so already (a Terraform JSON block's `"//"`) keeps that one.
  const tables = detection.tables.map((t) =>
    t.encryption.obstacles.some((x) => x.kind === 'generated-file')
      ? t
      : { ...t, encryption: { ...t.encryption, obstacles: [...t.encryption.obstacles, o] } },
  );
  return { ...detection, tables };
}
