/** The TypeScript family: AWS CDK v2, CDK for Terraform and Pulumi programs written in TypeScript. */
import { iamRoleCautions } from './iamRoles.js';
import { crossStackGrants } from './crossStackGrants.js';
import { serviceRoleCautions } from './serviceRoles.js';
import type { DeployRegion, DiskContext, Format, SourceFile } from '../../core/types.js';
import { LineIndex } from '../../core/text.js';
import { aliasPlaceOf } from './aliasPlace.js';
import { amplifyModelTables, mayHoldModels } from './amplifyData.js';
import { aspectCautions } from './aspects.js';
import { boundaryCautions } from './boundaries.js';
import { entryStackProps, entryStackRegions } from './cdkApp.js';
import { cdkV1VersionLimits } from './cdkV1Version.js';
import { cdktfRegionLimits } from './cdktfRegion.js';
import { detectTypeScript } from './detect.js';
import type { TsDetection, TsTable } from './tableTypes.js';
import { cdkContextOf } from './cdkContext.js';
import { holderOf, ts } from './parse.js';
import { pulumiVersionLimits } from './pulumiVersion.js';
import { deletionProtected, recoveryOn, removalOf } from './retention.js';
import { resolveSymbol } from './imports.js';
import { selectionsOf } from './backups.js';
import { unkeptKeyCautions } from './keptKeys.js';
import { markUnusableTsKeys } from './keySpec.js';
import { optionsOf } from './options.js';
import { packageConstructCautions } from './packageConstructs.js';
import { readsStackConfig } from './stackConfig.js';
import type { ProjectValues } from './projectValues.js';
import { reexportsOf } from './reexports.js';
import { resourcesImportOf } from './serviceImports.js';
import { serviceTsRegions } from './serviceRegions.js';
import { pulumiStacks } from '../pulumi/stacks.js';
import { verifyTypeScript } from './verify.js';
import { readFileValues } from '../serverless/fileValues.js';
import { typeOnlyFix } from '../../rule/cmk.js';
import { keptKeyText, switchAlone } from './switchOnly.js';
import { CLOUD_TABLE, dropOtherClouds } from './pulumiCloudBackend.js';
import { sstAppKeeps } from './sstRemoval.js';

let fixModule: typeof import('./fix.js') | undefined;

export const typescript: Format<TsDetection> = {
  name: 'typescript',
  detect: (file, context) => {
    const d = detectTypeScript(file);
    // A `new` of a name imported from a module of the project: detected again with what the module re-exports
    // (`export { Table as MyTable } from 'aws-cdk-lib/aws-dynamodb'`: reexports.ts), when it re-exports anything.
    if (context && d.reexporting)
      return reexportsOf(file, d.reexporting, context).then((reexports) =>
        reexports.size > 0
          ? withValues(file, detectTypeScript(file, { reexports }), context, { reexports })
          : withValues(file, d, context, {}),
      );
    return withValues(file, d, context, {});
  },
  // Planning code (renderers, editors) is loaded only by `fix` (once: each dynamic import() goes through the module loader).
  fix: async (group, options, context) => (fixModule ??= await import('./fix.js')).fixTypeScript(group, options, context),
  verify: (files, options) =>
    files.map((f) => {
      if (f.edits.length === 0) return [];
      // A table that got its key's type alone, or its switch alone, keeps the user's key (typeOnly.ts, switchOnly.ts).
      const ownKey = new Set(f.before.detection.tables.filter((t) => typeOnlyFix(t.encryption) || switchAlone(t)).map((t) => t.address));
      return verifyTypeScript(f.file, f.detection, f.fixed, options, ownKey);
    }),
};

/** A detection given `values`, detected again with the project's values it reads (projectValues.ts). */
function withValues(
  file: SourceFile,
  d: TsDetection,
  context: DiskContext | undefined,
  values: ProjectValues,
): TsDetection | Promise<TsDetection> {
  // A serverless.ts's keys read from files (`${file(./config/${sls:stage}.json):kmsKeyArn}`): detected again with
  // the files' values, as a serverless.yml is (serverless/fileValues.ts).
  if (context && d.fileRefs)
    return readFileValues(d.fileRefs, file, context).then((files) => detected(file, detectTypeScript(file, { ...values, files }), context));
  // A Pulumi table's key from the stack's config: detected again with what each stack file sets (stackConfig.ts),
  // before anything that depends on whether a fix is wanted.
  if (context && readsStackConfig(file, d))
    return pulumiStacks(file, context).then((stacks) =>
      stacks ? detected(file, detectTypeScript(file, { ...values, stacks }), context) : detected(file, d, context),
    );
  // A key looked up by an alias a context value names: detected again with the app's context (awsManagedKey.ts,
  // cdkContext.ts); a key a stack takes in its props, with what the app's entry passes it (stackProps.ts).
  if (context && d.wants?.length) return appValues(file, d, context, values).then((again) => detected(file, again ?? d, context));
  return detected(file, d, context);
}

