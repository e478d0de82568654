/**
 * What a format tells the rule about one table's encryption (`EncryptionFacts`): the settings as
 * written, neutral and with their source text; the format's words for them; the replicas whose keys
 * count; and what stands in the way of a fix that only the format can see (obstacles), as data.
 * Formats fill these in (src/formats/<family>/detect.ts) and decide nothing; src/rule/cmk.ts decides.
 */
import type { Raw, Reference, TableKind } from './peers/facts.js';
import type { Status } from './status.js';

/** One setting as the format reads it. */
export interface Setting {
  /**
   * absent: not written (the format's default applies); literal: a value written as such;
   * reference: names another resource or an input (Ref, aws_kms_key.x.arn, var.key, a variable);
   * expression: any other value decided only at deploy time; unreadable: kmsfix cannot even tell
   * what is set (a spread, a computed property, a condition choosing the value...).
   */
  state: 'absent' | 'literal' | 'reference' | 'expression' | 'unreadable';
  /** As written (a snippet), for messages; for `unreadable`, why it cannot be read, in the format's terms. */
  source: string;
  /** As written in full, where `source` cuts it (a CloudFormation key): the key a fix keeps is named with it (cmk.ts keptKeyOf). */
  written?: string;
  /** A switch (SSEEnabled, enabled): the literal read as a boolean the way the format reads it; undefined when it is not one. */
  bool?: boolean;
  /** A key: the string it is, or is known to end with (a Fn::Sub template); undefined for null or when not known. */
  text?: string;
  /** A choice of key (CDK's `encryption`): the kind of key the value selects; undefined when kmsfix does not know the value. */
  means?: 'aws-owned' | 'aws-managed' | 'customer-managed';
  /** As peer scanners read this setting (literally; a few read another place): src/rule/peers. */
  raw?: Raw | Reference;
  /**
   * The value was read through an input with a default (a CloudFormation parameter), as peer
   * scanners evaluate it: what decided it, for messages ("parameter EnableSSE's default (false)").
   */
  via?: string;
  /** Not known: what was read on the way (Terraform: the module call's input), said after the value as written. */
  why?: string;
  /**
   * A key: the key it names is a key of the same file whose spec or usage, written literally, DynamoDB refuses
   * (an asymmetric or HMAC key: src/rule/keySpec.ts): the table cannot use it (src/rule/cmk.ts).
   */
  unusable?: import('./keySpec.js').Unusable;
}

export const ABSENT: Setting = { state: 'absent', source: '' };

/**
 * What a table read through a parameter was, for the roll back of a fix made with --fix-parameterised
 * (src/report/rollback.ts): a parameter's Default is one stack's value, not every stack's (`EnableSSE=true` passed at
 * deploy time was the AWS managed key where the Default, false, is the AWS owned one), so the roll back gives the
 * settings back as they were written, the parameter still declared, and each stack gets what its value gives it.
 */
export interface WrittenBack {
  /**
   * The table's settings as written, whole, on one line, in the file's own syntax (`SSESpecification: {SSEEnabled: !Ref
   * EnableSSE}`; JSON's `"SSESpecification": {...}`); '' where the table wrote none (SAM Globals' applied).
   */
  block?: string;
  /** A global table's: the replica whose key the fix set (its Region as written), and its settings as written ('' for none). */
  replica?: { region: string; block: string };
  /**
   * What the table was for each value the parameters may take, where they list them (AllowedValues) and nothing
   * else says which a stack passes: `when` names the values (`EnableSSE false`).
   */
  values?: { when: string; status: Status }[];
}

/**
 * The settings, in one of the shapes tables have:
 * - `sse`: a block (SSESpecification, server_side_encryption...) with a switch and a key. Each part
 *   is optional: undefined when the format has no such setting (a module's inputs have no block, a
 *   Terraform replica resource no switch, only CloudFormation an SSEType).
 * - `choice`: a setting that chooses the kind of key (CDK's `encryption`), an explicit key, and a
 *   legacy switch (CDK Table's `serverSideEncryption`).
 * - `unreadable`: what holds the settings cannot be read (Properties is an intrinsic function, the
 *   props are not an object literal).
 */
