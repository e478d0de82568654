/**
 * Deploy options that tell the tool to ignore changes to what a fix edits: Pulumi's `ignoreChanges`
 * resource option and CDKTF's `lifecycle.ignoreChanges` (and Pulumi's `replaceOnChanges`, read the same
 * way: naming the encryption, it makes the deploy replace the table: replacedOnChanges). When they name the table's encryption, or
 * every property (CDKTF's `'all'`; Pulumi's `'*'`), the deploy sends the encryption it has in its
 * state and the table keeps its old key: a fix would change only the code, and the code, the commit
 * and every later scan would say customer-managed while the table is not (a false green). Such a
 * table is declined, naming the entry.
 *
 * The list is read as written in place, or through a `const` of the file that holds an array literal
 * (`const IGNORED = ['serverSideEncryption', 'tags']`, `{ ignoreChanges: IGNORED }`, also through a
 * const options object, options.ts objectOf). One kmsfix cannot read (a parameter, a `let`, a call,
 * a spread of one) is never taken as harmless: the table is not fixed, and the step says why.
 *
 * CDKTF's escape hatch sets the same block past the config: `table.addOverride('lifecycle.ignore_changes',
 * 'all')`, `table.addOverride('lifecycle', { ignore_changes: [...] })` (hashicorp/terraform-cdk's
 * aws-prebuilt example sets its table's lifecycle this way, `{ create_before_destroy: true }`, which
 * stays fixable). It is read as the config's `lifecycle` is; a value kmsfix cannot read makes the table
 * `unknown`, as an override of its encryption does (overrides.ts).
 */
import type { LineIndex } from '../../core/text.js';
import { replicasIgnored } from '../../rule/blockers.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import type { Obstacle } from '../../rule/facts.js';
import { coversReplicas, pathRoot } from '../pulumi/propertyPath.js';
import { constInitializer, declarationOf } from './consts.js';
import type { Framework } from './tableClasses.js';
import type { TsTable } from './tableTypes.js';
import { unreadable } from './tableFacts.js';
import { boundName, mentions, receiverText } from './overrides.js';
import { type Lookup, lookup, snippet } from './lookup.js';
import { mutatedNote, mutationOf } from './mutatedConsts.js';
import { objectOf, readOptions } from './options.js';
import { isNullish, stringValue, ts, unwrap } from './parse.js';

/** Roots of the property paths a fix edits, as ignoreChanges entries name them (Pulumi: camelCase; CDKTF: either). */
const EDITED = new Set(['serverSideEncryption', 'server_side_encryption']);

/**
 * Does an entry name what a fix edits? Its root property (`serverSideEncryption.kmsKeyArn`,
 * `server_side_encryption[0]`, Pulumi's quoted root `["serverSideEncryption"]`: pulumi/propertyPath.ts), or every property: CDKTF's `'all'` (Terraform's `ignore_changes = all`),
 * and `'*'`, which Pulumi reads as every property since pulumi/pulumi#13005 (pulumi/pulumi#6710 was
 * closed on it: "you can now do ignoreChanges["*"] to ignore everything"; the common form for an
 * adopted resource, `import: id, ignoreChanges: ['*']`) and Terraform took as `all` before 0.12
 * (hashicorp/terraform#8599).
 */
export function namesEncryption(entry: string, framework: Framework): boolean {
  if (entry === '*' || (framework === 'cdktf' && entry === 'all')) return true;
  const root = pathRoot(entry);
  return root !== undefined && EDITED.has(root);
}

/**
 * Does an entry name the table's replicas (a path under them too)? CDKTF's `replica` (Terraform's attribute, which the
 * provider's aws_dynamodb_table_replica page tells users to ignore), Pulumi's `replicas`: a global table whose replicas
 * are declared elsewhere (rule/blockers.ts replicasIgnored).
 */
export function namesReplicas(entry: string, framework: Framework): boolean {
  return framework === 'pulumi' ? coversReplicas(entry) : pathRoot(entry) === 'replica';
}

/**
 * An ignoreChanges value as kmsfix reads it: the entry that names the encryption (`named`, as written,
 * and the consts it was read through), or else the first part of it kmsfix cannot read (`unreadable`).
 */
export interface IgnoreRead {
  named?: { entry: ts.Expression; via: string[] };
  /** The first entry naming the table's replicas (namesReplicas): they are declared elsewhere. */
  replicas?: { entry: ts.Expression; via: string[] };
  unreadable?: ts.Expression;
}

