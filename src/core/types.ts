/**
 * The contracts every part of kmsfix shares: what a format finds, what it edits, and the one
 * interface every format family implements (`Format`, registered by a cheap `FormatEntry` in
 * src/formats/index.ts); the engine (src/engine) drives them. What a run reports is in result.ts.
 */
import type { EncryptionFacts } from '../rule/facts.js';
import type { Body } from './embedded.js';

export type { Status } from '../rule/status.js';

/** One text edit on a file's text (BOM already removed). start == end is an insertion. */
export interface Edit {
  start: number;
  end: number;
  text: string;
  /**
   * The addresses of the tables (of the group being fixed) this edit serves. The edits that serve a
   * table, applied alone in every file of its group, give valid files with that table fixed: SARIF's
   * per-table fixes are taken so. Absent: the edit serves every table the plan fixes (a shared
   * declaration: a key-policy helper, lookups, imports, a module's policy document).
   */
  tables?: readonly string[];
}

/** A file as a format sees it. `text` never carries the BOM; the engine restores it on write. */
export interface SourceFile {
  /** Path as shown to the user: relative to the current directory, with `/` separators. */
  path: string;
  /** Absolute path on disk (the same as `path` for in-memory files). */
  absPath: string;
  text: string;
  /** Test code (src/io/discover.ts isTestPath): its tables are reported, and fixed only with --include-tests. */
  test?: true;
  /**
   * A file beside a group (src/io/siblings.ts) that kmsfix could not read: why (binary, as a file
   * git-crypt encrypts is in a checkout without its key; another encoding; too large). Its text is empty:
   * a format that needs what it says treats it as not known (Terraform: a tfvars file's variables).
   */
  unreadable?: string;
}

/** Who and where a table is. */
export interface TableIdentity {
  /** 1-based line and column where the table is declared. */
  line: number;
  column: number;
  /** e.g. "cloudformation", "serverless", "sam", "terraform", "cdk". */
  format: string;
  /** e.g. "AWS::DynamoDB::Table", "aws_dynamodb_table". */
  type: string;
  /** CloudFormation logical ID, Terraform address, construct id... unique within the file. */
  address: string;
}

/**
 * A table as a format reads it: who and where it is, and what the rules read about it, as neutral
 * facts (its encryption: src/rule/facts.ts). A format decides nothing about it: the rules do
 * (src/rule/evaluate.ts judge, which the engine calls). A format's own table type extends this one
 * with its parse nodes, for its fix.
 */
export interface TableFacts extends TableIdentity {
  encryption: EncryptionFacts;
  /** Inline suppressions found on the table (the rules decide, by profile, which count). */
  suppressions: Suppression[];
  /**
   * The projen configuration (`.projenrc.js`, as a path from the table's file's folder) that generates
   * the package.json declaring the table's packages: what a fix newly imports is declared there
   * (src/formats/typescript/projen.ts). Set for AWS CDK v1 tables a fix would change.
   */
  projen?: string;
  /**
   * Terraform: the terragrunt units whose local `terraform { source }` is the table's module folder
   * (src/formats/terraform/deployingUnits.ts). Each deploys the folder with its own inputs, so a fix of
   * the table gives each unit's table a key of its own. Set for tables a fix would change.
   */
  units?: DeployingUnit[];
  /**
   * A fix turns the table's switch on alone and keeps the key it names (src/rule/cmk.ts switchedOff): that key, as
   * written. Set by each format's detection (CloudFormation, Terraform; CDK for Terraform and Pulumi: typescript/switchOnly.ts;
   * Pulumi YAML: pulumi-yaml/switchOnly.ts), so that the commit message names that key and creates none (src/report/commitMessage.ts).
   */
  keptKey?: string;
  /**
   * The key a fix generates for the table is kept when a deploy that created it rolls back, by the table's own needs
   * (before `key: retain: always`, which the commit message reads from the settings): CloudFormation `DeletionPolicy:
   * Retain` (cloudformation/retention.ts retains; not RetainExceptOnCreate, whose key such a rollback deletes), an AWS
   * CDK key's RETAIN, kms.Key's default (typescript/retention.ts removalOf). The commit message tells what to do with
   * a key a failed deploy left behind (src/report/commitMessage.ts).
   */
  keyRetained?: true;
  /**
   * The role CloudFormation deploys the table's stack with, where the project names it beside the table's file
   * (src/formats/cfn-values/deployRoles.ts): a Serverless service's `provider.iam.deploymentRole` (or the older
   * `provider.cfnRole`), a SAM configuration's `role_arn`, one per environment. The commit message's Who deploys
   * caution names it (src/report/commitMessage.ts).
   */
  deployRoles?: DeployRole[];
  /**
   * The Regions the table's stack deploys to, where the project says so beside the table's file
   * (src/formats/cfn-values/deployRegions.ts): a Serverless service's `provider.region` (a literal, the default of
   * `${opt:region, 'eu-west-1'}`, each stage's of a map the stage chooses from, else the Framework's default
   * us-east-1), a SAM configuration's `region` per environment. `--kms-key-arn` with a key of another Region
   * declines the table (cloudformation/fix.ts); none known: the commit message names the key's Region.
   */
  deployRegions?: DeployRegion[];
  /**
   * Terraform: the session policy the table's provider configuration passes when it assumes its role
   * (src/formats/terraform/sessionPolicy.ts, `provider "aws": assume_role.policy_arns`), which limits the plan's
   * credentials as a permissions boundary does. The commit message's Who deploys caution names it.
   */
  deploySessionPolicy?: string;
}