export type Settings =
  | {
      model: 'sse';
      block?: Setting;
      enabled?: Setting;
      sseType?: Setting;
      key?: Setting;
      /** How peer scanners see the block, when not as `block` says (a module call: its inputs, or a block in it). */
      peerBlock?: 'present' | 'missing' | 'unresolved';
      /** A setting a condition chooses (CloudFormation's Fn::If): the settings as each choice would make them. */
      branches?: Branches;
      /**
       * The deploy rejects a key without `sseType` (CloudFormation: "SSEType KMS is required if
       * KMSMasterKeyId is specified", cfn-lint E3021): set by a format whose template CloudFormation
       * deploys as written (a template, a serverless.ts resource, AWS CDK's CfnTable: CDK synthesizes
       * its sseSpecification as given) (src/rule/cmk.ts reads such a key as not used).
       */
      keyNeedsType?: true;
      /**
       * An absent `enabled` is the switch written off (Terraform: a `server_side_encryption` block without
       * `enabled`, a terraform-aws-modules call without `server_side_encryption_enabled`: both default to false),
       * and the format's fix can add it (src/rule/cmk.ts switchedOff: the table's own key kept; round 41, F4).
       */
      switchDefaultOff?: true;
    }
  | {
      model: 'choice';
      choice: Setting;
      key?: Setting;
      enabled?: Setting;
      /** A choice a condition makes (CDK's `encryption: prod ? A : B`): the settings as each value would make them. */
      branches?: Branches;
    }
  | { model: 'unreadable'; container: Setting };

/**
 * A setting whose value a condition chooses (`name`: block, enabled or key; `source`: as written):
 * the table's settings as each value would make them. Each is decided; when none makes the table
 * customer-managed (and none is unknown), the table is not compliant whichever the condition picks.
 */
export interface Branches {
  name: 'block' | 'enabled' | 'key' | 'choice';
  source: string;
  /** What chooses (a CloudFormation condition's name; in code, the condition as written). */
  condition: string;
  /**
   * The choices are the values an input may take, not a condition's (`SSEEnabled: !Ref EnableSSE`, a parameter with no
   * Default; a Serverless variable that picks from a map of true and false): `condition` names the input, the settings
   * are its values true then false, and this says what gives them (`parameter EnableSSE's values (true, false; no
   * Default)`). A fix through it is one through a parameter (--fix-parameterised: src/formats/cloudformation/detect.ts).
   */
  input?: string;
  /** The setting as written, whole and on one line (`SSEEnabled: !If [IsProd, true, false]`), for a roll back that cannot be worded otherwise. */
  written?: string;
  settings: Settings[];
  /**
   * The branches the environments pick, where each decides the condition (a SAM configuration's
   * environments), and how they pick them (`condition HasKey in samconfig.toml (prod: true)`).
   */
  chosen?: { indexes: number[]; by: string };
}

export interface Replica {
  /** The replica as written (a snippet); `readable` false when it is not a literal mapping. */
  source: string;
  readable: boolean;
  /** Its Region as written, and whether it is the stack's own Region; undefined when the format does not read it. */
  region?: { source: string; local: boolean };
  /** The replica's own key setting. */
  key: Setting;
}

/** A table's replicas, when their keys count for the table's status. */
export interface Replicas {
  /**
   * own: each replica's key decides (a global table has no key of its own; the table's block and
   * switch are read first); override: the table's key decides, unless a replica sets another.
   */
  keys: 'own' | 'override';
  /** The list as written: `literal` when it is a list kmsfix reads item by item. */
  list: Setting;
  items: Replica[];
  /**
   * What the format's fix can do about replica keys: set the key of the replica in the stack's own
   * Region, nothing, or (`all`, Terraform) give every replica a key with the table's (its obstacles say when it cannot).
   */
  fix: 'local' | 'none' | 'all';
}

/** Where the code offers no place to declare a key before the table (TypeScript). */
export type Placement = 'unbraced-body' | 'conditional' | 'expression-body' | 'class-field' | 'nowhere';