/**
 * Read an ignoreChanges list (or one entry): an array literal, a string, a `const` of the file that
 * holds either, array spreads of those, either branch of a `c ? [...] : [...]`; null or undefined ignores
 * nothing. The first entry naming the encryption wins, whatever else the list holds; anything else (a
 * parameter, a `let`, a call, an element that is not a string) is unreadable.
 */
export function readIgnored(value: ts.Expression, framework: Framework): IgnoreRead {
  const out: IgnoreRead = {};
  const visit = (e: ts.Expression, via: string[], depth: number): void => {
    if (out.named) return;
    const u = unwrap(e);
    const s = stringValue(u);
    if (s !== undefined) {
      if (namesEncryption(s, framework)) out.named = { entry: u, via };
      else if (namesReplicas(s, framework)) out.replicas ??= { entry: u, via };
      return;
    }
    // Nothing to ignore; a choice, either branch.
    if (isNullish(u)) return;
    if (ts.isConditionalExpression(u)) {
      visit(u.whenTrue, via, depth + 1);
      visit(u.whenFalse, via, depth + 1);
      return;
    }
    if (ts.isArrayLiteralExpression(u)) {
      for (const x of u.elements) visit(ts.isSpreadElement(x) ? x.expression : x, via, depth + 1);
      return;
    }
    if (ts.isIdentifier(u) && depth < 8) {
      const d = declarationOf(u);
      // A const the file changes (`list.push('serverSideEncryption')`) is not what its initializer says: unreadable.
      const init = d && d !== 'other' && mutationOf(d) ? undefined : constInitializer(d);
      if (init) {
        visit(init, [...via, u.text], depth + 1);
        return;
      }
    }
    out.unreadable ??= u;
  };
  visit(value, [], 0);
  return out;
}

/** What of a list kmsfix cannot read, for the message: the list, and the part of it that is not read when it is not all of it. */
export function unreadablePart(sf: ts.SourceFile, value: ts.Expression, part: ts.Expression): string {
  const changed = mutatedNote(sf, part);
  if (changed) return unwrap(value) === part ? changed : `${snippet(sf, value)}, which holds ${changed}`;
  const what = unwrap(value) === part ? 'which kmsfix cannot read' : `and kmsfix cannot read ${snippet(sf, part)} in it`;
  return `${snippet(sf, value)}, ${what} (it reads strings written in place, or a const of the file holding them)`;
}

/** Where an entry was read, for the message: the option, and the consts it went through. */
const through = (where: string, via: string[]) => (via.length > 0 ? `${where} (through the const ${via.join(', then ')})` : where);

/**
 * The obstacle of a table's own ignoreChanges (Pulumi: the resource option, the third argument;
 * CDKTF: `lifecycle.ignoreChanges` in the config), written in place or in a const object of the file.
 */
export function ignoredChanges(
  sf: ts.SourceFile,
  lines: LineIndex,
  framework: Framework,
  props: ts.Expression | undefined,
  options: ts.Expression | undefined,
): Obstacle | undefined {
  const literal = (e: ts.Expression | undefined) => (e ? objectOf(e)?.literal : undefined);
  const cdktfProps = framework === 'cdktf' ? literal(props) : undefined;
  const lifecycle = cdktfProps ? lookup(sf, cdktfProps, 'lifecycle') : undefined;
  const holder = framework === 'pulumi' ? literal(options) : literal(lifecycle?.kind === 'value' ? lifecycle.value : undefined);
  const found = holder ? lookup(sf, holder, 'ignoreChanges') : undefined;
  if (found === undefined || found.kind === 'absent' || declinedAlready(sf, framework, found, options)) return undefined;
  const pulumi = framework === 'pulumi';
  const where = pulumi ? 'the resource option ignoreChanges' : 'lifecycle.ignoreChanges';
  const tool = pulumi ? 'pulumi up' : 'terraform apply (cdktf deploy)';
  const read = found.kind === 'value' ? readIgnored(found.value, framework) : undefined;
  if (read?.named) return { kind: 'ignored-changes', where: through(where, read.named.via), entry: read.named.entry.getText(sf), tool };
  if (read?.replicas) return ignoredReplicas(sf, lines, where, read.replicas);
  if (read && !read.unreadable) return undefined;
  // A spread kmsfix cannot read (`lifecycle: { ...lc }`, lc a parameter: fixable before session 56) may set it: never taken as harmless.
  return {
    kind: 'code-shape',
    step:
      `${notRead(sf, lines, where, found, read)}. ` +
      `If it lists ${pulumi ? "serverSideEncryption or '*'" : "server_side_encryption or 'all'"}, ${tool} would leave the deployed table's ` +
      'encryption as it is and a fix would change only the code. Write the list in place (or in a const array of the file), ' +
      'then run kmsfix again (or, if the key is managed outside this code on purpose, suppress the finding)',
  };
}

