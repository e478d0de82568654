/**
 * The roles a template grants DynamoDB actions on a table and no KMS action (EncryptionFacts.cautions
 * `iam-roles`): with `--key-policy iam` the generated key's policy leaves every use of the key to IAM,
 * and DynamoDB asks KMS for the table's key as each caller, so such a role gets AccessDeniedException
 * once the fix deploys (an outage; the default drop-in policy lets it through DynamoDB, and the rule
 * words the caution under `iam` only: src/rule/evaluate.ts).
 *
 * Read once per template, only when its text may grant DynamoDB (`dynamodb:`, a SAM DynamoDB policy
 * template, an AWS managed DynamoDB policy, a SAM DynamoDB stream event), and only for tables a fix
 * would change. The principals read:
 * - `AWS::IAM::Role`: its inline `Policies`, its `ManagedPolicyArns` (an `AWS::IAM::ManagedPolicy` of the
 *   template by Ref, or an AWS managed policy by name), and the `AWS::IAM::Policy` / `ManagedPolicy`
 *   resources whose `Roles` name it by Ref;
 * - SAM `AWS::Serverless::Function` and `StateMachine` without a `Role` of their own: `Policies` (policy
 *   templates such as `DynamoDBCrudPolicy: {TableName: !Ref Orders}`, statements, managed policy names),
 *   and a function's DynamoDB stream events (SAM adds AWSLambdaDynamoDBExecutionRole, which has no KMS);
 * - Serverless Framework: the service's role (`IamRoleLambdaExecution`) from `provider.iam.role.statements`
 *   or `provider.iamRoleStatements`, and its managed policies.
 * A statement names the table by Ref, GetAtt or `${Table}` in Fn::Sub, by an ARN whose table part matches
 * its literal TableName (a wildcard too), or by `*`.
 *
 * Conservative: a caution that names a role wrongly sends a reviewer after nothing, but one role named as
 * losing access that does not would be worse than saying nothing, so a role is named only when all of its
 * policies can be read and none grants any `kms:` action (or `*`). A role with a policy kmsfix cannot read
 * (a customer managed policy from elsewhere, an AWS managed policy outside the few known here, a
 * condition's `Fn::If` around its policies, a `NotAction` Allow) is not named; nor is a role outside the
 * template (an `AWS::IAM::Policy` attached to a role by name), whose other policies kmsfix does not see.
 */
import type { Caution } from '../../rule/facts.js';
import { globMatcher, LineIndex } from '../../core/text.js';
import { child, resolveAlias, scalarString, type CNode } from '../yaml/tree.js';
import { intrinsicArg, intrinsicName, referencedIds, type CfnTemplate } from './detect.js';
import { tableRefs, tablesOf } from './apiGlobalTables.js';
import { managedPolicy } from '../../rule/managedPolicies.js';

/** Does the text name something that grants DynamoDB (the cheap test before a template's policies are read)? */
const MAY_GRANT = /dynamodb:(?!:)|DynamoDB\w*Policy|AmazonDynamoDB|AWSLambdaDynamoDB|Type['"]?\s*:\s*['"]?DynamoDB\b/i;

/** The tables a grant names: every one, by logical ID, or by a pattern of their literal TableName. */
interface Target {
  all: boolean;
  ids: Set<string>;
  names: string[];
}

interface Grant {
  target: Target;
  /** What grants it (a SAM policy template, an attached policy's logical ID), when not the principal's own statement. */
  by?: string;
  offset: number;
}

interface Principal {
  name: string;
  grants: Grant[];
  /** Some policy grants a KMS action, or cannot be read: never named. */
  excluded: boolean;
}

/** The caution of each table of the template (by logical ID), or undefined when no role loses access to it. */
export type IamRoles = (id: string, resource: CNode) => Caution | undefined;

/** `shown`: the file's name as roles are named with it (`template.yaml`). */
export function iamRoles(text: string, template: CfnTemplate, shown: string): IamRoles {
  // Read on the first table a fix would change: a template with none costs nothing.
  let principals: Principal[] | undefined;
  let lines: LineIndex | undefined;
  return (id, resource) => {
    principals ??= MAY_GRANT.test(text) ? principalsOf(template) : [];
    if (principals.length === 0) return undefined;
    const name = scalarString(child(child(resource, 'Properties'), 'TableName'));
    const roles: string[] = [];
    for (const p of principals) {
      if (p.excluded) continue;
      const g = p.grants.find((x) => targets(x.target, id, name));
      if (!g) continue;
      lines ??= LineIndex.of(text);
      roles.push(`${p.name} (${g.by ? `${g.by}, ` : ''}${shown}:${lines.lineOf(g.offset) + 1})`);
    }
    return roles.length > 0 ? { kind: 'iam-roles', roles } : undefined;
  };
}

function targets(t: Target, id: string, name: string | undefined): boolean {
  if (t.all || t.ids.has(id)) return true;
  return name !== undefined && t.names.some((n) => globMatcher(n).test(name));
}

const SAM_FUNCTIONS = new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);
const ATTACHED = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);