/**
 * What stands in the way of a fix, as only the format can see it. The rule says which count (by
 * status) and in what order, and words the manual step (src/rule/blockers.ts).
 */
/**
 * A Terraform module's table that takes one encryption setting from an input (its callers', so the module is
 * not fixed in place) and the other from none: no call can pass it, and a fix of the module's folder leaves it
 * (round 37, R3: each row's step pointed at the other). The variable to declare (a name the module does not
 * use), its declaration, and the setting that reads it.
 */
export interface AddedInput {
  setting: string;
  variable: string;
  declaration: string;
  assignment: string;
}

/** A resource whose replace_triggered_by names a table (Obstacle 'replace-triggers'). */
export interface ReplaceTrigger {
  /** Its address (`aws_lambda_function.reader`). */
  resource: string;
  /** Where its replace_triggered_by is: `file:line`. */
  at: string;
  /** The entry naming the table, as written. */
  entry: string;
  /** It is a DynamoDB table itself: replaced, it is a new, empty one. */
  table: boolean;
  /** An entry kmsfix does not read (not a plain reference) that may name the table. */
  unread?: true;
  /** The entry names not the table but a resource that changes with it: the resources through which, in order. */
  via?: string[];
}

export type Obstacle =
  /** The props are not an object literal (TypeScript). */
  | { kind: 'unreadable-props' }
  /** Terraform: replicas come from a dynamic "replica" block. */
  | { kind: 'dynamic-replicas' }
  /**
   * Terraform: the table's encryption comes from variables of a module that is not a root module
   * (callers set them): `inputs` as the settings read them (var.x). `calledBy`: the call that makes a
   * folder with a sign of a root module (a lock file, tfvars) a child one (terraform/callers.ts).
   */
  /** `deployedBy`: the terragrunt units that deploy the folder (no module block calls it), as the table's file names them. */
  | { kind: 'module-inputs'; inputs: string[]; calledBy?: string; addInput?: AddedInput; deployedBy?: string[] }
  /**
   * Terraform: a call of a local module whose table sets its encryption itself (`where`: the
   * table's file and line), with no input of the call for the switch or the key (`missing`).
   * `module`: that table (its file from the call's folder, and its address), whose fix fixes the call.
   * `reads`: the module's variables the missing settings read all the same, through an expression
   * (`var.enabled && var.kms_key_arn != null ? var.kms_key_arn : null`): the call can set them, by hand.
   */
  | {
      kind: 'module-literal';
      where: string;
      missing: string[];
      module: { file: string; address: string };
      reads?: string[];
      /** The module's table takes its other setting from an input, so its folder is not fixed in place: the input to add first. */
      addInput?: AddedInput;
    }
  /**
   * The table's own deploy options tell the tool to ignore changes to what a fix edits (`where`:
   * the option as the format names it, `entry`: the entry as written, `tool`: the command that
   * would ignore them): a fix would change the code and never the deployed table.
   */
  | { kind: 'ignored-changes'; where: string; entry: string; tool: string }
  /**
   * Pulumi: the table's `replaceOnChanges` resource option names what a fix edits (`where`: the option as
   * the format names it, `entry`: the entry as written: `serverSideEncryption`, a path under it, or `'*'`):
   * `pulumi up` would replace the table (a new, empty one; the old one deleted) instead of changing its key in place.
   */
  | { kind: 'replaced-on-changes'; where: string; entry: string }
  /** Terraform: a registry module call has replicas (`step`: the manual step, when not the rule's). */
  | { kind: 'module-replica-regions'; step?: string }
  /**
   * CDK Table: replicationRegions (CDK refuses a customer-managed key with them). `maybe`: they are
   * not written, and may come from what the props spread (`replicationRegions may come from the spread ...props`).
   */
  | { kind: 'replication-regions'; maybe?: string; empty?: boolean }
  /** CDK TableV2: replicas, whose Regions need key ARNs the file does not give (`maybe`: as for replication-regions). */
  | { kind: 'table-v2-replicas'; maybe?: string }
  /**
   * Terraform: a replica Region for which the module has no aliased `provider "aws"` to create its key
   * through (`child`: the module is not a root module, its callers pass providers; `maybe`: it shows no sign of
   * either, both steps are given; else one is added to it).
   */
  | { kind: 'replica-provider'; region: string; alias: string; child?: true | 'maybe' }
  /**
   * Terraform: the module pins hashicorp/aws (`pin`, as written: `required_providers aws version =
   * "~> 3.40.0"`, `.terraform.lock.hcl (version 4.40.0)`) to versions older than `since`, with which
   * the replica keys a fix writes would not apply. Not waived by --recreate-replicas.
   */
  | { kind: 'replica-keys-version'; pin: string; since: string }
  /**
   * Terraform: a fix would change the key of replicas, which the AWS provider does by deleting and
   * re-creating each one (a `replica` block's `kms_key_arn`; `aws_dynamodb_table_replica`'s forces a
   * new resource). `replicas`: their Regions as written, or where the replica resource is (`provider
   * aws.ohio`, `region us-east-2`); `resource`: the table is an `aws_dynamodb_table_replica`. Waived by
   * --recreate-replicas.
   */
  | { kind: 'replica-recreation'; replicas: string[]; resource: boolean }
  /** CDKTF, Pulumi: a replica of a global table as its own resource (never fixed: its Region, its replacement). */
  | { kind: 'replica-resource' }
  /**
   * A table of a multi-account global table, a replica or the source (`why`: what says so, `replicas`:
   * the replicas that name it, or the ARNs it grants replication to). Replication across accounts
   * runs as DynamoDB's replication service principal, which each replica's key must let through, and
   * kmsfix neither writes nor checks such a key policy: never fixed.
   */
  | { kind: 'multi-account-replication'; why: string; replicas: string[] }
  /**
   * The deploy joins the table into a global table through DynamoDB's API, outside the code (`why`:
   * what says so, a grant of dynamodb:CreateGlobalTable, a Serverless plugin). `version` 2017.11.29
   * (Legacy): its replicas take no customer-managed key; 2019.11.21: the API call adds replicas
   * without a key of their Region. Either way a fix would fail at deploy: never fixed. `declare`: what
   * to declare in its place (Terraform's `aws_dynamodb_global_table`), else an AWS::DynamoDB::GlobalTable.
   */
  | { kind: 'api-global-table'; why: string; version: '2017.11.29' | '2019.11.21'; declare?: string }
  /**
   * A global table whose replicas are resources of their own: the table (`replicas` names them) or
   * one of its replicas (`table` names the table, not customer-managed). DynamoDB changes a global
   * table's encryption for every replica at once, so one of them fixed alone would fail at deploy.
   * `outside`: a replica's table is not one of its module's (Terraform: its `global_table_arn` as
   * written, `var.table_arn`, an ARN built from variables): read as encrypted with the AWS managed key,
   * which a customer-managed key for the replica alone would not match. `ignored`: the table's deploy
   * options ignore changes to its replicas (Terraform's `ignore_changes = [replica]`, as the provider's
   * aws_dynamodb_table_replica page tells users to set; CDKTF's `replica`; Pulumi's `replicas`), `where`
   * lists `entry` at `line`: its replicas are declared elsewhere, where kmsfix does not see them.
   */
  | {
      kind: 'global-table-members';
      replicas: string[];
      table?: string;
      outside?: string;
      ignored?: { where: string; entry: string; line: number };
    }
  /**
   * The file is synthesized output (src/core/synthOutput.ts): `tool`'s synth wrote it, and writes it
   * again; `why`: what says so (`under cdk.out`, the resource's Metadata aws:cdk:path beside a
   * cdk.json); `app`: the app that generates it, when known (`infra/cdk.json`); `source`: the file a
   * generator other than an app compiles into it, which kmsfix does not rewrite (Winglang's `main.w`).
   */
  | { kind: 'synth-output'; tool: 'cdk' | 'cdktf'; why: string; app?: string; source?: string }
  /**
   * The file says, in a comment at its top, that something else writes it (src/core/generatedFile.ts):
   * `marker`, that comment's line.
   */
  /** `marker`: the line of the file's head that says so, or (`folder`) the folder a generator writes. */
  | { kind: 'generated-file'; marker: string; folder?: true }
  /** The table has no id (TypeScript). */
  | { kind: 'no-id' }
  /** CDK TableV2 in a stack created without a Region under an App. */
  /**
   * `by`: who creates the stack without a Region: an Amplify Gen2 backend, Pulumi's CDK adapter
   * (`@pulumi/cdk`'s `Stack`, whose CDK props are `options.props`), or a Stage created without a
   * Region under an App (`stage`), or a CDK app that gives no stack an env (`app`; `at` its entry).
   * `at`: where, when another file (the CDK app's entry) creates it: its stack class and that file's
   * line (`MyStack, created in bin/app.ts line 8`).
   */
  | { kind: 'region-agnostic-stack'; by?: 'amplify' | 'pulumi-cdk' | 'stage' | 'nested' | 'app'; at?: string }
  /** The construct scope is not a plain name (TypeScript): `source` as written. */
  | { kind: 'scope'; source: string }
  /**
   * TypeScript: what the file is written against, or how its props are held (Terraform: the module
   * version a call pins), keeps kmsfix from
   * writing a fix it can stand behind; `step` is the manual step, in the format's words.
   */
  | { kind: 'code-shape'; step: string }
  /**
   * TypeScript: the table is created by a call given its class (`app.addResource(aws.dynamodb.Table, {...})`),
   * which kmsfix does not follow: `step`, where to set the key. Counts for an `unknown` table too.
   */
  | { kind: 'factory'; step: string }
  /**
   * A table of Pulumi's AWS Native provider (TypeScript, Pulumi YAML), read as CloudFormation's and
   * never fixed: `where` names what holds its settings (`args`, `properties`), `keyArn` how a key's ARN
   * is written there (`key.arn`, `${key.arn}`).
   */
  | { kind: 'aws-native'; where: string; keyArn: string }
  /** No statement to declare the key before (TypeScript). */
  | { kind: 'placement'; where: Placement }
  /**
   * Pulumi (AWS 7) and CDKTF (hashicorp/aws 6): the table sets its own Region (`region`, as written),
   * which a generated key, created through the table's provider, would not be in. Lifted for CDKTF when
   * the project's provider package gives the key `region` too (typescript/cdktfRegion.ts).
   */
  | { kind: 'resource-region'; region: string }
  /**
   * Terraform, and TypeScript code (src/formats/typescript/resourcePolicy.ts): a resource policy
   * (`policy`, its address or where the code gives it) that kmsfix cannot read (`unreadable`, its value
   * as written) or that grants principals of other accounts (`others`: account IDs and expressions as
   * written, '*' for any account). `ownAccounts`: where a literal account ID can be declared the
   * table's own (Terraform: the provider's allowed_account_ids).
   */
  | { kind: 'resource-policy'; policy: string; unreadable?: string; others: string[]; ownAccounts?: string }
  /** CloudFormation: the table's ResourcePolicy lets in principals of other accounts (described). */
  | { kind: 'cross-account-grants'; grants: string[] }
  /**
   * The table is the source of zero-ETL integrations (`integrations`, described: AWS::Redshift::Integration,
   * aws_redshift_integration), which read it as their service (redshift.amazonaws.com, glue.amazonaws.com),
   * not as a principal of the account: a generated key's policy would not let them use it.
   */
  | { kind: 'zero-etl'; integrations: string[] }
  /**
   * Terraform: resources of the module whose lifecycle.replace_triggered_by names the table (`table`, its address) whole
   * or through an attribute a fix changes: the fix's apply would replace them (a table: a new, empty one). `cdktf`: CDK
   * for Terraform's `lifecycle.replaceTriggeredBy` on another construct (`table`: the table's variable).
   */
  | { kind: 'replace-triggers'; table: string; triggers: ReplaceTrigger[]; cdktf?: true }
  /**
   * A setting the rule read through an input's default (`decidedBy`: what decided, as Setting.via
   * says), or that a condition chooses (`condition`: `inputs` are conditions); waived by --fix-parameterised.
   */
  | { kind: 'parameter'; decidedBy: string[]; inputs: string[]; condition?: true; back?: WrittenBack }
  /** The table's name or address holds a template placeholder (`where`: which), that generated names would have to refer to. */
  | { kind: 'template-placeholder'; where: string; placeholder: string }
  /** The file also holds an error (`at`: line:column, `message`), so kmsfix never writes it (YAML duplicate keys). */
  | { kind: 'file-error'; at: string; message: string }
  /**
   * Serverless Framework: a service file includes the table alone from its file of Resources
   * (`include`: the service file and the include as written, `${file(tables.yml):OrdersTable}`), so
   * a key and alias added beside it would not be deployed. Waived by --kms-key-arn (nothing is added).
   */
  | { kind: 'key-include'; include: string }
  /**
   * A step the user must take only because a fix would create a key and alias beside the table (`step`:
   * why, and what to write by hand): the table exists several times or only when an input says so.
   * Waived by --kms-key-arn (nothing is added).
   */
  | { kind: 'generated-key'; step: string }
  /** CloudFormation: a table generated by `Fn::ForEach` (`loop`) that the fix cannot edit in the loop body (`why`). */
  | { kind: 'for-each'; loop: string; why: string }
  /** YAML: the resource is an alias (`*alias`). */
  | { kind: 'yaml-alias'; alias: string }
  /** YAML: the table's Properties come from a merge key. */
  | { kind: 'yaml-merge-key' }
  /**
   * YAML: the mapping the fix edits lies in an anchored node that `sites` (paths) also use; `holds`:
   * the anchored node is the resource, its Properties, its SSE block, or a mapping around them.
   */
  | { kind: 'yaml-anchor'; anchor: string; holds: 'resource' | 'container' | 'block' | 'around' | 'setting'; sites: string[] }
  /** YAML: a global table's settings go through an alias, an anchor or a merge key. */
  | { kind: 'yaml-global-table' }
  /** YAML: a resource key of the table's mapping, or a key inside its resource, is explicit (`? T`); `at`: file:line:column of its `?`. */
  | { kind: 'yaml-explicit-key'; at: string };

