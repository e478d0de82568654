/**
 * The IAM statements of a CloudFormation, SAM or Serverless Framework document, read one way for the
 * modules that ask what a template grants: apiGlobalTables.ts (grants of the APIs that make replicas
 * outside the template), iamRoles.ts (the roles a key policy leaving all use to IAM would lock out) and
 * backupSelections.ts (grants of dynamodb:CreateBackup). Each asks its own question of the same
 * statements, and each answers it as it did before they shared this reader (the edges where they
 * disagree, such as how an ARN names a table, are theirs to keep: see each module).
 *
 * Two readings:
 * - `iamStatements(root)`: every statement of the document wherever it is (a map holding `Action` or
 *   `NotAction`: a role's `Policies`, an `AWS::IAM::Policy`'s document, a SAM function's `Policies`,
 *   `provider.iam.role.statements`, or a custom resource's properties, which a function may turn into a
 *   policy), and SAM's DynamoDB policy templates wherever they are. One walk per parsed document,
 *   cached: the scan and fix ask it once per template, and fix once per table.
 * - `iamPrincipals(template)`: the roles the template makes, each with the policies attached to it in
 *   the order they are written (statements, managed policies, SAM policy templates, a function's
 *   DynamoDB stream events, SAM connectors), and whether any of its policies has a shape kmsfix cannot read.
 *
 * A statement's Resource is resolved against the template's tables by `resourceItems`: which logical
 * tables each item names (Ref, GetAtt, `${Table}` in a Fn::Sub), and its text when it is a string.
 */
import { LineIndex } from '../../core/text.js';
import { type CMap, type CNode, child, resolveAlias, scalarString } from '../yaml/tree.js';
import { TABLE_TYPES } from './tableTypes.js';
import { intrinsicArg, intrinsicName, referencedIds } from './intrinsics.js';
import { APPSYNC, ROLES_PER_FUNCTION, pluginsOf } from '../serverless/plugins.js';
import { type FileRef, type FileValues, fileRefOf, refKey } from '../serverless/fileValues.js';

/**
 * A template as these readers ask it: the CloudFormation family's (cloudformation/tableTypes.ts CfnTemplate), or a
 * serverless.ts's service read as a node tree by the TypeScript family (typescript/serviceRoles.ts).
 */
export interface IamTemplate {
  flavor: 'cloudformation' | 'sam' | 'serverless';
  root: CMap;
  resources: CMap;
  /** An additional stack of a service (serverless-plugin-additional-stacks): the service's roles are not its. */
  stack?: object;
  /**
   * A Serverless service's IAM settings read from files (`statements: ${file(./iam.yml)}`): the reads met are pushed
   * to `refs` (the format reads them: cloudformation/index.ts), and `values` holds what the files hold once read.
   */
  files?: { refs: FileRef[]; values?: FileValues };
}

/** One statement (a map holding Action or NotAction), as written. */
export interface IamStatement {
  node: CMap;
  /** `Allow`, `Deny`, or what else is written (undefined: none, or not a plain string). */
  effect: string | undefined;
  /**
   * The Action's items (a list's, tagged or not, or the one value), trimmed, as written (case kept);
   * undefined for an item that is not a plain string (an intrinsic). Empty items are left out.
   */
  actions: (string | undefined)[];
  /** The Action is a value kmsfix cannot read as one list of names: an intrinsic (`!If [...]`), or an item that is not a plain string. */
  opaque: boolean;
  /** Every string the Action holds at any depth (inside a condition's Fn::If too), trimmed. */
  anyActions: string[];
  /** The statement names what it does not allow (`NotAction`). */
  notAction: boolean;
  /** Its Resource (aliases resolved): undefined without one, null when empty. */
  resource: CNode | null | undefined;
  /** Where the statement starts in the file's text. */
  offset: number;
}

/** A SAM policy template of the document (`DynamoDBCrudPolicy: {TableName: !Ref Orders}`), wherever it is. */
export interface PolicyTemplate {
  name: string;
  value: CNode | null | undefined;
  offset: number;
}

export interface IamStatements {
  statements: IamStatement[];
  templates: PolicyTemplate[];
}

/** The policy templates read: SAM's DynamoDB ones (the modules that read templates anywhere ask for nothing else). */
const DYNAMODB_TEMPLATE = /^DynamoDB\w*Policy$/;

const byNode = new WeakMap<CMap, IamStatement>();

