/**
 * The key a TypeScript fix declares for a group of tables (CDK, CDK for Terraform, Pulumi: its id, description, policy,
 * removal or retention, tags), and the key's alias after the first table statement the program can name (bound to a
 * `const` if it was not).
 */
import { aliasSafe, freeAliasTemplate, literalSettings, terraformLiteral } from '../../rule/keySettings.js';
import { aliasNameText, existingAliasNames } from './aliasNames.js';
import { lineEndOf, lineIndentOf, lineStartOf } from '../../core/text.js';
import { call, indentColumns, inline, obj, raw, render, type Code } from './code.js';
import type { TsTable } from './tableTypes.js';
import { CDK, cdkAlias, cdkKey, cdkTags, cdktfAlias, cdktfKey, helperParams, pulumiAlias, pulumiKey, type AliasName } from './keys.js';
import { statementEnd, type ts } from './parse.js';
import { freeNames, visibleAt } from './scopes.js';
import { cdkTableTagsFor, tableTagsFor } from './keyTags.js';
import { optionsOf } from './options.js';
import { destroyKeeps, removalOf, type Removal } from './retention.js';
import { type AliasPlace, aliasPlaceOf, tableRefOf } from './aliasPlace.js';
import { addresses, keyStatementOf, layoutOf, type Anchor, type KeyGroup, type SharedScope } from './planState.js';
import { SharedScopes } from './sharedScopes.js';
import { derivedId, varBase, describe, nameSuffix } from './generatedNames.js';
import { aliasNameOf, tableNameProp } from './tableNames.js';
import { noNewDirective, noNewOnLine } from './noNewComments.js';

/**
 * The removal policy of a CDK table's generated key: the table's (retention.ts removalOf), a choice
 * copied as written where the key's declaration sees the names it reads (else RETAIN).
 */
function keyRemovalOf(t: TsTable, sym: (e: ts.Expression) => string | undefined, sf: ts.SourceFile): Removal {
  const r = removalOf(t, sym, sf);
  if (typeof r === 'string') return r;
  // The names the choice reads must be seen where the key is declared.
  const at = keyStatementOf(t);
  const container = at.parent as Parameters<typeof visibleAt>[1];
  return freeNames(r.expr).every((n) => visibleAt(n, container, at.getStart(sf))) ? r : 'RETAIN';
}

export abstract class GeneratedKeys extends SharedScopes {
  // ------------------------------------------------------------ keys and aliases

