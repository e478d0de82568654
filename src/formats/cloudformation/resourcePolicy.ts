/**
 * Who, outside this stack's account, a table's resource policies let in. A generated key lets only
 * this account's principals use it (`kms:CallerAccount`, src/rule/keyPolicy.ts; in `iam` mode the account
 * root alone), so a table whose resource policy grants another account cannot be switched to it
 * without locking that account out: such a table is left to the user (a blocker naming the accounts).
 *
 * Read: the table's `ResourcePolicy` and its stream's (`StreamSpecification.ResourcePolicy`), and for
 * a global table each replica's and replica stream's. A principal counts as this account when it is
 * built from `AWS::AccountId`, or is a resource of the template (`!GetAtt Role.Arn`, `!Ref Role`);
 * a literal account ID, a parameter, `*` or anything else unreadable counts as another account; a
 * zero-ETL integration's service (`Service: redshift.amazonaws.com`, `glue.amazonaws.com`) counts too
 * (src/rule/blockers.ts foreignService).
 */
import { escapeRegExp } from '../../core/text.js';
import { foreignService, foreignServiceExpression } from '../../rule/blockers.js';
import { snippet } from '../yaml/scalars.js';
import { intrinsicName } from '../cfn-values/intrinsics.js';
import { child, resolveAlias, scalarString, type CMap, type CNode } from '../yaml/tree.js';

/** The policy documents of a table (resolved nodes, or a JSON string parsed). */
function policyDocuments(props: CNode | null | undefined, global: boolean): (CNode | null | undefined)[] {
  const holders: (CNode | null | undefined)[] = [props, child(props, 'StreamSpecification')];
  if (global) {
    const replicas = child(props, 'Replicas');
    if (replicas?.kind === 'seq') {
      for (const r of replicas.items) holders.push(r, child(r, 'ReplicaStreamSpecification'));
    }
  }
  return holders
    .map((h) => child(h, 'ResourcePolicy'))
    .filter((p) => p !== undefined)
    .map((p) => child(p, 'PolicyDocument') ?? p);
}

const ACCOUNT_IN_ARN = /^arn:[^:]*:(?:iam|sts)::(\d{12}):/;

/** Another account's principal named by a literal string, described; undefined for a service-like string. */
function literal(value: string): string | undefined {
  if (value === '*') return 'any principal (*)';
  if (/^\d{12}$/.test(value)) return `account ${value}`;
  const m = ACCOUNT_IN_ARN.exec(value);
  return m ? `account ${m[1]}` : value;
}

function fromSub(template: string, isResource: (id: string) => boolean): string | undefined {
  const replaced = template.replace(/\$\{([^}!]+)\}/g, (_, v: string) =>
    v === 'AWS::AccountId' ? '000000000000' : v.startsWith('AWS::') || isResource(v.split('.')[0]) ? 'x' : `\u0000${v}\u0000`,
  );
  const account = /^\d{12}$/.test(replaced) ? replaced : ACCOUNT_IN_ARN.exec(replaced)?.[1];
  if (account === '000000000000') return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks where a variable was replaced above
  const variable = /\u0000([^\u0000]+)\u0000/.exec(replaced)?.[1];
  if (variable) return `the account in \${${variable}}`;
  return account ? `account ${account}` : undefined;
}

/** A principal of this account a resource policy lets in: its logical ID or text as written, and where. */
export type OwnPrincipal = (name: string, offset: number) => void;

/** Describe one AWS principal value when it is (or may be) of another account; one of this account is given to `own`. */
function foreignPrincipal(
  text: string,
  node: CNode | null | undefined,
  isResource: (id: string) => boolean,
  own: OwnPrincipal = () => {},
): string[] {
  const n = resolveAlias(node);
  if (!n) return [];
  if (n.kind === 'seq') return n.items.flatMap((i) => foreignPrincipal(text, i, isResource, own));
  const fn = intrinsicName(n);
  if (!fn) {
    const s = scalarString(n);
    const d = s === undefined ? `${snippet(text, n)}` : literal(s);
    return d ? [d] : [];
  }
  const arg = n.tag ? n : n.kind === 'map' ? resolveAlias(n.pairs[0].value) : null;
  if (fn === 'Ref') {
    const id = scalarString(arg) ?? (arg?.kind === 'scalar' ? String(arg.value) : '');
    if (id !== 'AWS::AccountId' && !isResource(id)) return [`the account in ${id}`];
    own(id === 'AWS::AccountId' ? snippet(text, n) : id, n.start);
    return [];
  }
  if (fn === 'Fn::GetAtt') {
    const target = arg?.kind === 'scalar' ? String(arg.value).split('.')[0] : arg?.kind === 'seq' ? (scalarString(arg.items[0]) ?? '') : '';
    if (!isResource(target)) return [snippet(text, n)];
    own(target, n.start);
    return [];
  }
  if (fn === 'Fn::Sub') {
    const tpl = arg?.kind === 'seq' ? scalarString(arg.items[0]) : arg?.kind === 'scalar' ? String(arg.value) : undefined;
    if (tpl === undefined) return [snippet(text, n)];
    const d = fromSub(tpl, isResource);
    if (!d) own(snippet(text, n), n.start);
    return d ? [d] : [];
  }
  if (fn === 'Fn::Join' && arg?.kind === 'seq') {
    const parts = resolveAlias(arg.items[1]);
    if (
      parts?.kind === 'seq' &&
      parts.items.some((p) => intrinsicName(p) === 'Ref' && foreignPrincipal(text, p, isResource).length === 0)
    ) {
      own(snippet(text, n), n.start);
      return [];
    }
  }
  return [snippet(text, n)];
}