function principalsOf(template: CfnTemplate): Principal[] {
  const tables = tablesOf(template);
  const roles = new Map<string, Principal>();
  const out: Principal[] = [];
  const managed = new Map<string, CNode>();
  for (const p of template.resources.pairs) {
    const type = scalarString(child(p.value, 'Type'));
    if (type === 'AWS::IAM::ManagedPolicy') managed.set(p.key, resolveAlias(p.value)!);
  }
  const globalRole = child(child(child(template.root, 'Globals'), 'Function'), 'Role') !== undefined;
  for (const p of template.resources.pairs) {
    const type = scalarString(child(p.value, 'Type'));
    const props = child(p.value, 'Properties');
    if (type === 'AWS::IAM::Role') {
      const principal: Principal = { name: p.key, grants: [], excluded: false };
      roles.set(p.key, principal);
      out.push(principal);
      const policies = child(props, 'Policies');
      if (policies != null) {
        if (policies.kind !== 'seq' || policies.tag) principal.excluded = true;
        else for (const item of policies.items) readDocument(child(item, 'PolicyDocument'), principal, tables);
      }
      for (const arn of listItems(child(props, 'ManagedPolicyArns'), principal)) {
        const refs = referencedIds(arn);
        if (intrinsicName(arn) === 'Ref' && refs.length === 1 && managed.has(refs[0])) continue; // read with the policy below
        readManaged(arn, principal);
      }
    } else if (type && SAM_FUNCTIONS.has(type)) {
      // A function given a role of its own (or by Globals): SAM ignores its Policies (the role is read as a role).
      if (child(props, 'Role') !== undefined || (globalRole && type === 'AWS::Serverless::Function')) continue;
      const principal: Principal = { name: p.key, grants: [], excluded: false };
      out.push(principal);
      const policies = child(props, 'Policies');
      const items = policies?.kind === 'seq' && !policies.tag ? policies.items : policies == null ? [] : [policies];
      for (const item of items) readSamPolicy(item, principal, tables);
      if (type === 'AWS::Serverless::Function') readStreamEvents(child(props, 'Events'), principal, tables);
    }
  }
  // Policies attached to the template's roles: their statements are the roles' own.
  for (const p of template.resources.pairs) {
    const type = scalarString(child(p.value, 'Type'));
    if (!type || !ATTACHED.has(type)) continue;
    const props = child(p.value, 'Properties');
    const attached = new Set<Principal>();
    for (const r of listItems(child(props, 'Roles'), undefined)) {
      const refs = intrinsicName(r) === 'Ref' ? referencedIds(r) : [];
      const role = refs.length === 1 ? roles.get(refs[0]) : undefined;
      if (role) attached.add(role);
    }
    if (type === 'AWS::IAM::ManagedPolicy') for (const [id, role] of roles) if (managedBy(template, id, p.key)) attached.add(role);
    for (const role of attached) readDocument(child(props, 'PolicyDocument'), role, tables, p.key);
  }
  if (template.flavor === 'serverless') {
    const principal = serviceRole(template, tables);
    if (principal) out.push(principal);
  }
  return out;
}

