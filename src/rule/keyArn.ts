/**
 * `--kms-key-arn VALUE`: what the value is, and which format families can write it.
 *
 * - a key ARN `arn:aws[-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc]:kms:REGION:ACCOUNT:key/ID` (ID a UUID or an
 *   `mrk-` multi-Region key ID): every family; an alias ARN `arn:...:kms:REGION:ACCOUNT:alias/NAME`: every family,
 *   Terraform through `data "aws_kms_key" { key_id = <alias ARN> }`'s `.arn` (its provider reads a table's key back
 *   as the key's ARN, so that an alias ARN in `kms_key_arn` would have every later plan update the table again:
 *   terraform-aws-modules/terraform-aws-dynamodb-table#92; session 64), only where the table's provider's Region is a
 *   literal, the alias's (src/formats/terraform/fix.ts aliasKeyArn);
 * - an alias name `alias/NAME`: CloudFormation only (`KMSMasterKeyId` takes key IDs, ARNs, alias
 *   names and alias ARNs; Terraform's, CDK's and Pulumi's `kms_key_arn`/`kmsKeyArn`/`Key.fromKeyArn`
 *   take an ARN);
 * - an expression, written as is, in the family whose syntax it is:
 *   Terraform `var.x`, `local.x`, `module.m.output`, `data.type.name.attr`, `aws_kms_*.name.attr`;
 *   CloudFormation `!Ref P`, `!GetAtt R.Arn`, `!ImportValue E`, `!Sub '...'` and `${...}` (a `Fn::Sub`
 *   in a template; a variable of the Serverless Framework in `serverless.yml`);
 *   Pulumi YAML `${...}` (an interpolation: `${key.arn}`, `${config.keyArn}`);
 *   TypeScript a property chain `props.keyArn`, `this.key.keyArn` (a bare name like `keyArn` is
 *   refused: it reads like a typo for an ARN; a Terraform-shaped one like `local.x` is Terraform's).
 * A table of a family that cannot write the value is not fixed, with the reason (keyArnProblem).
 */

const PARTITION = 'aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?';
const KEY_ID = '(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})';
const ALIAS_NAME = 'alias/[A-Za-z0-9/_-]+';
const REGION_NAME = '[a-z]{2,4}(?:-[a-z]+)+-\\d';
/** An AWS Region's name (`eu-west-1`, `us-gov-west-1`), as in a key's ARN. */
export const REGION = new RegExp(`^${REGION_NAME}$`);
const KEY_ARN = new RegExp(`^arn:${PARTITION}:kms:${REGION_NAME}:\\d{12}:key/${KEY_ID}$`);
const ALIAS_ARN = new RegExp(`^arn:${PARTITION}:kms:${REGION_NAME}:\\d{12}:${ALIAS_NAME}$`);
const ALIAS = new RegExp(`^${ALIAS_NAME}$`);

const ID = '[A-Za-z_][A-Za-z0-9_-]*';
const TERRAFORM = [
  new RegExp(`^(?:var|local)\\.${ID}$`),
  new RegExp(`^module\\.${ID}\\.${ID}$`),
  new RegExp(`^data\\.${ID}\\.${ID}\\.${ID}$`),
  new RegExp(`^aws_kms_[a-z_]+\\.${ID}\\.${ID}$`),
];
const CFN_TAG = /^!(Ref|GetAtt|ImportValue|Sub)\s+(\S.*)$/;
const INTERPOLATION = /^\$\{[^{}]+\}$/;
const TS_CHAIN = /^(?:this|[A-Za-z_$][\w$]*)(?:\.[A-Za-z_$][\w$]*)+$/;
const TS_RESERVED = new Set(['var', 'let', 'const', 'new', 'function', 'class', 'return', 'typeof', 'void', 'delete']);

export type KeyArnKind = 'key-arn' | 'alias-arn' | 'alias' | 'terraform' | 'cloudformation' | 'interpolation' | 'typescript';

/** What kinds of value this is (an expression can read as more than one family's); empty: none. */
export function keyArnKinds(value: string): KeyArnKind[] {
  const v = value.trim();
  if (KEY_ARN.test(v)) return ['key-arn'];
  if (ALIAS_ARN.test(v)) return ['alias-arn'];
  if (ALIAS.test(v)) return ['alias'];
  const kinds: KeyArnKind[] = [];
  if (TERRAFORM.some((r) => r.test(v))) kinds.push('terraform');
  if (CFN_TAG.test(v)) kinds.push('cloudformation');
  if (INTERPOLATION.test(v)) kinds.push('interpolation');
  // A Terraform-shaped reference (var.x, local.x, module.m.x...) is Terraform's, though TypeScript could parse it.
  if (kinds.length === 0 && TS_CHAIN.test(v) && !TS_RESERVED.has(v.split('.')[0])) kinds.push('typescript');
  return kinds;
}