/** The detection again with the CDK app's values its first detection wants (undefined: none could be read). */
async function appValues(file: SourceFile, d: TsDetection, context: DiskContext, values: ProjectValues): Promise<TsDetection | undefined> {
  const cdkContext = d.wants?.includes('cdkContext') ? await cdkContextOf(file, context) : undefined;
  const stackProps = d.wants?.includes('stackProps') ? await entryStackProps(file, d.sf, context) : undefined;
  // A map of resources the file exports as its default, which a serverless.ts may spread into its Resources (serviceImports.ts).
  const resourcesImport = d.wants?.includes('resourcesImport') ? await resourcesImportOf(file, context) : undefined;
  if (!cdkContext && !stackProps && !resourcesImport) return undefined;
  const again = detectTypeScript(file, {
    ...values,
    ...(cdkContext ? { cdkContext } : {}),
    ...(stackProps ? { stackProps } : {}),
    ...(resourcesImport ? { resourcesImport } : {}),
  });
  if (resourcesImport) again.importerRegions = resourcesImport.regions;
  return again;
}

/** What detection reads beside the file: the app's entry, the project's packages, boundaries, Amplify models. */
function detected(file: SourceFile, d: TsDetection, context: DiskContext | undefined): TsDetection | Promise<TsDetection> {
  if (d.tables.length === 0) return withModels(file, d, context);
  // @pulumi/cloud's Tables of a program whose stacks deploy to another cloud: none (pulumiCloudBackend.ts).
  if (context && d.tables.some((t) => t.type === CLOUD_TABLE))
    return dropOtherClouds(file, d, context).then(() => appRead(file, d, context));
  return appRead(file, d, context);
}

/** `detected` past what the table's app keeps: an SST v3 app's removal keeps its Pulumi tables (sstRemoval.ts). */
function appRead(file: SourceFile, d: TsDetection, context: DiskContext | undefined): TsDetection | Promise<TsDetection> {
  if (context && d.tables.some((t) => t.kind === 'PulumiTable'))
    return sstAppKeeps(file, d, context).then(() => tablesRead(file, d, context));
  return tablesRead(file, d, context);
}

/**
 * The Regions a serverless.ts service's tables deploy to (serviceRegions.ts: its `provider.region`), as a
 * serverless.yml's are read (cloudformation/index.ts withDeployRoles): the file's own service's, or, for a file of
 * resources a service spreads into its Resources, that service's. --kms-key-arn with a key of another Region declines
 * them (fix.ts otherRegions); a known Region drops the commit message's "found no Region" words.
 */
function serviceRegionsOf(file: SourceFile, d: TsDetection): void {
  let regions: DeployRegion[] | undefined;
  for (const t of d.tables) {
    if (t.framework !== 'serverless') continue;
    regions ??= d.importerRegions ?? serviceTsRegions(d.sf, file);
    if (regions.length) t.deployRegions = regions;
  }
}

