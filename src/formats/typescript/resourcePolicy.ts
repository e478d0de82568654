/**
 * Tables a resource policy shares with other accounts, in TypeScript code. A generated key lets only
 * the table's own account use it (`kms:CallerAccount`, src/rule/keyPolicy.ts), so the principals of
 * another account that a table's resource policy lets in would be denied by KMS once the table
 * switches to it: such a table is not fixed (obstacle `resource-policy`, as for CloudFormation's
 * `ResourcePolicy` and Terraform's `aws_dynamodb_resource_policy`).
 *
 * Read, in the table's file:
 * - AWS CDK: the `resourcePolicy` prop (a `CfnTable`'s and its stream's too; a `TableV2`'s
 *   `streamResourcePolicy`), `orders.resourcePolicy = doc` (or `streamResourcePolicy`),
 *   `orders.addToResourcePolicy(statement)` (or `addToStreamResourcePolicy`), and grants (`orders.grantReadData(principal)`) to a
 *   principal of another account, which CDK writes into the table's resource policy.
 * - Pulumi (`aws.dynamodb.ResourcePolicy`) and CDK for Terraform (`DynamodbResourcePolicy`): a resource
 *   whose `resourceArn` is the table's `arn` or `streamArn`.
 * A principal counts as this account's when the code shows it is: the stack's or caller's account
 * (`this.account`, `Aws.ACCOUNT_ID`, `Stack.of(this).account`, a caller identity's `accountId`),
 * `AccountRootPrincipal`, or a construct the file creates (`new iam.Role(...)`). A literal account,
 * `*`, an organization, or a policy or principal the file does not show counts as (maybe) another's.
 * A grant's principal the file does not show (`fn.role`) is taken as this account's: CDK writes a
 * grant into the resource policy only for a principal of another account, which code names.
 */
import type { LineIndex } from '../../core/text.js';
import { foreignService, foreignServiceExpression, replicationPolicy } from '../../rule/blockers.js';
import { ACCOUNT_IN_ARN, allowedPrincipals, granteeOf, sharedPolicyObstacle } from '../../rule/policyPrincipals.js';
import { declarationOf } from './consts.js';
import { named } from './defaultChild.js';
import type { TsTable } from './tableTypes.js';
import { lookup, snippet } from './lookup.js';
import { propertyName, stringValue, ts, unwrap } from './parse.js';

/** What a policy lets in: principals that are (or may be) of another account, as written ('*' for any). */
interface Found {
  others: Set<string>;
  /** The constructs of the file it lets in, by the variable that holds them (iam-roles: named under --key-policy iam). */
  own: Set<string>;
  /** A policy or principal the file does not show, as written. */
  unreadable?: string;
}

interface Ctx {
  sf: ts.SourceFile;
  found: Found;
  /** The file gets a caller identity (Pulumi, CDKTF): `<x>.accountId` is this account. */
  callerIdentity: boolean;
}

const OWN_ACCOUNT = /^(?:this\.account|this\.stack\.account|(?:[\w$]+\.)*Stack\.of\([^()]*\)\.account|(?:[\w$]+\.)*Aws\.ACCOUNT_ID)$/;
const OWN = '\u0000own\u0000';

const lastName = (e: ts.Expression): string => {
  const u = unwrap(e);
  return ts.isPropertyAccessExpression(u) ? u.name.text : ts.isIdentifier(u) ? u.text : '';
};

function unread(c: Ctx, e: ts.Node): undefined {
  c.found.unreadable ??= snippet(c.sf, e);
}

/** Is an account expression this account's (`this.account`, a caller identity's `accountId`)? */
function ownAccount(c: Ctx, e: ts.Expression): boolean {
  const text = unwrap(e).getText(c.sf).replace(/\s+/g, '');
  return OWN_ACCOUNT.test(text) || (c.callerIdentity && /\.accountId$/.test(text));
}

/** The `const` initializer an identifier names, if the file shows one. */
function initializerOf(e: ts.Expression): ts.Expression | undefined {
  const u = unwrap(e);
  if (!ts.isIdentifier(u)) return undefined;
  const d = declarationOf(u);
  return d && d !== 'other' && d.initializer ? unwrap(d.initializer) : undefined;
}

