/**
 * The registry modules whose calls are DynamoDB tables (`module "x" { source = ... }`, any version,
 * registry or git source, or a local copy), and how each one's inputs encrypt the table, as its
 * variables.tf and main.tf say (`since`: a call pinned to an older version is not fixed):
 *
 * - terraform-aws-modules/dynamodb-table: `server_side_encryption_enabled` (default false: AWS owned)
 *   and `server_side_encryption_kms_key_arn` (default null); `replica_regions`; `create_table = false`
 *   creates nothing.
 * - cloudposse/dynamodb: `enable_encryption` (default true) and `server_side_encryption_kms_key_arn`
 *   (default null: the AWS managed key); `replicas` (Regions, whose replicas the module always
 *   creates with `kms_key_arn = null`); `enabled = false` creates nothing; `enable_point_in_time_recovery`
 *   defaults to true.
 * - mineiros-io/dynamodb: `kms_type` (AWS_OWNED, AWS_MANAGED, CUSTOMER_MANAGED; when null,
 *   CUSTOMER_MANAGED if `kms_key_arn` is set, else AWS_OWNED) and `kms_key_arn`;
 *   `replica_region_names` (replicas without a key); `module_enabled = false` creates nothing.
 */
import { ABSENT, type Setting, type Settings, type Vocabulary } from '../../rule/facts.js';
import type { HAttr } from './parse.js';

export interface RegistryModule {
  /** As messages name it. */
  name: string;
  source: RegExp;
  /** The input that switches encryption on (mineiros: the kind of key), and the value a fix gives it (HCL, JSON). */
  enabled: { input: string; fixed: string; json: unknown };
  key: string;
  /** The input listing replica Regions, and the manual step when a call sets it (default: the rule's). */
  replicas: { input: string; step?: string };
  /** The input that, false, has the call create nothing. */
  create?: string;
  /**
   * The call takes `create` from its null-label `context` input when it does not set it (cloudposse's
   * `context = module.this.context`: the `enabled` of the root's `module "this"` of cloudposse/label/null).
   */
  createFromContext?: true;
  /**
   * The input that turns the table's point-in-time recovery on, and its default (the module's
   * variables.tf): a destroy then leaves a backup under the table's key (detect.ts keyCautions).
   */
  recovery: { input: string; default: boolean };
  /** The first version with the inputs and output a fix writes and reads, and what older ones lack (moduleVersion.ts). */
  since: {
    version: string;
    lacks: string /** What older versions lack is an input (a terragrunt unit's step asks for the upgrade too). */;
    input?: true;
  };
  /**
   * The input that sets the Region the module creates its table in (hashicorp/aws 6's resource-level
   * `region`), which the key beside the call gets too; a module without one: a call that sets `region`
   * is not fixed.
   */
  region?: string;
  /** The module's output that gives the table's name (the generated alias reads `module.x.<output>`). */
  nameOutput: string;
  /**
   * The input the table's name is (the alias reads it through `replace(..., ".", "-")` unless the call
   * writes it as a literal without a `.`); none where the module cleans the name itself (cloudposse's
   * label drops every character but letters, digits and `-`).
   */
  nameInput?: string;
  words: Vocabulary['names'];
  phrases?: Vocabulary['phrases'];
  /** The settings from the inputs as read (the switch as a string for mineiros' kms_type). */
  settings(enabled: Setting, key: Setting): Pick<Extract<Settings, { model: 'sse' }>, 'enabled' | 'key'>;
  /** Read the switch as a string (kms_type), not as a bool. */
  switchIsString?: true;
}

/**
 * The end of a source naming a module's root: `.git`, `//` (or none), then the end or `?ref=`/`?version=`. A
 * subfolder (`//wrappers`, `//examples/complete`) is another module, with inputs of its own (round 41, F1: the root's
 * inputs written into an `//examples/global-tables` or `//wrappers` call fail `terraform validate`). (A `"`: a terragrunt
 * source with interpolations, read as written.)
 */
const ROOT = String.raw`(\.git)?\/*(?=$|\?|")`;

/**
 * terraform-aws-modules/dynamodb-table's wrapper (`//wrappers`, since v2.0.0): one table per entry of its
 * `items` input, each with the module's inputs from the entry over `defaults`. Not read: a note names the call.
 */
