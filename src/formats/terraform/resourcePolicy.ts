/**
 * Resource policies (`aws_dynamodb_resource_policy`) that let principals of another account use a
 * table. A key kmsfix generates lets only the table's own account use it through DynamoDB
 * (`kms:CallerAccount`, in both key policy modes), so those principals would be denied by KMS as
 * soon as the table switches to it: such a table is not fixed, and its obstacle names the accounts.
 *
 * Principals of the table's own account are those kmsfix can prove are: references to
 * `data.aws_caller_identity`, IAM roles and users the module creates, and the account IDs the
 * module's `provider "aws"` blocks list in `allowed_account_ids`. Anything else (a literal account
 * ID, a variable, `"*"`) counts as another account, and so does a zero-ETL integration's service
 * (`redshift.amazonaws.com`, `glue.amazonaws.com`); a policy kmsfix cannot read (`file(...)`, a
 * variable) blocks the table too, since it may grant one.
 */
import { escapeRegExp } from '../../core/text.js';
import { ATTRIBUTE_PATH, entryAt, isExpr, isObj, isStr, items, readBody, readValue, type Value } from './hclvalue.js';
import type { Obstacle } from '../../rule/facts.js';
import { foreignService, foreignServiceExpression, replicationPolicy } from '../../rule/blockers.js';
import type { TopBlock, TopValue } from './topBlocks.js';

export interface PolicyTable {
  kind: 'table' | 'table-replica' | 'module';
  label: string;
  /** The table's name when it is a literal (matched against literal ARNs). */
  name?: string;
  /** A module call's outputs that give the table's ARN (a registry module's: `dynamodb_table_arn`, `dynamodb_table_stream_arn`). */
  outputs?: string[];
}

const ANY = '*';

/** Does this `resource_arn` expression name the table (or its stream)? */
function pointsAt(arn: string, t: PolicyTable): boolean {
  const l = escapeRegExp(t.label);
  const ref =
    t.kind === 'table'
      ? new RegExp(`\\baws_dynamodb_table\\.${l}(\\[[^\\]]*\\])?\\.(arn|stream_arn)\\b`)
      : t.kind === 'table-replica'
        ? new RegExp(`\\baws_dynamodb_table_replica\\.${l}(\\[[^\\]]*\\])?\\.arn\\b`)
        : new RegExp(
            `\\bmodule\\.${l}(\\[[^\\]]*\\])?\\.(${(t.outputs ?? ['dynamodb_table_arn', 'dynamodb_table_stream_arn']).map(escapeRegExp).join('|')})\\b`,
          );
  if (ref.test(arn)) return true;
  return t.name !== undefined && new RegExp(`:table/${escapeRegExp(t.name)}("|/)`).test(arn);
}

/** Who a policy grants (Allow statements): account IDs, expressions, ANY; or undefined if it cannot be read. */
function grantees(policy: Value): string[] | undefined {
  if (!isObj(policy)) return undefined;
  const out: string[] = [];
  const iam = policy.obj.get('Statement');
  if (iam !== undefined) {
    for (const st of items(iam)) {
      if (!isObj(st)) return undefined;
      const effect = st.obj.get('Effect');
      if (isStr(effect) && effect.str === 'Deny') continue;
      if (st.obj.has('NotPrincipal')) out.push('*');
      const p = st.obj.get('Principal');
      if (p === undefined) continue;
      if (isStr(p) && p.str === '*') out.push('*');
      else if (isObj(p)) out.push(...principals(p.obj.get('AWS')), ...services(p.obj.get('Service')));
      else out.push(...principals(p));
    }
    return out;
  }
  // The body of a data "aws_iam_policy_document" (HCL blocks, or Terraform JSON lists).
  if ([...policy.obj.keys()].some((k) => k.startsWith('dynamic '))) return undefined;
  for (const st of items(policy.obj.get('statement'))) {
    if (!isObj(st) || [...st.obj.keys()].some((k) => k.startsWith('dynamic '))) return undefined;
    const effect = st.obj.get('effect');
    if (isStr(effect) && effect.str === 'Deny') continue;
    if (st.obj.has('not_principals')) out.push('*');
    for (const p of items(st.obj.get('principals'))) {
      if (!isObj(p)) return undefined;
      const type = p.obj.get('type');
      if (isStr(type) && type.str === 'Service') out.push(...services(p.obj.get('identifiers')));
      else if (isStr(type) && type.str !== 'AWS' && type.str !== '*') continue;
      else out.push(...principals(p.obj.get('identifiers')));
    }
  }
  return out;
}

/** Service principals, marked for accountOf, which keeps the zero-ETL ones (serviceOf). */
function services(v: Value | undefined): string[] {
  return principals(v).map((s) => `${SERVICE}${s}`);
}

/** A service principal among the grantees, as written, until accountOf reads it in the module. */
const SERVICE = 'service:';