/**
 * Is this value a key written as a string (a key or alias ARN, an alias name, a key ID or a multi-Region key ID), which a
 * fix writes quoted, rather than an expression of the family's, which it writes as is?
 */
export function keyLiteral(value: string): boolean {
  return /^(arn:|alias\/|mrk-|[0-9a-f]{8}-[0-9a-f]{4}-)/.test(value);
}

/** Why a value is not a usable --kms-key-arn at all (undefined: it is one, for some family). */
export function keyArnUsage(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return '--kms-key-arn must not be empty';
  if (/(^|[:/])alias\/aws\//.test(v)) return `--kms-key-arn must name a customer-managed key, not an AWS managed key (${v})`;
  // A key SSM holds in each account (`${ssm:/keys/ddb}`) reads as not known (src/rule/storedKey.ts): the fix could not be verified.
  if (/^\$\{\s*ssm(\([^()]*\))?:/.test(v))
    return `--kms-key-arn '${v}' is a value SSM holds in each account, which kmsfix reads as not known, so it cannot verify the fix: give the key's ARN, or a parameter (\${param:x}, !Ref P)`;
  if (v.startsWith('arn:') && !KEY_ARN.test(v) && !ALIAS_ARN.test(v)) {
    return `--kms-key-arn '${v}' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID) nor an alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME)`;
  }
  const mismatch = partitionMismatch(v);
  if (mismatch) return `--kms-key-arn '${v}': ${mismatch}`;
  if (keyArnKinds(v).length > 0) return undefined;
  return (
    `--kms-key-arn '${v}' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID), an alias ARN, an alias/NAME, ` +
    'nor an expression kmsfix can write: Terraform var.x, local.x, module.m.x, data.aws_kms_key.k.arn; ' +
    "CloudFormation !Ref P, !GetAtt R.Arn, !ImportValue E, '${...}'; Pulumi YAML '${key.arn}'; TypeScript props.keyArn"
  );
}

/**
 * An ARN whose partition is not its Region's (`arn:aws-cn:kms:eu-west-1:...`: adversarial pass of session 61, M1):
 * no such key exists, and a deploy fails. The Regions' prefixes per partition (REGION_PARTITIONS), any other aws.
 */
const REGION_PARTITIONS: [string, string][] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-isof-', 'aws-iso-f'],
  ['eusc-', 'aws-eusc'],
];

function partitionMismatch(arn: string): string | undefined {
  const m = /^arn:([^:]+):kms:([^:]+):/.exec(arn);
  if (!m) return undefined;
  const [, partition, region] = m;
  const expected = REGION_PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
  return partition === expected ? undefined : `the Region ${region} is in the partition ${expected}, not ${partition}`;
}

/** The kinds each family writes. CloudFormation's family covers SAM and serverless.yml. */
const WRITES: Record<string, readonly KeyArnKind[]> = {
  cloudformation: ['key-arn', 'alias-arn', 'alias', 'cloudformation', 'interpolation'],
  terraform: ['key-arn', 'alias-arn', 'terraform'],
  // Pulumi's AWS provider is bridged from Terraform's: it reads an alias ARN back as the key's ARN too (adv2 s64).
  'pulumi-yaml': ['key-arn', 'interpolation'],
  typescript: ['key-arn', 'alias-arn', 'typescript'],
};

const SAY: Record<string, string> = {
  cloudformation: 'a CloudFormation template takes an ARN, an alias/NAME, !Ref, !GetAtt, !ImportValue, !Sub or ${...}',
  terraform:
    "Terraform takes a key's ARN, an alias ARN (its key read by a data aws_kms_key) " +
    'or an expression such as var.x, local.x, module.m.x or data.aws_kms_alias.a.target_key_arn',
  'pulumi-yaml':
    "Pulumi YAML takes a key's ARN (kmsKeyArn: the provider, bridged from Terraform's, reads an alias ARN back as its key's ARN, and every later update changes the table again) or an interpolation such as ${key.arn}",
  typescript: 'TypeScript code takes an ARN or an expression such as props.keyArn',
};

/** Why a family cannot write this --kms-key-arn value (a table's reason not to be fixed), or undefined. */
export function keyArnProblem(value: string, family: string): string | undefined {
  const writes = WRITES[family];
  if (!writes) return undefined;
  const kinds = keyArnKinds(value);
  // A value of no known kind is the caller's to refuse (the CLI does: keyArnUsage); the API passes it on.
  if (kinds.length === 0 || kinds.some((k) => writes.includes(k))) return undefined;
  return `--kms-key-arn ${value.trim()} cannot be written here: ${SAY[family]}`;
}

/**
 * Why a table of Terraform's AWS provider (CDKTF, or Pulumi's, bridged from it) written in TypeScript cannot take this
 * --kms-key-arn: an alias ARN, which the provider reads back as the key's ARN, so that every later plan or update
 * changes the table again (as Terraform's family declines it: keyArnProblem); or an AWS CDK `Table` / `TableV2` (`kind`), whose
 * grants would name the key by the alias ARN (session 65). Undefined for any other value (adv2 s64).
 */
export function providerAliasArn(value: string, framework: string, kind?: string): string | undefined {
  if (!keyArnKinds(value).includes('alias-arn')) return undefined;
  // An AWS CDK L2 table's grants (grant*(), an event source on its stream) put the KMS actions on its key's ARN, here the
  // alias ARN, which IAM does not apply to the key: each grantee the key policy does not let in itself is denied (session
  // 65's deploy review, CDK/Pulumi/Serverless/SST). An L1 CfnTable has no grants: CloudFormation takes the alias ARN.
  if (framework === 'cdk' && (kind === 'Table' || kind === 'TableV2'))
    return (
      `--kms-key-arn ${value.trim()} cannot be written here: AWS CDK's grants on this table (grant*(), here or in a stack it is passed to, ` +
      'and a Lambda event source on its stream) would name the key by this alias ARN, and an IAM policy whose Resource is an alias ARN ' +
      "does not apply to the key, so each grantee its key policy does not let in itself is denied the table (give the key's ARN)"
    );
  if (framework !== 'cdktf' && framework !== 'pulumi') return undefined;
  const tool = framework === 'cdktf' ? 'CDK for Terraform' : 'Pulumi';
  return `--kms-key-arn ${value.trim()} cannot be written here: ${tool}'s AWS provider reads an alias ARN back as its key's ARN, and every later ${framework === 'cdktf' ? 'plan' : 'update'} changes the table again (give the key's ARN)`;
}

/** The Region of a literal key or alias ARN (`arn:aws:kms:eu-west-1:...`), if the value is one. */
export function keyArnRegion(value: string): string | undefined {
  return /^arn:aws[\w-]*:kms:([a-z0-9-]+):/.exec(value.trim())?.[1];
}

/**
 * Why --kms-key-arn cannot serve a table whose stacks deploy to `known` Regions, each read where `where` says (a CDK
 * app's entry, Pulumi stack files), or undefined when every known one is the key's (or none is known). `failure`: what
 * the deploy does then. Where some stacks are in the key's Region and others not, the others are named: a key is in
 * one Region, and each stack needs one of its own.
 */
export function stacksRegionMismatch(arn: string, known: { region: string; where: string }[], failure: string): string | undefined {
  const keyRegion = keyArnRegion(arn);
  if (!keyRegion) return undefined;
  const others = known.filter((r) => r.region !== keyRegion);
  const mismatch = keyRegionMismatch(arn, [...new Set(others.map((r) => r.region))], others.map((r) => r.where).join('; '));
  if (!mismatch) return undefined;
  const mixed = others.length < known.length;
  return (
    `${mismatch}. ${failure}: ` +
    (mixed
      ? `a key is in one Region, and the table's other stacks deploy to ${keyRegion}: give each stack a key of its own Region (a multi-Region key's replica there), or fix the table by hand`
      : "give a key of that Region (a multi-Region key's replica there)")
  );
}

/** Why --kms-key-arn cannot serve a table written to be in `regions`, or undefined when it can (or the Regions are not known). */
export function keyRegionMismatch(arn: string, regions: string[] | undefined, where: string): string | undefined {
  const keyRegion = keyArnRegion(arn);
  const others = keyRegion && regions ? regions.filter((r) => r !== keyRegion) : [];
  if (!keyRegion || others.length === 0) return undefined;
  return `--kms-key-arn names a key in ${keyRegion}, and this table is in ${others.join(' and ')} (${where}): a table's key must be in its Region`;
}
