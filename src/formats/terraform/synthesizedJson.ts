/**
 * A Terraform JSON file CDKTF synthesized, wherever it is (src/core/synthOutput.ts `cdktfMetadataIn`), with what
 * compiles into it when kmsfix can tell: Winglang's `wing compile main.w` writes `target/main.tfaws/main.tf.json`,
 * so a `.w` file in the folder that holds `target/` (the one named for the output folder first) is its source.
 */
import { cdktfMetadataIn } from '../../core/synthOutput.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { Obstacle } from '../../rule/facts.js';

export async function synthesizedJson(file: SourceFile, context?: DiskContext): Promise<Obstacle | undefined> {
  if (!file.path.endsWith('.json') || !cdktfMetadataIn(file.text)) return undefined;
  return cdktfMetadataIn(file.text, await wingSource(file, context));
}

/** The `.w` file beside the `target` folder of a Wing output folder (`target/<name>.tf<platform>/`), as shown. */
async function wingSource(file: SourceFile, context?: DiskContext): Promise<string | undefined> {
  const folder = file.absPath.split(/[\\/]/).at(-2);
  if (!context || !folder || !/\.tf[a-z]+$/.test(folder)) return undefined;
  const stem = folder.replace(/\.tf[a-z]+$/, '');
  const ws = await context.folderFiles(file, '../..', (name) => name.endsWith('.w'));
  const w = ws.find((f) => f.path.split('/').at(-1) === `${stem}.w`) ?? ws[0];
  return w?.path;
}