/**
 * A service principal as written: a name, or an expression the module gives one through (a local, a variable's
 * default, `data.aws_service_principal.x.name` with its `service_name`): the zero-ETL services counted, described.
 */
function serviceOf(s: string, m: Module): string | undefined {
  const whole = /^\$\{\s*([^{}]*?)\s*\}$/.exec(s);
  if (!whole) return /^[\w.-]+$/.test(s) ? foreignService(s) : foreignServiceExpression(s);
  const e = whole[1];
  const literal = (v: TopValue | undefined) => (v?.lit?.type === 'string' ? v.lit.value : undefined);
  const local = /^local\.([\w-]+)$/.exec(e);
  const variable = /^var\.([\w-]+)$/.exec(e);
  const data = /^data\.aws_service_principal\.([\w-]+)\.name$/.exec(e);
  const named = local
    ? literal(localOf(local[1], m.tops))
    : variable
      ? literal(m.tops.find((t) => t.type === 'variable' && t.labels[0] === variable[1])?.attr('default'))
      : data
        ? literal(
            m.tops
              .find((t) => t.type === 'data' && t.labels[0] === 'aws_service_principal' && t.labels[1] === data[1])
              ?.attr('service_name'),
          )
        : undefined;
  if (named === undefined) return foreignServiceExpression(e);
  return foreignService(data ? `${named}.amazonaws.com` : named);
}

/** AWS principal values as written: strings (with their interpolations) or expressions. */
function principals(v: Value | undefined): string[] {
  return items(v).flatMap((x) => (isStr(x) ? [x.str] : isExpr(x) ? ['${' + x.expr + '}'] : Array.isArray(x) ? principals(x) : []));
}

interface Module {
  tops: TopBlock[];
  ownAccounts: Set<string>;
}

/** The account a principal belongs to, as written; undefined when it is provably the table's own. */
function accountOf(p: string, m: Module, depth = 0): string | undefined {
  if (p === '*') return ANY;
  if (p.startsWith(SERVICE)) return serviceOf(p.slice(SERVICE.length), m);
  const whole = /^\$\{\s*([^{}]*?)\s*\}$/.exec(p);
  if (whole) return accountOfExpr(whole[1], m, depth);
  const arn = /^arn:[^:]*:(?:iam|sts)::([^:]*):/.exec(p);
  const account = arn ? arn[1] : /^\d{12}$/.test(p) ? p : undefined;
  if (account === undefined) return p;
  if (m.ownAccounts.has(account)) return undefined;
  const inner = /^\$\{\s*([^{}]*?)\s*\}$/.exec(account);
  return inner ? accountOfExpr(inner[1], m, depth) : account;
}

function accountOfExpr(e: string, m: Module, depth: number): string | undefined {
  if (/^data\.aws_caller_identity\.[\w-]+\.(account_id|arn)$/.test(e)) return undefined;
  if (/^aws_iam_(role|user)\.[\w-]+(\[[^\]]*\])?\.arn$/.test(e)) return undefined;
  const local = /^local\.([\w-]+)$/.exec(e);
  const a = local && depth < 4 ? localOf(local[1], m.tops) : undefined;
  if (!a) return e;
  const v = readValue(a.value);
  return accountOf(isStr(v) ? v.str : '${' + a.value.trim() + '}', m, depth + 1);
}

/** The value the module's `locals` give `name`, as written. */
function localOf(name: string, tops: TopBlock[]): TopValue | undefined {
  for (const t of tops) {
    const a = t.type === 'locals' ? t.attr(name) : undefined;
    if (a) return a;
  }
  return undefined;
}

const POLICY_DOCUMENT = /^data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)$/;

/** The `data "aws_iam_policy_document"` block a resource policy's `policy` names, if it names one of the module. */
function documentBlock(r: TopBlock, m: Module): TopBlock | undefined {
  const doc = POLICY_DOCUMENT.exec(r.attr('policy')?.value.trim() ?? '');
  return doc ? m.tops.find((t) => t.type === 'data' && t.labels[0] === 'aws_iam_policy_document' && t.labels[1] === doc[1]) : undefined;
}

/** The policy a resource policy block holds, read; undefined when kmsfix cannot read it. */
function policyOf(r: TopBlock, m: Module): Value | undefined {
  const a = r.attr('policy');
  if (!a) return undefined;
  if (POLICY_DOCUMENT.test(a.value.trim())) {
    const d = documentBlock(r, m);
    return d ? readBody(d.text) : undefined;
  }
  const v = a.lit?.type === 'string' ? { str: a.lit.value } : readValue(a.value);
  return isStr(v) ? readValue(v.str) : isObj(v) ? v : undefined;
}

/**
 * What keeps this table from being fixed, if a resource policy of the module grants principals that
 * may belong to another account (or cannot be read); undefined otherwise.
 */
