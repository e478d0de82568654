/**
 * What a team may choose about the keys kmsfix generates (`.kmsfix.yml` `key:` section, or flags),
 * one contract for every format: each format's writer renders these the format's way.
 *
 * - `tags`: added to every generated key: Terraform `tags = {...}`, CloudFormation `Tags: [{Key, Value}]`,
 *   AWS CDK `Tags.of(key).add(k, v)`, CDKTF and Pulumi `tags: {...}`, Pulumi YAML `tags:`. Keys are
 *   written in the order given. Only on keys (not aliases, not tables). CloudFormation (SAM, Serverless), Terraform,
 *   CDKTF, Pulumi and Pulumi YAML also copy the table's own tags to its key (cloudformation/keyTags.ts,
 *   terraform/keyTags.ts, typescript/keyTags.ts, pulumi-yaml/keyTags.ts), before these, which win on a tag key both
 *   name.
 * - `multiRegion`: `multi_region = true` / `MultiRegion: true` / `multiRegion: true` on every generated
 *   primary key (Terraform replica keys are multi-Region already). Default false, except where a
 *   format needs it (Terraform replicas).
 * - `deletionWindowDays`: 7 to 30; default 30. Written where the format needs it (Terraform, CDKTF,
 *   Pulumi `deletion_window_in_days`/`deletionWindowInDays`; CloudFormation `PendingWindowInDays`
 *   and CDK `pendingWindow` only when it is not the default 30, see KICS 2844c749).
 * - `description`: a template with `{tables}` (the table names, as today's
 *   "KMS key for DynamoDB table X" / "...tables X, Y") or `{table}` (same); default DEFAULT_DESCRIPTION. It and the
 *   tags are written as text in every format (each its own escape of `${`: terraformLiteral and the others below), except
 *   a Serverless service's, which has none (noFrameworkEscape).
 * - `alias`: a template with `{table}` for the deployed table's name as the format refers to it
 *   (and `-shared` appended to it for a shared key); default DEFAULT_ALIAS = 'alias/dynamodb/{table}'.
 *   Must start with `alias/`, not `alias/aws/`, hold `{table}` once, and otherwise only the characters
 *   KMS allows in alias names (A-Z a-z 0-9 / _ -).
 * - `retain`: `auto` (the default) keeps a generated key when its stack or resource is deleted only where its
 *   table asks it (a kept table, deletion protection, backups, point-in-time recovery); `always` keeps every
 *   generated key: CloudFormation `DeletionPolicy`/`UpdateReplacePolicy: Retain` (SAM, Serverless too), CDK's
 *   RETAIN (kms.Key's default: no DESTROY written), Pulumi `retainOnDelete: true`. It closes the roll back race
 *   (docs/rolling-back.md: a deploy that fails after the table switched to its new key rolls the table back
 *   and deletes the key in the same roll back) at the price of a key left behind by each deleted stack.
 *   Terraform and CDK for Terraform have no keep-on-destroy and no automatic roll back (no race): unchanged.
 * - `denyDirectGrants`: adds to the key policy, in both modes and every format, the statement
 *   `DenyGrantsOutsideAWSServices` (src/rule/keyPolicy.ts DENY_DIRECT_GRANTS): nobody creates a grant on the key
 *   unless an AWS service does, the shape AWS Control Tower's CT.KMS.PR.3 (a CloudFormation hook on AWS::KMS::Key)
 *   requires. Default false.
 */

export interface KeySettings {
  tags?: Record<string, string>;
  multiRegion?: boolean;
  deletionWindowDays?: number;
  description?: string;
  alias?: string;
  retain?: KeyRetain;
  denyDirectGrants?: boolean;
}

export const KEY_RETAIN = ['auto', 'always'] as const;
export type KeyRetain = (typeof KEY_RETAIN)[number];

export const DEFAULT_DESCRIPTION = 'KMS key for DynamoDB {tables}';
export const DEFAULT_ALIAS = 'alias/dynamodb/{table}';
export const DEFAULT_DELETION_WINDOW = 30;

