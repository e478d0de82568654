/**
 * Under `--key-policy iam`, an AWS CDK table another stack of its folder grants on (session 59's deploy review, F2).
 * CDK writes such a grant, key included once the table has one, into the grantee's stack (`props.table.grantReadWriteData(fn)`
 * in ApiStack puts kms:Decrypt on `Fn::ImportValue` of the key in ApiStack's role policy). That stack imports from the
 * table's and deploys after it: between the two deploys (or for good, where it is deployed on its own or fails) the table is on
 * a key only IAM opens and the grantee has no KMS permission, so each of its calls is denied. An outage is not a fix:
 * the table is declined for iam mode (the default key policy has no such window).
 *
 * Read from the files of the table's folder (`context.folder`): another file whose class extends a Stack and calls
 * `grant*` on `<x>.<name>`, `<name>` the class property that holds the table (`this.table`) or a member of that file
 * typed as a table (`table: dynamodb.ITable`), or on such a name alone (`const { table } = props; table.grant...`, the
 * adversarial pass 2 of session 59, F3) unless that file makes a table of that name itself. A stack in another folder
 * is not read.
 *
 * Also (session 65's deploy review, CDK/Pulumi/Serverless/SST): a stack of the folder (this file's too) that imports the
 * table by its literal name and grants on it, `Table.fromTableName(this, 'T', 'orders')`, `fromTableArn(..., '...:table/orders')`
 * or `fromTableAttributes(..., { tableName: 'orders' })` without `encryptionKey`: an imported table knows no key, so its
 * grants give no KMS action, before or after any deploy. Declined for iam mode, the step naming the file and the way out.
 */
import { escapeRegExp } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import type { TsDetection } from './tableTypes.js';
import { holderOf } from './iamRoles.js';
import { lookup } from './lookup.js';
import { stringValue, unwrap } from './parse.js';

const STACK_CLASS = /\bextends\s+(?:[\w$]+\.)*Stack\b/;
const GRANT = /(?:^|[^\w$.])([\w$]+(?:\??\.[\w$]+)*?)\??\.([\w$]+)\??\.grant\w*\(/g;
const TABLE_MEMBER = /([\w$]+)\??\s*:\s*(?:[\w$]+\.)*I?Table(?:V2)?\b/g;
/** `table.grantReadWriteData(fn)` on a name alone: the prop taken out first (`const { table } = props`, `const table = props.table`). */
const BARE_GRANT = /(?:^|[^\w$.])([\w$]+)\??\.grant\w*\(/g;

/** Whether `f` makes the table `name` it grants on itself (`const table = new dynamodb.Table(...)`): then it is its own. */
const makes = (text: string, name: string) => new RegExp(`\\b(?:const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\s*=\\s*new\\b`).test(text);

/** `Table.fromTableName(scope, id, 'NAME')`, `fromTableArn(scope, id, '...table/NAME')`, `fromTableAttributes(scope, id, {...})`. */
const IMPORT = /\.from(TableName|TableArn|TableAttributes)\s*\(/g;

/** The text of a call's arguments from `at` (just past its `(`) to the matching `)`, strings and comments not told apart. */
function argsAt(text: string, at: number): string {
  let depth = 1;
  for (let i = at; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(at, i);
  }
  return text.slice(at);
}

/** Whether `text` imports the table named `name` (a literal) without a key and grants on some table. */
function importsByName(text: string, name: string): boolean {
  if (!/\.grant\w*\(/.test(text)) return false;
  const quoted = (v: string) => `['"\`]${v}['"\`]`;
  const escaped = escapeRegExp(name);
  for (const m of text.matchAll(IMPORT)) {
    const args = argsAt(text, m.index! + m[0].length);
    if (m[1] === 'TableName' && new RegExp(`,\\s*${quoted(escaped)}\\s*,?\\s*$`).test(args)) return true;
    if (m[1] === 'TableArn' && new RegExp(`:table/${escaped}['"\`]\\s*,?\\s*$`).test(args)) return true;
    if (m[1] === 'TableAttributes' && new RegExp(`\\btableName\\s*:\\s*${quoted(escaped)}`).test(args) && !/\bencryptionKey\b/.test(args))
      return true;
  }
  return false;
}

/** A CDK table's `tableName` when written as a string literal in its own props. */
function literalName(t: TsDetection['tables'][number], d: TsDetection): string | undefined {
  if (!t.props) return undefined;
  const v = lookup(d.sf, t.props, 'tableName');
  return v.kind === 'value' ? stringValue(unwrap(v.value)) : undefined;
}

export async function crossStackGrants(file: SourceFile, d: TsDetection, context: DiskContext): Promise<void> {
  const open = d.tables.filter((t) => t.framework === 'cdk' && fixWanted(decide(t.encryption, WAIVABLE)));
  await importedByName(file, d, context, open);
  const held = open.map((t) => ({ t, name: /^this\.([\w$]+)$/.exec(holderOf(t, d.sf) ?? '')?.[1] })).filter((h) => h.name !== undefined);
  if (held.length === 0 || !STACK_CLASS.test(file.text)) return;
  const others = ((await context.folder(file, '.')) ?? []).filter(
    (f) => f.path !== file.path && /\.grant\w*\(/.test(f.text) && STACK_CLASS.test(f.text),
  );
  for (const { t, name } of held) {
    const stacks = others.filter((f) => {
      const names = new Set([name!, ...[...f.text.matchAll(TABLE_MEMBER)].map((m) => m[1])]);
      // `props.table.grantReadWriteData(fn)`, `db.table.grant(...)`: not `this.table`, a table of that stack.
      return (
        [...f.text.matchAll(GRANT)].some((m) => m[1] !== 'this' && names.has(m[2])) ||
        [...f.text.matchAll(BARE_GRANT)].some((m) => names.has(m[1]) && !makes(f.text, m[1]))
      );
    });
    if (stacks.length === 0) continue;
    const where = stacks.map((f) => f.path.split('/').pop()).join(', ');
    t.encryption.obstacles.push({
      kind: 'code-shape',
      step:
        `with --key-policy iam, the grants on this table that ${where} makes go, with the key's, into that stack, which deploys after this one: ` +
        "until it does, its roles are denied the table's key. Fix it with the default key policy (drop-in) first and move to iam in a later change, " +
        'once those stacks have deployed the grants',
    });
  }
}

/** Tables of `open` another stack of the folder (or this file) imports by name and grants on (see the header). */
async function importedByName(file: SourceFile, d: TsDetection, context: DiskContext, open: TsDetection['tables']): Promise<void> {
  const named = open.flatMap((t) => {
    const name = literalName(t, d);
    return name ? [{ t, name }] : [];
  });
  if (named.length === 0) return;
  const files = [file, ...((await context.folder(file, '.')) ?? []).filter((f) => f.path !== file.path)];
  for (const { t, name } of named) {
    const where = files.filter((f) => importsByName(f.text, name)).map((f) => f.path.split('/').pop());
    if (where.length === 0) continue;
    t.encryption.obstacles.push({
      kind: 'code-shape',
      step:
        `with --key-policy iam, ${where.join(', ')} imports this table by its name '${name}' (Table.fromTableName, fromTableArn or ` +
        'fromTableAttributes without encryptionKey) and grants on it: an imported table knows no key, so those grants give no KMS action ' +
        "and their roles are denied the table's key. Give that import the key (fromTableAttributes with encryptionKey) and deploy it first, " +
        'or fix with the default key policy (drop-in)',
    });
  }
}
