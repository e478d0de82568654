/**
 * Obstacles to a fix (src/rule/facts.ts Obstacle): which count for a table, in what order, and the
 * manual step each one asks of the user (the blocker text), in the format's words.
 */
import { someOf } from '../core/text.js';
import { type AddedInput, GLOBAL_TABLES_PLUGIN, IFELSE_PLUGIN, type Obstacle, type Vocabulary } from './facts.js';
import type { Status } from './status.js';

type Kind = Obstacle['kind'];

/** The order obstacles are looked at in: the first that counts is the table's blocker. */
const ORDER: Kind[] = [
  'synth-output',
  'generated-file',
  'module-inputs',
  'factory',
  'unreadable-props',
  'replaced-on-changes',
  'ignored-changes',
  'replace-triggers',
  'dynamic-replicas',
  'module-replica-regions',
  'replication-regions',
  'table-v2-replicas',
  'replica-keys-version',
  'replica-provider',
  'global-table-members',
  'replica-recreation',
  'replica-resource',
  'multi-account-replication',
  'api-global-table',
  'no-id',
  'region-agnostic-stack',
  'scope',
  'resource-region',
  'code-shape',
  'key-include',
  'generated-key',
  'aws-native',
  'placement',
  'resource-policy',
  'zero-etl',
  'module-literal',
  'cross-account-grants',
  'file-error',
  'for-each',
  'template-placeholder',
  'parameter',
  'yaml-alias',
  'yaml-merge-key',
  'yaml-anchor',
  'yaml-global-table',
  'yaml-explicit-key',
];

/**
 * Obstacles a user may choose to fix through (--fix-parameterised, --recreate-replicas), or that an
 * option takes away (--kms-key-arn: nothing is added beside the table): a format still looks for the
 * others behind them (a table they block is one a fix may yet change).
 */
export const WAIVABLE: ReadonlySet<Kind> = new Set(['parameter', 'replica-recreation', 'key-include', 'generated-key']);

/** DynamoDB's principal for replication across accounts (multi-account global tables). */
export const REPLICATION_PRINCIPAL = 'replication.dynamodb.amazonaws.com';

/**
 * The services that read a table as their own service principal, not through a role of the account:
 * Redshift's and Glue's zero-ETL integrations export the table as `redshift.amazonaws.com` and
 * `glue.amazonaws.com` (the DynamoDB guide's zero-ETL prerequisites give the table's key a statement
 * for that principal with the integration's `aws:SourceArn`).
 */
const ZERO_ETL_SERVICES = new Set(['redshift.amazonaws.com', 'glue.amazonaws.com']);

/**
 * A service a table's resource policy lets in that reads the table as itself (ZERO_ETL_SERVICES),
 * described as a grantee; undefined for any other (DynamoDB's own; a service whose work runs under a
 * role of the account). A service principal is no principal of the account, so a generated key's
 * `kms:CallerAccount` statement does not let it use the key: the table is left to the user, as for
 * another account.
 */
export function foreignService(name: string): string | undefined {
  return ZERO_ETL_SERVICES.has(name.toLowerCase()) ? `the service ${name}` : undefined;
}

/** A service principal written as an expression (`!Sub redshift.${AWS::URLSuffix}`): one of those services when it names one. */
export function foreignServiceExpression(written: string): string | undefined {
  return /\b(?:redshift|glue)\b/i.test(written) ? `the service ${written}` : undefined;
}

/** What the step of a table whose resource policy lets a service in adds: how that service's statement reads. */
export const SERVICE_KEY_STATEMENT =
  'for a service, a statement for its service principal (kms:Decrypt, kms:DescribeKey, kms:CreateGrant) with aws:SourceAccount ' +
  "and aws:SourceArn of the resource that calls (a zero-ETL integration's ARN)";

/**
 * The obstacle of a table whose resource policy (`policy`, as the format names it; its text
 * `policyText`) lets DynamoDB's cross-account replication in, as the source and each replica of a
 * multi-account global table must; undefined when it does not.
 */
export function replicationPolicy(policy: string, policyText: string): Obstacle | undefined {
  if (!policyText.includes(REPLICATION_PRINCIPAL)) return undefined;
  return {
    kind: 'multi-account-replication',
    why: `${policy} lets DynamoDB's cross-account replication in, as the source and each replica of a multi-account global table must`,
    replicas: [],
  };
}

/**
 * The obstacle of a table the service's serverless-create-global-dynamodb-table joins into a global
 * table (`v2`: its custom.globalTables says `version: v2`, 2019.11.21; else 2017.11.29, its default).
 */