/** A Region a stack deploys to, as its file says: the Region, where (a display path, 1-based line), which setting and environment. */
export interface DeployRegion {
  region: string;
  file: string;
  line: number;
  /** `provider.region`, `provider.region's default where no --region is given`, `region`. */
  setting: string;
  /** A SAM configuration's environment (`default`, `prod`), a Serverless stage. */
  environment?: string;
}

/** A role that deploys a stack, as its file names it: the role as written, where (a display path, 1-based line), which setting and environment. */
export interface DeployRole {
  role: string;
  file: string;
  line: number;
  /** `provider.iam.deploymentRole`, `provider.cfnRole`, `role_arn`. */
  setting: string;
  /** A SAM configuration's environment (`default`, `prod`): the section that sets it. */
  environment?: string;
}

/** A terragrunt unit that deploys a module folder: its terragrunt.hcl (a display path), the line of its `terraform` block, its folder. */
export interface DeployingUnit {
  file: string;
  line: number;
  folder: string;
  /**
   * The unit deploys the folder from this repository's git remote (its source names the work tree's `origin`), at
   * `ref` (undefined: the default branch), not the work tree's copy: the fix reaches it once released there
   * (src/formats/terraform/deployingUnits.ts). `source`: the unit's source as written.
   */
  remote?: { source: string; ref: string | undefined };
  /** The unit may not deploy at all: why (a `skip` or `exclude` that is not a literal: terraform/terragruntSkip.ts). */
  may?: string;
}

/** Who a suppression speaks for: a peer tool, or kmsfix itself. */
export type SuppressionTool = 'kmsfix' | 'checkov' | 'trivy' | 'kics' | 'cfn-nag' | 'cfn-guard';

export interface Suppression {
  tool: SuppressionTool;
  /**
   * The one rule it silences, when narrower than the tool's rule for this check (e.g. cfn-guard
   * DYNAMODB_TABLE_MUST_BE_ENCRYPTED). Absent: the tool's customer-managed-key rule.
   */
  rule?: string;
  /** Where and how, e.g. "Metadata.checkov.skip CKV_AWS_119 (reason)". */
  text: string;
  /** Written where the tool itself does not read it (a Checkov skip above a Terraform block): not honoured under that tool's profile. */
  outside?: true;
  /**
   * Written inside a string value (a YAML block scalar's line), where only a tool that reads raw lines finds it
   * (Checkov in a CloudFormation resource): honoured under that tool's profile only, not under strict.
   */
  inString?: true;
  /**
   * A near-miss of kmsfix's own suppression (`Metadata.kmsfix.Ignore`, `# kmsfix: ignore`): what to write
   * instead. Honoured by no profile; it keeps the table from being fixed, since its team meant to skip
   * it (src/rule/evaluate.ts judge), and `text` is what was written.
   */
  unclear?: string;
}

