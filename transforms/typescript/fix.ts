/**
 * Planning the edits that make TypeScript tables customer-managed: a key declared just before the
 * statement that creates the table, the table's encryption props set, the imports the new code
 * needs added. Every edit is a text range; the compiler never prints anything.
 */
import { DEFAULT_KEY_POLICY, keyDescription } from '../../src/keyPolicy.js';
import { lineIndentOf, lineStartOf } from '../../src/text.js';
import type { FilePlan, FixOptions, GroupMember } from '../../src/types.js';
import { call, quote, raw, render, str, type Code } from './code.js';
import { lookup, type TsDetection, type TsTable } from './detect.js';
import { ImportPlanner, importModeOf, resolveSymbol } from './imports.js';
import {
  CDK,
  CDK_DYNAMODB,
  cdkImportedKey,
  cdkKey,
  cdktfContext,
  cdktfKey,
  pulumiContext,
  pulumiKey,
  templatePart,
  type ContextVars,
  type Ref,
} from './keys.js';
import { applySettings, type EditCtx, type Setting } from './objects.js';
import { stringValue, ts, unwrap } from './parse.js';
import { detectTsStyle } from './style.js';

/** Every name bound or used in the file, so that new names never shadow or clash. */
function takenNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const member =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isPropertyAssignment(p) && p.name === n) ||
        ((ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)) && p.name === n);
      if (!member) names.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return names;
}

function camelName(s: string): string {
  const words = s.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length === 0) return 'table';
  const joined = words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join('');
  return /^[0-9]/.test(joined) ? 'table' + joined : joined;
}