export function globalTablesPlugin(v2: boolean): Obstacle {
  return v2
    ? {
        kind: 'api-global-table',
        version: '2019.11.21',
        why: `the service's plugin ${GLOBAL_TABLES_PLUGIN} (custom.globalTables, version: v2) adds its replicas through DynamoDB's API without a key of their Region`,
      }
    : {
        kind: 'api-global-table',
        version: '2017.11.29',
        why: `the service's plugin ${GLOBAL_TABLES_PLUGIN} (custom.globalTables, version v1: its default) joins it into a global table after each deploy`,
      };
}

/**
 * An entry of a service's custom.serverlessIfElse (serverless-plugin-ifelse) that removes the table
 * (`removes`), or sets or removes its Condition (`condition`), in some stages (`table`: the table's
 * path there): the key and alias a fix adds would stay where the table is gone, the alias referring
 * to a table the stack lacks (`generated-key`: --kms-key-arn adds neither). `unread`: the
 * configuration, as written, is not one kmsfix reads; it may also set the table's encryption.
 */
export function ifElseExclude(entry: string, does: 'removes' | 'condition' | 'unread', table: string[] = []): Obstacle {
  const by = `${entry} (${IFELSE_PLUGIN})`;
  if (does === 'unread')
    return {
      kind: 'code-shape',
      step:
        `${by} is not a list of entries kmsfix reads; it may remove the table, or set its encryption, in some stages: write it ` +
        'as a list of entries in serverless.yml, then run kmsfix again',
    };
  const at = table.join('.');
  const key = [...table.slice(0, -1), `${table[table.length - 1]}Key`].join('.');
  return {
    kind: 'generated-key',
    step:
      `${by} ${does === 'removes' ? 'removes' : 'changes the Condition of'} ${at} in some stages, where the key and alias a fix ` +
      `adds would stay, the alias referring to a table the stack lacks: add the key and alias by hand and list their paths ` +
      `(such as ${key} and ${key}Alias) beside the table's in the same entries, or replace the entry with a CloudFormation ` +
      'Condition on the table and run kmsfix again (it gives the key and alias the Condition)',
  };
}

/** The step of a module whose callers must pass a replica Region's provider. */
function callersPass(alias: string): string {
  return (
    `its callers must pass a provider for that Region through the module's providers argument ` +
    `(declare configuration_aliases = [aws.${alias}] in its required_providers, and have each call pass providers = { aws.${alias} = ... }), ` +
    'then give the replica a key of that Region by hand'
  );
}

/**
 * The obstacle of a table the template grants an API that makes its replicas outside the template
 * (`actions` as written): 2017.11.29, dynamodb:CreateGlobalTable or UpdateGlobalTable; 2019.11.21,
 * dynamodb:CreateTableReplica, which UpdateTable's ReplicaUpdates needs to add a replica.
 */
export function apiGrant(actions: string[], version: '2017.11.29' | '2019.11.21', granter = 'the template'): Obstacle {
  const grants = `${granter} grants ${actions.join(' and ')} on it`;
  return version === '2017.11.29'
    ? { kind: 'api-global-table', version, why: grants }
    : {
        kind: 'api-global-table',
        version,
        why: `${grants}, with which UpdateTable (ReplicaUpdates) adds replicas through DynamoDB's API, outside the template and without a key of their Region`,
      };
}

/** The obstacle of a table whose deploy options ignore changes to its replicas (facts.ts global-table-members `ignored`). */
export function replicasIgnored(where: string, entry: string, line: number): Obstacle {
  return { kind: 'global-table-members', replicas: [], ignored: { where, entry, line } };
}

/** A global table's replica resource, named on the table's obstacle (one obstacle for all its replicas). */
export function addGlobalTableReplica(obstacles: Obstacle[], replica: string): void {
  const had = obstacles.find((o) => o.kind === 'global-table-members');
  if (had?.kind === 'global-table-members') had.replicas.push(replica);
  else obstacles.push({ kind: 'global-table-members', replicas: [replica] });
}

/**
 * Obstacles that count for every table not customer-managed (an `unknown` one too: the user learns
 * that settling its value by hand will not be enough). The others count only for a table a fix
 * would change (aws-owned, aws-managed).
 */
const UNLESS_CUSTOMER_MANAGED = new Set<Kind>(['factory', 'unreadable-props', 'dynamic-replicas', 'module-replica-regions']);

export function counts(o: Obstacle, status: Status): boolean {
  if (status === 'customer-managed') return false;
  return UNLESS_CUSTOMER_MANAGED.has(o.kind) || status === 'aws-owned' || status === 'aws-managed';
}

/** The obstacle that blocks a table of this status, if any (`waived`: kinds the user chose to fix through). */
export function firstObstacle(obstacles: Obstacle[], status: Status, waived?: ReadonlySet<Kind>): Obstacle | undefined {
  let first: Obstacle | undefined;
  for (const o of obstacles) {
    if (waived?.has(o.kind)) continue;
    if (counts(o, status) && (!first || ORDER.indexOf(o.kind) < ORDER.indexOf(first.kind))) first = o;
  }
  return first;
}