/** One statement's reading (the same object for the same node). */
export function statementOf(node: CMap): IamStatement {
  let s = byNode.get(node);
  if (s) return s;
  const action = child(node, 'Action');
  const actions: (string | undefined)[] = [];
  if (action?.kind === 'seq') {
    for (const i of action.items) {
      const item = resolveAlias(i);
      if (item != null) actions.push(scalarString(item)?.trim());
    }
  } else if (action != null) actions.push(scalarString(action)?.trim());
  s = {
    node,
    effect: scalarString(child(node, 'Effect')),
    actions,
    opaque: actions.includes(undefined) || (action?.kind === 'seq' && action.tag !== undefined),
    anyActions: strings(action).map((a) => a.trim()),
    notAction: child(node, 'NotAction') !== undefined,
    resource: child(node, 'Resource'),
    offset: node.start,
  };
  byNode.set(node, s);
  return s;
}

/** Every string a value holds at any depth (a tagged scalar's too). */
function strings(node: CNode | null | undefined, out: string[] = []): string[] {
  const n = resolveAlias(node);
  if (n?.kind === 'scalar') {
    const s = scalarString(n) ?? (typeof n.value === 'string' ? n.value : undefined);
    if (s !== undefined) out.push(s);
  } else if (n?.kind === 'seq') for (const i of n.items) strings(i, out);
  else if (n?.kind === 'map') for (const p of n.pairs) strings(p.value, out);
  return out;
}

const byRoot = new WeakMap<CNode, IamStatements>();

/**
 * The statements and DynamoDB policy templates of a document (`root`), in the order they are written
 * (a statement before the statements inside it); each node once, aliases followed.
 */
export function iamStatements(root: CNode | null | undefined): IamStatements {
  const r = resolveAlias(root);
  if (!r) return { statements: [], templates: [] };
  const cached = byRoot.get(r);
  if (cached) return cached;
  const out: IamStatements = { statements: [], templates: [] };
  const seen = new Set<CNode>();
  const visit = (node: CNode | null | undefined): void => {
    const n = resolveAlias(node);
    if (!n || n.kind === 'scalar' || seen.has(n)) return;
    seen.add(n);
    if (n.kind === 'seq') {
      for (const i of n.items) visit(i);
      return;
    }
    if (n.kind !== 'map') return;
    if (child(n, 'Action') !== undefined || child(n, 'NotAction') !== undefined) out.statements.push(statementOf(n));
    for (const p of n.pairs) {
      if (DYNAMODB_TEMPLATE.test(p.key)) out.templates.push({ name: p.key, value: resolveAlias(p.value), offset: n.start });
      visit(p.value);
    }
  };
  visit(r);
  byRoot.set(r, out);
  return out;
}

// ---------------------------------------------------------------- resources

/** One item of a statement's Resource, resolved against the template's tables. */
export interface ResourceItem {
  node: CNode | null | undefined;
  /** The tables it refers to (Ref, GetAtt, `${Table}` in a Fn::Sub, at any depth), by logical ID. */
  tables: string[];
  /** A plain string's text. */
  plain: string | undefined;
  /** A Fn::Sub's template string. */
  sub: string | undefined;
}

/**
 * The items of a statement's Resource (a plain list's, or the one value: a tagged list is a condition's
 * `!If`, one value), each resolved against `tables` (the template's logical IDs of tables); undefined
 * when the statement has none (NotResource too). An empty `Resource:` is one item that names nothing.
 */
export function resourceItems(s: IamStatement, tables: Set<string>): ResourceItem[] | undefined {
  const r = s.resource;
  if (!r) return undefined;
  const items = r.kind === 'seq' && !r.tag ? r.items : [r];
  return items.map((i) => {
    const node = resolveAlias(i);
    const fn = intrinsicName(node);
    return {
      node,
      tables: tableRefs(node, tables),
      plain: fn === undefined ? scalarString(node) : undefined,
      sub: fn === 'Fn::Sub' && node ? subTemplate(node) : undefined,
    };
  });
}

/** The logical IDs of the template's tables. */
export function tablesOf(template: IamTemplate): Set<string> {
  const ids = new Set<string>();
  for (const p of template.resources.pairs) if (TABLE_TYPES.includes(scalarString(child(p.value, 'Type')) ?? '')) ids.add(p.key);
  return ids;
}