/** Is the expression (or what it is a member of) a construct or resource the file creates with `new`? */
function createdHere(e: ts.Expression, depth = 0): boolean {
  let u = unwrap(e);
  while (ts.isPropertyAccessExpression(u) || u.kind === ts.SyntaxKind.ElementAccessExpression)
    u = unwrap((u as unknown as { expression: ts.Expression }).expression);
  if (ts.isNewExpression(u)) return true;
  const init = depth < 4 ? initializerOf(u) : undefined;
  return init !== undefined && createdHere(init, depth + 1);
}

/** An account, as an AccountPrincipal's argument or a policy's `AWS` entry writes it. */
function account(c: Ctx, e: ts.Expression): undefined {
  if (ownAccount(c, e)) return;
  const s = stringValue(unwrap(e));
  c.found.others.add(s ?? unwrap(e).getText(c.sf));
}

/** A principal ARN (or account ID, or '*') as a string, template or expression. */
function arn(c: Ctx, e: ts.Expression): undefined {
  const u = unwrap(e);
  const s = stringValue(u);
  if (s !== undefined) {
    c.found.others.add(granteeOf(s));
    return;
  }
  if (ts.isTemplateExpression(u)) {
    let text = u.head.text;
    const exprs = new Map<string, string>();
    for (const span of u.templateSpans) {
      const own = ownAccount(c, span.expression);
      const mark = own ? OWN : `\u0000${exprs.size}\u0000`;
      if (!own) exprs.set(mark, span.expression.getText(c.sf));
      text += mark + span.literal.text;
    }
    const acct = ACCOUNT_IN_ARN.exec(text)?.[1] ?? (/^\d{12}$/.test(text) ? text : undefined);
    if (acct === OWN) return;
    c.found.others.add(acct === undefined ? u.getText(c.sf) : (exprs.get(acct) ?? acct));
    return;
  }
  if (ownAccount(c, u) || createdHere(u)) return;
  const init = initializerOf(u);
  if (init) return arn(c, init);
  c.found.others.add(u.getText(c.sf));
}

/** A service principal's name: another service than DynamoDB (a zero-ETL integration's) counts as outside the account. */
function service(c: Ctx, e: ts.Expression): undefined {
  const u = unwrap(e);
  // A const of the file holding the name (`const REDSHIFT = 'redshift.amazonaws.com'`).
  const init = ts.isIdentifier(u) ? initializerOf(u) : undefined;
  const name = stringValue(u) ?? (init ? stringValue(unwrap(init)) : undefined);
  const d = name === undefined ? foreignServiceExpression(snippet(c.sf, e)) : foreignService(name);
  if (d) c.found.others.add(d);
}

/**
 * A CDK principal (`new iam.AccountPrincipal('111122223333')`, `role`, ...). `grant`: the principal
 * of a grant, which the file may not show (taken as this account's, see the header).
 */