export interface Detection {
  tables: TableFacts[];
  /**
   * The file is also an error (reported with its line) although some of its tables could be read
   * (e.g. YAML duplicate keys elsewhere): its tables are reported, the file is never fixed.
   */
  error?: ParseError;
  /**
   * What the run should say about the file beside its tables, each naming its line and column: a
   * Terraform call of a local module whose folder is not there (tables kmsfix could not read). The
   * run's notes (text, JSON and SARIF reports); they change no status or exit code.
   */
  notes?: string[];
}

export type KeyStrategy = 'per-table' | 'shared';

export interface FixOptions {
  keyStrategy: KeyStrategy;
  /** Use this existing key (ARN, or an expression the format understands); generate no key. */
  kmsKeyArn?: string;
  /** The AWS managed key counts as compliant: such tables are left alone. */
  acceptAwsManaged: boolean;
  /** Also fix tables in test code (src/io/discover.ts isTestPath), which are otherwise reported only. */
  includeTests?: boolean;
  /**
   * Also fix tables whose encryption a template parameter's default decides (`--fix-parameterised`):
   * the table's settings are then written explicitly and the parameter no longer controls them.
   */
  fixParameterised?: boolean;
  /**
   * Also fix Terraform tables whose fix has the AWS provider delete and re-create replicas
   * (`--recreate-replicas`: a replica's new key; src/rule/blockers.ts recreationEffect).
   */
  recreateReplicas?: boolean;
  /** Tags, multi-Region, deletion window, description and alias of generated keys (src/rule/keySettings.ts). */
  key?: import('../rule/keySettings.js').KeySettings;
  /** Which key policy generated keys get (src/rule/keyPolicy.ts); default drop-in. */
  keyPolicy?: import('../rule/keyPolicy.js').KeyPolicyMode;
  /** Tables left out by address (src/rule/skip.ts, `--skip-table`): reported `suppressed`, never fixed. */
  skipTables?: string[];
  /** scan only: whose rules decide `compliant` (default strict). */
  profile?: import('../rule/peers/evaluate.js').Profile;
  /**
   * For the engine, not the formats: the input size limit in bytes (default 5 MB,
   * `--max-file-size`). A fixed file that would grow past it is not written, so that later runs can
   * still read it.
   */
  maxFileBytes?: number;
}

export interface FilePlan {
  edits: Edit[];
  /** Addresses of the tables these edits make customer-managed. */
  fixed: string[];
  /** Tables the format declined while planning (e.g. a provider alias is missing). */
  declined?: { address: string; reason: string }[];
}

export interface GroupMember<D extends Detection = Detection> {
  file: SourceFile;
  detection: D;
  /** Addresses of this file's tables the engine wants fixed (non-compliant, no blocker). */
  targets: string[];
}

/**
 * How the engine finds a format without loading it: cheap path and substring tests, then `load()`
 * imports the parser-heavy module only when a file needs it. One per family, listed in
 * src/formats/index.ts, which also decides (by an explicit precedence) which family reads a file
 * that several accept.
 */
export interface FormatEntry {
  /** Family name: the folder under src/formats/, and `Format.name`. */
  name: string;
  /** Does this format want to look at a file with this path (extension / file name)? */
  accepts(path: string): boolean;
  /** Cheap substring test on the raw text, run before any parser. */
  prefilter(text: string): boolean;
  /** Which names in a folder are files of a group, for DiskContext.siblings (default: `accepts`). */
  siblingFile?(name: string): boolean;
  /**
   * Which names of the run's candidates the family may ask for across the scanned trees
   * (DiskContext.treeFiles: Terraform, each `terragrunt.hcl`, which may deploy a module folder
   * elsewhere in the tree). Default: none.
   */
  treeFile?(name: string): boolean;
  /**
   * Names the family takes only for some texts, even for a file named on the command line (a bare `storage.tmpl`
   * that is a CloudFormation template: a Helm chart's `_helpers.tpl` is none of kmsfix's): whether this text makes the
   * file the family's; undefined for a name the family takes by its name alone (the default).
   */
  byContent?(path: string, text: string): boolean | undefined;
  load(): Promise<Format>;
}