  protected generatedKey(g: KeyGroup, shared: boolean, scope: SharedScope | undefined): string {
    const sf = this.sf;
    const first = g.tables[0];
    const keyVar = this.names.variable([shared ? 'dynamoDbTablesKey' : varBase(sf, first) + 'Key'], g.statement);
    const pulumi = first.framework === 'pulumi';
    const uniqueId = (s: string) => this.names.id(s, g.statement, pulumi);
    const groupAnchor = { container: g.statement.parent as Anchor['container'], statement: g.statement };
    const id = shared
      ? this.onceId(pulumi ? 'dynamodb-tables-key' : 'DynamoDBTablesKey', groupAnchor, first, pulumi)
      : derivedId(sf, first.idNode!, nameSuffix(first.idNode!, pulumi, 'key'), this.style.quote, uniqueId);
    // CDK for Terraform passes the texts to Terraform, which reads `${` and `%{` in them: written `$${` and `%%{` (terraformLiteral).
    const settings = first.framework === 'cdktf' ? literalSettings(this.options.key, terraformLiteral) : this.options.key;
    const description = describe(sf, g.tables, settings?.description);
    const helper = this.policyHelper(first);
    const policy = call(helper, ...(first.framework === 'cdk' ? [] : helperParams(this.mode).map((ph) => raw(scope!.vars[ph]!))));
    let decl: Code;
    if (first.framework === 'cdk') {
      const removals = g.tables.map((t) => keyRemovalOf(t, this.sym, sf));
      const texts = new Set(removals.map((r) => (typeof r === 'string' ? r : r.expr.getText(sf))));
      // `key: retain: always`: RETAIN, kms.Key's default, whatever the tables' removal policies.
      const one = texts.size === 1 && settings?.retain !== 'always' ? removals[0] : 'RETAIN';
      const removal =
        one === 'DESTROY' ? raw(this.ref(CDK, ['RemovalPolicy', 'DESTROY'])) : one === 'RETAIN' ? undefined : raw(one.expr.getText(sf));
      decl = cdkKey(this.ref, { scope: first.scopeText!, id, description, removal, policy, settings });
    } else {
      // Pulumi's retainOnDelete also keeps the key of a table with point-in-time recovery (CDKTF's preventDestroy would fail every destroy).
      // `key: retain: always` keeps every Pulumi key; CDKTF has no keep-on-destroy (preventDestroy fails a destroy), nor the roll back race.
      const keep =
        (first.framework === 'pulumi' && settings?.retain === 'always') ||
        g.tables.some((t) => destroyKeeps(t, sf, optionsOf(t, sf)).length > 0);
      const p = this.placementText(first);
      const tableTags = tableTagsFor(g.tables, { statement: g.statement }, sf);
      if (first.framework === 'cdktf') {
        const extra: [string, Code][] = [];
        if (p.provider) extra.push(['provider', raw(p.provider)]);
        if (p.region) extra.push(['region', raw(p.region)]);
        if (keep) extra.push(['lifecycle', obj([['preventDestroy', raw('true')]])]);
        decl = cdktfKey(this.ref, {
          layout: layoutOf(first),
          scope: first.scopeText!,
          id,
          description,
          policy,
          extra,
          settings,
          tableTags,
        });
      } else {
        const opts = this.pulumiOptsText(p, keep);
        decl = pulumiKey(this.ref, { name: id, description, policy, opts: opts ? raw(opts) : undefined, settings, tableTags });
      }
    }
    this.declare(g.statement, keyVar, decl, g.tables);
    if (first.framework === 'cdk') {
      // The tables' own `Tags.of(table).add(...)` (keyTags.ts), then the settings' tags.
      const named = g.tables.map((t) => {
        const r = t.statement ? tableRefOf(t) : undefined;
        return { statement: t.statement, ref: r && 'expr' in r ? r.expr : undefined };
      });
      const tableTags = cdkTableTagsFor(named, { statement: g.statement }, sf, (e) => this.sym(e) === `${CDK}#Tags.of`);
      for (const tag of cdkTags(this.ref, keyVar, settings, tableTags)) this.declare(g.statement, undefined, tag, g.tables);
    }
    return keyVar;
  }

  /**
   * Names for the `const` a table statement's line at `at` gains (`drop`: the columns of `return` it replaces): those
   * that keep the line in the width, when it was (`customerOrderHistory`, then `orderHistory`, `history`, `table`); all
   * of `bases` when none does or it was not.
   */
  private bindingNames(at: number, drop: number, bases: string[]): string[] {
    const start = lineStartOf(this.text, at);
    const line = this.text.slice(start, lineEndOf(this.text, at));
    const indent = /^[ \t]*/.exec(line)![0];
    const columns = indentColumns(indent, this.style) + line.length - indent.length;
    const room = this.style.width - columns + drop - 'const  = '.length;
    if (columns > this.style.width || bases.every((b) => b.length <= room)) return bases;
    const words = bases[0].split(/(?=[A-Z])/);
    const shorter = words.map((_, i) => words.slice(i).join('')).map((w) => w[0].toLowerCase() + w.slice(1));
    const fitting = [...bases, ...shorter, 'table'].filter((b) => b.length <= room && /^[A-Za-z_$]/.test(b));
    return fitting.length > 0 ? [...new Set(fitting)] : bases;
  }