/** Every string literal of the file: construct ids and resource names the new ones must not repeat. */
function stringLiterals(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    const v = stringValue(n);
    if (v !== undefined) out.add(v);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The id / name of the key: the table's, with a suffix, as code. */
function derivedId(sf: ts.SourceFile, idNode: ts.Expression, suffix: string, q: "'" | '"', uniqueId: (s: string) => string): Code {
  const v = stringValue(idNode);
  if (v !== undefined) return raw(quote(uniqueId(v + suffix), q));
  if (ts.isTemplateExpression(idNode)) {
    const t = idNode.getText(sf);
    return raw(t.slice(0, -1) + suffix + '`');
  }
  return raw('`${' + idNode.getText(sf) + '}' + suffix + '`');
}

/** The key's description; a table whose id is computed is named by the same expression. */
function describe(sf: ts.SourceFile, tables: TsTable[], names: string[]): Code {
  const id = tables.length === 1 ? tables[0].idNode : undefined;
  if (!id || stringValue(id) !== undefined) return str(keyDescription(names));
  const [before, after] = keyDescription(['\0']).split('\0').map(templatePart);
  const inner = ts.isTemplateExpression(id) ? id.getText(sf).slice(1, -1) : '${' + id.getText(sf) + '}';
  return raw('`' + before + inner + after + '`');
}

/** Where a statement's own text begins: its attached comments (no blank line in between), then itself. */
function statementStart(sf: ts.SourceFile, st: ts.Statement): number {
  const text = sf.text;
  let start = st.getStart(sf);
  const comments = ts.getLeadingCommentRanges(text, st.pos) ?? [];
  for (let i = comments.length - 1; i >= 0; i--) {
    const between = text.slice(comments[i].end, start);
    if ((between.match(/\n/g) ?? []).length > 1) break;
    if (!/^[ \t]*$/.test(text.slice(lineStartOf(text, comments[i].pos), comments[i].pos))) break;
    start = comments[i].pos;
  }
  return start;
}

interface Group {
  tables: TsTable[];
  statement: ts.Statement;
}

function removalOf(t: TsTable, sym: (e: ts.Expression) => string | undefined, sf: ts.SourceFile): 'RETAIN' | 'DESTROY' {
  if (!t.props || (t.kind !== 'Table' && t.kind !== 'TableV2')) return 'RETAIN';
  const l = lookup(sf, t.props, 'removalPolicy');
  return l.kind === 'value' && sym(unwrap(l.value)) === `${CDK}#RemovalPolicy.DESTROY` ? 'DESTROY' : 'RETAIN';
}

/** Pulumi resource options / CDKTF lifecycle that keep a table: the key gets the same protection. */
function keepsTable(t: TsTable, sf: ts.SourceFile): boolean {
  const isTrue = (e: ts.Expression | undefined) => e !== undefined && unwrap(e).kind === ts.SyntaxKind.TrueKeyword;
  if (t.framework === 'pulumi') {
    const opts = t.node.arguments?.[2] ? unwrap(t.node.arguments[2]) : undefined;
    if (!opts || !ts.isObjectLiteralExpression(opts)) return false;
    return ['protect', 'retainOnDelete'].some((k) => {
      const l = lookup(sf, opts, k);
      return l.kind === 'value' && isTrue(l.value);
    });
  }
  if (t.framework === 'cdktf' && t.props) {
    const lc = lookup(sf, t.props, 'lifecycle');
    const o = lc.kind === 'value' ? unwrap(lc.value) : undefined;
    if (o && ts.isObjectLiteralExpression(o)) {
      const p = lookup(sf, o, 'preventDestroy');
      return p.kind === 'value' && isTrue(p.value);
    }
  }
  return false;
}

function keyRefForTable(t: TsTable, keyVar: string): string {
  if (t.framework === 'cdk') return t.kind === 'CfnTable' ? `${keyVar}.keyArn` : keyVar;
  return `${keyVar}.arn`;
}

function tableSettings(t: TsTable, ref: Ref, key: Code, sym: (e: ts.Expression) => string | undefined): Setting[] {
  const isTrue = (e: ts.Expression) => unwrap(e).kind === ts.SyntaxKind.TrueKeyword;
  switch (t.kind) {
    case 'Table':
      return [
        { key: 'encryption', value: raw(ref(CDK_DYNAMODB, ['TableEncryption', 'CUSTOMER_MANAGED'])), keep: (e) => sym(unwrap(e)) === `${CDK_DYNAMODB}#TableEncryption.CUSTOMER_MANAGED` },
        { key: 'encryptionKey', value: key },
        { key: 'serverSideEncryption', remove: true },
      ];
    case 'TableV2':
      return [{ key: 'encryption', value: call(ref(CDK_DYNAMODB, ['TableEncryptionV2', 'customerManagedKey']), key) }];
    case 'CfnTable':
      return [
        {
          key: 'sseSpecification',
          nested: [
            { key: 'sseEnabled', value: raw('true'), keep: isTrue },
            { key: 'sseType', value: str('KMS'), keep: (e) => stringValue(unwrap(e)) === 'KMS' },
            { key: 'kmsMasterKeyId', value: key },
          ],
        },
      ];
    case 'DynamodbTable':
    case 'PulumiTable':
      return [
        {
          key: 'serverSideEncryption',
          nested: [
            { key: 'enabled', value: raw('true'), keep: isTrue },
            { key: 'kmsKeyArn', value: key },
          ],
        },
      ];
    case 'CfnGlobalTable':
      throw new Error('CfnGlobalTable is never fixed');
  }
}

/** `Orders` -> `OrdersKey`, `orders-table` -> `orders-table-key`; Pulumi's lower-case names get `-key`. */
function keySuffix(id: string | undefined, pulumi: boolean): string {
  if (id !== undefined && /^[a-z0-9]+([-_][a-z0-9]+)+$/.test(id)) return (id.includes('_') && !id.includes('-') ? '_' : '-') + 'key';
  if (pulumi && id !== undefined && !/[A-Z]/.test(id)) return '-key';
  return 'Key';
}

function isArnLike(s: string): boolean {
  return /^(arn:|alias\/|mrk-|[0-9a-f]{8}-[0-9a-f]{4}-)/.test(s);
}

export function fixTypeScript(group: GroupMember<TsDetection>[], options: FixOptions): Map<string, FilePlan> {
  const plans = new Map<string, FilePlan>();
  for (const { file, detection, targets } of group) {
    const chosen = detection.tables.filter((t) => targets.includes(t.address) && t.props && t.statement && t.kind !== 'CfnGlobalTable');
    if (chosen.length === 0) continue;
    const { sf } = detection;
    const style = detectTsStyle(sf);
    const taken = takenNames(sf);
    const planner = new ImportPlanner(sf, detection.imports, taken, style, importModeOf(chosen[0].node.expression, detection.imports));
    const ref: Ref = (m, member) => planner.ref(m, member);
    const sym = (e: ts.Expression) => resolveSymbol(e, detection.binds);
    const ctx: EditCtx = { sf, text: file.text, style, edits: [] };
    const q = (s: string) => quote(s, style.quote);
    const ids = stringLiterals(sf);
    const uniqueId = (base: string) => {
      let id = base;
      for (let i = 2; ids.has(id); i++) id = `${base}${i}`;
      ids.add(id);
      return id;
    };
    const unique = (base: string) => {
      let name = base;
      for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
      taken.add(name);
      return name;
    };

    // Tables that share a key (--key-strategy shared): same block, same scope. Otherwise one key per table.
    const groups: Group[] = [];
    for (const t of chosen) {
      const g =
        options.keyStrategy === 'shared'
          ? groups.find((x) => x.statement.parent === t.statement!.parent && x.tables[0].scopeText === t.scopeText && x.tables[0].framework === t.framework)
          : undefined;
      if (g) g.tables.push(t);
      else groups.push({ tables: [t], statement: t.statement! });
    }

    const policy = options.keyPolicy ?? DEFAULT_KEY_POLICY;
    const contexts = new Map<ts.Node, ContextVars>();
    // Declarations to insert before a statement, in order; written out together at the end.
    const pending = new Map<ts.Statement, string[]>();
    const declare = (st: ts.Statement, name: string, value: Code) => {
      const indent = lineIndentOf(file.text, st.getStart(sf));
      const prefix = `const ${name} = `;
      const list = pending.get(st) ?? [];
      list.push(`${prefix}${render(value, style, indent, prefix.length)}${style.semi ? ';' : ''}`);
      pending.set(st, list);
    };
    const flush = () => {
      for (const [st, lines] of pending) {
        const at = statementStart(sf, st);
        const indent = lineIndentOf(file.text, st.getStart(sf));
        const ls = lineStartOf(file.text, at);
        if (/^[ \t]*$/.test(file.text.slice(ls, at))) {
          // A blank line before the table's statement: the new block gets one after it too.
          const prevLine = ls > 0 ? file.text.slice(lineStartOf(file.text, ls - 1), ls) : '';
          const gap = ls > 0 && prevLine.trim() === '' ? style.eol : '';
          ctx.edits.push({ start: ls, end: ls, text: lines.map((l) => indent + l + style.eol).join('') + gap });
        } else {
          ctx.edits.push({ start: at, end: at, text: lines.map((l) => l + ' ').join('') });
        }
      }
    };

    for (const g of groups) {
      const first = g.tables[0];
      const names = g.tables.map((t) => t.address);
      const shared = g.tables.length > 1 || options.keyStrategy === 'shared';
      const arn = options.kmsKeyArn;
      const arnCode = arn === undefined ? undefined : isArnLike(arn) ? str(arn) : raw(arn);
      // With --kms-key-arn, CDK's Table and TableV2 still need a key object: Key.fromKeyArn.
      const needsKeyObject = (t: TsTable) => t.framework === 'cdk' && t.kind !== 'CfnTable';
      let keyVar: string | undefined;
      if (!arnCode || g.tables.some(needsKeyObject)) {
        const idValue = stringValue(first.idNode!);
        const idName = idValue ?? first.idNode!.getText(sf);
        keyVar = unique(shared ? 'dynamoDbTablesKey' : camelName(idName + 'Key'));
        const suffix = keySuffix(idValue, first.framework === 'pulumi');
        const id = shared
          ? raw(q(uniqueId(first.framework === 'pulumi' ? 'dynamodb-tables-key' : 'DynamoDBTablesKey')))
          : derivedId(sf, first.idNode!, suffix, style.quote, uniqueId);
        const description = describe(sf, g.tables, names);
        let decl: Code;
        if (arnCode) {
          decl = cdkImportedKey(ref, first.scopeText!, id, arnCode);
        } else if (first.framework === 'cdk') {
          const removal = g.tables.some((t) => removalOf(t, sym, sf) === 'RETAIN') ? 'RETAIN' : 'DESTROY';
          decl = cdkKey(ref, { scope: first.scopeText!, id, description, removal, policy });
        } else {
          let vars = contexts.get(g.statement.parent);
          if (!vars) {
            vars = { caller: unique('callerIdentity'), partition: unique('partition'), region: unique('region') };
            contexts.set(g.statement.parent, vars);
            const decls = first.framework === 'cdktf' ? cdktfContext(ref, first.scopeText!, vars, (id) => q(uniqueId(id))) : pulumiContext(ref, vars);
            for (const [name, value] of decls) declare(g.statement, name, value);
          }
          const keep = g.tables.some((t) => keepsTable(t, sf));
          decl =
            first.framework === 'cdktf'
              ? cdktfKey(ref, { scope: first.scopeText!, id, description, vars, policy, extra: keep ? [['lifecycle', raw('{ preventDestroy: true }')]] : [] })
              : pulumiKey(ref, { name: id, description, vars, policy, opts: keep ? raw('{ retainOnDelete: true }') : undefined });
        }
        declare(g.statement, keyVar, decl);
      }
      for (const t of g.tables) {
        const key = arnCode && !needsKeyObject(t) ? arnCode : raw(keyRefForTable(t, keyVar!));
        applySettings(ctx, t.props!, tableSettings(t, ref, key, sym));
      }
    }
    flush();
    ctx.edits.push(...planner.edits((m) => /^(aws-cdk-lib|@cdktf\/|@pulumi\/|cdktf$)/.test(m)));
    plans.set(file.path, { edits: ctx.edits, fixed: chosen.map((t) => t.address) });
  }
  return plans;
}
