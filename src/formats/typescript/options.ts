/**
 * The options of a table that its key, alias and lookups must share: Pulumi's `parent` and `provider`
 * resource options (the third argument) and `protect` / `retainOnDelete`; CDKTF's `provider` and
 * `lifecycle.preventDestroy` in the table's config. A key made through another provider than the
 * table's is in another Region, and DynamoDB refuses it: what cannot be read here makes the table
 * not fixable (detect.ts), it is never taken as absent.
 *
 * Read as written (`{ provider: west }`, the shorthand `{ provider }`), through a `const` object
 * literal of the file (`const opts = { provider: west }`, then written `opts.provider`) and through a
 * spread of one; a parameter, a `let`, a call or a spread of anything else is unreadable.
 */
import { constObjectOf } from './consts.js';
import type { TsTable } from './tableTypes.js';
import { lookup, snippet } from './lookup.js';
import { mutatedNote, mutationOf } from './mutatedConsts.js';
import { ts, isNullish, unwrap } from './parse.js';
import type { PulumiKeep } from '../pulumi/retention.js';

/** An option to copy: its value as the table's code holds it, the text that names it at the key, and the node whose names that text needs. */
export interface Copied {
  value: ts.Expression;
  text: string;
  needs: ts.Node;
}

export interface CopiedOptions {
  parent?: Copied;
  provider?: Copied;
  /**
   * CDKTF: the table's own `region` (hashicorp/aws 6), when the key and alias can repeat it: a literal, a
   * reference (`region`, `props.region`) or an expression of them without a call. Copied only when the
   * project's provider has `region` (cdktfRegion.ts); otherwise the table is declined (detect.ts).
   */
  region?: Copied;
  /**
   * The options that keep the table (Pulumi `protect`/`retainOnDelete`, CDKTF `lifecycle.preventDestroy`), as
   * written: its key is kept too (retention.ts destroyKeeps).
   */
  keptBy: PulumiKeep[];
}

/** Why the options cannot be read, and the variable that holds them when one does (`opts`, `...opts`). */
export type Unreadable = { unreadable: string; holder?: string };

export type OptionsRead = CopiedOptions | Unreadable;

/** The name a value or spread is read from, when it is a plain variable. */
function nameOf(n: ts.Node): string | undefined {
  const e = ts.isSpreadAssignment(n) ? unwrap(n.expression) : ts.isExpression(n) ? unwrap(n) : undefined;
  return e && ts.isIdentifier(e) ? e.text : undefined;
}

/**
 * An object literal as written, or the one a `const` of the file holds (named `holder`), unless the file changes that
 * const after its declaration (mutatedConsts.ts: `opts.replaceOnChanges = ['*']`, `Object.assign(opts, ...)`).
 */
export function objectOf(e: ts.Expression): { literal: ts.ObjectLiteralExpression; holder?: string } | undefined {
  const u = unwrap(e);
  if (ts.isObjectLiteralExpression(u)) return { literal: u };
  const held = constObjectOf(u);
  return held && !mutationOf(held.decl) ? { literal: held.literal, holder: held.name } : undefined;
}

/** What an expression objectOf does not read is, for a message: a const the file changes, or not an object literal. */
function notObject(sf: ts.SourceFile, e: ts.Expression): string {
  const changed = mutatedNote(sf, unwrap(e));
  return changed ?? `${snippet(sf, e)}, not an object literal (or a const holding one)`;
}

/** A reference the key can repeat (`west`, `this.west`, `this`), not an expression that would create a second provider. */
function isReference(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (ts.isIdentifier(u) || u.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(u) && isReference(u.expression);
}

/**
 * A value the key can repeat and get the same (a Region): literals and references, and conditions,
 * templates and `??` / `||` of them; not a call, `new`, an assignment or a function, which may give
 * another value the second time.
 */
function repeatable(e: ts.Expression): boolean {
  const K = ts.SyntaxKind;
  const changing = new Set([
    K.CallExpression,
    K.NewExpression,
    K.TaggedTemplateExpression,
    K.ArrowFunction,
    K.FunctionExpression,
    K.ClassExpression,
    K.AwaitExpression,
    K.YieldExpression,
    K.DeleteExpression,
    K.PostfixUnaryExpression,
  ]);
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    const assigns =
      (ts.isBinaryExpression(n) && n.operatorToken.kind >= K.FirstAssignment && n.operatorToken.kind <= K.LastAssignment) ||
      (n.kind === K.PrefixUnaryExpression && [K.PlusPlusToken, K.MinusMinusToken].includes((n as ts.PrefixUnaryExpression).operator));
    if (changing.has(n.kind) || assigns) ok = false;
    else ts.forEachChild(n, visit);
  };
  visit(e);
  return ok;
}