/** The obstacle of an entry naming the table's replicas, with its line. */
function ignoredReplicas(sf: ts.SourceFile, lines: LineIndex, where: string, r: { entry: ts.Expression; via: string[] }): Obstacle {
  return replicasIgnored(through(where, r.via), r.entry.getText(sf), lines.position(r.entry.getStart(sf)).line);
}

/**
 * Pulumi options a spread kmsfix cannot read hides an option of (`{ ...opts }`, opts a parameter) are declined as
 * such already when they may name a provider or parent too (options.ts readOptions); a spread that can only add a
 * literal of the file (`...(frozen && { ignoreChanges: ['*'] })`) is not, and is read here.
 */
function declinedAlready(sf: ts.SourceFile, framework: Framework, found: Lookup, options: ts.Expression | undefined): boolean {
  return found.kind === 'unknown' && framework === 'pulumi' && 'unreadable' in readOptions(sf, framework, undefined, options);
}

/** An option's list kmsfix does not read, for the message: where it is, and what of it is not read. */
function notRead(sf: ts.SourceFile, lines: LineIndex, where: string, found: Lookup, read: IgnoreRead | undefined): string {
  const at = found.kind === 'value' ? found.value : found.kind === 'unknown' ? found.node : undefined;
  const line = at ? lines.position(at.getStart(sf)).line : 0;
  const what =
    found.kind === 'value' && read?.unreadable
      ? unreadablePart(sf, found.value, read.unreadable)
      : `not read: ${found.kind === 'unknown' ? found.why : ''}`;
  return `${where} at line ${line} is ${what}`;
}

/**
 * Pulumi's `replaceOnChanges` resource option (the third argument, written in place or in a const object of the
 * file) naming what a fix edits: `serverSideEncryption`, a path under it (its quoted form too), or `'*'`, every
 * property. `pulumi up` would then replace the table (a new, empty one; the old one deleted, or the deploy failing
 * on a table's explicit name) instead of changing its key in place (deploy review of session 57, F1). Read as
 * ignoreChanges is; a list kmsfix cannot read is never taken as harmless.
 */
export function replacedOnChanges(sf: ts.SourceFile, lines: LineIndex, options: ts.Expression | undefined): Obstacle | undefined {
  const holder = options ? objectOf(options)?.literal : undefined;
  const found = holder ? lookup(sf, holder, 'replaceOnChanges') : undefined;
  if (found === undefined || found.kind === 'absent' || declinedAlready(sf, 'pulumi', found, options)) return undefined;
  const where = 'the resource option replaceOnChanges';
  const read = found.kind === 'value' ? readIgnored(found.value, 'pulumi') : undefined;
  if (read?.named) return { kind: 'replaced-on-changes', where: through(where, read.named.via), entry: read.named.entry.getText(sf) };
  if (read && !read.unreadable) return undefined;
  return {
    kind: 'code-shape',
    step:
      `${notRead(sf, lines, where, found, read)}. ` +
      "If it lists serverSideEncryption or '*', pulumi up would replace the table (a new, empty table, the old one deleted) instead of " +
      'changing its key in place. Write the list in place (or in a const array of the file), then run kmsfix again',
  };
}

/**
 * What `addOverride(path, value)` sets of a CDKTF resource's `ignore_changes` (Terraform JSON's names): the
 * value read as that list (`lifecycle.ignore_changes`, or an entry of it, `lifecycle.ignore_changes.0`), or
 * the `ignore_changes` of the `lifecycle` object given whole; undefined when it sets none (another
 * `lifecycle.` key, `{ create_before_destroy: true }`).
 */
function overriddenIgnores(sf: ts.SourceFile, path: string, value: ts.Expression | undefined): IgnoreRead | undefined {
  if (path.startsWith('lifecycle.ignore_changes')) return value ? readIgnored(value, 'cdktf') : { unreadable: undefined };
  if (path !== 'lifecycle') return undefined;
  const o = value && objectOf(value);
  if (!o) return { unreadable: value };
  const l = lookup(sf, o.literal, 'ignore_changes');
  if (l.kind === 'absent') return undefined;
  return l.kind === 'value' ? readIgnored(l.value, 'cdktf') : { unreadable: value };
}

/**
 * What `resource.lifecycle = value` sets of a CDKTF resource's `ignore_changes`: the public `lifecycle` field of
 * cdktf's TerraformResource (a TerraformResourceLifecycle, `ignoreChanges?: string[] | 'all'`), synthesized as the
 * config's `lifecycle` is; its `ignoreChanges` read as there (`ignore_changes` too: cdktf writes the keys in snake
 * case); undefined when it sets none (null, `{ createBeforeDestroy: true }`).
 */
