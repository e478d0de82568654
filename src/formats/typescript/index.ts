/** The TypeScript family: AWS CDK v2, CDK for Terraform and Pulumi programs written in TypeScript. */
import type { DiskContext, Format, SourceFile } from '../../core/types.js';
import { LineIndex } from '../../core/text.js';
import { amplifyModelTables, mayHoldModels } from './amplifyData.js';
import { boundaryCautions } from './boundaries.js';
import { entryStackRegions } from './cdkApp.js';
import { cdkV1VersionLimits } from './cdkV1Version.js';
import { detectTypeScript, type TsDetection } from './detect.js';
import { pulumiVersionLimits } from './pulumiVersion.js';
import { verifyTypeScript } from './verify.js';

let fixModule: typeof import('./fix.js') | undefined;

export const typescript: Format<TsDetection> = {
  name: 'typescript',
  detect: (file, context) => {
    const d = detectTypeScript(file);
    if (d.tables.length === 0) return withModels(file, d, context);
    // A TableV2 in a stack class the file does not create: how the CDK app's entry creates it. Roles' permissions boundaries.
    const regions = d.tables.some((t) => t.stackClass) ? entryStackRegions(file, d, context) : undefined;
    // A CDK v1 project's @aws-cdk/aws-dynamodb, or a Pulumi project's @pulumi/aws and @pulumi/pulumi, may lack what a fix
    // writes; read before the cautions, said on open tables only (package.json is read only for such a file).
    const cdkV1 = cdkV1VersionLimits(file, d, context);
    const pulumi = pulumiVersionLimits(file, d, context);
    const limits = cdkV1 && pulumi ? Promise.all([cdkV1, pulumi]) : (cdkV1 ?? pulumi);
    const cautions = limits ? limits.then(() => boundaryCautions(file, d, context)) : boundaryCautions(file, d, context);
    return Promise.all([regions, cautions]).then(() => withModels(file, d, context));
  },
  // Planning code (renderers, editors) is loaded only by `fix` (once: each dynamic import() goes through the module loader).
  fix: async (group, options, context) => (fixModule ??= await import('./fix.js')).fixTypeScript(group, options, context),
  verify: (files, options) => files.map((f) => (f.edits.length > 0 ? verifyTypeScript(f.file, f.detection, f.fixed, options) : [])),
};

function withModels(file: SourceFile, d: TsDetection, context?: DiskContext): TsDetection | Promise<TsDetection> {
  if (!mayHoldModels(file.text)) return d;
  // Amplify Gen2 data models: tables Amplify creates, read with what amplify/backend.ts sets for them.
  return amplifyModelTables(file, d.sf, LineIndex.of(file.text), context).then((models) => {
    d.tables.push(...models);
    return d;
  });
}

export default typescript;