function principal(c: Ctx, e: ts.Expression, grant: boolean, depth = 0): undefined {
  const u = unwrap(e);
  if (ts.isNewExpression(u)) {
    const args = u.arguments ?? [];
    switch (lastName(u.expression)) {
      case 'ServicePrincipal':
        return args[0] ? service(c, args[0]) : unread(c, u);
      case 'AccountRootPrincipal':
      case 'FederatedPrincipal':
      case 'WebIdentityPrincipal':
      case 'OpenIdConnectPrincipal':
      case 'SamlPrincipal':
      case 'SamlConsolePrincipal':
        return;
      case 'AccountPrincipal':
        return args[0] ? account(c, args[0]) : unread(c, u);
      case 'ArnPrincipal':
        return args[0] ? arn(c, args[0]) : unread(c, u);
      case 'AnyPrincipal':
      case 'StarPrincipal':
        c.found.others.add('*');
        return;
      case 'OrganizationPrincipal':
        c.found.others.add(`organization ${args[0] ? snippet(c.sf, args[0]) : '?'}`);
        return;
      case 'CompositePrincipal':
        for (const a of args) principal(c, a, grant, depth + 1);
        return;
      case 'PrincipalWithConditions':
      case 'SessionTagsPrincipal':
        return args[0] ? principal(c, args[0], grant, depth + 1) : unread(c, u);
      default: {
        // A Role, User, Group or other construct the file creates: this account's (named by its variable, not a grant's).
        // Kinds compared, not ts.isXxx: the CDK scan runs on a parser-only TypeScript build too (test/formats/parser-build.test.ts).
        const decl = u.parent?.kind === ts.SyntaxKind.VariableDeclaration ? (u.parent as ts.VariableDeclaration) : undefined;
        const holder = decl?.name.kind === ts.SyntaxKind.Identifier ? (decl.name as ts.Identifier).text : undefined;
        if (holder && !grant) c.found.own.add(holder);
        return;
      }
    }
  }
  if (ts.isCallExpression(u)) {
    const callee = unwrap(u.expression);
    const name = lastName(callee);
    if (name === 'withConditions' || name === 'withSessionTags') {
      if (ts.isPropertyAccessExpression(callee)) return principal(c, callee.expression, grant, depth + 1);
    }
    if (/^from(Role|User)Arn$/.test(name) && u.arguments[2]) return arn(c, u.arguments[2]);
    if (/^from(Role|User)Name$/.test(name)) return;
  }
  const init = depth < 4 ? initializerOf(u) : undefined;
  if (init) return principal(c, init, grant, depth + 1);
  if (grant || createdHere(u)) return;
  unread(c, u);
}

/** The calls `<name>.<method>(...)` of the file on the variable `decl` holds. */
function callsOn(c: Ctx, decl: ts.VariableDeclaration, method: RegExp): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = unwrap(n.expression);
      if (ts.isPropertyAccessExpression(callee) && method.test(callee.name.text)) {
        const r = unwrap(callee.expression);
        if (ts.isIdentifier(r) && declarationOf(r) === decl) out.push(n);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(c.sf);
  return out;
}

/** The variable declaration an identifier names, if the file declares it. */
function variableOf(e: ts.Expression): ts.VariableDeclaration | undefined {
  const u = unwrap(e);
  const d = ts.isIdentifier(u) ? declarationOf(u) : undefined;
  return d && d !== 'other' ? d : undefined;
}