/** Does role `id` list managed policy `policy` (by Ref) in its ManagedPolicyArns? */
function managedBy(template: CfnTemplate, id: string, policy: string): boolean {
  const arns = child(child(child(template.resources, id), 'Properties'), 'ManagedPolicyArns');
  return (
    arns?.kind === 'seq' &&
    arns.items.some((a) => intrinsicName(resolveAlias(a)) === 'Ref' && referencedIds(resolveAlias(a)).includes(policy))
  );
}

/** A list's items; a value that is not a plain list (a condition's Fn::If) excludes the principal. */
function listItems(node: CNode | null | undefined, principal: Principal | undefined): CNode[] {
  if (node == null) return [];
  if (node.kind === 'seq' && !node.tag) return node.items.map((i) => resolveAlias(i)).filter((i): i is CNode => i != null);
  if (principal) principal.excluded = true;
  return [];
}

function readManaged(arn: CNode, principal: Principal, offset = arn.start): void {
  const fn = intrinsicName(arn);
  const literal = fn === 'Fn::Sub' ? subTemplate(arn) : fn === undefined ? scalarString(arn) : undefined;
  const kind = literal === undefined ? 'unknown' : managedPolicy(literal);
  if (kind === 'unknown') principal.excluded = true;
  else if (kind === 'dynamodb')
    principal.grants.push({ target: { all: true, ids: new Set(), names: [] }, by: managedName(literal!), offset });
}

const managedName = (arn: string) => arn.trim().split('/').pop()!;

/** A SAM function's policy: a managed policy's name or ARN, a policy template, or a policy document. */
function readSamPolicy(node: CNode, principal: Principal, tables: Set<string>): void {
  const item = resolveAlias(node);
  if (!item) return;
  if (item.kind === 'scalar' || intrinsicName(item) === 'Fn::Sub') {
    readManaged(item, principal);
    return;
  }
  if (item.kind !== 'map' || intrinsicName(item) !== undefined) {
    principal.excluded = true;
    return;
  }
  if (child(item, 'Statement') !== undefined) {
    readDocument(item, principal, tables);
    return;
  }
  if (item.pairs.length !== 1) {
    principal.excluded = true;
    return;
  }
  const [{ key, value }] = item.pairs;
  if (/^KMS/i.test(key)) principal.excluded = true;
  else if (/^DynamoDB\w*Policy$/.test(key)) {
    const target = emptyTarget();
    const name = child(value, 'TableName');
    const refs = tableRefs(name, tables);
    const literal = scalarString(name);
    if (refs.length > 0) for (const r of refs) target.ids.add(r);
    else if (literal !== undefined) target.names.push(literal);
    principal.grants.push({ target, by: key, offset: item.start });
  }
  // Any other policy template grants no KMS action (KMSDecryptPolicy and KMSEncryptPolicy are the ones that do).
}

/** A SAM function's DynamoDB stream events: SAM gives its role AWSLambdaDynamoDBExecutionRole, which reads the stream and has no KMS action. */
function readStreamEvents(events: CNode | null | undefined, principal: Principal, tables: Set<string>): void {
  if (events?.kind !== 'map') return;
  for (const e of events.pairs) {
    if (scalarString(child(e.value, 'Type')) !== 'DynamoDB') continue;
    const refs = tableRefs(child(child(e.value, 'Properties'), 'Stream'), tables);
    if (refs.length > 0)
      principal.grants.push({ target: { all: false, ids: new Set(refs), names: [] }, by: `${e.key} event`, offset: e.keyStart });
  }
}

/** The Serverless Framework service's role, when the service has one of its own with statements or managed policies kmsfix reads. */
function serviceRole(template: CfnTemplate, tables: Set<string>): Principal | undefined {
  if (template.stack) return undefined;
  const provider = child(template.root, 'provider');
  const iam = child(provider, 'iam');
  const role = child(iam, 'role');
  // A role given by name or ARN: the service makes none.
  if (role != null && role.kind !== 'map') return undefined;
  const principal: Principal = { name: 'IamRoleLambdaExecution', grants: [], excluded: false };
  const sets: [string, CNode | null | undefined][] = [
    ['provider.iam.role.statements', child(role, 'statements')],
    ['provider.iamRoleStatements', child(provider, 'iamRoleStatements')],
  ];
  for (const [where, statements] of sets) {
    for (const s of listItems(statements, principal)) readStatement(s, principal, tables, where);
  }
  for (const m of [...listItems(child(role, 'managedPolicies'), principal), ...listItems(child(provider, 'iamManagedPolicies'), principal)])
    readManaged(m, principal);
  return principal.grants.length > 0 ? principal : undefined;
}