const WRAPPER = /(^|[/:])terraform-aws-modules\/(dynamodb-table\/aws|terraform-aws-dynamodb-table)(\.git)?\/\/wrappers\/?(?=$|\?|")/;

/** Whether a source names terraform-aws-modules/dynamodb-table's wrapper (`//wrappers`). */
export function isTableWrapper(source: string): boolean {
  return WRAPPER.test(source);
}

/** The note for a call (`module "x" calls`) or terragrunt unit (`the terragrunt unit deploys`) of the wrapper: its tables are not read, and where their encryption is set. */
export function wrapperNote(where: string, what: string): string {
  return (
    `${where}: ${what} terraform-aws-modules/dynamodb-table//wrappers, which creates one table per entry of its items input: ` +
    'kmsfix does not read or fix these tables. Set server_side_encryption_enabled = true and server_side_encryption_kms_key_arn ' +
    '(a customer-managed key with rotation whose key policy lets DynamoDB use it) in its defaults or in each entry of items, by hand'
  );
}

/**
 * Registry modules that create a Terraform state-lock table of their own on the AWS managed key
 * (`server_side_encryption { enabled = true }`, no key input), as their main.tf says (round 41, F3):
 * cloudposse/tfstate-backend (count = `dynamodb_enabled`, default true) and trussworks/bootstrap (always).
 * Not read as tables: a note names each call, unless its switch is a literal false.
 */
export const LOCK_TABLE_MODULES: { name: string; source: RegExp; create?: string }[] = [
  {
    name: 'cloudposse/tfstate-backend',
    source: new RegExp(String.raw`(^|[/:])cloudposse\/(tfstate-backend\/aws|terraform-aws-tfstate-backend)${ROOT}`),
    create: 'dynamodb_enabled',
  },
  { name: 'trussworks/bootstrap', source: new RegExp(String.raw`(^|[/:])trussworks\/(bootstrap\/aws|terraform-aws-bootstrap)${ROOT}`) },
];

/** The note for a call of a LOCK_TABLE_MODULES module (`switchText`: its creation input as written, when not a literal). */
export function lockTableNote(where: string, label: string, m: (typeof LOCK_TABLE_MODULES)[number], switchText?: string): string {
  const off = m.create
    ? `set ${m.create} = false${switchText ? ` (now ${switchText})` : ''} and lock with S3 native locking (use_lockfile = true), or with a lock table of your own with a customer-managed key`
    : "lock with S3 native locking (use_lockfile = true) or with a lock table of your own with a customer-managed key, and stop using the module's (it has no input for a key)";
  return (
    `${where}: module "${label}" calls ${m.name}, which creates a Terraform state-lock DynamoDB table on the AWS managed key ` +
    `(server_side_encryption enabled, no key input): kmsfix does not read or fix it. To use a customer-managed key: ${off}`
  );
}

export const REGISTRY_MODULES: RegistryModule[] = [
  {
    name: 'terraform-aws-modules/dynamodb-table',
    source: new RegExp(String.raw`(^|[/:])terraform-aws-modules\/(dynamodb-table\/aws|terraform-aws-dynamodb-table)${ROOT}`),
    enabled: { input: 'server_side_encryption_enabled', fixed: 'true', json: true },
    key: 'server_side_encryption_kms_key_arn',
    replicas: { input: 'replica_regions' },
    create: 'create_table',
    recovery: { input: 'point_in_time_recovery_enabled', default: false },
    // Before v1.0.0 the output was this_dynamodb_table_id.
    since: { version: '1.0.0', lacks: 'the output dynamodb_table_id (named this_dynamodb_table_id before)' },
    // 5.0.0 added `region` (var.region on the table, for hashicorp/aws 6).
    region: 'region',
    nameOutput: 'dynamodb_table_id',
    nameInput: 'name',
    words: {
      enabled: 'server_side_encryption_enabled',
      key: 'server_side_encryption_kms_key_arn',
      keyAttribute: 'server_side_encryption_kms_key_arn',
    },
    settings: (enabled, key) => ({ enabled, key }),
  },
  {
    name: 'cloudposse/dynamodb',
    source: new RegExp(String.raw`(^|[/:])cloudposse\/(dynamodb\/aws|terraform-aws-dynamodb)${ROOT}`),
    enabled: { input: 'enable_encryption', fixed: 'true', json: true },
    key: 'server_side_encryption_kms_key_arn',
    replicas: {
      input: 'replicas',
      step:
        'the module call sets replicas, and the module creates each replica with kms_key_arn = null, so no customer-managed key reaches them ' +
        '(a replica with a key of its own needs one in its Region): declare the table without the module, with a KMS key in each replica Region, by hand',
    },
    create: 'enabled',
    createFromContext: true,
    recovery: { input: 'enable_point_in_time_recovery', default: true },
    // 0.22.0 added the key input; before, enable_encryption meant the AWS managed key.
    since: { version: '0.22.0', lacks: 'the input server_side_encryption_kms_key_arn', input: true },
    nameOutput: 'table_name',
    words: { enabled: 'enable_encryption', key: 'server_side_encryption_kms_key_arn', keyAttribute: 'server_side_encryption_kms_key_arn' },
    // enable_encryption defaults to true: unset, the key decides.
    settings: (enabled, key) =>
      enabled.state !== 'absent'
        ? { enabled, key }
        : { key: key.state === 'absent' ? { ...key, source: `${key.source} (enable_encryption defaults to true)` } : key },
  },
  {
    name: 'mineiros-io/dynamodb',
    source: new RegExp(String.raw`(^|[/:])mineiros-io\/(dynamodb\/aws|terraform-aws-dynamodb)${ROOT}`),
    enabled: { input: 'kms_type', fixed: '"CUSTOMER_MANAGED"', json: 'CUSTOMER_MANAGED' },
    key: 'kms_key_arn',
    replicas: {
      input: 'replica_region_names',
      step:
        'the module call sets replica_region_names, and the module creates each replica without a kms_key_arn, so no customer-managed key reaches them ' +
        '(a replica with a key of its own needs one in its Region): declare the table without the module, with a KMS key in each replica Region, by hand',
    },
    create: 'module_enabled',
    recovery: { input: 'point_in_time_recovery_enabled', default: false },
    since: { version: '0.1.2', lacks: 'the input kms_type', input: true },
    nameOutput: 'table.name',
    nameInput: 'name',
    words: { enabled: 'kms_type', key: 'kms_key_arn', keyAttribute: 'kms_key_arn' },
    phrases: {
      enabledAbsent: 'neither kms_type nor kms_key_arn is set (the module then uses AWS_OWNED)',
    },
    switchIsString: true,
    settings: mineirosSettings,
  },
];

/**
 * mineiros-io/dynamodb's kms_type (read as a string: `text`) and kms_key_arn, as the module's
 * locals turn them into its table's server_side_encryption.
 */
function mineirosSettings(kmsType: Setting, key: Setting): Pick<Extract<Settings, { model: 'sse' }>, 'enabled' | 'key'> {
  const keyed = key.state !== 'absent' && !(key.state === 'literal' && key.text === undefined);
  if (kmsType.state === 'absent' || (kmsType.state === 'literal' && kmsType.text === undefined))
    return keyed ? { key } : { enabled: { ...ABSENT, raw: kmsType.raw }, key };
  if (kmsType.state !== 'literal') return { enabled: { ...kmsType, bool: undefined, text: undefined }, key };
  const on = (bool: boolean): Setting => ({ state: 'literal', source: kmsType.source, bool, raw: kmsType.raw });
  switch (kmsType.text) {
    case 'AWS_OWNED':
      return { enabled: on(false), key };
    case 'AWS_MANAGED':
      return { enabled: on(true), key: { ...ABSENT, source: `, as kms_type = ${kmsType.source}` } };
    case 'CUSTOMER_MANAGED':
      return { enabled: on(true), key };
    default:
      return { enabled: { state: 'unreadable', source: `kms_type = ${kmsType.source}, a value the module does not know` }, key };
  }
}

/** The registry module a call's literal source names, if any. */
export function registryModuleOf(source: HAttr | undefined): RegistryModule | undefined {
  if (source?.lit?.type !== 'string') return undefined;
  const s = source.lit.value;
  return REGISTRY_MODULES.find((m) => m.source.test(s));
}