function assignedIgnores(sf: ts.SourceFile, value: ts.Expression): IgnoreRead | undefined {
  if (isNullish(unwrap(value))) return undefined;
  const o = objectOf(value);
  if (!o) return { unreadable: value };
  let l = lookup(sf, o.literal, 'ignoreChanges');
  if (l.kind === 'absent') l = lookup(sf, o.literal, 'ignore_changes');
  if (l.kind === 'absent') return undefined;
  return l.kind === 'value' ? readIgnored(l.value, 'cdktf') : { unreadable: value };
}

/**
 * CDKTF's `addOverride('lifecycle...', ...)` on a table (ignore_changes set past the config), and the `lifecycle`
 * field set after construction (`orders.lifecycle = { ignoreChanges: [...] }`, also on an Aspect's `node`: adversarial
 * pass s56 F3): naming `server_side_encryption` or `'all'`, the table is declined as its config's
 * `lifecycle.ignoreChanges` is; a value kmsfix cannot read makes it `unknown`. One whose receiver names no table of
 * the file (a helper's parameter, an Aspect's node) may be any of them, unless it is a `const` of the file holding
 * another resource, or `this` (a class's own field). Only a table a fix would change: one already customer-managed
 * is left as its config says.
 */
export function lifecycleOverrides(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  const cdktf = tables.filter((t) => t.framework === 'cdktf' && !ts.isObjectLiteralExpression(t.node));
  if (cdktf.length === 0 || !/addOverride\s*\(\s*['"`]lifecycle\b|\.lifecycle\s*=(?!=)/.test(sf.text)) return;
  const consts = new Map<string, ts.Expression>();
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) consts.set(n.name.text, n.initializer);
    const path = ts.isCallExpression(n) ? stringValue(n.arguments[0]) : undefined;
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'addOverride' &&
      path !== undefined &&
      /^lifecycle(?:\.|$)/.test(path)
    )
      apply(
        n,
        n.expression.expression,
        `the escape hatch addOverride('${path}', ...)`,
        overriddenIgnores(sf, path, n.arguments[1]),
        n.arguments[1],
      );
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(n.left) &&
      n.left.name.text === 'lifecycle' &&
      unwrap(n.left.expression).kind !== ts.SyntaxKind.ThisKeyword
    )
      apply(n, n.left.expression, 'the assignment .lifecycle = ...', assignedIgnores(sf, n.right), n.right);
    ts.forEachChild(n, visit);
  };
  const apply = (
    at: ts.Node,
    receiver: ts.Expression,
    written: string,
    read: IgnoreRead | undefined,
    value: ts.Expression | undefined,
  ): void => {
    if (!read || (!read.named && !read.replicas && !('unreadable' in read))) return;
    const text = receiverText(sf, receiver, consts);
    const named = cdktf.filter((t) => {
      const name = boundName(t);
      return name !== undefined && mentions(text, name);
    });
    // `bucket.addOverride(...)`, bucket a const holding another resource: not a table's.
    const r = unwrap(receiver);
    const init = ts.isIdentifier(r) ? consts.get(r.text) : undefined;
    if (named.length === 0 && init && ts.isNewExpression(unwrap(init))) return;
    const { line } = lines.position(at.getStart(sf));
    const how = `${written} at line ${line}`;
    const maybe = named.length > 0 ? '' : ' (the override names no table of the file: it may be this one)';
    for (const t of named.length > 0 ? named : cdktf) {
      if (!fixWanted(decide(t.encryption))) continue;
      if (read.named)
        t.encryption.obstacles.push({
          kind: 'ignored-changes',
          where: through(how, read.named.via) + maybe,
          entry: read.named.entry.getText(sf),
          tool: 'terraform apply (cdktf deploy)',
        });
      else if (read.replicas) t.encryption.obstacles.push(ignoredReplicas(sf, lines, written + maybe, read.replicas));
      else {
        const what = value && read.unreadable ? unreadablePart(sf, value, read.unreadable) : 'no value kmsfix reads';
        t.encryption = {
          ...unreadable(
            `its changes may be ignored by ${how}, whose value is ${what}: if it sets lifecycle.ignore_changes to "all" or a list ` +
              `naming server_side_encryption, terraform apply (cdktf deploy) would leave the table's encryption as it is${maybe}`,
          ),
          obstacles: t.encryption.obstacles,
        };
      }
    }
  };
  visit(sf);
}