/** The template's resources an item refers to: Ref, GetAtt, `${Id}` or `${Id.Arn}` in Fn::Sub, at any depth. */
export function tableRefs(node: CNode | null | undefined, ids: Set<string>, out: string[] = []): string[] {
  const n = resolveAlias(node);
  if (!n) return out;
  const fn = intrinsicName(n);
  if (fn === 'Ref' || fn === 'Fn::GetAtt') {
    for (const id of referencedIds(n)) if (ids.has(id)) out.push(id);
    return out;
  }
  if (fn === 'Fn::Sub') {
    const arg = resolveAlias(intrinsicArg(n));
    const template =
      scalarString(arg?.kind === 'seq' ? resolveAlias(arg.items[0]) : arg) ?? (arg?.kind === 'scalar' ? String(arg.value) : '');
    for (const m of template.matchAll(/\$\{([^}!.]+)(?:\.[^}]*)?\}/g)) if (ids.has(m[1])) out.push(m[1]);
    if (arg?.kind === 'seq') for (const i of arg.items.slice(1)) tableRefs(i, ids, out);
    return out;
  }
  if (n.kind === 'seq') for (const i of n.items) tableRefs(i, ids, out);
  else if (n.kind === 'map') for (const p of n.pairs) tableRefs(p.value, ids, out);
  return out;
}

/** A Fn::Sub's template string (short or long form, with or without its variables). */
export function subTemplate(node: CNode): string | undefined {
  const arg = resolveAlias(intrinsicArg(node));
  const t = arg?.kind === 'seq' ? resolveAlias(arg.items[0]) : arg;
  return t?.kind === 'scalar' && t.value != null ? String(t.value) : undefined;
}

// ---------------------------------------------------------------- principals

/** A policy attached to a principal, as written. */
export type AttachedPolicy =
  /**
   * A statement; `by`: what holds it when not the principal's own (an attached policy's logical ID, `provider.iam.role.statements`);
   * `at`: where the template reads it, for one read from another file (`${file(./iam.yml)}`).
   */
  | { kind: 'statement'; statement: IamStatement; by?: string; at?: number }
  /** A managed policy's ARN or name (a Ref to an AWS::IAM::ManagedPolicy of the template is read as its statements instead). */
  | { kind: 'managed'; arn: CNode; offset: number }
  /** A SAM policy template: its one key and value. */
  | { kind: 'template'; name: string; value: CNode | null; offset: number }
  /** A SAM function's DynamoDB stream event (SAM gives its role AWSLambdaDynamoDBExecutionRole), with the tables its Stream names. */
  | { kind: 'stream'; tables: string[]; by: string; offset: number }
  /** A SAM connector whose Destination names tables of the template (SAM gives its source's role DynamoDB read or write on them, no KMS). */
  | { kind: 'connector'; tables: string[]; by: string; offset: number }
  /** serverless-appsync-plugin's DynamoDB data source: the role it makes has DynamoDB's item actions on the table its `tableName` names. */
  | { kind: 'data-source'; tableName: CNode | null | undefined; by: string; offset: number };

/** A role the template makes (an AWS::IAM::Role, a SAM function's, the Serverless service's), and its policies. */
export interface Principal {
  name: string;
  policies: AttachedPolicy[];
  /** Some policy has a shape kmsfix cannot read (a condition's Fn::If around a list, a statement that is no map): it may grant anything. */
  unreadable: boolean;
  /**
   * Policies a Serverless service reads from a file kmsfix could not read (`${file(./iam.yml)}`: not read yet, no such
   * file, a file per stage, not YAML or JSON): the variable as written and where. They may grant DynamoDB and no KMS action.
   */
  unread?: { text: string; offset: number }[];
}

const SAM_FUNCTIONS = new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);
const ATTACHED = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);

/**
 * The principals a template's resources make, and the policies kmsfix reads on each:
 * - `AWS::IAM::Role`: its inline `Policies`, its `ManagedPolicyArns` (one of the template's
 *   `AWS::IAM::ManagedPolicy` by Ref is read as that policy's statements), and the statements of the
 *   `AWS::IAM::Policy` / `ManagedPolicy` resources whose `Roles` name it by Ref (after every role's own);
 * - SAM `AWS::Serverless::Function` and `StateMachine` without a `Role` of their own (nor, for a function,
 *   one in Globals): `Policies` (managed policy names, policy templates, documents), and a function's
 *   DynamoDB stream events;
 * - SAM connectors (readConnectors): the grant SAM gives the source's role, one of the above or the
 *   template's `AWS::IAM::Role` a function or state machine runs as;
 * - SAM `AWS::Serverless::GraphQLApi` DynamoDb data sources without `ServiceRoleArn` (graphQlDataSourceRoles);
 * - Serverless Framework: the service's role (`IamRoleLambdaExecution`, unless `provider.iam.role` names
 *   one) from `provider.iam.role.statements`, `provider.iamRoleStatements` and its managed policies; and
 *   serverless-iam-roles-per-function's role of each function with `iamRoleStatements` (functionRoles), and
 *   serverless-appsync-plugin's role of each DynamoDB data source without `serviceRoleArn` (dataSourceRoles).
 * A role outside the template (an AWS::IAM::Policy attached to a role by name) is not one of them.
 */
