/** The CloudFormation family: CloudFormation and SAM templates (YAML, JSON) and serverless.yml. */
import type { Format, SourceFile } from '../../core/types.js';
import { embeddedTables, namesTableType, templateBodies } from '../embedded.js';
import { detectCloudFormation, type CfnDetection } from './detect.js';
import { withIncludes } from './includes.js';
import { withSynthOutput } from './synthesized.js';
import { verifyCloudFormation } from './verify.js';

let fixModule: typeof import('./fix.js') | undefined;

export const cloudformation: Format<CfnDetection> = {
  name: 'cloudformation',
  // What the file's own text says, then whether cdk synth wrote it (a file under cdk.out, or a CDK-marked
  // table beside a CDK app), and how the service files above it include it (a file that could be included only).
  detect: (file, context) => {
    const d = withSynthOutput(detectCloudFormation(file), file, context);
    const r = d instanceof Promise ? d.then((x) => withIncludes(x, file, context)) : withIncludes(d, file, context);
    return file.text.includes('TemplateBody') && namesTableType(file.text) ? withEmbedded(r, file) : r;
  },
  // Planning code (renderers, editors) is loaded only by `fix` (once: each dynamic import() goes through the module loader).
  fix: async (group, options) => (fixModule ??= await import('./fix.js')).fixCloudFormation(group, options),
  // Verification is light (tree walks): loaded with detection, since every fix of a file runs it.
  verify: (files, options) =>
    files.map((f) => (f.edits.length > 0 ? verifyCloudFormation(f.before.detection, f.detection, f.fixed, options) : [])),
};

/** The file's tables, and those of the templates of its `TemplateBody` strings (src/formats/embedded.ts: reported, never fixed). */
async function withEmbedded(d: CfnDetection | Promise<CfnDetection>, file: SourceFile): Promise<CfnDetection> {
  const own = await d;
  const rows = await embeddedTables(file, templateBodies(file.text));
  return rows.length ? { ...own, tables: [...own.tables, ...(rows as CfnDetection['tables'])] } : own;
}

export default cloudformation;
