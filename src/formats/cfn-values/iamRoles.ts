/**
 * The roles a template grants DynamoDB actions on a table and no KMS action (EncryptionFacts.cautions
 * `iam-roles`): with `--key-policy iam` the generated key's policy leaves every use of the key to IAM,
 * and DynamoDB asks KMS for the table's key as each caller, so such a role gets AccessDeniedException
 * once the fix deploys (an outage; the default drop-in policy lets it through DynamoDB, and the rule
 * words the caution under `iam` only: src/rule/evaluate.ts).
 *
 * Read once per template, only when its text may grant DynamoDB (`dynamodb:`, a SAM DynamoDB policy
 * template, an AWS managed DynamoDB policy, a SAM DynamoDB stream event), and only for tables a fix
 * would change. The principals (read by iamStatements.ts iamPrincipals, the statements' Resource by its
 * resourceItems):
 * - `AWS::IAM::Role`: its inline `Policies`, its `ManagedPolicyArns` (an `AWS::IAM::ManagedPolicy` of the
 *   template by Ref, or an AWS managed policy by name), and the `AWS::IAM::Policy` / `ManagedPolicy`
 *   resources whose `Roles` name it by Ref;
 * - SAM `AWS::Serverless::Function` and `StateMachine` without a `Role` of their own: `Policies` (policy
 *   templates such as `DynamoDBCrudPolicy: {TableName: !Ref Orders}`, statements, managed policy names),
 *   and a function's DynamoDB stream events (SAM adds AWSLambdaDynamoDBExecutionRole, which has no KMS);
 * - SAM connectors from a function or state machine to the table (`Connectors:`, `AWS::Serverless::Connector`):
 *   SAM gives the source's role DynamoDB read or write actions, no KMS one;
 * - SAM `AWS::Serverless::GraphQLApi` DynamoDb data sources without `ServiceRoleArn`: the role SAM makes each;
 * - Serverless Framework: the service's role (`IamRoleLambdaExecution`) from `provider.iam.role.statements`
 *   or `provider.iamRoleStatements`, and its managed policies; serverless-iam-roles-per-function's role of a
 *   function (`<Fn>IamRoleLambdaExecution`) from its `iamRoleStatements`; serverless-appsync-plugin's role of a
 *   DynamoDB data source without `serviceRoleArn` (an inline one of v2's resolvers and pipeline functions too).
 * A statement names the table by Ref, GetAtt or `${Table}` in Fn::Sub, by an ARN whose table part matches
 * its literal TableName (a wildcard too), or by `*`; and a table whose TableName a parameter gives
 * (`!Ref TableNameParam`, `!Sub '${Env}-orders'`) by the same parameter: a policy template's
 * `TableName: !Ref TableNameParam`, an ARN's `table/${TableNameParam}` (a short-form Fn::Sub's).
 *
 * Conservative: a caution that names a role wrongly sends a reviewer after nothing, but one role named as
 * losing access that does not would be worse than saying nothing, so a role is named only when all of its
 * policies can be read and none grants any `kms:` action (or `*`). A role with a policy kmsfix cannot read
 * (a customer managed policy from elsewhere, an AWS managed policy outside the few known here, a
 * condition's `Fn::If` around its policies, a `NotAction` Allow) is not named; nor is a role outside the
 * template (an `AWS::IAM::Policy` attached to a role by name), whose other policies kmsfix does not see.
 */
import type { Caution } from '../../rule/facts.js';
import { globMatcher } from '../../core/text.js';
import { child, resolveAlias, scalarString, type CNode } from '../yaml/tree.js';
import { intrinsicArg, intrinsicName, referencedIds } from './intrinsics.js';
import {
  iamPrincipals,
  positions,
  resourceItems,
  subTemplate,
  tableRefs,
  tablesOf,
  type AttachedPolicy,
  type IamTemplate,
  type IamStatement,
} from './iamStatements.js';
import { managedPolicy } from '../../rule/managedPolicies.js';