/**
 * Whether a value names something the file may change between two uses (adversarial pass of session 57, H3): a `let`
 * or `var` of that name, or a name or property chain (`cfg.region`) the file assigns or increments anywhere. Two
 * tables' `region` of the same text then need not be one Region, and the key made for one must not serve the other,
 * nor the policy's Region lookup be shared. By name, without scopes: a same-named variable elsewhere declines too.
 */
function reassignable(sf: ts.SourceFile, e: ts.Expression): boolean {
  const changed = changedNames(sf);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && changed.has(n.getText(sf))) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

const changedByFile = new WeakMap<ts.SourceFile, Set<string>>();

/** The names declared with `let`/`var` in the file, and the targets (as written) it assigns, increments or decrements. */
function changedNames(sf: ts.SourceFile): Set<string> {
  const known = changedByFile.get(sf);
  if (known) return known;
  const K = ts.SyntaxKind;
  const out = new Set<string>();
  const target = (t: ts.Expression) => {
    const u = unwrap(t);
    if (ts.isIdentifier(u) || ts.isPropertyAccessExpression(u) || u.kind === ts.SyntaxKind.ElementAccessExpression) out.add(u.getText(sf));
  };
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclarationList(n) && !(n.flags & ts.NodeFlags.Const)) {
      for (const d of n.declarations) if (ts.isIdentifier(d.name)) out.add(d.name.text);
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= K.FirstAssignment && n.operatorToken.kind <= K.LastAssignment)
      target(n.left);
    else if (n.kind === K.PrefixUnaryExpression || n.kind === K.PostfixUnaryExpression) {
      const u = n as ts.PrefixUnaryExpression;
      if ([K.PlusPlusToken, K.MinusMinusToken].includes(u.operator)) target(u.operand);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  changedByFile.set(sf, out);
  return out;
}

/**
 * The option `key` of an object literal (`holder`: the const that holds it, the text is then
 * `holder.key`), or why it cannot be read. A value read through a spread of a const is named through
 * that const (`base.provider`).
 */
function optionIn(
  sf: ts.SourceFile,
  o: { literal: ts.ObjectLiteralExpression; holder?: string },
  at: ts.Expression,
  key: string,
  copyable: (e: ts.Expression) => boolean = isReference,
): Copied | 'absent' | Unreadable {
  const l = lookup(sf, o.literal, key);
  if (l.kind === 'absent') return 'absent';
  if (l.kind === 'unknown') return { unreadable: l.why, holder: nameOf(l.node) };
  if (o.holder) return { value: l.value, text: `${o.holder}.${key}`, needs: at };
  if (l.prop.parent !== o.literal) {
    let via: { name: string; node: ts.Expression } | undefined;
    for (const p of o.literal.properties) {
      if (!ts.isSpreadAssignment(p)) continue;
      const base = constObjectOf(p.expression);
      if (base && lookup(sf, base.literal, key).kind === 'value') via = { name: base.name, node: p.expression };
    }
    if (via) return { value: l.value, text: `${via.name}.${key}`, needs: via.node };
  }
  if (!copyable(l.value))
    return {
      unreadable: `${key} is created in place (${snippet(sf, l.value)}), and the key cannot name the same one: declare it as a const first`,
    };
  return { value: l.value, text: l.value.getText(sf), needs: l.value };
}

/**
 * The kept-table switches that are on, as written (`retainOnDelete: true`). Anything but a literal `false`
 * counts (a key kept for nothing costs less than a key lost); a switch a spread may hold is named by its name.
 */
function keeps(sf: ts.SourceFile, o: { literal: ts.ObjectLiteralExpression }, ...keys: PulumiKeep['by'][]): PulumiKeep[] {
  return keys.flatMap((key): PulumiKeep[] => {
    const l = lookup(sf, o.literal, key);
    if (l.kind === 'absent' || (l.kind === 'value' && unwrap(l.value).kind === ts.SyntaxKind.FalseKeyword)) return [];
    return [{ why: l.kind === 'value' ? `${key}: ${unwrap(l.value).getText(sf)}` : key, by: key }];
  });
}

