/** The Terraform family: HCL (.tf) and Terraform JSON (.tf.json), fixed one module directory at a time. */
import path from 'node:path';
import type { Format } from '../../core/types.js';
import { detectTerraform, type TfDetection } from './detect.js';
import { heredocBodies } from './embedded.js';
import { isTerragruntUnit } from './entry.js';
import { detectTerragruntUnit } from './terragruntUnit.js';
import { verifyTerraform } from './verify.js';

let fixModule: typeof import('./fix.js') | undefined;

export const terraform: Format<TfDetection> = {
  name: 'terraform',
  detect: (file, context) => (isTerragruntUnit(file.path) ? detectTerragruntUnit(file, context) : detectTerraform(file, context)),
  // A terragrunt unit is never fixed, and no file of a module: a group of its own.
  groupKey: (absPath) => (isTerragruntUnit(absPath) ? absPath : path.dirname(absPath)),
  // Planning code (renderers, editors) is loaded only by `fix` (once: each dynamic import() goes through the module loader).
  fix: async (group, options, context) => (fixModule ??= await import('./fix.js')).fixTerraform(group, options, context),
  verify: verifyTerraform,
  // CloudFormation templates in heredocs (aws_cloudformation_stack's template_body): their tables are read by that family.
  embedded: (file) => (file.text.includes('AWS::DynamoDB::') ? heredocBodies(file.text) : []),
};

export default terraform;