export function resourcePolicyObstacle(table: PolicyTable, tops: TopBlock[]): Obstacle | undefined {
  return readPolicies(table, tops);
}

/** The module's resource policies that name the table (or its stream). */
function policiesOf(table: PolicyTable, tops: TopBlock[]): TopBlock[] {
  return tops.filter(
    (t) => t.type === 'resource' && t.labels[0] === 'aws_dynamodb_resource_policy' && pointsAt(t.attr('resource_arn')?.value ?? '', table),
  );
}

/** This account's principal a resource policy lets in: a role or user of the module (`aws_iam_role.reader`), and the policy's block. */
export interface OwnPrincipal {
  principal: string;
  policy: TopBlock;
}

/**
 * The roles and users of the module (`aws_iam_role.x.arn`, `aws_iam_user.x.arn`) the table's resource policies let
 * in (iam-roles: with --key-policy iam they need a KMS grant of their own); empty when a policy blocks the table.
 */
export function ownPrincipals(table: PolicyTable, tops: TopBlock[]): OwnPrincipal[] {
  const out: OwnPrincipal[] = [];
  return readPolicies(table, tops, (principal, policy) => out.push({ principal, policy })) ? [] : out;
}

/** The obstacle of the table's resource policies (resourcePolicyObstacle); the module's roles and users they grant are given to `own`. */
function readPolicies(table: PolicyTable, tops: TopBlock[], own?: (principal: string, policy: TopBlock) => void): Obstacle | undefined {
  const policies = policiesOf(table, tops);
  if (policies.length === 0) return undefined;
  const ownAccounts = new Set<string>();
  for (const t of tops) {
    if (t.type !== 'provider' || t.labels[0] !== 'aws') continue;
    const ids = t.attr('allowed_account_ids');
    if (ids) for (const v of items(readValue(ids.value))) if (isStr(v) && /^\d{12}$/.test(v.str)) ownAccounts.add(v.str);
  }
  const m: Module = { tops, ownAccounts };
  for (const r of policies) {
    const policy = `aws_dynamodb_resource_policy.${r.labels[1]}`;
    const replication = replicationPolicy(policy, `${r.text}\n${documentBlock(r, m)?.text ?? ''}`);
    if (replication) return replication;
    const doc = policyOf(r, m);
    const who = doc && grantees(doc);
    if (!who) return { kind: 'resource-policy', policy, unreadable: r.attr('policy')?.value.trim() ?? '(no policy)', others: [] };
    const others = [...new Set(who.map((p) => accountOf(p, m)).filter((a): a is string => a !== undefined))];
    if (others.length > 0) return { kind: 'resource-policy', policy, others, ownAccounts: "the provider's allowed_account_ids" };
    for (const p of who) {
      const principal = /^\$\{\s*(aws_iam_(?:role|user)\.[\w-]+)(?:\[[^\]]*\])?\.arn\s*\}$/.exec(p)?.[1];
      if (principal && own) own(principal, r);
    }
  }
  return undefined;
}

/** Zero-ETL integrations from a table (`aws_redshift_integration`, and any `*_integration` that reads a `source_arn`). */
const INTEGRATION = /^aws(?:cc)?_\w*_integration$/;

/** The module's zero-ETL integrations whose `source_arn` names the table, described for a message. */
export function zeroEtlIntegrations(table: PolicyTable, tops: TopBlock[]): string[] {
  return tops
    .filter((t) => t.type === 'resource' && INTEGRATION.test(t.labels[0] ?? '') && pointsAt(sourcesOf(t, tops), table))
    .map((t) => `the zero-ETL integration ${t.labels.join('.')}`);
}

/**
 * What an integration's `source_arn` may be, as text to look for a table in: with its locals written out, and,
 * when it is `each.value` (or `each.key`), the `for_each` it iterates too (`for_each = local.sources`).
 */
function sourcesOf(t: TopBlock, tops: TopBlock[]): string {
  const arn = withLocals(t.attr('source_arn')?.value ?? '', tops);
  return /\beach\.(value|key)\b/.test(arn) ? `${arn}\n${withLocals(t.attr('for_each')?.value ?? '', tops)}` : arn;
}

/**
 * An expression with each `local.x` in it replaced by the local's value, as written (a few levels deep); `local.x.k`
 * and `local.x["k"]` by that entry of an object local, when it has one (the whole local otherwise).
 */
function withLocals(expr: string, tops: TopBlock[]): string {
  let e = expr;
  for (let i = 0; i < 4 && /\blocal\.[\w-]+/.test(e); i++) {
    e = e.replace(new RegExp(`\\blocal\\.([\\w-]+)(${ATTRIBUTE_PATH.source})`, 'g'), (whole, name: string, path: string) => {
      const v = localOf(name, tops)?.value;
      if (v === undefined) return whole;
      const entry = entryAt(v, path);
      return entry !== undefined ? `(${entry})` : `(${v})${path}`;
    });
  }
  return e;
}