/**
 * The format's words: the names its settings have (in messages), and how a reason reads where it
 * differs from the rule's default wording (src/rule/words.ts). `{name}` in a phrase is replaced by
 * that name, `{source}` by the setting as written.
 */
export interface Vocabulary {
  names: {
    /** What holds the settings (Properties). */
    container?: string;
    block?: string;
    enabled?: string;
    sseType?: string;
    key?: string;
    /** The key attribute alone, where a message names it so (Terraform's `kms_key_arn = ...`). */
    keyAttribute?: string;
    /** The choice of key (CDK's `encryption`). */
    choice?: string;
    replicas?: string;
    /** A replica's key; `{region}` is the replica's Region as written. */
    replicaKey?: string;
  };
  phrases?: Partial<Record<import('./words.js').Reason, string>>;
}

/** Everything the rule reads about one table's encryption. */
export interface EncryptionFacts {
  /** How peer scanners tell this table apart (their rules differ per kind); 'code' when none reads the format. */
  peerKind: TableKind;
  words: Vocabulary;
  settings: Settings;
  replicas?: Replicas;
  obstacles: Obstacle[];
  /** What a fix changes beyond the table, for its reviewer (src/rule/cautions.ts words each). */
  cautions?: Caution[];
}

/**
 * Not an obstacle: the fix is right for the deployed table, and something around it needs a look.
 * `local-migrations`: the Serverless Framework plugin of the table's service that creates its tables
 * in DynamoDB Local from the template (serverless-dynamodb-local, serverless-dynamodb) passes
 * SSESpecification on as written, so a fixed table's KMSMasterKeyId (a CloudFormation function)
 * reaches the DynamoDB API as an object. `permissions-boundary`: the table's file gives roles a
 * permissions boundary (`where`: what sets it, as written), which a key policy cannot lift.
 * `no-alias`: a TypeScript table created inside an expression no variable names (`in`: that
 * expression's start, as written), so a fix that adds its key writes no alias for it.
 * `undeclared-imports`: an AWS CDK v1 file's fix imports `packages`, which the project's package.json
 * does not declare (`projen`: the configuration that generates it, from the file's folder).
 * `unprotected-key`: a Terraform table's deletion protection is an expression (`protection`, as
 * written), which `prevent_destroy` cannot follow (Terraform takes a literal there): its key has none.
 * `recovery-key`: a Terraform or CDKTF table with point-in-time recovery whose key a destroy would
 * schedule for deletion while DynamoDB keeps the deleted table's backup (35 days, under that key).
 * `backup-key`: a Terraform table that AWS Backup `selections` back up (recovery points kept under the table's key,
 * often for months) and whose key a destroy would schedule for deletion.
 * `iam-roles`: the roles the table's file (a template, a Terraform module) grants DynamoDB actions on the table
 * and no KMS action (`roles`: each named with what grants it and where, `Fn (DynamoDBCrudPolicy, template.yaml:21)`):
 * a key whose policy leaves all use to IAM (`--key-policy iam`) locks them out. Said under that mode only
 * (src/rule/evaluate.ts): the default key policy lets them through DynamoDB. `unread`: roles whose policies a
 * Serverless service reads from a file kmsfix could not read (`IamRoleLambdaExecution (${file(./iam.yml)},
 * serverless.yml:8)`), which may grant DynamoDB and no KMS action.
 * `unkept-key`: not about a fix, said on a table whatever its status (scan's customer-managed table): its key
 * is a key resource of the same file (`key`, its logical ID or variable, `at` its file:line:column) that a
 * delete of the stack schedules for deletion (`policy`: what the key says, as written) while what the fix's
 * own rule reads (`keptBy`, as written: a Retain policy, deletion protection, point-in-time recovery,
 * backups; Pulumi's retainOnDelete) keeps the table or its data past it, under that key. `family`: whose step
 * the text gives (`pulumi`: TypeScript's and YAML's, the key's retainOnDelete resource option).
 * `package-construct`: a CDK, CDKTF or Pulumi table the file hands to a construct imported from an npm package that is
 * not the framework's own (`constructs`: each as written, with its package: `DynamoDbZeroEtlToS3Tables
 * (dynamodb-zero-etl-s3tables)`; a call of its code: `X.fromTable (pkg)`, `attachTable (pkg)`, `api.addSource (X, pkg)`),
 * whose source kmsfix does not read and which may give the table a resource policy or a zero-ETL integration the new
 * key denies; `calls`: some of them are calls of its code, not `new`; `framework` says how to see what it adds (synth, preview).
 */