/** The description of a key for these tables, from the template (`{tables}` / `{table}`). */
export function describeKey(tableNames: string[], template = DEFAULT_DESCRIPTION): string {
  const names = tableNames.length === 1 ? `table ${tableNames[0]}` : `tables ${tableNames.join(', ')}`;
  if (template === DEFAULT_DESCRIPTION) return `KMS key for DynamoDB ${names}`;
  return template.replace(/\{tables\}|\{table\}/g, tableNames.join(', '));
}

/**
 * The alias template around the table's name: the literal text before and after `{table}`, so that a
 * format writes `before + <its reference to the table name> + after` (with `-shared` before `after`
 * for a shared key).
 */
export function aliasParts(template = DEFAULT_ALIAS, shared = false): { before: string; after: string } {
  const i = template.indexOf('{table}');
  const before = template.slice(0, i);
  const after = template.slice(i + '{table}'.length);
  return { before, after: (shared ? '-shared' : '') + after };
}

/**
 * The alias template a fix writes: `template`, or, when the name it gives (`written(template)`, in the form the
 * format compares names in) is already an alias of the file (a key a roll back kept: docs/rolling-back.md), the
 * template with `-2` (`-3`, ...) after it. KMS refuses a second alias of a name in an account and Region
 * (`AlreadyExistsException`), so the deploy would fail. The name chosen is added to `taken` when `record` is
 * (a name that means one table wherever it is written: not TypeScript's, whose `${orders.tableName}` may be
 * another class's `orders`).
 */
export function freeAliasTemplate(
  template: string | undefined,
  /** The name a template gives, in each form it may be written in (with the table's name as a reference, and as its literal). */
  written: (template: string) => string[],
  taken: Set<string>,
  record = true,
): string | undefined {
  let chosen = template;
  const clash = (t: string) => written(t).some((n) => taken.has(n));
  for (let i = 2; clash(chosen ?? DEFAULT_ALIAS); i++) chosen = `${template ?? DEFAULT_ALIAS}-${i}`;
  if (record) for (const n of written(chosen ?? DEFAULT_ALIAS)) taken.add(n);
  return chosen;
}

/**
 * A description or tag holding `${` (or `%{`) is written so that each format keeps it as text (adversarial pass s59 F4:
 * written as it was, Pulumi YAML read `${team}` as a reference, CDK for Terraform passed it to Terraform as an
 * interpolation). Each format's writer takes the text through its own escape: Terraform (`.tf`, `.tf.json`) and CDK for
 * Terraform `$${` and `%%{` (terraformLiteral), Pulumi YAML `$$` for each `$` (pulumiYamlLiteral), a CloudFormation
 * `Fn::Sub` `${!` (cfnSubLiteral; a plain CloudFormation string, AWS CDK and Pulumi TypeScript do not interpolate). The
 * Serverless Framework has no escape for `${` (it resolves `${self:service}`, and fails on `${team}`): a serverless.yml or
 * serverless.ts table is declined with the setting named (frameworkVariableIn, noFrameworkEscape).
 */
/** A text as a Terraform string's literal text: `${` and `%{` doubled (HCL templates; CDK for Terraform's JSON too). */
export const terraformLiteral = (s: string): string => s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');

/** A text as a Pulumi YAML string's literal text: each `$` written `$$`, as pulumi-yaml's own printer does (ast/expr.go, InterpolateExpr.String). */
export const pulumiYamlLiteral = (s: string): string => s.replace(/\$/g, () => '$$');