export function iamPrincipals(template: IamTemplate): Principal[] {
  const tables = tablesOf(template);
  const roles = new Map<string, Principal>();
  const out: Principal[] = [];
  const managed = new Set<string>();
  for (const p of template.resources.pairs) {
    if (scalarString(child(p.value, 'Type')) === 'AWS::IAM::ManagedPolicy') managed.add(p.key);
  }
  const globalRole = child(child(child(template.root, 'Globals'), 'Function'), 'Role') !== undefined;
  // The SAM functions and state machines that make their own role, by logical ID.
  const samRoles = new Map<string, Principal>();
  for (const p of template.resources.pairs) {
    const type = scalarString(child(p.value, 'Type'));
    const props = child(p.value, 'Properties');
    if (type === 'AWS::IAM::Role') {
      const principal: Principal = { name: p.key, policies: [], unreadable: false };
      roles.set(p.key, principal);
      out.push(principal);
      const policies = child(props, 'Policies');
      if (policies != null) {
        if (policies.kind !== 'seq' || policies.tag) principal.unreadable = true;
        else for (const item of policies.items) readDocument(child(item, 'PolicyDocument'), principal);
      }
      for (const arn of listItems(child(props, 'ManagedPolicyArns'), principal)) {
        const refs = referencedIds(arn);
        if (intrinsicName(arn) === 'Ref' && refs.length === 1 && managed.has(refs[0])) continue; // read with the policy below
        principal.policies.push({ kind: 'managed', arn, offset: arn.start });
      }
    } else if (type && SAM_FUNCTIONS.has(type)) {
      // A function given a role of its own (or by Globals): SAM ignores its Policies (the role is read as a role).
      if (child(props, 'Role') !== undefined || (globalRole && type === 'AWS::Serverless::Function')) continue;
      const principal: Principal = { name: p.key, policies: [], unreadable: false };
      out.push(principal);
      samRoles.set(p.key, principal);
      const policies = child(props, 'Policies');
      const items = policies?.kind === 'seq' && !policies.tag ? policies.items : policies == null ? [] : [policies];
      for (const item of items) readSamPolicy(item, principal);
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
    for (const role of attached) readDocument(child(props, 'PolicyDocument'), role, p.key);
  }
  readConnectors(template, tables, (id) => samRoles.get(id) ?? roleOf(template, id, roles));
  out.push(...graphQlDataSourceRoles(template, tables));
  if (template.flavor === 'serverless') {
    const principal = serviceRole(template);
    if (principal) out.push(principal);
    out.push(...functionRoles(template), ...dataSourceRoles(template));
  }
  return out;
}

/**
 * SAM connectors (`Connectors:` on a resource, its source; `AWS::Serverless::Connector` with `Source: {Id: Fn}`) whose
 * Destination (one, or a list) names tables of the template (`Id: Orders`, or `Arn: !GetAtt Orders.Arn`): SAM gives
 * the source's role DynamoDB's read or write actions on them (`Permissions: [Read, Write]`) and no KMS one. The source
 * is one of the template's resources whose role `role` knows; a connector from elsewhere names no role.
 */
function readConnectors(template: IamTemplate, tables: Set<string>, role: (id: string) => Principal | undefined): void {
  for (const p of template.resources.pairs) {
    const resource = resolveAlias(p.value);
    const connectors = resolveAlias(child(resource, 'Connectors'));
    if (connectors?.kind === 'map') {
      for (const c of connectors.pairs) connectorGrant(child(resolveAlias(c.value), 'Properties'), role(p.key), c.key, c.keyStart, tables);
    }
    if (scalarString(child(resource, 'Type')) !== 'AWS::Serverless::Connector') continue;
    const props = child(resource, 'Properties');
    const source = scalarString(child(child(props, 'Source'), 'Id'));
    if (source !== undefined) connectorGrant(props, role(source), p.key, p.keyStart, tables);
  }
}

function connectorGrant(
  props: CNode | null | undefined,
  principal: Principal | undefined,
  name: string,
  offset: number,
  tables: Set<string>,
): void {
  if (!principal) return;
  const permissions = listItems(child(props, 'Permissions'), undefined).map((i) => scalarString(i));
  if (!permissions.some((x) => x === 'Read' || x === 'Write')) return;
  const destination = resolveAlias(child(props, 'Destination'));
  const destinations = destination?.kind === 'seq' ? listItems(destination, undefined) : destination ? [destination] : [];
  const named = new Set<string>();
  for (const d of destinations) {
    const id = scalarString(child(d, 'Id'));
    if (id !== undefined && tables.has(id)) named.add(id);
    for (const t of tableRefs(child(d, 'Arn'), tables)) named.add(t);
  }
  if (named.size > 0) principal.policies.push({ kind: 'connector', tables: [...named], by: `${name} connector`, offset });
}

/**
 * SAM `AWS::Serverless::GraphQLApi` DynamoDB data sources (`DataSources: DynamoDb: {Posts: {TableArn: !GetAtt Posts.Arn}}`)
 * without `ServiceRoleArn`: SAM makes each a role and gives it, through a connector to its `TableArn`, DynamoDB's read
 * or write actions (`Permissions`, both by default) and no KMS one. The role is named for its data source, as
 * serverless-appsync-plugin's are (dataSourceRoles). A data source with a ServiceRoleArn uses that role: one of the
 * template's `AWS::IAM::Role`s is read as a role.
 */
function graphQlDataSourceRoles(template: IamTemplate, tables: Set<string>): Principal[] {
  const out: Principal[] = [];
  for (const p of template.resources.pairs) {
    const resource = resolveAlias(p.value);
    if (scalarString(child(resource, 'Type')) !== 'AWS::Serverless::GraphQLApi') continue;
    const sources = resolveAlias(child(child(child(resource, 'Properties'), 'DataSources'), 'DynamoDb'));
    if (sources?.kind !== 'map') continue;
    for (const s of sources.pairs) {
      const def = resolveAlias(s.value);
      if (def?.kind !== 'map' || child(def, 'ServiceRoleArn') != null) continue;
      const permissions = child(def, 'Permissions');
      if (permissions != null && !listItems(permissions, undefined).some((i) => /^(Read|Write)$/.test(scalarString(i) ?? ''))) continue;
      const named = new Set([...tableRefs(child(def, 'TableArn'), tables), ...tableRefs(child(def, 'TableName'), tables)]);
      if (named.size === 0) continue;
      out.push({
        name: `the ${s.key} data source's role`,
        policies: [{ kind: 'connector', tables: [...named], by: `${p.key} GraphQLApi`, offset: s.keyStart }],
        unreadable: false,
      });
    }
  }
  return out;
}

/** The property naming the role of a resource type that can be a connector's source. */
const ROLE_PROPERTY: Record<string, string> = {
  'AWS::Serverless::Function': 'Role',
  'AWS::Serverless::StateMachine': 'Role',
  'AWS::Lambda::Function': 'Role',
  'AWS::StepFunctions::StateMachine': 'RoleArn',
};

/** The template's `AWS::IAM::Role` a resource runs as (its `Role: !GetAtt R.Arn`, a SAM function's from Globals), if any. */
function roleOf(template: IamTemplate, id: string, roles: Map<string, Principal>): Principal | undefined {
  const resource = child(template.resources, id);
  const type = scalarString(child(resource, 'Type'));
  const property = type && ROLE_PROPERTY[type];
  if (!property) return undefined;
  let role = resolveAlias(child(child(resource, 'Properties'), property));
  if (role == null && type === 'AWS::Serverless::Function')
    role = resolveAlias(child(child(child(template.root, 'Globals'), 'Function'), 'Role'));
  const fn = intrinsicName(role);
  const refs = fn === 'Ref' || fn === 'Fn::GetAtt' ? referencedIds(role) : [];
  return refs.length === 1 ? roles.get(refs[0]) : undefined;
}

/** The principals whose policies hold a statement, by name (an attached policy's statement is each role's it is attached to). */
export function rolesOf(principals: Principal[], s: IamStatement): string[] {
  return principals.filter((p) => p.policies.some((x) => x.kind === 'statement' && x.statement === s)).map((p) => p.name);
}

/** `file:line` of an offset in a text (the line index made on the first ask). */
export function positions(text: string, file: string): (offset: number) => string {
  let lines: LineIndex | undefined;
  return (offset) => {
    lines ??= LineIndex.of(text);
    return `${file}:${lines.lineOf(offset) + 1}`;
  };
}

/** Does role `id` list managed policy `policy` (by Ref) in its ManagedPolicyArns? */
function managedBy(template: IamTemplate, id: string, policy: string): boolean {
  const arns = child(child(child(template.resources, id), 'Properties'), 'ManagedPolicyArns');
  return (
    arns?.kind === 'seq' &&
    arns.items.some((a) => intrinsicName(resolveAlias(a)) === 'Ref' && referencedIds(resolveAlias(a)).includes(policy))
  );
}

/** A list's items; a value that is not a plain list (a condition's Fn::If) makes the principal unreadable. */
function listItems(node: CNode | null | undefined, principal: Principal | undefined): CNode[] {
  if (node == null) return [];
  if (node.kind === 'seq' && !node.tag) return node.items.map((i) => resolveAlias(i)).filter((i): i is CNode => i != null);
  if (principal) principal.unreadable = true;
  return [];
}

/** A SAM function's policy: a managed policy's name or ARN, a policy template, or a policy document. */
function readSamPolicy(node: CNode, principal: Principal): void {
  const item = resolveAlias(node);
  if (!item) return;
  if (item.kind === 'scalar' || intrinsicName(item) === 'Fn::Sub') {
    principal.policies.push({ kind: 'managed', arn: item, offset: item.start });
    return;
  }
  if (item.kind !== 'map' || intrinsicName(item) !== undefined) {
    principal.unreadable = true;
    return;
  }
  if (child(item, 'Statement') !== undefined) {
    readDocument(item, principal);
    return;
  }
  if (item.pairs.length !== 1) {
    principal.unreadable = true;
    return;
  }
  const [{ key, value }] = item.pairs;
  principal.policies.push({ kind: 'template', name: key, value: resolveAlias(value), offset: item.start });
}

/** A SAM function's DynamoDB stream events that name a table of the template. */
function readStreamEvents(events: CNode | null | undefined, principal: Principal, tables: Set<string>): void {
  if (events?.kind !== 'map') return;
  for (const e of events.pairs) {
    if (scalarString(child(e.value, 'Type')) !== 'DynamoDB') continue;
    const refs = tableRefs(child(child(e.value, 'Properties'), 'Stream'), tables);
    if (refs.length > 0) principal.policies.push({ kind: 'stream', tables: refs, by: `${e.key} event`, offset: e.keyStart });
  }
}

/** The Serverless Framework service's role, unless the service names one of its own (or the template is an additional stack). */
function serviceRole(template: IamTemplate): Principal | undefined {
  if (template.stack) return undefined;
  const provider = child(template.root, 'provider');
  const iam = child(provider, 'iam');
  const role = child(iam, 'role');
  // A role given by name or ARN: the service makes none.
  if (role != null && role.kind !== 'map') return undefined;
  const principal: Principal = { name: 'IamRoleLambdaExecution', policies: [], unreadable: false };
  const sets: [string, CNode | null | undefined][] = [
    ['provider.iam.role.statements', child(role, 'statements')],
    ['provider.iamRoleStatements', child(provider, 'iamRoleStatements')],
  ];
  for (const [where, statements] of sets) readStatements(statements, principal, where, template);
  for (const m of [...listItems(child(role, 'managedPolicies'), principal), ...listItems(child(provider, 'iamManagedPolicies'), principal)])
    principal.policies.push({ kind: 'managed', arn: m, offset: m.start });
  return principal;
}

/** What a value written as one `${file(...)}` variable reads: the node the file holds and where the variable is, or that kmsfix cannot read it. */
type Read = { node: CNode | null | undefined; from?: { at: number; file: string } } | { unread: { text: string; offset: number } };

/**
 * A Serverless value, or the node its file holds when it is one `${file(path)}` (`${file(path):key}`, or a `${self:...}`
 * path through one) read relative to the service (serverless/fileValues.ts): one file, YAML or JSON. Unread where the
 * file is not read yet (the read is recorded in `template.files` for the format), is not found, is one per stage (the
 * path holds a variable), or cannot be parsed, or the variable has a fallback the file lacks the key for.
 */
function fromFile(node: CNode | null | undefined, template: IamTemplate): Read {
  const n = resolveAlias(node);
  const text = n?.kind === 'scalar' && !n.tag ? scalarString(n) : undefined;
  if (!n || text === undefined || !text.includes('${')) return { node: n };
  const ref = fileRefOf(text, template.root);
  if (!ref) return { node: n };
  template.files?.refs.push(ref);
  const found = template.files?.values?.get(refKey(ref));
  const one = found?.length === 1 ? found[0].node : undefined;
  if (one === undefined || (one === null && ref.fallback)) return { unread: { text: text.trim(), offset: n.start } };
  return { node: resolveAlias(one), from: { at: n.start, file: ref.file } };
}

/**
 * A list of statements (`provider.iam.role.statements`, a function's `iamRoleStatements`), the list or an item
 * read from a file where it is one `${file(...)}` (fromFile), each statement's place the variable's (or `base`'s,
 * for a list inside a value read from a file). What kmsfix cannot read is the principal's `unread`.
 */
function readStatements(
  node: CNode | null | undefined,
  principal: Principal,
  where: string,
  template: IamTemplate,
  base?: { at: number; file: string },
): void {
  const list = fromFile(node, template);
  if ('unread' in list) {
    (principal.unread ??= []).push(list.unread);
    return;
  }
  const outer = base ?? list.from;
  for (const item of listItems(list.node, principal)) {
    const read = fromFile(item, template);
    if ('unread' in read) {
      (principal.unread ??= []).push(base ? { ...read.unread, offset: base.at } : read.unread);
      continue;
    }
    const from = outer ?? read.from;
    readStatement(read.node, principal, from ? `${where} from ${from.file}` : where, from?.at);
  }
}

/**
 * serverless-iam-roles-per-function's roles: a function with `iamRoleStatements` gets a role of its own,
 * `<Function>IamRoleLambdaExecution` as the plugin names it (the Framework's normalized function name), with those
 * statements, its `iamManagedPolicies`, and the service's statements and managed policies when it inherits them
 * (`iamRoleStatementsInherit`, or the plugin's `defaultInherit`; a value kmsfix cannot read makes the role unreadable).
 * Read only where the service lists the plugin (without it the Framework ignores the statements), never for a
 * function with a `role` of its own (the plugin refuses both).
 */
function functionRoles(template: IamTemplate): Principal[] {
  if (template.stack || !pluginsOf(template.root).some((n) => n.endsWith(ROLES_PER_FUNCTION))) return [];
  const provider = child(template.root, 'provider');
  const role = child(child(provider, 'iam'), 'role');
  const defaultInherit = child(child(child(template.root, 'custom'), ROLES_PER_FUNCTION), 'defaultInherit');
  const out: Principal[] = [];
  // `functions: ${file(./functions.yml)}`, or one function's definition from a file: read there (fromFile), or named unread.
  const read = fromFile(child(template.root, 'functions'), template);
  if ('unread' in read)
    return [{ name: `the functions' own roles (${ROLES_PER_FUNCTION})`, policies: [], unreadable: false, unread: [read.unread] }];
  const functions = read.node;
  const maps = functions?.kind === 'seq' ? functions.items.map((i) => resolveAlias(i)) : [functions];
  for (const map of maps) {
    if (map?.kind !== 'map') continue;
    for (const fn of map.pairs) {
      const name = `${normalizedFunctionName(fn.key)}IamRoleLambdaExecution`;
      const own = fromFile(fn.value, template);
      if ('unread' in own) {
        out.push({ name, policies: [], unreadable: false, unread: [read.from ? { ...own.unread, offset: read.from.at } : own.unread] });
        continue;
      }
      const base = read.from ?? own.from;
      const def = own.node;
      const statements = child(def, 'iamRoleStatements');
      if (statements === undefined || child(def, 'role') != null) continue;
      const principal: Principal = { name, policies: [], unreadable: false };
      out.push(principal);
      readStatements(statements, principal, `functions.${fn.key}.iamRoleStatements`, template, base);
      for (const m of listItems(child(def, 'iamManagedPolicies'), principal))
        principal.policies.push({ kind: 'managed', arn: m, offset: base?.at ?? m.start });
      const set = flag(child(def, 'iamRoleStatementsInherit'));
      const inherit = set === undefined ? flag(defaultInherit) : set;
      if (inherit === 'unknown') principal.unreadable = true;
      if (inherit !== true) continue;
      const sets: [string, CNode | null | undefined][] = [
        ['provider.iam.role.statements', child(role, 'statements')],
        ['provider.iamRoleStatements', child(provider, 'iamRoleStatements')],
      ];
      for (const [where, inherited] of sets) readStatements(inherited, principal, where, template);
      for (const m of [
        ...listItems(child(role, 'managedPolicies'), principal),
        ...listItems(child(provider, 'iamManagedPolicies'), principal),
      ])
        principal.policies.push({ kind: 'managed', arn: m, offset: m.start });
    }
  }
  return out;
}

/**
 * serverless-appsync-plugin's roles: an `AMAZON_DYNAMODB` data source without `config.serviceRoleArn` gets a role the
 * plugin makes, with `config.iamRoleStatements`, or else DynamoDB's item actions on its `tableName`'s table. Data
 * sources are read from `appSync` (v2) and `custom.appSync` (up to v1, one API or a list), as a list of
 * `{type, name, config}` or a map by name (a list of such maps too), and v2's inline ones (inlineDataSources), where the service lists the plugin. The role is
 * named for its data source (`the messages data source's role`): its logical ID differs between the plugin's versions.
 */
function dataSourceRoles(template: IamTemplate): Principal[] {
  if (template.stack || !pluginsOf(template.root).some((n) => n.endsWith(APPSYNC))) return [];
  const custom = resolveAlias(child(child(template.root, 'custom'), 'appSync'));
  const apis = [
    resolveAlias(child(template.root, 'appSync')),
    ...(custom?.kind === 'seq' ? custom.items.map((i) => resolveAlias(i)) : [custom]),
  ];
  const sources: [string, CNode][] = [];
  const add = (name: string | undefined, def: CNode | null | undefined) => {
    if (name !== undefined && def?.kind === 'map') sources.push([name, def]);
  };
  for (const api of apis) {
    const list = resolveAlias(child(api, 'dataSources'));
    for (const item of list?.kind === 'seq' ? list.items.map((i) => resolveAlias(i)) : [list]) {
      if (item?.kind !== 'map') continue;
      if (child(item, 'type') !== undefined) add(scalarString(child(item, 'name')), item);
      else for (const p of item.pairs) add(p.key, resolveAlias(p.value));
    }
    inlineDataSources(api, add);
  }
  const out: Principal[] = [];
  for (const [name, def] of sources) {
    if (scalarString(child(def, 'type')) !== 'AMAZON_DYNAMODB') continue;
    const config = child(def, 'config');
    if (child(config, 'serviceRoleArn') != null) continue;
    const principal: Principal = { name: `the ${name} data source's role`, policies: [], unreadable: false };
    out.push(principal);
    const statements = child(config, 'iamRoleStatements');
    if (statements != null) readStatements(statements, principal, APPSYNC, template);
    else principal.policies.push({ kind: 'data-source', tableName: child(config, 'tableName'), by: APPSYNC, offset: def.start });
  }
  return out;
}

/**
 * serverless-appsync-plugin v2's inline data sources (its doc/resolvers.md "Inline DataSources", src/getAppSyncConfig.ts),
 * each a data source of the name the plugin gives it: a `UNIT` resolver's `dataSource` map (`Query.getPost` ->
 * `Query_getPost`), a pipeline resolver's inline function's (`Query_getPost_0`, by its index), a pipeline function's
 * (its name). `resolvers` and `pipelineFunctions` are a map by name or a list of such maps.
 */
function inlineDataSources(api: CNode | null | undefined, add: (name: string, def: CNode | null | undefined) => void): void {
  const entries = (key: string) => {
    const node = resolveAlias(child(api, key));
    const maps = node?.kind === 'seq' ? node.items.map((i) => resolveAlias(i)) : [node];
    return maps.flatMap((m) => (m?.kind === 'map' ? m.pairs.map((p) => [p.key, resolveAlias(p.value)] as const) : []));
  };
  // The plugin's name for an inline one: the first character that is not a letter or `_` replaced by `_`.
  const resourceName = (s: string) => s.replace(/[^a-z_]/i, '_');
  for (const [field, resolver] of entries('resolvers')) {
    if (resolver?.kind !== 'map') continue;
    if (scalarString(child(resolver, 'kind')) === 'UNIT') {
      add(resourceName(field), resolveAlias(child(resolver, 'dataSource')));
      continue;
    }
    const functions = resolveAlias(child(resolver, 'functions'));
    if (functions?.kind !== 'seq') continue;
    for (const [i, f] of functions.items.entries()) add(`${resourceName(field)}_${i}`, resolveAlias(child(resolveAlias(f), 'dataSource')));
  }
  for (const [name, fn] of entries('pipelineFunctions')) add(name, resolveAlias(child(fn, 'dataSource')));
}

/** A boolean setting: undefined when not set, `unknown` when not a boolean (a variable; a string, which the plugin takes as true when not empty). */
function flag(node: CNode | null | undefined): boolean | 'unknown' | undefined {
  const n = resolveAlias(node);
  if (n == null) return undefined;
  return n.kind === 'scalar' && (n.value === true || n.value === false) ? n.value : 'unknown';
}

/** The Framework's normalized function name (`get-user_v2` -> `GetDashuserUnderscorev2`), the start of its role's logical ID. */
function normalizedFunctionName(name: string): string {
  const n = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return n.charAt(0).toUpperCase() + n.slice(1);
}

function readDocument(doc: CNode | null | undefined, principal: Principal, by?: string): void {
  const d = resolveAlias(doc);
  if (d == null) return;
  if (d.kind !== 'map' || intrinsicName(d) !== undefined) {
    principal.unreadable = true;
    return;
  }
  const statements = child(d, 'Statement');
  const items = statements?.kind === 'map' && intrinsicName(statements) === undefined ? [statements] : listItems(statements, principal);
  for (const s of items) readStatement(s, principal, by);
}

function readStatement(node: CNode | null | undefined, principal: Principal, by?: string, at?: number): void {
  const s = resolveAlias(node);
  if (s?.kind !== 'map' || intrinsicName(s) !== undefined) {
    principal.unreadable = true;
    return;
  }
  principal.policies.push({
    kind: 'statement',
    statement: statementOf(s),
    ...(by === undefined ? {} : { by }),
    ...(at === undefined ? {} : { at }),
  });
}