/** The zero-ETL services of a `Service` principal, described (one not read literally: when its text names one). */
function services(text: string, node: CNode | null | undefined): string[] {
  const n = resolveAlias(node);
  if (!n) return [];
  if (n.kind === 'seq') return n.items.flatMap((i) => services(text, i));
  const s = scalarString(n);
  const d = s === undefined ? foreignServiceExpression(snippet(text, n)) : foreignService(s);
  return d ? [d] : [];
}

/**
 * The principals of other accounts (or possibly of other accounts) that the table's resource
 * policies allow, described for a message; empty when every grant is to this account. Those of this
 * account (`!GetAtt Reader.Arn`, `!Ref Role`, built from `AWS::AccountId`) are given to `own`
 * (iam-roles: with --key-policy iam they need a KMS grant of their own).
 */
export function crossAccountGrants(text: string, resources: CMap, table: CMap, global: boolean, own?: OwnPrincipal): string[] {
  const isResource = (id: string) => resources.pairs.some((p) => p.key === id);
  const found = new Set<string>();
  for (const doc of policyDocuments(child(table, 'Properties'), global)) {
    let statements = child(doc, 'Statement');
    const docString = scalarString(doc);
    if (docString !== undefined) {
      // A policy written as a JSON string.
      try {
        const parsed = JSON.parse(docString) as { Statement?: unknown };
        for (const s of [parsed.Statement ?? []].flat() as { Effect?: string; Principal?: unknown }[]) {
          if (s.Effect !== 'Allow' || s.Principal === undefined) continue;
          const map =
            typeof s.Principal === 'object' && s.Principal !== null ? (s.Principal as { AWS?: unknown; Service?: unknown }) : undefined;
          for (const v of [(map ? map.AWS : s.Principal) ?? []].flat()) {
            const d = typeof v === 'string' ? literal(v) : JSON.stringify(v);
            if (d) found.add(d);
          }
          for (const v of [map?.Service ?? []].flat()) {
            const d = typeof v === 'string' ? foreignService(v) : foreignServiceExpression(JSON.stringify(v));
            if (d) found.add(d);
          }
        }
      } catch {
        found.add('principals of a ResourcePolicy that could not be read');
      }
      continue;
    }
    if (doc && !statements && doc.kind !== 'map') {
      found.add(`principals of a ResourcePolicy that could not be read (${snippet(text, doc)})`);
      continue;
    }
    statements = resolveAlias(statements);
    const list = statements?.kind === 'seq' ? statements.items : statements ? [statements] : [];
    for (const s of list) {
      if (scalarString(child(s, 'Effect')) !== 'Allow') continue;
      const principal = child(s, 'Principal');
      if (principal === undefined) continue;
      const map = principal?.kind === 'map' && !intrinsicName(principal);
      const aws = map ? child(principal, 'AWS') : principal;
      for (const d of foreignPrincipal(text, aws, isResource, own)) found.add(d);
      if (map) for (const d of services(text, child(principal, 'Service'))) found.add(d);
    }
  }
  return [...found];
}

/** The text of the table's resource policies, as written (src/rule/blockers.ts replicationPolicy reads it). */
export function policyText(text: string, table: CMap, global: boolean): string {
  return policyDocuments(child(table, 'Properties'), global)
    .map((d) => (d ? text.slice(d.start, d.end) : ''))
    .join('\n');
}

/** Zero-ETL integrations from a table: their resource types, which read the table as their service. */
const INTEGRATIONS = new Set(['AWS::Redshift::Integration', 'AWS::Glue::Integration']);

/** A template's zero-ETL integrations that have a SourceArn, in order, read once per Resources (every table asks). */
const integrationsByResources = new WeakMap<CMap, { key: string; type: string; source: CNode }[]>();

function integrationsOf(resources: CMap): { key: string; type: string; source: CNode }[] {
  const known = integrationsByResources.get(resources);
  if (known) return known;
  const out: { key: string; type: string; source: CNode }[] = [];
  for (const p of resources.pairs) {
    const type = scalarString(child(p.value, 'Type'));
    if (!type || !INTEGRATIONS.has(type)) continue;
    const source = child(child(p.value, 'Properties'), 'SourceArn');
    if (source) out.push({ key: p.key, type, source });
  }
  integrationsByResources.set(resources, out);
  return out;
}

/**
 * The template's zero-ETL integrations whose `SourceArn` names the table `id` (`!GetAtt Orders.Arn`,
 * `${Orders.Arn}` in a Sub) or its literal `tableName` (`...:table/orders`), described for a message.
 */
export function zeroEtlIntegrations(text: string, resources: CMap, id: string, tableName?: string): string[] {
  // The logical ID (`!GetAtt Orders.Arn`, `${Orders.Arn}`), or the literal table name in an ARN (`:table/orders`).
  const out: string[] = [];
  let names: RegExp | undefined; // made at the first integration: most templates have none
  for (const { key, type, source } of integrationsOf(resources)) {
    if (!names) {
      const byName = tableName ? `|:table/${escapeRegExp(tableName)}(?![\\w.-])` : '';
      names = new RegExp(`(?<![\\w:-])${escapeRegExp(id)}(?![\\w-])${byName}`);
    }
    if (names.test(text.slice(source.start, source.end))) out.push(`the zero-ETL integration ${key} (${type})`);
  }
  return out;
}