/** A text as literal text of a CloudFormation `Fn::Sub`: `${` written `${!`. */
export const cfnSubLiteral = (s: string): string => s.replace(/\$\{/g, () => '${!');

/** The key settings with their texts (description, tag keys and values) written through a format's escape. */
export function literalSettings(s: KeySettings | undefined, literal: (text: string) => string): KeySettings | undefined {
  if (!s) return s;
  return {
    ...s,
    // Around its placeholders (`{table}`, `{tables}`), which the format fills in with the table's name as it refers to it.
    ...(s.description !== undefined
      ? {
          description: s.description
            .split(/(\{tables?\})/)
            .map((part, i) => (i % 2 === 1 ? part : literal(part)))
            .join(''),
        }
      : {}),
    ...(s.tags ? { tags: Object.fromEntries(Object.entries(s.tags).map(([k, v]) => [literal(k), literal(v)])) } : {}),
  };
}

/** The key setting that holds `${`, which the Serverless Framework would resolve (`key.description`, `key.tags.team`), if one does. */
export function frameworkVariableIn(s: KeySettings | undefined): string | undefined {
  if (s?.description?.includes('${')) return 'key.description';
  for (const [k, v] of Object.entries(s?.tags ?? {})) if (k.includes('${') || v.includes('${')) return `key.tags.${k}`;
  return undefined;
}

/** Why a Serverless service's table is not fixed with such a setting (`setting`: frameworkVariableIn's; `file`: the service's file). */
export const noFrameworkEscape = (setting: string, file: string) =>
  `${setting} holds "\${", which the Serverless Framework would resolve in ${file} as a variable of its own, and it has no escape for it: ` +
  'write that setting without "${" for this service (a .kmsfix.yml in its folder), or fix it with --kms-key-arn';

/**
 * What no KMS tag key or value may hold (its constraint, `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`, lets in none): control,
 * format, surrogate, private-use and unassigned characters: a line break, a tab, NUL. (The rest of that constraint is
 * not checked here: `${` in a tag is taken and written as text, keySettings' literalSettings.)
 */
const CONTROL = /\p{C}/u;

/** Problems with a KeySettings value (for `.kmsfix.yml` and flags); empty when valid. */
export function keySettingsProblems(s: KeySettings): string[] {
  const problems: string[] = [];
  if (
    s.deletionWindowDays !== undefined &&
    (!Number.isInteger(s.deletionWindowDays) || s.deletionWindowDays < 7 || s.deletionWindowDays > 30)
  ) {
    problems.push(`deletion window must be a whole number of days from 7 to 30, not ${s.deletionWindowDays}`);
  }
  if (s.alias !== undefined) {
    const a = s.alias;
    if (!a.startsWith('alias/')) problems.push(`alias must start with "alias/": ${a}`);
    else if (a.startsWith('alias/aws/')) problems.push(`alias must not start with "alias/aws/" (reserved for AWS managed keys): ${a}`);
    if (a.split('{table}').length !== 2) problems.push(`alias must hold {table} exactly once: ${a}`);
    else if (!/^[A-Za-z0-9/_-]*$/.test(a.replace('{table}', '')))
      problems.push(`alias may hold only A-Z a-z 0-9 / _ - besides {table}: ${a}`);
  }
  if (s.description !== undefined && (s.description.trim() === '' || s.description.length > 8192)) {
    problems.push('description must not be empty nor longer than 8192 characters');
  }
  for (const [k, v] of Object.entries(s.tags ?? {})) {
    if (k.length < 1 || k.length > 128 || k.startsWith('aws:'))
      problems.push(`tag key must be 1 to 128 characters and not start with "aws:": ${k}`);
    if (typeof v !== 'string' || v.length > 256) problems.push(`tag value of ${k} must be a string of at most 256 characters`);
    if (CONTROL.test(k))
      problems.push(`tag key ${JSON.stringify(k)} must hold no control character (a line break, NUL...): KMS rejects it`);
    if (typeof v === 'string' && CONTROL.test(v))
      problems.push(`tag value of ${JSON.stringify(k)} must hold no control character (a line break, NUL...): KMS rejects it`);
  }
  if (Object.keys(s.tags ?? {}).length > 50) problems.push('at most 50 tags');
  return problems;
}

/** Characters a KMS alias name may not hold (it allows A-Z a-z 0-9 / _ -), each written `-`. */
export function aliasSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9/_-]/g, '-');
}