const MERGE_KEY = '<<';

const PLACEMENT = {
  'unbraced-body': 'the table is created in the body of an if or a loop without braces: add braces, then run kmsfix again',
  conditional:
    'the table is created in a conditional expression (`? :`, or the right of `??`, `||` or `&&`), which may not run, while a key before its statement always would: create its key by hand',
  'expression-body': 'the table is created in an expression-bodied function: give it a block body, then run kmsfix again',
  'class-field': 'the table is created in a class field initializer: move it into the constructor, then run kmsfix again',
  nowhere: 'no statement to declare a key before',
} as const;

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** "a", "a and b", "a, b and c", "a, b, c and 2 more". */
export function listed(items: string[]): string {
  const list = items.length <= 3 ? items : [...items.slice(0, 3), `${items.length - 3} more`];
  return list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

const paths = (sites: string[]): string => someOf(sites, 3);

/**
 * Resources whose lifecycle.replace_triggered_by names the table: the apply of a fix would replace them (another table:
 * a new, empty one). Each is named with where, and the entry; one kmsfix does not read is said to be.
 */
function replaceTriggers(o: Extract<Obstacle, { kind: 'replace-triggers' }>): string {
  const one = o.triggers.length === 1;
  const each = o.triggers.map(
    (t) =>
      `${t.resource} (${t.at}: ${t.entry}${t.unread ? ', an expression kmsfix does not read, which may name this table' : ''}` +
      `${t.via ? `, which changes with this table: ${[o.table, ...t.via].join(' -> ')}` : ''})`,
  );
  const tables = o.triggers.filter((t) => t.table).map((t) => t.resource);
  const others = o.triggers.filter((t) => !t.table).map((t) => t.resource);
  const what = [
    tables.length > 0
      ? `${listed(tables)} would be ${tables.length === 1 ? 'a new, empty table' : 'new, empty tables'} (${tables.length === 1 ? 'its' : 'their'} items lost)`
      : '',
    others.length > 0
      ? `${listed(others)} would be destroyed and re-created (an outage while ${others.length === 1 ? 'it is' : 'they are'})`
      : '',
  ].filter(Boolean);
  const carriers = [...new Set(o.triggers.flatMap((t) => t.via ?? []))];
  const [option, apply, sse] = o.cdktf
    ? ['lifecycle.replaceTriggeredBy', 'cdktf deploy (terraform apply)', 'serverSideEncryption']
    : ['lifecycle.replace_triggered_by', 'terraform apply', 'server_side_encryption'];
  return (
    `${listed(each)} ${one ? 'names' : 'name'} this table in ${option}, so the ${apply} of a fix, ` +
    `which changes the table's ${sse}, would replace ${one ? 'it' : 'them'}: ${what.join(', and ')}. ` +
    `Take ${o.table} out of ${one ? 'its' : 'their'} ${option.slice('lifecycle.'.length)}${carriers.length > 0 ? ` and out of the arguments of ${listed(carriers)}` : ''} ` +
    `(or name only an attribute the fix does not change, such as ${o.table.replace(/(['"]?)$/, '.arn$1')}), ` +
    `${o.cdktf ? 'deploy' : 'apply'}, then run kmsfix again`
  );
}

function resourcePolicy(o: Extract<Obstacle, { kind: 'resource-policy' }>, words: Vocabulary): string {
  const services = o.others.filter((a) => a.startsWith('the service '));
  const accounts = o.others.filter((a) => a !== '*' && !services.includes(a));
  const manual =
    "a key kmsfix generates lets only the table's own account use it (kms:CallerAccount), so they would lose access. " +
    `By hand: give the table a key whose policy also lets ${services.length && o.others.length === services.length ? 'them' : 'those accounts'} ` +
    `use it through DynamoDB (kms:CallerAccount${services.length ? `; ${SERVICE_KEY_STATEMENT}` : ''}), and set ${words.names.key ?? words.names.choice} to it`;
  if (o.unreadable !== undefined) {
    return `its resource policy ${o.policy} is \`${clip(o.unreadable)}\`, which kmsfix cannot read; if it grants other accounts, ${manual}`;
  }
  const literal = o.others.filter((a) => /^\d{12}$/.test(a));
  const whose = [
    accounts.length ? `${accounts.length === 1 ? 'account' : 'accounts'} ${accounts.join(', ')}` : '',
    o.others.includes('*') ? 'any account ("*")' : '',
  ].filter(Boolean);
  const grantees = [whose.length ? `principals of ${whose.join(' and ')}` : '', services.join(', ')].filter(Boolean);
  return (
    `its resource policy ${o.policy} grants ${grantees.join(' and ')}, and ${manual}` +
    (literal.length && o.ownAccounts
      ? ` (if ${literal.join(' or ')} is the table's own account, list it in ${o.ownAccounts} and kmsfix fixes the table)`
      : '')
  );
}

/**
 * What a fix of replica keys does at `terraform apply`, and how to go ahead anyway. The AWS provider
 * changes a replica's key only by deleting the replica and creating it again (a `replica` block:
 * "like ForceNew for the replica"; `aws_dynamodb_table_replica.kms_key_arn`: forces replacement),
 * although DynamoDB itself could switch it in place.
 */
export function recreationEffect(o: Extract<Obstacle, { kind: 'replica-recreation' }>): string {
  const one = o.resource || o.replicas.length === 1;
  const done = o.resource
    ? `terraform apply replaces the replica (${o.replicas[0]}): its kms_key_arn forces a new resource`
    : `terraform apply deletes and re-creates ${one ? 'the replica' : 'the replicas'} in ${listed(o.replicas)} (the AWS provider changes a replica's key no other way)`;
  return (
    `${done}. ${one ? 'It is' : 'They are'} out of service until DynamoDB has copied the table into ${one ? 'it' : 'them'} again ` +
    `(hours for a large table), and ${one ? 'its stream gets a new ARN' : 'their streams get new ARNs'}`
  );
}

function replicaRecreation(o: Extract<Obstacle, { kind: 'replica-recreation' }>): string {
  const one = o.resource || o.replicas.length === 1;
  return (
    `with a new key, ${recreationEffect(o)}. Run fix with --recreate-replicas to accept that, and deploy when ` +
    `${one ? 'that Region can do without its replica' : 'those Regions can do without their replicas'} (then re-point stream consumers)`
  );
}

/** The manual step an obstacle asks for. */
export function blockerText(o: Obstacle, words: Vocabulary): string {
  const { container, block, key } = words.names;
  switch (o.kind) {
    case 'unreadable-props':
      return 'write the props as an object literal in the new expression, or set the encryption by hand';
    case 'dynamic-replicas':
      return 'its replicas come from a dynamic "replica" block: give every replica region a KMS key and set each replica\'s kms_key_arn by hand';
    case 'module-replica-regions':
      return (
        o.step ??
        'the module call has replica_regions: give every replica region a KMS key and set kms_key_arn in each replica_regions entry by hand'
      );
    case 'replication-regions':
      if (o.empty)
        return (
          'CDK refuses TableEncryption.CUSTOMER_MANAGED beside any replicationRegions, [] too ("not supported by DynamoDB ' +
          'Global Tables"), and replicationRegions: [] also gives the table a NEW_AND_OLD_IMAGES stream and on-demand billing ' +
          'by default: remove it (keeping stream: StreamViewType.NEW_AND_OLD_IMAGES and the billing mode if they are used), ' +
          'then run kmsfix again'
        );
      return o.maybe
        ? `${o.maybe}, and CDK does not support TableEncryption.CUSTOMER_MANAGED with replicationRegions: if the props it is given never ` +
            'hold them, give the table a customer-managed key here by hand (encryption: TableEncryption.CUSTOMER_MANAGED and an encryptionKey); ' +
            'else move it to TableV2 with a key per replica Region'
        : 'CDK does not support TableEncryption.CUSTOMER_MANAGED with replicationRegions: move the table to TableV2 with a key per replica Region';
    case 'table-v2-replicas':
      return o.maybe
        ? `${o.maybe}, and a KMS key serves one Region: with replicas a fix needs a key ARN for each replica Region, which this file ` +
            'does not give. If the props it is given never hold replicas, set encryption: TableEncryptionV2.customerManagedKey(key) here by hand; ' +
            'else customerManagedKey(key, { <region>: <key ARN>, ... }) with a key in each replica Region'
        : 'a KMS key serves one Region and this file gives no key ARN for the replica Regions: create a key in each replica Region and ' +
            'set encryption: TableEncryptionV2.customerManagedKey(key, { <region>: <key ARN>, ... }) by hand';
    case 'replica-provider':
      return !o.child
        ? `no provider "aws" configuration with an alias for replica region ${o.region} in this module: ` +
            `add a provider "aws" block with alias = "${o.alias}" and region = ${o.region}, so kmsfix can create the replica's key in that region`
        : o.child === true
          ? `no provider "aws" configuration with an alias for replica region ${o.region} in this module, which other modules call ` +
            `(a module does not configure providers): ${callersPass(o.alias)}`
          : `no provider "aws" configuration with an alias for replica region ${o.region} in this module, which shows no sign of a root module ` +
            `(no provider block, backend, lock file or tfvars file). If other modules call it (a module does not configure providers), ` +
            `${callersPass(o.alias)}; if it is run on its own, add a provider "aws" block with alias = "${o.alias}" ` +
            `and region = ${o.region}, so kmsfix can create the replica's key in that region`;
    case 'replica-keys-version':
      return (
        `the module pins hashicorp/aws with ${o.pin}, and a fix of its replicas needs ${o.since} or later, with --recreate-replicas too: ` +
        `the key's multi_region and the aws_kms_replica_key resource came in 3.64.0, and before ${o.since} a changed replica kms_key_arn ` +
        'fails at apply ("KMSMasterKeyId must be specified for each replica", hashicorp/terraform-provider-aws#29102): ' +
        `upgrade the provider to ${o.since} or later, then run kmsfix again`
      );
    case 'replica-recreation':
      return replicaRecreation(o);
    case 'replica-resource':
      return (
        "a replica's key must be in the replica's Region (created through the replica's provider), and a new kmsKeyArn replaces the replica: " +
        'the deploy deletes it and creates it again, out of service until DynamoDB has copied the table into it, with a new stream ARN. ' +
        'Create a key in that Region and set kmsKeyArn by hand, when the Region can do without its replica'
      );
    case 'multi-account-replication':
      return (
        `${o.why}${o.replicas.length ? ` (replicas: ${listed(o.replicas)})` : ''}: replication across accounts runs as DynamoDB's ` +
        `replication service (${REPLICATION_PRINCIPAL}), which the table's key must let through, and kmsfix neither writes nor checks such a key policy: ` +
        "create a customer-managed key in the table's account and Region whose policy allows the replication, and give it to the table by hand"
      );
    case 'api-global-table':
      return o.version === '2017.11.29'
        ? `${o.why}: a global table of version 2017.11.29 (Legacy) takes no customer-managed key, so a fix would fail at deploy. ` +
            `Update the global table to version 2019.11.21 (Current) first (the console's "Update version", or declare it as ${
              o.declare ?? 'an AWS::DynamoDB::GlobalTable, no longer joined through the API'
            }), then give each replica a customer-managed key of its Region, by hand`
        : `${o.why}: a table with a customer-managed key needs one of each replica's Region, so a fix would fail at deploy. ` +
            'Declare the global table in the template (an AWS::DynamoDB::GlobalTable, each replica with a customer-managed key of its Region) ' +
            'instead of having it made after the deploy, by hand';
    case 'global-table-members': {
      const together = "DynamoDB changes a global table's encryption for every replica at once, so a fix of";
      const step = 'give the table and each replica a customer-managed key of its Region together, by hand';
      // A replica of another stack's table: that table is fixed there, first; this replica's key follows it.
      if (o.outside !== undefined)
        return (
          `its table (\`${clip(o.outside)}\`) is ${/^module\./.test(o.outside) ? 'not one kmsfix reads in' : 'not declared in'} this module, ` +
          "and a replica's key must be of its table's kind " +
          '(DynamoDB: "All replica keys must either be Customer Managed CMK or AWS Managed CMK"): a customer-managed key for this ' +
          'replica alone would fail at deploy, with --recreate-replicas too. Give that table a customer-managed key first, where it is ' +
          "declared (its own stack), with a key of this replica's Region for this replica (DynamoDB changes a global table's " +
          'encryption for every replica at once), ' +
          "then set this replica's kms_key_arn to that key, by hand"
        );
      // Replicas declared elsewhere (deploy review of session 58, F1): the provider's SSE update on replicas fails at apply.
      if (o.ignored)
        return (
          `${o.ignored.where} lists ${o.ignored.entry} (line ${o.ignored.line}): the table is a global table whose replicas are declared ` +
          'elsewhere (replica resources of other code, or replicas added in the console), which kmsfix does not see. ' +
          `${together} this table alone would fail at deploy ("KMSMasterKeyId must be specified for each replica"), after its key was created: ` +
          `${step}, setting each replica's key where that replica is declared`
        );
      return o.table !== undefined
        ? `its global table ${o.table} is not encrypted with a customer-managed key: ${together} this replica alone would fail at deploy: ${step}`
        : `it is the global table of ${listed(o.replicas)}, declared as ${o.replicas.length === 1 ? 'a resource' : 'resources'} of ${o.replicas.length === 1 ? 'its' : 'their'} own: ` +
            `${together} this table alone would fail at deploy: ${step}`;
    }
    case 'ignored-changes':
      return (
        `${o.where} lists ${o.entry}, so ${o.tool} would leave the deployed table's encryption as it is: a fix would change only the code. ` +
        `${/^['"`]?(?:all|\*)['"`]?$/.test(o.entry) ? `List only the attributes to ignore in ${o.where}` : `Take ${o.entry} out of ${o.where}`}, then run kmsfix again ` +
        '(or, if the key is managed outside this code on purpose, suppress the finding)'
      );
    case 'replaced-on-changes':
      return (
        `${o.where} lists ${o.entry}, so pulumi up would replace the table (a new, empty table, the old one deleted) instead of ` +
        'changing its key in place. ' +
        `${/^['"`]?\*['"`]?$/.test(o.entry) ? `List in ${o.where} only the properties that must replace the table (not serverSideEncryption)` : `Take ${o.entry} out of ${o.where}`}, ` +
        'deploy, then run kmsfix again'
      );
    case 'module-inputs':
      // A folder terragrunt units deploy, no module block calling it: their inputs are where the switch and the key go
      // (real-world round 47, F2: the step said "not a root module (no provider...)" and "where the module is called").
      if (o.deployedBy?.length) {
        const one = o.deployedBy.length === 1;
        return (
          `its encryption comes from ${listed(o.inputs)} of this module, which terragrunt deploys through the ${one ? 'unit' : 'units'} ` +
          `${listed(o.deployedBy)} (as a root module, ${one ? 'its' : 'their'} inputs as its variables), not through a module block: ` +
          'kmsfix writes no key into a module folder units deploy, nor into a unit. ' +
          (o.addInput ? `It has no input for ${o.addInput.setting}: ${addInputStep(o.addInput)}; then c` : 'C') +
          'reate a KMS key with rotation on (a unit of its own, e.g. of terraform-aws-modules/kms/aws) whose policy lets the account ' +
          `use it through DynamoDB, and in ${one ? "that unit's" : "each unit's"} inputs set the switch to true and the key input to its ARN ` +
          '(dependency.kms.outputs.key_arn), by hand'
        );
      }
      return (
        `its encryption comes from ${listed(o.inputs)} of this module, which the module's callers set, and this folder is not a root module ` +
        (o.calledBy
          ? `(${o.calledBy} calls it, which makes it a child module whatever its lock file, tfvars or provider block say: a key written here would override the caller's)`
          : '(no provider or backend configuration, lock file or tfvars)') +
        ': kmsfix does not write a key into a reusable module. ' +
        (o.addInput
          ? `It has no input for ${o.addInput.setting}, so no call can pass it: ${addInputStep(o.addInput)}, then run kmsfix again: ` +
            'it passes the switch as true and a customer-managed key ARN to the local module calls it scans (or pass them by hand where the module is called)'
          : 'Where the module is called, pass the switch as true and a customer-managed key ARN (kmsfix fixes the local module calls it scans)') +
        // A folder a call was seen to reach is a child module: no terraform.tfvars of its own is read for it.
        (o.calledBy ? '' : ', or set them in terraform.tfvars if this folder is a root module')
      );
    case 'module-literal': {
      // The module's folder, from the call's (`modules/db` of `modules/db/main.tf`).
      const slash = o.module.file.lastIndexOf('/');
      const folder = slash > 0 ? o.module.file.slice(0, slash) : undefined;
      // Inputs the table reads through an expression (tfstack/terraform-aws-dynamodb-table's conditional key): the call can pass them.
      if (o.reads?.length)
        return (
          `the module's table (${o.where}) takes ${listed(o.missing)} through an expression of its inputs ` +
          `${listed(o.reads.map((v) => `var.${v}`))}, not from one input kmsfix can pass a key to: set those inputs in this call by hand ` +
          "so that the table gets the switch true and a customer-managed key ARN, or make the table's key one input (kms_key_arn = var.kms_key_arn) " +
          'and run kmsfix again'
        );
      if (o.addInput)
        return (
          `the module's table (${o.where}) takes ${o.addInput.setting} from no input the call can pass, and its other setting from the ` +
          "module's variables, which its callers set: so kmsfix writes no key into the module either (a scan of its folder leaves it, as a " +
          `reusable module). A${addInputStep(o.addInput).slice(1)} in the module, then run kmsfix again: it passes the switch as true and a key it ` +
          'creates beside this call'
        );
      return (
        `the module's table (${o.where}) takes ${listed(o.missing)} from no input the call can pass (it sets or leaves them out itself): ` +
        'set server_side_encryption in that table, or give the module variables for it and pass them here. ' +
        `kmsfix fixes that table where it scans the module's folder${folder ? ` (${folder}, from this file's folder)` : ''}, ` +
        'and every call of the module then gets a key of its own: a fix of a tree that holds the module fixes this call too'
      );
    }
    case 'synth-output': {
      if (o.source)
        return (
          `this is output compiled from ${o.source} (${o.why}): the next compile overwrites it, so a fix here would never reach ` +
          `${o.source}. Give the table a customer-managed KMS key in ${o.source} by hand (kmsfix does not rewrite it), then compile again`
        );
      // kmsfix reads JavaScript apps but rewrites TypeScript only (a JavaScript app's table gets a key by hand).
      const [synth, app, languages] =
        o.tool === 'cdk' ? ['cdk synth', 'CDK app', 'TypeScript'] : ['cdktf synth', 'CDKTF app', 'TypeScript'];
      return (
        `this is \`${synth}\` output (${o.why}${o.app ? `, from the ${app} of ${o.app}` : ''}): the next synth overwrites it, so a fix here ` +
        `would never reach the app. Fix the table in the ${app} that generates it (kmsfix fixes apps in ${languages}; in another ` +
        `language, give the table a customer-managed KMS key by hand), then run ${synth} again`
      );
    }
    case 'generated-file':
      if (o.folder)
        return (
          `the file is in a ${o.marker} folder, which a code generator writes (graphql-codegen, Relay): the next generation would undo a fix here. ` +
          'Fix the table in what the generator reads, or, if the file is maintained by hand, move it out of that folder and run kmsfix again'
        );
      return (
        `the file says something else writes it (${o.marker.includes('`') ? `"${o.marker}"` : `\`${o.marker}\``}): the next generation or sync would undo a fix here. ` +
        'Fix the table where it comes from, or, if the file is now maintained here, remove that line and run kmsfix again'
      );
    case 'no-id':
      return 'the table has no id';
    case 'region-agnostic-stack':
      if (o.by === 'nested')
        return (
          "its stack is a NestedStack, whose Region is its parent stack's, which kmsfix does not follow: when the parent has no " +
          'env.region (as cdk init leaves it), CDK cannot render TableEncryptionV2.customerManagedKey and the app would no longer ' +
          'synthesize ("Replica SSE specification cannot be rendered in a region agnostic stack"). If the parent stack is created ' +
          'with env: { region: ... }, give the table encryption: TableEncryptionV2.customerManagedKey(key) with a key by hand; ' +
          'otherwise create it as a Table (encryption: TableEncryption.CUSTOMER_MANAGED with an encryptionKey, which needs no Region)'
        );
      if (o.by === 'app')
        return (
          `its stack is Region-agnostic: the CDK app (${o.at} and the files it imports) gives no stack an env, so CDK cannot render ` +
          'TableEncryptionV2.customerManagedKey and the app would no longer synthesize ("Replica SSE specification cannot be ' +
          'rendered in a region agnostic stack"). Give the stack that holds the table env: { region: ... } where it is created ' +
          '(for example process.env.CDK_DEFAULT_REGION), then run kmsfix again'
        );
      if (o.by === 'pulumi-cdk')
        return (
          'its stack is a @pulumi/cdk Stack created without props.env, which has no Region: CDK cannot render ' +
          'TableEncryptionV2.customerManagedKey there and the program would no longer synthesize. Give the stack ' +
          "its Region in its options, { props: { env: app.env } } (the App's Pulumi provider Region) or { props: { env: { region: ... } } }, " +
          'then run kmsfix again'
        );
      return o.by === 'amplify'
        ? 'its stack is a stack of an Amplify Gen2 backend, which Amplify creates without a Region: CDK cannot render ' +
            'TableEncryptionV2.customerManagedKey there and the backend would no longer synthesize. Create the table as a ' +
            'Table (encryption: TableEncryption.CUSTOMER_MANAGED with an encryptionKey, which needs no Region), or give ' +
            'the TableV2 a key by hand'
        : `its stack is Region-agnostic (${o.at ?? 'created'} ${o.by === 'stage' ? 'in a Stage ' : ''}without env.region, under an App): CDK cannot render ` +
            'TableEncryptionV2.customerManagedKey there and the stack would no longer synthesize ("Replica SSE specification ' +
            `cannot be rendered in a region agnostic stack"). Give the ${o.by === 'stage' ? 'Stage (or the stack)' : 'stack'} env: { region: ... }` +
            `${o.at ? ' where it is created' : ''} (for example process.env.CDK_DEFAULT_REGION), then run kmsfix again`;
    case 'scope':
      return `the scope ${o.source} is not a plain name: declare the key by hand`;
    case 'resource-region':
      return (
        `the table sets its own Region (region: ${o.region}), and kmsfix would create its key, and the Region its key policy names, ` +
        "in its provider's Region: create a KMS key in the table's Region by hand (the same region on the key, and " +
        `kms:ViaService dynamodb.<that Region>.amazonaws.com in its policy), then set ${key} to it`
      );
    case 'code-shape':
    case 'factory':
      return o.step;
    case 'key-include':
      return (
        `${o.include} includes this table alone, so the key and alias a fix adds beside it would not be deployed ` +
        '(and its KMSMasterKeyId would name a resource the stack lacks): include the whole file of Resources (`${file(...)}` without ' +
        'a key), or move the table into serverless.yml, then run kmsfix again; or run fix with --kms-key-arn and an existing key ' +
        '(it adds nothing beside the table)'
      );
    case 'generated-key':
      return `${o.step}; or run fix with --kms-key-arn and an existing key (it adds nothing beside the table)`;
    case 'aws-native':
      return (
        "the table is a resource of Pulumi's AWS Native provider (aws-native), which kmsfix reads but does not fix: create a " +
        "customer-managed KMS key in the table's Region and account (an aws-native kms.Key with enableKeyRotation: true and a " +
        'keyPolicy that keeps your account in, or an aws.kms.Key through a provider of that Region: aws:region is not ' +
        `aws-native:region), then set its ${o.where} sseSpecification: { sseEnabled: true, sseType: "KMS", kmsMasterKeyId: ${o.keyArn} }`
      );
    case 'placement':
      return PLACEMENT[o.where];
    case 'resource-policy':
      return resourcePolicy(o, words);
    case 'cross-account-grants':
      return (
        `its ResourcePolicy lets in ${listed(o.grants)}, which a generated key would lock out of the table (its policy lets only this account use it): ` +
        `give the table a key whose policy also lets them use it through DynamoDB` +
        (o.grants.some((g) => g.startsWith('the service ')) ? ` (${SERVICE_KEY_STATEMENT})` : '') +
        `, then set ${block} by hand`
      );
    case 'replace-triggers':
      return replaceTriggers(o);
    case 'zero-etl':
      return (
        `the table is the source of ${listed(o.integrations)}, which ${o.integrations.length === 1 ? 'reads' : 'read'} it as ${o.integrations.length === 1 ? 'its' : 'their'} service, ` +
        "not as a principal of the account: a key kmsfix generates would not let it use the key, and replication would stop (AWS's zero-ETL guide " +
        `warns of a silent failure). By hand: give the table a key whose policy also has ${SERVICE_KEY_STATEMENT.replace(/^for a service, /, '')}, ` +
        `then set ${key ?? words.names.choice ?? block} to it`
      );
    case 'for-each':
      return `${o.why} of ${o.loop}: set ${block} in the loop body by hand`;
    case 'file-error':
      return `the file has an error at ${o.at} (${o.message}), so kmsfix does not write it: correct it, then run kmsfix again`;
    case 'parameter':
      if (o.condition)
        return (
          `the setting is chosen by ${listed(o.decidedBy)}: kmsfix leaves the choice to the template; run fix with --fix-parameterised ` +
          `to set the table explicitly (then ${listed(o.inputs)} no longer ${o.inputs.length === 1 ? 'chooses' : 'choose'} it; ` +
          `remove it from Conditions if nothing else uses it)`
        );
      return (
        `the setting is decided by ${listed(o.decidedBy)}: kmsfix leaves it to the ${o.inputs.length === 1 ? 'parameter' : 'parameters'}; ` +
        `run fix with --fix-parameterised to set the table explicitly (then ${listed(o.inputs)} no longer ${o.inputs.length === 1 ? 'controls' : 'control'} it), or change ${o.decidedBy.some((d) => /'s default\b/.test(d)) ? 'the default' : 'the values it is given'}`
      );
    case 'template-placeholder':
      return `its ${o.where} holds the template placeholder ${JSON.stringify(clip(o.placeholder))}, which the names of a generated key would have to refer to: render the template, then run kmsfix on the result`;
    case 'yaml-alias':
      return `the resource is the YAML alias *${o.alias}: give it its own mapping (or a merge key \`${MERGE_KEY}: *${o.alias}\` and its own ${container})`;
    case 'yaml-merge-key':
      return `${container} comes from a YAML merge key (${MERGE_KEY}): give the table its own ${container} (e.g. \`${MERGE_KEY}: *defaults\` in it)`;
    case 'yaml-anchor': {
      const what =
        o.holds === 'around'
          ? 'its settings lie in'
          : o.holds === 'setting'
            ? `a setting of its ${block} is`
            : `its ${o.holds === 'resource' ? 'resource' : o.holds === 'container' ? container : block} is`;
      return (
        `${what} the YAML anchor &${o.anchor}, which ${paths(o.sites)} also use${o.sites.length === 1 ? 's' : ''} (*${o.anchor}): ` +
        `changing it would change them too; give this table its own ${block} and run kmsfix again`
      );
    }
    case 'yaml-global-table':
      return `its settings go through a YAML alias, anchor or merge key: set ${block} and the replica's ${key} by hand`;
    case 'yaml-explicit-key':
      return `the explicit YAML key at ${o.at} (\`? Key\` then \`: value\`), in the table's resource or among the resources beside it, is one kmsfix does not edit around: write it as a plain key (\`Key: value\`) and run kmsfix again`;
  }
}

/** The input a module's table lacks, to declare (its default keeps every call as it is) and read. */
function addInputStep(a: AddedInput): string {
  return `add ${a.declaration} (its default keeps every call as it is) and read it in the table's server_side_encryption block (${a.assignment})`;
}
