/**
 * Pulumi YAML tables a resource policy (`type: aws:dynamodb:ResourcePolicy` with `resourceArn:
 * ${orders.arn}` or `${orders.streamArn}`) shares with (maybe) another account: not fixed, since a
 * generated key lets only the table's own account use it (as src/formats/typescript/resourcePolicy.ts
 * says for code). The policy is read from `fn::toJSON` or a JSON string; an `AWS` principal counts as
 * this account's when it is the caller identity's account (`${current.accountId}`, with an
 * `aws:getCallerIdentity` invoke in the file) or a resource of the program (`${role.arn}`).
 */
import { replicationPolicy } from '../../rule/blockers.js';
import { granteeOf, allowedPrincipals, sharedPolicyObstacle } from '../../rule/policyPrincipals.js';
import { snippet } from '../yaml/scalars.js';
import { child, resolveAlias, scalarString, type CMap, type CNode, type CPair } from '../yaml/tree.js';
import { section } from './casing.js';
import type { Program, PulumiTable } from './tableTypes.js';

const POLICY_TYPES = new Set(['aws:dynamodb:ResourcePolicy', 'aws:dynamodb/resourcePolicy:ResourcePolicy']);

interface Ctx {
  text: string;
  others: Set<string>;
  unreadable?: string;
  /** Is `${name...}` this account's (a resource of the program, or the caller identity's account)? */
  own: (interpolation: string) => boolean;
}

/** One `AWS` principal as written (a string, maybe with `${...}` interpolations): its account, unless this account's. */
function principal(c: Ctx, value: string): undefined {
  const grantee = granteeOf(value);
  const whole = /^\$\{([^}]+)\}$/.exec(grantee)?.[1];
  if (whole === undefined || !c.own(whole)) c.others.add(grantee);
}

function statements(c: Ctx, doc: unknown, at: string): undefined {
  if (!allowedPrincipals(doc, (p) => principal(c, p))) c.unreadable ??= at;
}

/** A YAML node as a plain value (maps, lists, scalars as strings); undefined for what is not plain data. */
function plain(n: CNode | null | undefined): unknown {
  const r = resolveAlias(n);
  if (!r) return null;
  if (r.kind === 'map') return Object.fromEntries(r.pairs.map((p) => [p.key, plain(p.value)]));
  if (r.kind === 'seq') return r.items.map(plain);
  return scalarString(r) ?? (r.kind === 'scalar' ? r.value : undefined);
}

function readPolicy(c: Ctx, policy: CNode | null | undefined): undefined {
  const p = resolveAlias(policy);
  const at = p ? snippet(c.text, p) : '(no policy)';
  const json = p?.kind === 'map' ? child(p, 'fn::toJSON') : undefined;
  if (json !== undefined) return statements(c, plain(json), at);
  const s = p ? scalarString(p) : undefined;
  if (s === undefined) {
    c.unreadable ??= at;
    return;
  }
  try {
    statements(c, JSON.parse(s), at);
  } catch {
    c.unreadable ??= at;
  }
}

/** Gives each table of the file that a resource policy shares with (maybe) another account the obstacle `resource-policy`. */
/** The program's resources of a type `is` accepts, each with its ARN property `prop` as written. */
function* resourcesOf(program: Program, is: (type: string) => boolean, prop: string): Generator<{ pair: CPair; r: CMap; arn: string }> {
  for (const pair of program.resources.pairs) {
    const r = resolveAlias(pair.value);
    if (r?.kind !== 'map' || !is(scalarString(child(r, 'type')) ?? '')) continue;
    yield { pair, r, arn: scalarString(resolveAlias(child(child(r, 'properties'), prop)) ?? null)?.trim() ?? '' };
  }
}

/** The table of the program an ARN interpolation reads (`${orders.arn}`, an attribute `attrs` matches). */
function tableOfArn(arn: string, attrs: RegExp, program: Program, tables: PulumiTable[]): PulumiTable | undefined {
  const m = /^\$\{([^.}]+)\.([^.}]+)\}$/.exec(arn);
  return m && attrs.test(m[2]) ? tables.find((t) => t.program === program && t.address === m[1]) : undefined;
}

export function sharedTables(text: string, tables: PulumiTable[]): void {
  if (!text.includes('ResourcePolicy')) return;
  const callerIdentity = text.includes('getCallerIdentity');
  for (const program of new Set(tables.map((t) => t.program))) {
    const resourceNames = new Set(program.resources.pairs.map((p) => p.key));
    const own = (x: string) => {
      const [name, ...rest] = x.trim().split('.');
      return (callerIdentity && rest.join('.') === 'accountId') || (resourceNames.has(name) && rest.length > 0);
    };
    for (const { pair, r, arn } of resourcesOf(program, (type) => POLICY_TYPES.has(type), 'resourceArn')) {
      const table = tableOfArn(arn, /^(?:arn|streamArn)$/, program, tables);
      if (!table) continue;
      const c: Ctx = { text, others: new Set(), own };
      readPolicy(c, child(child(r, 'properties'), 'policy'));
      const o =
        replicationPolicy(`its resource policy ${pair.key}`, text.slice(r.start, r.end)) ??
        sharedPolicyObstacle(pair.key, c.others, c.unreadable);
      if (o) table.encryption.obstacles.push(o);
    }
  }
}

/** Zero-ETL integrations (Redshift's, Glue's), as Pulumi YAML types them. */
const INTEGRATION_TYPES = /^aws:(?:redshift|glue)(?:\/integration)?:Integration$/;

/**
 * Tables a zero-ETL integration of the program reads (`type: aws:redshift:Integration` with `sourceArn:
 * ${orders.arn}`): the `zero-etl` obstacle, as for code (src/formats/typescript/zeroEtl.ts).
 */
export function integrationTables(text: string, tables: PulumiTable[]): void {
  if (!text.includes('Integration')) return;
  for (const program of new Set(tables.map((t) => t.program))) {
    for (const { pair, arn: written } of resourcesOf(program, (type) => INTEGRATION_TYPES.test(type), 'sourceArn')) {
      // Through a variable of the program (`variables: { source: ${orders.arn} }`, `sourceArn: ${source}`).
      const variable = /^\$\{([\w-]+)\}$/.exec(written)?.[1];
      const arn = (variable && scalarString(resolveAlias(child(section(program.root, 'variables'), variable)) ?? null)?.trim()) || written;
      const table = tableOfArn(arn, /^arn$/, program, tables);
      if (table && !table.encryption.obstacles.some((o) => o.kind === 'zero-etl'))
        table.encryption.obstacles.push({ kind: 'zero-etl', integrations: [`the zero-ETL integration ${pair.key}`] });
    }
  }
}