/** `detected` past the tables' own cloud. */
function tablesRead(file: SourceFile, d: TsDetection, context: DiskContext | undefined): TsDetection | Promise<TsDetection> {
  if (d.tables.length === 0) return withModels(file, d, context);
  // The key a table fixed by its switch alone keeps (the commit message names it, and no new key: switchOnly.ts).
  for (const t of d.tables) {
    const kept = keptKeyText(t);
    if (kept !== undefined) t.keptKey = kept;
    // A CDK key's removal policy, which follows its table's (fix.ts keyRemovalOf; a choice between two: not said kept).
    else if (t.framework === 'cdk' && removalOf(t, (e) => resolveSymbol(e, d.binds), d.sf) === 'RETAIN') t.keyRetained = true;
  }
  unaliased(file, d);
  serviceRegionsOf(file, d);
  recoveryCautions(d);
  // A table whose key is a key of the file DynamoDB cannot use (an asymmetric or HMAC key: keySpec.ts).
  markUnusableTsKeys(file, d);
  // A CDK table kept past its stack whose kms.Key of the file is destroyed with it (keptKeys.ts).
  unkeptKeyCautions(file, d);
  // A table handed to a construct of an npm package, which may add a resource policy or integration (packageConstructs.ts).
  packageConstructCautions(d);
  // Roles an explicit statement (CDK) or a serverless.ts service grants DynamoDB and no KMS action (said under --key-policy iam only).
  if (context?.iamRoles) {
    iamRoleCautions(file, d);
    serviceRoleCautions(file, d);
  }
  // A CDK table another stack of its folder grants on: declined for iam mode (its grants deploy after it: crossStackGrants.ts).
  const crossStack = context?.iamRoles ? crossStackGrants(file, d, context) : undefined;
  // A TableV2 whose stack's Region the file does not show: how the CDK app's entry creates it. Roles' permissions boundaries.
  const regions = d.tables.some((t) => t.regionOpen) ? entryStackRegions(file, d, context) : undefined;
  // A CDK v1 project's @aws-cdk/aws-dynamodb, or a Pulumi project's @pulumi/aws and @pulumi/pulumi, may lack what a fix
  // writes; read before the cautions, said on open tables only (package.json is read only for such a file).
  const cdkV1 = cdkV1VersionLimits(file, d, context);
  const pulumi = pulumiVersionLimits(file, d, context);
  // A CDKTF table with a `region` of its own is fixed when the project's provider has `region` (cdktfRegion.ts).
  const cdktfRegion = cdktfRegionLimits(file, d, context);
  const pending = [cdkV1, pulumi, cdktfRegion].filter((p) => p !== undefined);
  const limits = pending.length > 0 ? Promise.all(pending) : undefined;
  // An Aspect of the stack file that creates the file's constructs, or whose class is imported, naming a rule ID (aspects.ts).
  const read = () => aspectCautions(file, d, context).then(() => boundaryCautions(file, d, context));
  const cautions = limits ? limits.then(read) : read();
  return Promise.all([regions, cautions, crossStack]).then(() => withModels(file, d, context));
}

/**
 * A CDK for Terraform table with point-in-time recovery whose key the fix does not protect (its
 * preventDestroy would fail every destroy): a destroy would schedule the key's deletion while DynamoDB
 * keeps the deleted table's backup under it (retention.ts), or an AWS Backup selection of its file backs it
 * up (backups.ts: its recovery points stay under the key).
 */
function recoveryCautions(d: TsDetection): void {
  for (const t of d.tables) {
    if (t.framework !== 'cdktf') continue;
    if (recoveryOn(t, d.sf) && !deletionProtected(t, d.sf) && optionsOf(t, d.sf).keptBy.length === 0)
      (t.encryption.cautions ??= []).push({ kind: 'recovery-key' });
    // As Terraform's aws_backup_selection (terraform/backupCautions.ts), in the table's file.
    const selections = selectionsOf(t, d.sf);
    if (selections.length > 0) (t.encryption.cautions ??= []).push({ kind: 'backup-key', selections });
  }
}

/**
 * A table the fix would give a key of its own and no alias: created inside an expression no variable
 * names (`this.tables.push(new Table(...))`; fix.ts writes the alias after the statement, naming the table).
 */
function unaliased(file: SourceFile, d: TsDetection): void {
  for (const t of d.tables) {
    if (!t.props || !t.statement || t.kind === 'CfnGlobalTable' || t.kind === 'CfnResource' || aliasPlaceOf(t, file.text)) continue;
    // A fix that adds the key's type, or turns its switch on, alone gives no key (typeOnly.ts, switchOnly.ts).
    if (typeOnlyFix(t.encryption) || t.keptKey !== undefined) continue;
    const text = t.statement.getText(d.sf);
    const line = text.split(/\r?\n/, 1)[0].trimEnd();
    const shown = chained(t, d.sf) ?? (line.length > 60 ? `${line.slice(0, 57)}...` : line === text ? line : `${line} ...`);
    (t.encryption.cautions ??= []).push({ kind: 'no-alias', in: shown });
  }
}

/** A table whose `new` expression a method call chains on (`new Table(...).addGlobalSecondaryIndex(...)`): that call, short. */
function chained(t: TsTable, sf: ts.SourceFile): string | undefined {
  const access = holderOf(t.node);
  if (!ts.isNewExpression(t.node) || !ts.isPropertyAccessExpression(access) || !ts.isCallExpression(access.parent)) return undefined;
  const callee =
    ts.isIdentifier(t.node.expression) || ts.isPropertyAccessExpression(t.node.expression) ? t.node.expression.getText(sf) : 'Table';
  return `new ${callee}(...).${access.name.text}(...)`;
}

function withModels(file: SourceFile, d: TsDetection, context?: DiskContext): TsDetection | Promise<TsDetection> {
  if (!mayHoldModels(file.text)) return d;
  // Amplify Gen2 data models: tables Amplify creates, read with what amplify/backend.ts sets for them.
  return amplifyModelTables(file, d.sf, LineIndex.of(file.text), context).then((models) => {
    d.tables.push(...models);
    return d;
  });
}

export default typescript;