/**
 * A file of a group whose fix the engine verifies (Format.verify): after the plan's edits, which the
 * engine applied once, re-parsed and re-detected; and as it was before. A file the plan leaves
 * unchanged has no edits, and the same text and detection before and after.
 */
export interface FixedFile<D extends Detection = Detection> {
  /** The file with its fixed text. */
  file: SourceFile;
  /** The detection of the fixed text. */
  detection: D;
  before: { file: SourceFile; detection: D };
  /** The plan's edits of this file (offsets into `before.file.text`). */
  edits: Edit[];
  /** Addresses of the tables the plan fixes in this file. */
  fixed: string[];
}

/**
 * One format family (src/formats/<family>/index.ts): it reads files (detect) and plans edits (fix),
 * and never touches the disk itself. The engine calls, for each file: `detect`; for each group of
 * files (`groupKey`) with tables to fix: `fix`, then applies the edits once, re-runs `detect` on
 * each changed file and checks the tables' statuses, then calls `verify` on the group. `D` is the
 * family's own detection type (its tables keep their parse nodes for `fix`); the engine hands `fix`
 * and `verify` only detections made by the same format's `detect`, so a `Format<CfnDetection>`
 * stands for a `Format` (method parameters are bivariant).
 */
export interface Format<D extends Detection = Detection> {
  /** Family name, for messages. */
  name: string;
  /**
   * Parse and detect. Throws `ParseError` for input it cannot read. A format never reads the
   * disk itself: the other files of the file's folder come from `context` (absent in memory).
   */
  detect(file: SourceFile, context?: DiskContext): D | Promise<D>;
  /**
   * Files fixed together (same key: e.g. a Terraform module directory). Defaults to the file itself.
   */
  groupKey?(path: string): string;
  /**
   * Plan the edits for a group of files. Every file of the group is passed, even those with no
   * targets. A format never reads the disk itself: what else its plan needs comes from `context`.
   */
  fix(group: GroupMember<D>[], options: FixOptions, context: DiskContext): Map<string, FilePlan> | Promise<Map<string, FilePlan>>;
  /**
   * The format's own checks of a fixed group, beyond the engine's re-detection (e.g. each fixed
   * table's key exists and rotates, the resolved YAML documents changed only where they should,
   * HashiCorp's parser accepts the fixed text). Every file of the group is passed, in the order of
   * the group; returns the problems of each (only those of changed files count).
   */
  verify?(files: FixedFile<D>[], options: FixOptions, context: DiskContext): string[][] | Promise<string[][]>;
  /**
   * CloudFormation templates written inside strings of the file (src/core/embedded.ts): a Terraform
   * heredoc, a StackSet's TemplateBody, a Kubernetes manifest's `data.template`, found in the text or in the
   * trees `detection` parsed. The engine adds their tables to the file's (src/engine/embedded.ts).
   */
  embedded?(file: SourceFile, detection: D): Body[];
  /** The CloudFormation family: the tables of templates in strings of `file`, as rows of it, never fixed. */
  templateTables?(file: SourceFile, bodies: Body[]): TableFacts[];
}

/**
 * What the engine gives a format beside the files it passes: the engine owns every read of the
 * disk (src/io/read.ts), formats ask it.
 */