/** A CDK PolicyStatement: its principals, and those the file adds to it later (`st.addArnPrincipal(...)`). */
function statement(c: Ctx, e: ts.Expression, depth = 0): undefined {
  const u = unwrap(e);
  if (ts.isNewExpression(u) && lastName(u.expression) === 'PolicyStatement') {
    const props = u.arguments?.[0] && unwrap(u.arguments[0]);
    if (!props || !ts.isObjectLiteralExpression(props)) return props ? unread(c, props) : undefined;
    const effect = lookup(c.sf, props, 'effect');
    if (effect.kind === 'value' && /\bDENY\b|['"]Deny['"]/.test(effect.value.getText(c.sf))) return;
    if (lookup(c.sf, props, 'notPrincipals').kind !== 'absent') c.found.others.add('*');
    const ps = lookup(c.sf, props, 'principals');
    if (ps.kind === 'unknown') return unread(c, ps.node);
    if (ps.kind === 'value') {
      const list = unwrap(ps.value);
      if (!ts.isArrayLiteralExpression(list)) return unread(c, list);
      for (const p of list.elements) principal(c, p, false);
    }
  } else if (ts.isCallExpression(u) && lastName(u.expression) === 'fromJson' && u.arguments[0]) {
    return jsonStatements(c, u.arguments[0], true);
  } else {
    const init = depth < 4 ? initializerOf(u) : undefined;
    if (!init) return unread(c, u);
    statement(c, init, depth + 1);
  }
  const decl = variableOf(e);
  if (!decl) return;
  for (const call of callsOn(c, decl, /^add\w*Principals?$/)) {
    const name = lastName(call.expression);
    const a = call.arguments[0];
    if (name === 'addAnyPrincipal') c.found.others.add('*');
    else if (name === 'addArnPrincipal' && a) arn(c, a);
    else if (name === 'addAwsAccountPrincipal' && a) account(c, a);
    else if (name === 'addServicePrincipal' && a) service(c, a);
    else if (name === 'addPrincipals') for (const p of call.arguments) principal(c, p, false);
  }
}

/** A CDK PolicyDocument (or a CloudFormation policy document written as an object), and the statements the file adds to it later. */
function document(c: Ctx, e: ts.Expression, depth = 0): undefined {
  const u = unwrap(e);
  if (ts.isNewExpression(u) && lastName(u.expression) === 'PolicyDocument') {
    const props = u.arguments?.[0] && unwrap(u.arguments[0]);
    if (props && !ts.isObjectLiteralExpression(props)) unread(c, props);
    const sts = props && ts.isObjectLiteralExpression(props) ? lookup(c.sf, props, 'statements') : undefined;
    if (sts?.kind === 'unknown') unread(c, sts.node);
    if (sts?.kind === 'value') {
      const list = unwrap(sts.value);
      if (ts.isArrayLiteralExpression(list)) for (const s of list.elements) statement(c, s);
      else unread(c, list);
    }
  } else if (ts.isCallExpression(u) && lastName(u.expression) === 'fromJson' && u.arguments[0]) {
    return jsonStatements(c, u.arguments[0]);
  } else if (ts.isObjectLiteralExpression(u)) {
    return jsonStatements(c, u);
  } else {
    const init = depth < 4 ? initializerOf(u) : undefined;
    if (!init) return unread(c, u);
    document(c, init, depth + 1);
  }
  const decl = variableOf(e);
  if (decl) for (const call of callsOn(c, decl, /^addStatements$/)) for (const s of call.arguments) statement(c, s);
}

/**
 * A policy as JSON written in code (`{ Statement: [...] }`, or one statement when `single`): the
 * `AWS` principals of its Allow statements. Pulumi's `getPolicyDocument({ statements: [{ principals:
 * [{ type: 'AWS', identifiers }] }] })` is read too.
 */
function jsonStatements(c: Ctx, e: ts.Expression, single = false): undefined {
  const u = initializerOf(e) ?? unwrap(e);
  if (!ts.isObjectLiteralExpression(u)) return unread(c, u);
  const get = (o: ts.ObjectLiteralExpression, name: string) => {
    const l = lookup(c.sf, o, name);
    if (l.kind === 'unknown') unread(c, l.node);
    return l.kind === 'value' ? unwrap(l.value) : undefined;
  };
  const items = (v: ts.Expression | undefined) => (v === undefined ? [] : ts.isArrayLiteralExpression(v) ? [...v.elements] : [v]);
  const lower = get(u, 'statements');
  if (lower) {
    for (const st of items(lower)) {
      const s = unwrap(st);
      if (!ts.isObjectLiteralExpression(s)) return unread(c, s);
      const effect = get(s, 'effect');
      if (effect && stringValue(effect) === 'Deny') continue;
      if (get(s, 'notPrincipals')) c.found.others.add('*');
      for (const p of items(get(s, 'principals'))) {
        const q = unwrap(p);
        if (!ts.isObjectLiteralExpression(q)) return unread(c, q);
        const type = get(q, 'type');
        if (type && stringValue(type) === 'Service') for (const id of items(get(q, 'identifiers'))) service(c, id);
        else if (type && stringValue(type) !== 'AWS' && stringValue(type) !== '*') continue;
        else for (const id of items(get(q, 'identifiers'))) arn(c, id);
      }
    }
    return;
  }
  for (const st of single ? [u] : items(get(u, 'Statement'))) {
    const s = unwrap(st);
    if (!ts.isObjectLiteralExpression(s)) return unread(c, s);
    const effect = get(s, 'Effect');
    if (effect && stringValue(effect) === 'Deny') continue;
    if (get(s, 'NotPrincipal')) c.found.others.add('*');
    const p = get(s, 'Principal');
    if (!p) continue;
    const aws = ts.isObjectLiteralExpression(p) ? get(p, 'AWS') : p;
    for (const v of items(aws)) arn(c, v);
    if (ts.isObjectLiteralExpression(p)) for (const v of items(get(p, 'Service'))) service(c, v);
  }
}

/** The policy a Pulumi or CDKTF resource policy's `policy` holds: through JSON.stringify, `.apply(...)`, `.json`. */
function policyValue(c: Ctx, e: ts.Expression, depth = 0): undefined {
  const u = unwrap(e);
  if (depth > 6) return unread(c, u);
  const s = stringValue(u);
  if (s !== undefined) {
    try {
      if (!allowedPrincipals(JSON.parse(s) as unknown, (p) => c.found.others.add(granteeOf(p)))) unread(c, u);
      return;
    } catch {
      return unread(c, u);
    }
  }
  if (ts.isCallExpression(u)) {
    const name = lastName(u.expression);
    if (/^(stringify|jsonStringify|jsonencode)$/.test(name) && u.arguments[0]) return jsonStatements(c, u.arguments[0]);
    if (/^getPolicyDocument(Output)?$/.test(name) && u.arguments[0]) return jsonStatements(c, u.arguments[0]);
    if (name === 'apply' || name === 'then') {
      const fn = u.arguments[0] && unwrap(u.arguments[0]);
      if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
        const body = fn.body;
        if (!ts.isBlock(body)) return policyValue(c, body, depth + 1);
        const ret = body.statements.find((st) => st.kind === ts.SyntaxKind.ReturnStatement) as { expression?: ts.Expression } | undefined;
        return ret?.expression ? policyValue(c, ret.expression, depth + 1) : unread(c, fn);
      }
    }
  }
  if (ts.isPropertyAccessExpression(u) && /^(json|minifiedJson)$/.test(u.name.text)) return policyValue(c, u.expression, depth + 1);
  const init = initializerOf(u);
  if (init) return policyValue(c, init, depth + 1);
  unread(c, u);
}

const TABLE_GRANT = /^grant\w*$/;
const CDK_KINDS = new Set(['Table', 'TableV2', 'CfnTable', 'CfnGlobalTable']);

/** A table's resource policies: the table's, and its stream's (a TableV2's `streamResourcePolicy`, a CfnTable's stream `resourcePolicy`). */
const POLICY_PROPS = new Set(['resourcePolicy', 'streamResourcePolicy']);
const ADD_TO_POLICY = new Set(['addToResourcePolicy', 'addToStreamResourcePolicy']);

/** The `resourcePolicy` and `streamResourcePolicy` properties of a table's props (a CfnTable's stream's too), replicas aside. */
function policyProps(props: ts.ObjectLiteralExpression): { name: string; value: ts.Expression }[] {
  const out: { name: string; value: ts.Expression }[] = [];
  const visit = (o: ts.ObjectLiteralExpression): void => {
    for (const p of o.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const name = propertyName(p.name);
      if (name === 'replicas' || name === 'replicationRegions') continue;
      const v = unwrap(p.initializer);
      if (name && POLICY_PROPS.has(name)) out.push({ name, value: v });
      else if (ts.isObjectLiteralExpression(v)) visit(v);
    }
  };
  visit(props);
  return out;
}

/**
 * Gives each table of the file that a resource policy shares with (maybe) another account the
 * obstacle `resource-policy`. `classOf`: the resource class a `new` callee names (`ResourcePolicy` of
 * Pulumi, `DynamodbResourcePolicy` of CDKTF), as detect.ts resolves imports.
 */
export function sharedTables(
  sf: ts.SourceFile,
  lines: LineIndex,
  tables: TsTable[],
  isPolicyClass: (callee: ts.Expression) => boolean,
): void {
  const text = sf.text;
  // A grant reaches the resource policy only for a principal the file builds (`new iam.AccountPrincipal(...)`,
  // `Role.fromRoleArn(...)`): without one, only the policies themselves are looked for.
  const grants = /\.grant/.test(text) && /Principal|from(?:Role|User)Arn/.test(text);
  if (!grants && !/resourcePolicy|ResourcePolicy/.test(text)) return;
  const callerIdentity = /CallerIdentity/.test(text);
  const at = (n: ts.Node) => `line ${lines.position(n.getStart(sf)).line}`;
  /** The table's obstacle from a policy (`node`, its code: DynamoDB's cross-account replication let in is an obstacle of its own). */
  const give = (t: TsTable, policy: string, f: Found, node?: ts.Node) => {
    const o =
      (node && replicationPolicy(`its resource policy ${policy}`, node.getText(sf))) ??
      sharedPolicyObstacle(policy, f.others, f.unreadable);
    if (o) t.encryption.obstacles.push(o);
    else if (f.own.size > 0 && node) (t.policyPrincipals ??= []).push(...[...f.own].map((name) => ({ name, at: node.getStart(sf) })));
  };
  const fresh = (): Ctx => ({ sf, found: { others: new Set(), own: new Set() }, callerIdentity });
  const cdk = tables.filter((t) => t.framework === 'cdk' && CDK_KINDS.has(t.kind));
  for (const t of cdk) {
    for (const { name, value: v } of t.props ? policyProps(t.props) : []) {
      const c = fresh();
      const doc = ts.isObjectLiteralExpression(v) ? lookup(sf, v, 'policyDocument') : undefined;
      if (doc?.kind === 'value') document(c, doc.value);
      else if (doc?.kind === 'unknown') unread(c, doc.node);
      else document(c, v);
      give(t, `(from ${name} at ${at(v)})`, c.found, v);
    }
  }
  if (cdk.length === 0 && !text.includes('ResourcePolicy')) return;
  const visit = (n: ts.Node): void => {
    if (cdk.length > 0 && ts.isCallExpression(n)) {
      const callee = unwrap(n.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        let receiver = unwrap(callee.expression);
        if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'grants') receiver = unwrap(receiver.expression);
        const add = ADD_TO_POLICY.has(method);
        const t = add || (grants && TABLE_GRANT.test(method)) ? named(receiver, cdk) : undefined;
        if (t && n.arguments[0]) {
          const c = fresh();
          if (add) statement(c, n.arguments[0]);
          else principal(c, n.arguments[0], true);
          give(t, `(${add ? 'from' : 'written by'} ${method} at ${at(n)})`, c.found, n);
        }
      }
    }
    if (cdk.length > 0 && ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(n.left);
      const t = ts.isPropertyAccessExpression(left) && POLICY_PROPS.has(left.name.text) ? named(left.expression, cdk) : undefined;
      if (t) {
        const c = fresh();
        document(c, n.right);
        give(t, `(from ${(left as ts.PropertyAccessExpression).name.text} at ${at(n)})`, c.found, n.right);
      }
    }
    if (ts.isNewExpression(n) && isPolicyClass(n.expression)) resourcePolicyResource(n);
    ts.forEachChild(n, visit);
  };
  /** Pulumi's `new aws.dynamodb.ResourcePolicy(name, { resourceArn: orders.arn, policy })`, CDKTF's `new DynamodbResourcePolicy(scope, id, {...})`. */
  const resourcePolicyResource = (n: ts.NewExpression): void => {
    const { props, id } = resourceArgs(n);
    const arnProp = props ? lookup(sf, props, 'resourceArn') : undefined;
    if (arnProp?.kind !== 'value') return;
    const t = tableOfArn(unwrap(arnProp.value), /^(arn|streamArn)$/, tables);
    if (!t || !props) return;
    const c = fresh();
    const policy = lookup(sf, props, 'policy');
    if (policy.kind === 'value') policyValue(c, policy.value);
    else unread(c, policy.kind === 'unknown' ? policy.node : props);
    give(t, `${id ?? snippet(sf, n.expression)} (${at(n)})`, c.found, n);
  };
  visit(sf);
}

/** A resource's props (its object literal argument) and name (Pulumi's resource name, CDKTF's construct id: its string argument). */
export function resourceArgs(n: ts.NewExpression): { props?: ts.ObjectLiteralExpression; id?: string } {
  const args = (n.arguments ?? []).map((a) => unwrap(a));
  return {
    props: args.find((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a)),
    id: args.map((a) => stringValue(a)).find((x) => x !== undefined),
  };
}

/** The table of the file an ARN expression reads (`orders.arn`, an attribute `attrs` matches), if any. */
export function tableOfArn(ref: ts.Expression, attrs: RegExp, tables: TsTable[]): TsTable | undefined {
  return ts.isPropertyAccessExpression(ref) && attrs.test(ref.name.text) ? named(ref.expression, tables) : undefined;
}