export type Caution =
  | { kind: 'local-migrations'; plugin: string }
  | { kind: 'permissions-boundary'; where: string[] }
  | { kind: 'no-alias'; in: string }
  | { kind: 'undeclared-imports'; packages: string[]; projen?: string }
  | { kind: 'unprotected-key'; protection: string }
  | { kind: 'recovery-key' }
  | { kind: 'backup-key'; selections: string[] }
  | { kind: 'iam-roles'; roles: string[]; unread?: string[] }
  | { kind: 'unkept-key'; key: string; at: string; keptBy: string[]; policy: string; family: 'cloudformation' | 'cdk' | 'pulumi' | 'sst' }
  | { kind: 'package-construct'; constructs: string[]; calls?: boolean; framework: 'cdk' | 'cdktf' | 'pulumi' };

/** The plugins of the `local-migrations` caution: serverless-dynamodb-local, its fork serverless-dynamodb, scoped forks of either. */
export const LOCAL_MIGRATION_PLUGIN = /^(?:@[\w.-]+\/)?serverless-dynamodb(?:-local)?$/;

/**
 * The Serverless Framework plugin that joins every AWS::DynamoDB::Table of the service's stack into a
 * global table after each deploy, through DynamoDB's API (Obstacle `api-global-table`).
 */
export const GLOBAL_TABLES_PLUGIN = 'serverless-create-global-dynamodb-table';

/** The Serverless Framework plugin whose custom.serverlessIfElse removes or sets configuration paths per stage (src/rule/ifElse.ts). */
export const IFELSE_PLUGIN = 'serverless-plugin-ifelse';