export interface DiskContext {
  /**
   * The run words the `iam-roles` caution (a fix with `--key-policy iam`, without `--kms-key-arn`): only
   * then do formats read the roles a file grants DynamoDB (each family's iamRoles.ts). A scan and a
   * fix with the default key policy never say it, and read nothing for it (it was a tenth of a dense
   * Terraform scan).
   */
  iamRoles?: boolean;
  /**
   * The other files of the folders that hold the file (detect) or the group's files (fix), of the
   * names the format's entry takes as a group's files (`FormatEntry.siblingFile`, default
   * `accepts`): e.g. the files of a Terraform module that hold no table. Read by the engine like
   * any input: size limit, binary, UTF-8 and BOM checks; kmsfix's temp files and non-regular files
   * never. Sorted by path. Rejects when one of them cannot be read (a plan must not rest on a file
   * it could not see). In memory (processMemory): the other in-memory files of those folders that
   * the run does not read as inputs (e.g. a `.terraform.lock.hcl`).
   */
  siblings(): Promise<SourceFile[]>;
  /**
   * The nearest project file named `name` (e.g. package.json) that `accept` takes (default: any),
   * in the folder of `from` or a folder above it. Read by the engine (size limit, UTF-8 and BOM
   * checks), once per folder and run; a file that cannot be read counts as absent. In memory
   * (processMemory): the in-memory files of that name.
   */
  projectFile(from: SourceFile, name: string, accept?: (file: SourceFile) => boolean): Promise<SourceFile | undefined>;
  /**
   * The group files of another folder, `rel` from the folder of `from` (e.g. the module a Terraform
   * `module` block calls with `source = "../../"`), of the names the format's entry takes as a
   * group's files, read by the engine as siblings are (size limit, binary, UTF-8 and BOM checks).
   * Sorted by path. Undefined when the folder cannot be listed or one of its files cannot be read.
   * In memory: the in-memory files of that folder.
   */
  folder(from: SourceFile, rel: string): Promise<SourceFile[] | undefined>;
  /**
   * Every candidate of the run named `name` (a name the format's entry takes as a tree file,
   * `FormatEntry.treeFile`), wherever it is in the scanned trees, as discovery found them
   * (.gitignore, excludes): e.g. each `terragrunt.hcl` that may deploy a Terraform module folder.
   * Read by the engine as project files are (size limit, UTF-8 and BOM checks, once per run and
   * thread); one that cannot be read is left out. Sorted by path. In memory: the in-memory files
   * of that name.
   */
  treeFiles(name: string): Promise<SourceFile[]>;
  /**
   * The files of a folder (`rel` from the folder of `from`, e.g. `.` beside a project file) whose names `accept`
   * takes: e.g. a Pulumi project's stack files (`Pulumi.<stack>.yaml`), whose names the program does not say.
   * Read as project files are (size limit, UTF-8 and BOM checks, once per run and thread); one whose bytes kmsfix
   * cannot read is handed on with SourceFile.unreadable (a git-crypt stack file may set anything); a folder that
   * cannot be listed has none. Sorted by path. In memory: the in-memory files there.
   */
  folderFiles(from: SourceFile, rel: string, accept: (name: string) => boolean): Promise<SourceFile[]>;
  /** The names of the folders in a folder (`rel` from the folder of `from`), sorted; none for a folder that cannot be listed. */
  subfolders(from: SourceFile, rel: string): Promise<string[]>;
  /**
   * The value `make` builds for `key`, made once per run and thread and handed to every file that asks (a promise
   * too): what a format derives from files several inputs read alike, e.g. a merged set of files
   * (cloudformation/mergedSiblings.ts), built once rather than once per member. The files it reads must be read
   * through this context (its caches hold them as they were). Absent (a test's context): made at each call.
   */
  once?<T>(key: string, make: () => T): T;
  /**
   * What a format keeps its answers per folder by (a Terraform module folder's callers, outside setters, deploying
   * units): in a run that writes nothing (a scan), one object every context of the run and thread shares, as the files
   * such an answer reads do not change during the run; absent in a run that may write (a fix: its own writes may change
   * another folder, so each context reads again) and in a test's context, where formats keep answers by the context.
   * A detection's context is one file's: without it, each file of a module folder read its folder's answers again.
   */
  folderAnswers?: object;
  /**
   * The real path of a folder (`rel` from the folder of `from`), symbolic links resolved: two paths that reach one
   * folder through a link (`live/modules -> ../modules`) compare equal. Undefined for a folder that is not there; the
   * method is absent where there is no disk (in memory), and paths then compare as written.
   */
  realFolder?(from: SourceFile, rel: string): Promise<string | undefined>;
}

/** Input a format cannot read. line/column are 1-based where known. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}
