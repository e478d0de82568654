/** The CloudFormation family: CloudFormation and SAM templates (YAML, JSON) and serverless.yml. */
import type { DiskContext, Format, SourceFile } from '../../core/types.js';
import { detectCloudFormation } from './detect.js';
import type { CfnDetection } from './tableTypes.js';
import { referencedIds } from '../cfn-values/intrinsics.js';
import { embeddedTables, templateStrings } from './embedded.js';
import { withIncludes } from './includes.js';
import { readFileValues } from '../serverless/fileValues.js';
import { readCompose } from '../serverless/compose.js';
import { readEnvironments } from '../cfn-values/environments.js';
import { withSynthOutput } from './synthesized.js';
import { withDeployOutput } from './deployOutput.js';
import { verifyCloudFormation } from './verify.js';
import { samDeployRoles, serviceDeployRoles } from '../cfn-values/deployRoles.js';
import { samDeployRegions, serviceDeployRegions } from '../cfn-values/deployRegions.js';

let fixModule: typeof import('./fix.js') | undefined;

export const cloudformation: Format<CfnDetection> = {
  name: 'cloudformation',
  // What the file's own text says, then whether cdk synth wrote it (a file under cdk.out, or a CDK-marked
  // table beside a CDK app), and how the service files above it include it (a file that could be included only).
  detect: (file, context) => {
    const roles = context?.iamRoles;
    const first = detectCloudFormation(file, undefined, undefined, undefined, roles);
    // A service's keys read from files (serverless/fileValues.ts), or params a Serverless Compose file may pass (serverless/compose.ts):
    // detected again with the files' values and what the compose files pass.
    if (context && (first.fileRefs || first.readsParams))
      return Promise.all([
        first.fileRefs ? readFileValues(first.fileRefs, file, context) : undefined,
        first.readsParams ? readCompose(file, context, (value) => referencedIds(value)[0]) : undefined,
      ]).then(([files, compose]) => beside(detectCloudFormation(file, files, undefined, compose, roles), file, context));
    // A template's parameters and conditions, in each environment of a SAM configuration (environments.ts).
    if (context && first.readsInputs)
      return readEnvironments(file, context).then((envs) =>
        beside(envs ? detectCloudFormation(file, undefined, envs, undefined, roles) : first, file, context),
      );
    return beside(first, file, context);
  },
  // Planning code (renderers, editors) is loaded only by `fix` (once: each dynamic import() goes through the module loader).
  fix: async (group, options, context) => (fixModule ??= await import('./fix.js')).fixCloudFormation(group, options, context),
  // Verification is light (tree walks): loaded with detection, since every fix of a file runs it.
  verify: (files, options) =>
    files.map((f) => (f.edits.length > 0 ? verifyCloudFormation(f.before.detection, f.detection, f.fixed, options) : [])),
  // A template in a string of the file (a StackSet's TemplateBody, a Kubernetes manifest's data.template), and the
  // tables of any template in a string (src/core/embedded.ts). Its documents as detection parsed them: no parse again.
  embedded: (file, detection) => (file.text.includes('AWS::DynamoDB::') ? templateStrings(file.text, detection.roots) : []),
  templateTables: embeddedTables,
};

/** Whether cdk synth wrote the file, or a deploy tool (sam package, serverless package), then how service files include it. */
function beside(detection: CfnDetection, file: SourceFile, context: DiskContext | undefined): CfnDetection | Promise<CfnDetection> {
  const then = (d: CfnDetection | Promise<CfnDetection>, next: (r: CfnDetection) => CfnDetection | Promise<CfnDetection>) =>
    d instanceof Promise ? d.then(next) : next(d);
  return then(
    then(
      then(withSynthOutput(detection, file, context), (r) => withDeployOutput(r, file, context)),
      (r) => withIncludes(r, file, context),
    ),
    (r) => withDeployRoles(r, file, context),
  );
}

/**
 * The role each table's stack deploys with, where the project names it (cfn-values/deployRoles.ts): a service's own
 * `provider.iam.deploymentRole` (or `cfnRole`), or the `role_arn` of the SAM configurations that deploy the template;
 * and the Regions it deploys to (cfn-values/deployRegions.ts: `provider.region`, the configurations' `region`).
 * Not for a file another service includes, nor an additional stack (their service's settings are in another file).
 */
function withDeployRoles(
  detection: CfnDetection,
  file: SourceFile,
  context: DiskContext | undefined,
): CfnDetection | Promise<CfnDetection> {
  if (detection.tables.length === 0) return detection;
  const own = (t: CfnDetection['tables'][number]) => !t.template.lone && !t.template.keyed && !t.template.stack;
  for (const t of detection.tables) {
    if (t.template.flavor !== 'serverless' || !own(t)) continue;
    const roles = serviceDeployRoles(t.template.root, file);
    if (roles.length) t.deployRoles = roles;
    const regions = serviceDeployRegions(t.template.root, file);
    if (regions.length) t.deployRegions = regions;
  }
  const templates = detection.tables.filter((t) => t.template.flavor !== 'serverless' && own(t));
  if (!context || templates.length === 0) return detection;
  return Promise.all([samDeployRoles(file, context), samDeployRegions(file, context)]).then(([roles, regions]) => {
    for (const t of templates) {
      if (roles.length) t.deployRoles = roles;
      if (regions.length) t.deployRegions = regions;
    }
    return detection;
  });
}

export default cloudformation;
