/**
 * The key each instance of a repeated block reads from its entry of a collection kmsfix can list (inputUses.ts
 * eachCollection): a table's `for_each` (`each.value.kms_key_arn`, `each.key` of a set), a `count` entry
 * (`local.tables[count.index].kms_key_arn`), or a `dynamic "replica"`'s own `for_each` (`replica.value.kms_key_arn`,
 * read as `each.value...` of that collection: settings.ts replicasOf). Evaluated with a module's environment (inputs.ts), or with
 * none where the collection is written in place.
 */
import type { Setting } from '../../rule/facts.js';
import { AWS_MANAGED_ALIAS, isAwsManagedKeyRef } from '../../rule/status.js';
import { awsManagedChoice, type Env } from './expression.js';
import { collectionOf, iteratorEntry, readsInputs, soleInterpolation, type EachCollection } from './inputUses.js';
import { attr, type HAttr, type HBlock } from './parse.js';
import { indexedEntries, type Entry } from './structured.js';

/**
 * `expr` with `each.value` (and `each.key`, where the collection says what it is) read as an entry of the collection
 * by an index kmsfix does not know (`var.tables[each.key].kms_key_arn`); undefined when it reads neither.
 */
export function readByEach(expr: string, each: EachCollection | undefined): string | undefined {
  if (!each) return undefined;
  const byValue = /\beach\.value\b/.test(expr);
  const byKey = each.keys !== undefined && /\beach\.key\b/.test(expr);
  if (!byValue && !byKey) return undefined;
  return expr.replace(/\beach\.(value|key)\b/g, (w, which: string) =>
    which === 'value' ? `${each.base}[each.key]` : each.keys !== undefined ? `${each.keys}[each.key]` : w,
  );
}

/**
 * A key each instance of a repeated table reads from its entry of a collection kmsfix can list: `each.value.kms_key_arn`
 * of `for_each = var.tables` (`each`: the collection, eachCollection; read as `var.tables[each.key].kms_key_arn`), `each.key`
 * of `for_each = toset([...])`, or `local.tables[count.index].kms_key_arn`. Some entry the AWS managed key (one without a
 * key among them, its `optional(...)` default read): `unknown`, naming that entry; every entry: that key for every
 * instance, `aws-managed` (a literal, as an evaluated key is: the caller says what decided it). undefined when the
 * expression makes a choice itself (`each.value.own ? k.arn : null`: said as written, by awsManagedChoice), the entries
 * cannot be listed, or none is the AWS managed key. The one rule for a table's own key, a registry module's key input,
 * the input a local module call passes to its table's key (`module "t" { for_each = var.tables, kms_key_arn =
 * each.value.kms_key_arn }`), and a dynamic replica's key.
 */
export function instanceKey(expr: string, each: EachCollection | undefined, env: Env, raw: Setting['raw']): Setting | undefined {
  const byEach = readByEach(expr, each);
  if (byEach === undefined && !/\bcount\.index\b/.test(expr)) return undefined;
  if (byEach !== undefined && awsManagedChoice(expr, env) !== undefined) return undefined;
  const read = byEach ?? expr;
  const every = everyEntryManaged(
    indexedEntries(soleInterpolation(read) ?? read, env),
    expr,
    raw,
    byEach !== undefined ? 'every for_each entry' : 'every entry count.index picks',
  );
  if (every) return every;
  const choice = awsManagedChoice(read, env, expr, byEach !== undefined);
  return choice === undefined ? undefined : { state: 'unreadable', source: choice, raw };
}

/**
 * The AWS managed key, as a literal (the caller says what decided it), where every value a map read gives is that key
 * (none, "", alias/aws/dynamodb or its ARN, a KMS data source naming it); undefined otherwise. `what`: those values.
 */
export function everyEntryManaged(entries: Entry[] | undefined, expr: string, raw: Setting['raw'], what: string): Setting | undefined {
  const managed = (v: unknown) => v === null || v === '' || (typeof v === 'string' && isAwsManagedKeyRef(v));
  if (!entries || entries.length === 0 || !entries.every((e) => e.value !== undefined && managed(e.value))) return undefined;
  const values = [...new Set(entries.map((e) => e.shown ?? JSON.stringify(e.value)))].join(' or ');
  const whence = [...new Set(entries.map((e) => (e.fallback ? `the lookup's default: ${e.why}` : e.why)))].join('; ');
  return { state: 'literal', source: `${expr.trim()} (${what} gives ${values}: ${whence})`, text: AWS_MANAGED_ALIAS, raw };
}

/**
 * A dynamic replica's key that is its iterator's entry (`replica.value.kms_key_arn`, `replica.key`; inputUses.ts
 * iteratorEntry), read entry by entry of the block's `for_each` as a table's `each.value` is (instanceKey): one entry
 * null: `unknown`; every one: `aws-managed`; a collection kmsfix cannot list: `unknown`, never taken for a key.
 * `env`: the module's values (inputs.ts), where the collection reads them (`var.replicas`, `local.replicas`, `{ for r in
 * var.replicas : r.region => r }`: defaults, tfvars, `optional(...)` defaults); without it (detection) such a collection is
 * `unknown` until evaluated. `outside`: what sets its variables from outside the module (a var-file, terragrunt, the
 * callers of a module that is not a root module): `unknown`, naming it. undefined: not read from the iterator, already read
 * as a choice or fallback (`try(replica.value.kms_key_arn, null)`: `written`), or every entry a key.
 */
export function iteratedKey(d: HBlock, key: HAttr, written: Setting, env?: Env, outside?: string): Setting | undefined {
  if (written.state === 'unreadable') return undefined;
  const entry = iteratorEntry(d, key);
  if (!entry) return undefined;
  const { expr, asEach } = entry;
  const forEach = attr(d, 'for_each');
  const each = collectionOf(forEach);
  const shown = (v: Setting): Setting => ({ ...v, source: v.source.split(asEach).join(expr) });
  const unlisted = (why: string): Setting => ({
    state: 'unreadable',
    source: `kms_key_arn = ${expr}: the key each replica's entry of for_each = ${forEach?.value.trim() ?? '(none)'} gives, ${why}`,
    raw: written.raw,
  });
  if (!each) return unlisted('a collection kmsfix cannot list');
  if (outside !== undefined) return unlisted(outside);
  if (!env && readsInputs(each.base)) return unlisted("read from the module's inputs");
  const v = instanceKey(asEach, each, env ?? NO_ENV, written.raw);
  if (v) return shown(v);
  const read = readByEach(asEach, each);
  const entries = read === undefined ? undefined : indexedEntries(soleInterpolation(read) ?? read, env ?? NO_ENV);
  return entries && entries.length > 0 ? undefined : unlisted('whose entries kmsfix cannot read');
}

const NO_ENV: Env = { vars: new Map(), locals: new Map() };