/** Does the text name something that grants DynamoDB (the cheap test before a template's policies are read)? */
const MAY_GRANT =
  /dynamodb:(?!:)|DynamoDB\w*Policy|AmazonDynamoDB|AWSLambdaDynamoDB|Type['"]?\s*:\s*['"]?DynamoDB\b|Connectors?\b|AMAZON_DYNAMODB|Serverless::GraphQLApi/i;

/**
 * The tables a grant names: every one, by logical ID, by a pattern of their literal TableName, or (a
 * Serverless Framework service) by a TableName written with the same variables (`${self:custom.table}`).
 */
interface Target {
  all: boolean;
  ids: Set<string>;
  names: string[];
  variables?: string[];
}

interface Grant {
  target: Target;
  /** What grants it (a SAM policy template, an attached policy's logical ID), when not the principal's own statement. */
  by?: string;
  offset: number;
}

interface Grantee {
  name: string;
  grants: Grant[];
  /** Some policy grants a KMS action, or cannot be read: never named. */
  excluded: boolean;
  /** Policies read from a file kmsfix could not read (Principal.unread): named as such on every table, never as losing access. */
  unread?: { text: string; offset: number }[];
}

/** The caution of each table of the template (by logical ID), or undefined when no role loses access to it. */
/**
 * `viaPolicy`: the principals of this account the table's resource policy lets in (its reader,
 * cloudformation/resourcePolicy.ts crossAccountGrants), named too unless a policy of theirs may grant KMS.
 */
export type IamRoles = (id: string, resource: CNode, viaPolicy?: { name: string; offset: number }[]) => Caution | undefined;

/**
 * `shown`: the file's name as roles are named with it (`template.yaml`). A Serverless service's `template.files`: the
 * `${file(...)}` its IAM settings read, recorded for the format and read once it has read them (iamStatements.ts fromFile).
 */
export function iamRoles(text: string, template: IamTemplate, shown: string): IamRoles {
  // Read on the first table a fix would change: a template with none costs nothing.
  let grantees: Grantee[] | undefined;
  const at = positions(text, shown);
  return (id, resource, viaPolicy = []) => {
    // A service's IAM settings may come from files (`${file(./iam.yml)}`): their text is not the template's.
    const serverless = template.flavor === 'serverless';
    grantees ??= MAY_GRANT.test(text) || (serverless && text.includes('${file(')) ? granteesOf(template, serverless) : [];
    if (grantees.length === 0 && viaPolicy.length === 0) return undefined;
    const tableName = child(child(resource, 'Properties'), 'TableName');
    const name = scalarString(tableName);
    // A Serverless variable is compared as its text; in CloudFormation, a literal `${X}` is no parameter's value.
    const written = serverless ? name : writtenName(tableName);
    const roles: string[] = [];
    const named = new Set<string>();
    const unread: string[] = [];
    for (const p of grantees) {
      if (p.excluded) continue;
      // Statements kmsfix could not read may grant this table, or a KMS action: the role is named as unread, on every table.
      if (p.unread) {
        unread.push(`${p.name} (${p.unread.map((u) => `${u.text}, ${at(u.offset)}`).join('; ')})`);
        continue;
      }
      const g = p.grants.find((x) => targets(x.target, id, name, written));
      if (!g) continue;
      named.add(p.name);
      roles.push(`${p.name} (${g.by ? `${g.by}, ` : ''}${at(g.offset)})`);
    }
    // A principal the table's resource policy lets in reaches the table without an IAM grant, and that policy cannot grant KMS.
    for (const v of viaPolicy) {
      if (named.has(v.name) || grantees.some((p) => p.name === v.name && (p.excluded || p.unread))) continue;
      named.add(v.name);
      roles.push(`${v.name} (the table's resource policy, ${at(v.offset)})`);
    }
    if (roles.length === 0 && unread.length === 0) return undefined;
    return unread.length > 0 ? { kind: 'iam-roles', roles, unread } : { kind: 'iam-roles', roles };
  };
}

function targets(t: Target, id: string, name: string | undefined, written: string | undefined): boolean {
  if (t.all || t.ids.has(id)) return true;
  // A name with variables is compared as written: the same text of one service (or parameter of one stack) resolves to the same
  // name, and a pattern over that text (`table/${Env}-*`) matches whatever the variables are (adv2 s64).
  if (written !== undefined && t.variables?.some((v) => v === written || (v.includes('*') && globMatcher(v).test(written)))) return true;
  if (name === undefined) return false;
  return t.names.some((n) => globMatcher(n).test(name));
}

/**
 * The template's principals (iamStatements.ts) with the DynamoDB grants of their policies; those without one are
 * kept for the table's resource policy (a principal it lets in whose own policy may grant KMS is not named).
 */
function granteesOf(template: IamTemplate, serverless: boolean): Grantee[] {
  const tables = tablesOf(template);
  const out: Grantee[] = [];
  for (const principal of iamPrincipals(template)) {
    const grantee: Grantee = { name: principal.name, grants: [], excluded: principal.unreadable };
    if (principal.unread) grantee.unread = principal.unread;
    for (const policy of principal.policies) readPolicy(policy, grantee, tables, serverless);
    out.push(grantee);
  }
  return out;
}

function readPolicy(policy: AttachedPolicy, grantee: Grantee, tables: Set<string>, serverless: boolean): void {
  switch (policy.kind) {
    case 'statement':
      readStatement(policy.statement, grantee, tables, serverless, policy.by, policy.at);
      return;
    case 'managed':
      readManaged(policy.arn, grantee, policy.offset);
      return;
    case 'template':
      readTemplate(policy, grantee, tables);
      return;
    case 'stream':
    case 'connector':
      grantee.grants.push({ target: { all: false, ids: new Set(policy.tables), names: [] }, by: policy.by, offset: policy.offset });
      return;
    case 'data-source':
      readDataSource(policy, grantee, tables);
  }
}

function readManaged(arn: CNode, grantee: Grantee, offset: number): void {
  const fn = intrinsicName(arn);
  const literal = fn === 'Fn::Sub' ? subTemplate(arn) : fn === undefined ? scalarString(arn) : undefined;
  const kind = literal === undefined ? 'unknown' : managedPolicy(literal);
  if (kind === 'unknown') grantee.excluded = true;
  else if (kind === 'dynamodb')
    grantee.grants.push({ target: { all: true, ids: new Set(), names: [] }, by: managedName(literal!), offset });
}

const managedName = (arn: string) => arn.trim().split('/').pop()!;

/** A SAM policy template: a KMS one excludes the role; a DynamoDB one grants the table its TableName names. */
function readTemplate(policy: Extract<AttachedPolicy, { kind: 'template' }>, grantee: Grantee, tables: Set<string>): void {
  const { name: key, value, offset } = policy;
  if (/^KMS/i.test(key)) grantee.excluded = true;
  else if (/^DynamoDB\w*Policy$/.test(key)) {
    const target = emptyTarget();
    const name = child(value, 'TableName');
    const refs = tableRefs(name, tables);
    const literal = scalarString(name);
    const written = writtenName(name);
    if (refs.length > 0) for (const r of refs) target.ids.add(r);
    else if (literal !== undefined) target.names.push(literal);
    else if (written !== undefined) target.variables = [written];
    grantee.grants.push({ target, by: key, offset });
  }
  // Any other policy template grants no KMS action (KMSDecryptPolicy and KMSEncryptPolicy are the ones that do).
}

/** An AppSync data source's table: by Ref, or its name as written (a Serverless variable's text compared as TableName's is). */
function readDataSource(policy: Extract<AttachedPolicy, { kind: 'data-source' }>, grantee: Grantee, tables: Set<string>): void {
  const target = emptyTarget();
  for (const r of tableRefs(policy.tableName, tables)) target.ids.add(r);
  const literal = intrinsicName(policy.tableName) === undefined ? scalarString(policy.tableName)?.trim() : undefined;
  if (literal?.includes('${')) target.variables = [literal];
  else if (literal) target.names.push(literal);
  if (target.ids.size > 0 || target.names.length > 0 || target.variables)
    grantee.grants.push({ target, by: policy.by, offset: policy.offset });
}

/** The table part of an ARN's text with its pseudo parameters marked (pseudoMarked), or `name` where it cannot be read. */
function written(literal: string, name: string): string {
  const raw = /:table\/([^/]+)/.exec(literal.trim())?.[1];
  return raw === undefined ? name : pseudoMarked(raw);
}

const emptyTarget = (): Target => ({ all: false, ids: new Set(), names: [] });

/**
 * A pseudo parameter (`${AWS::StackName}`) in a name compared as written: one value in one stack, so the same text
 * on both sides is the same name, and only an ARN's own `*` is a wildcard over it (adv2 s64).
 */
const PSEUDO = '\uE001';
const pseudoMarked = (text: string) => text.replace(/\$\{AWS::(\w+)\}/g, `${PSEUDO}$1${PSEUDO}`);

/**
 * A TableName (or a policy template's) written with parameters, as a short-form Fn::Sub's text with its pseudo
 * parameters as `*`, as resourceTarget reads an ARN's table part: `!Ref TableNameParam` is `${TableNameParam}`,
 * `!Sub '${AWS::StackName}-${Env}'` is `*-${Env}`. Undefined for anything else (a literal, a Ref to a resource).
 */
function writtenName(node: CNode | null | undefined): string | undefined {
  const n = resolveAlias(node);
  if (!n) return undefined;
  const fn = intrinsicName(n);
  let text: string | undefined;
  if (fn === 'Ref') {
    const [ref] = referencedIds(n);
    text = ref === undefined || ref.startsWith('AWS::') ? undefined : `\${${ref}}`;
  } else if (fn === 'Fn::Sub' && resolveAlias(intrinsicArg(n))?.kind === 'scalar') text = subTemplate(n);
  const out = text === undefined ? undefined : pseudoMarked(text.trim());
  return out?.includes('${') || out?.includes(PSEUDO) ? out : undefined;
}

/** One statement: a KMS action (or `*`) excludes the role; DynamoDB actions add a grant on the tables its Resource names. */
function readStatement(s: IamStatement, grantee: Grantee, tables: Set<string>, serverless: boolean, by?: string, at?: number): void {
  if (s.effect === 'Deny') return;
  if (s.notAction) {
    grantee.excluded = true;
    return;
  }
  // An action kmsfix cannot read may be a KMS one.
  if (s.opaque) grantee.excluded = true;
  const actions = s.actions.flatMap((a) => (a === undefined ? [] : [a.toLowerCase()]));
  // Its DynamoDB grant is still read; an excluded role is never named.
  if (actions.some((a) => a === '*' || a.startsWith('kms:') || (/^k[\w*?]*:/.test(a) && globMatcher(a).test('kms:decrypt'))))
    grantee.excluded = true;
  if (!actions.some((a) => a.startsWith('dynamodb:'))) return;
  const target = resourceTarget(s, tables, serverless);
  if (target) grantee.grants.push({ target, by, offset: at ?? s.offset });
}

/**
 * The tables a statement's Resource names; undefined when it names none kmsfix can tell (NotResource, a
 * parameter). An item that names no table of the template is read as an ARN (a Fn::Sub's template with
 * its `${AWS::...}` as `*`): `*` or any DynamoDB resource is every table, `table/<name>` a pattern of
 * their TableName; anything else names none (apiGlobalTables.ts reads it as every table instead). In a
 * Serverless Framework service (`serverless`), its variables (`${opt:region, self:provider.region}`) are
 * read as `*` in the ARN's other parts, and a table part written with them names the tables whose
 * TableName is the same text (`table/${self:provider.environment.DYNAMODB_TABLE}`).
 */
function resourceTarget(s: IamStatement, tables: Set<string>, serverless: boolean): Target | undefined {
  const items = resourceItems(s, tables);
  if (!items) return undefined;
  const target = emptyTarget();
  for (const item of items) {
    if (item.tables.length > 0) {
      for (const id of item.tables) target.ids.add(id);
      continue;
    }
    const literal = item.sub ?? item.plain;
    if (literal === undefined) continue;
    const vars: string[] = [];
    let arn = literal.trim().replace(/\$\{AWS::\w+\}/g, '*');
    if (serverless) arn = withoutVariables(arn, vars);
    if (arn === '*' || /^arn:[^:]*:dynamodb:[^:]*:[^:]*:\*$/.test(arn)) target.all = true;
    const part = /^arn:[^:]*:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(arn)?.[1];
    const name = part?.replace(/\uE000(\d+)\uE000/g, (_, i: string) => vars[Number(i)]);
    if (name !== undefined && part !== name) {
      (target.variables ??= []).push(name);
      continue;
    }
    // A name from an input (`${TableName}`) may be any table's: not claimed, but for the tables whose TableName
    // is the same input (`!Ref TableName`), in a short-form Fn::Sub (a long form's variables may stand for anything).
    if (name === undefined) continue;
    const short = item.sub !== undefined && item.node && resolveAlias(intrinsicArg(item.node))?.kind === 'scalar';
    if (name.includes('${')) {
      if (!serverless && short) (target.variables ??= []).push(written(literal, name));
      continue;
    }
    // A table part with pseudo parameters (`table/${AWS::StackName}-orders`) also names the table whose TableName is that text.
    if (!serverless && short && /:table\/[^/]*\$\{AWS::/.test(literal)) (target.variables ??= []).push(written(literal, name));
    if (name === '*') target.all = true;
    else target.names.push(name);
  }
  return target.all || target.ids.size > 0 || target.names.length > 0 || target.variables ? target : undefined;
}

/**
 * The ARN with each Serverless variable (`${...}`, nested ones within it) as `\uE000<n>\uE000`, the
 * variable's text pushed to `vars[n]`; an ARN part that is one whole variable (the Region's) is `*`.
 */
function withoutVariables(arn: string, vars: string[]): string {
  let out = '';
  let i = 0;
  while (i < arn.length) {
    const start = arn.indexOf('${', i);
    if (start < 0) break;
    let depth = 0;
    let end = start;
    for (; end < arn.length; end++) {
      if (arn[end] === '{') depth++;
      else if (arn[end] === '}' && --depth === 0) break;
    }
    if (end >= arn.length) break;
    out += arn.slice(i, start);
    const whole = (start === 0 || arn[start - 1] === ':') && (arn[end + 1] === ':' || end + 1 === arn.length);
    if (whole && !arn.slice(0, start).includes('table/')) out += '*';
    else out += `\uE000${vars.push(arn.slice(start, end + 1)) - 1}\uE000`;
    i = end + 1;
  }
  return out + arn.slice(i);
}