  /** The alias of a generated key, after the statement of its first table the program can name (bound to a `const` if it was not). */
  protected alias(g: KeyGroup, keyVar: string, shared: boolean): void {
    const sf = this.sf;
    // A shared key's alias goes after the first of its tables that the program names (aliasPlace.ts).
    let first: TsTable | undefined;
    let place: AliasPlace | undefined;
    for (const t of g.tables) {
      place = aliasPlaceOf(t, this.text);
      if (place) {
        first = t;
        break;
      }
    }
    if (!first || !place) return;
    const { ref: r, endsLine, returned } = place;
    const st = first.statement!;
    const end = statementEnd(st, this.text);
    const le = lineEndOf(this.text, end);
    let expr: string;
    if ('expr' in r) expr = r.expr;
    else {
      const base = varBase(sf, first);
      expr = this.names.variable(this.bindingNames(r.bindAt, returned ? r.returnEnd! - r.bindAt + 1 : 0, [base, base + 'Table']), st);
      if (returned) this.after.push({ start: r.bindAt, end: r.returnEnd!, text: `const ${expr} =`, tables: addresses(g.tables) });
      else {
        this.after.push({ start: r.bindAt, end: r.bindAt, text: `const ${expr} = `, tables: addresses(g.tables) });
        for (const unused of [noNewDirective(this.text, st.getStart(sf)), noNewOnLine(this.text, st.getStart(sf))])
          if (unused) this.after.push({ ...unused, tables: addresses(g.tables) });
      }
    }
    const tableName = aliasNameOf(first, expr, sf, this.ref);
    // Named apart from the file's aliases (a key a roll back kept has the name this fix would give).
    this.aliasNames ??= existingAliasNames(sf);
    // The kept alias may write the table's literal name (`addAlias('alias/dynamodb/orders')`).
    const literal = tableNameProp(first, sf).v;
    const forms: AliasName[] = literal === undefined ? [tableName] : [tableName, { literal: aliasSafe(literal) }];
    const template = freeAliasTemplate(
      this.options.key?.alias,
      (t) => forms.map((f) => aliasNameText(f, shared, t, (c) => inline(c, this.style))),
      this.aliasNames,
      false,
    );
    const pulumi = first.framework === 'pulumi';
    const uniqueId = (s: string) => this.names.id(s, st, pulumi);
    const id = shared
      ? this.onceId(
          pulumi ? 'dynamodb-tables-key-alias' : 'DynamoDBTablesKeyAlias',
          { container: st.parent as Anchor['container'], statement: st },
          first,
          pulumi,
        )
      : derivedId(sf, first.idNode!, nameSuffix(first.idNode!, pulumi, 'alias'), this.style.quote, uniqueId);
    const p = this.placementText(first);
    let code: Code;
    if (first.framework === 'cdk') code = cdkAlias(keyVar, tableName, shared, template);
    else if (first.framework === 'cdktf')
      code = cdktfAlias(this.ref, {
        layout: layoutOf(first),
        scope: first.scopeText!,
        id,
        keyVar,
        tableName,
        shared,
        provider: p.provider,
        region: p.region,
        template,
      });
    else {
      const opts = this.pulumiOptsText(p, false);
      code = pulumiAlias(this.ref, { name: id, keyVar, tableName, shared, opts: opts ? raw(opts) : undefined, template });
    }
    const indent = lineIndentOf(this.text, st.getStart(sf));
    const line = render(code, this.style, indent, 0, this.style.semi ? 1 : 0) + (this.style.semi ? ';' : '');
    const back = returned ? this.style.eol + indent + `return ${expr}` + (this.style.semi ? ';' : '') : '';
    if (endsLine) this.after.push({ start: le, end: le, text: this.style.eol + indent + line + back, tables: addresses(g.tables) });
    // More code on the line (`{ new Table(...) }`, or semicolon-less code's `;[t].forEach(...)` after the table): on the same
    // line, after a `;` if the statement has none, and ended by one, whatever the file's style (no line break ends it there).
    else
      this.after.push({
        start: end,
        end,
        text: (this.text[end - 1] === ';' ? ' ' : '; ') + line + (this.style.semi ? '' : ';'),
        tables: addresses(g.tables),
      });
  }
}