/**
 * What the key, alias and lookups of a table copy. `props`: the table's props / config literal
 * (CDKTF); `options`: Pulumi's third argument.
 */
export function readOptions(
  sf: ts.SourceFile,
  framework: TsTable['framework'],
  props: ts.ObjectLiteralExpression | undefined,
  options: ts.Expression | undefined,
): OptionsRead {
  if (framework === 'pulumi') {
    if (!options) return { keptBy: [] };
    const o = objectOf(options);
    if (!o)
      return {
        unreadable: `the resource options are ${notObject(sf, options)}`,
        holder: nameOf(options),
      };
    const out: CopiedOptions = { keptBy: keeps(sf, o, 'protect', 'retainOnDelete') };
    for (const key of ['parent', 'provider'] as const) {
      const c = optionIn(sf, o, options, key);
      if (c === 'absent') continue;
      if ('unreadable' in c) return c;
      out[key] = c;
    }
    return out;
  }
  if (framework === 'cdktf' && props) {
    const o = { literal: props };
    const out: CopiedOptions = { keptBy: [] };
    const provider = optionIn(sf, o, props, 'provider');
    if (provider !== 'absent' && 'unreadable' in provider) return provider;
    if (provider !== 'absent') out.provider = provider;
    const region = optionIn(sf, o, props, 'region', (e) => repeatable(e) && !reassignable(sf, e));
    if (region !== 'absent' && !('unreadable' in region) && !isNullish(unwrap(region.value))) out.region = region;
    const lc = lookup(sf, props, 'lifecycle');
    if (lc.kind === 'unknown') return { unreadable: lc.why };
    if (lc.kind === 'value') {
      const lifecycle = objectOf(lc.value);
      if (!lifecycle) return { unreadable: `lifecycle is ${notObject(sf, lc.value)}` };
      out.keptBy = keeps(sf, lifecycle, 'preventDestroy');
    }
    return out;
  }
  return { keptBy: [] };
}

/**
 * Pulumi's `id` resource option (as written, or in a const object literal of the file): the resource
 * is read from the cloud, as `Table.get()` reads it, never created or updated by the program, so it
 * is not a table of the program. `id: undefined` / `null` is no id.
 */
export function readsExisting(sf: ts.SourceFile, options: ts.Expression | undefined): boolean {
  const o = options ? objectOf(options) : undefined;
  const id = o ? lookup(sf, o.literal, 'id') : undefined;
  if (id?.kind !== 'value') return false;
  const v = unwrap(id.value);
  return !isNullish(v);
}

/** Each table's options, read once: its key, alias, lookups and the key's protection all ask. */
const copied = new WeakMap<TsTable, CopiedOptions>();

/** The options of a table a fix changes (detect.ts declined the table when they are unreadable). */
export function optionsOf(t: TsTable, sf: ts.SourceFile): CopiedOptions {
  let read = copied.get(t);
  if (read) return read;
  const options = ts.isObjectLiteralExpression(t.node) ? undefined : t.node.arguments?.[2];
  const got = readOptions(sf, t.framework, t.props, options);
  if ('unreadable' in got) throw new Error(`${t.address}: ${got.unreadable}`);
  copied.set(t, (read = got));
  return read;
}

/** The step when a table's options cannot be read. */
export function unreadableOptionsStep(framework: TsTable['framework'], read: Unreadable): string {
  const pulumi = framework === 'pulumi';
  const what = pulumi ? 'resource options (parent, provider, protect)' : 'provider and lifecycle';
  const example =
    pulumi && read.holder
      ? ` (\`{ parent: ${read.holder}.parent, provider: ${read.holder}.provider }\`, and \`retainOnDelete: true\` on the key when the table is protected)`
      : '';
  return (
    `${read.unreadable}, so kmsfix cannot tell the table's ${what}, which its key, alias and lookups must share ` +
    '(a key made through another provider is in another Region, and DynamoDB refuses it): create the key ' +
    `(enableKeyRotation), its alias and the policy's lookups by hand with the table's options${example}, ` +
    'or write the options as an object literal (or a const object literal of this file) and run kmsfix again' +
    // Deploy review of session 57, F1: a key set by hand on a table replaced on its changes replaces the table.
    (pulumi
      ? ". If they set replaceOnChanges naming serverSideEncryption or '*', take it out and deploy first: pulumi up would replace the table (a new, empty table, the old one deleted) instead of changing its key in place"
      : '')
  );
}