const emptyTarget = (): Target => ({ all: false, ids: new Set(), names: [] });

function readDocument(doc: CNode | null | undefined, principal: Principal, tables: Set<string>, by?: string): void {
  const d = resolveAlias(doc);
  if (d == null) return;
  if (d.kind !== 'map' || intrinsicName(d) !== undefined) {
    principal.excluded = true;
    return;
  }
  const statements = child(d, 'Statement');
  const items = statements?.kind === 'map' && intrinsicName(statements) === undefined ? [statements] : listItems(statements, principal);
  for (const s of items) readStatement(s, principal, tables, by);
}

/** One statement: a KMS action (or `*`) excludes the role; DynamoDB actions add a grant on the tables its Resource names. */
function readStatement(node: CNode, principal: Principal, tables: Set<string>, by?: string): void {
  const s = resolveAlias(node);
  if (s?.kind !== 'map' || intrinsicName(s) !== undefined) {
    principal.excluded = true;
    return;
  }
  const effect = scalarString(child(s, 'Effect'));
  if (effect === 'Deny') return;
  if (child(s, 'NotAction') !== undefined) {
    principal.excluded = true;
    return;
  }
  const actions: string[] = [];
  const action = child(s, 'Action');
  const items = action?.kind === 'seq' && !action.tag ? action.items.map((i) => resolveAlias(i)) : [action];
  for (const a of items) {
    const text = scalarString(a);
    if (text === undefined) {
      // An action kmsfix cannot read may be a KMS one.
      if (a != null) principal.excluded = true;
      continue;
    }
    actions.push(text.trim().toLowerCase());
  }
  if (actions.some((a) => a === '*' || a.startsWith('kms:') || (/^k[\w*?]*:/.test(a) && globMatcher(a).test('kms:decrypt')))) {
    principal.excluded = true;
    return;
  }
  if (!actions.some((a) => a.startsWith('dynamodb:'))) return;
  const target = resourceTarget(child(s, 'Resource'), tables);
  if (target) principal.grants.push({ target, by, offset: s.start });
}

/** The tables a statement's Resource names; undefined when it names none kmsfix can tell (NotResource, a parameter). */
function resourceTarget(resource: CNode | null | undefined, tables: Set<string>): Target | undefined {
  const r = resolveAlias(resource);
  if (!r) return undefined;
  const target = emptyTarget();
  const items = r.kind === 'seq' && !r.tag ? r.items : [r];
  for (const node of items) {
    const item = resolveAlias(node);
    const refs = tableRefs(item, tables);
    if (refs.length > 0) {
      for (const id of refs) target.ids.add(id);
      continue;
    }
    const fn = intrinsicName(item);
    const literal = fn === 'Fn::Sub' ? subTemplate(item!) : fn === undefined ? scalarString(item) : undefined;
    if (literal === undefined) continue;
    const arn = literal.trim().replace(/\$\{AWS::\w+\}/g, '*');
    if (arn === '*' || /^arn:[^:]*:dynamodb:[^:]*:[^:]*:\*$/.test(arn)) target.all = true;
    const name = /^arn:[^:]*:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(arn)?.[1];
    // A name from an input (`${TableName}`) may be any table's: not claimed.
    if (name === undefined || name.includes('${')) continue;
    if (name === '*') target.all = true;
    else target.names.push(name);
  }
  return target.all || target.ids.size > 0 || target.names.length > 0 ? target : undefined;
}

/** A Fn::Sub's template string (short or long form, with or without its variables). */
function subTemplate(node: CNode): string | undefined {
  const arg = resolveAlias(intrinsicArg(node));
  const t = arg?.kind === 'seq' ? resolveAlias(arg.items[0]) : arg;
  return t?.kind === 'scalar' && t.value != null ? String(t.value) : undefined;
}
