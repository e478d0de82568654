/**
 * Planning the edits that make TypeScript tables customer-managed: one key-policy helper per file
 * (after the imports), the lookups a scope needs declared once (or reused), a key declared just
 * before the statement that creates the table and its alias just after it, the table's encryption
 * props set, the imports the new code needs added. Every edit is a text range; the compiler never
 * prints anything.
 */
import { DEFAULT_KEY_POLICY, holdsKeyPolicy, type KeyPolicyMode, type Placeholder } from '../../rule/keyPolicy.js';
import {
  aliasSafe,
  describeKey,
  frameworkVariableIn,
  freeAliasTemplate,
  literalSettings,
  noFrameworkEscape,
  terraformLiteral,
} from '../../rule/keySettings.js';
import { aliasNameText, existingAliasNames } from './aliasNames.js';
import { keyArnRegion, keyRegionMismatch, providerAliasArn } from '../../rule/keyArn.js';
import { ownRegionOf, tableRegionsOf } from './regions.js';
import { planResources } from './fixResources.js';
import { serving } from '../../core/edits.js';
import { LineIndex, lineEndOf, lineIndentOf, lineStartOf } from '../../core/text.js';
import type { DiskContext, Edit, FilePlan, FixOptions, GroupMember, SourceFile } from '../../core/types.js';
import { call, indentColumns, inline, obj, quote, raw, render, renderFunction, seq, str, type Code } from './code.js';
import { constructOf, type TsDetection, type TsTable } from './tableTypes.js';
import { declaredName } from './holders.js';
import { lookup } from './lookup.js';
import { constInitializer, declarationOf } from './consts.js';
import {
  cdkSpelling,
  cdkV1Module,
  cdktnModule,
  isCdktn,
  ImportPlanner,
  importModeOf,
  resolveSymbol,
  type ImportWriting,
} from './imports.js';
import { prettierWidth, type PrettierWidth } from './prettier.js';
import {
  CDK,
  CDK_DYNAMODB,
  CDK_IAM,
  CDKTF_CORE,
  CDKTF_LOOKUP,
  POLICY_HELPER,
  PULUMI_LOOKUP,
  cdkAlias,
  cdkImportedKey,
  cdkKey,
  cdkTags,
  cdkPolicyDocument,
  cdktfAlias,
  cdktfKey,
  cdktfLookup,
  cdktfLookupModule,
  cdktfPolicyHelper,
  helperParams,
  policyComment,
  pulumiAlias,
  pulumiKey,
  pulumiLookup,
  pulumiPolicyHelper,
  templatePart,
  type AliasName,
  type CdktfLayout,
  type RegionAttribute,
  type Ref,
} from './keys.js';
import { applySettings, type EditCtx, type Setting, spreadProps } from './objects.js';
import { statementEnd, stringValue, ts, unwrap } from './parse.js';
import { declaredRange, majorOf } from './project.js';
import { Names } from './names.js';
import { constsVisibleAt, freeNames, functionOf, sharedAnchor, visibleAt } from './scopes.js';
import { detectTsStyle } from './style.js';
import { cdkTableTagsFor, tableTagsFor } from './keyTags.js';
import { optionsOf } from './options.js';
import { destroyKeeps, removalOf, type Removal } from './retention.js';
import { type AliasPlace, aliasPlaceOf, tableRefOf } from './aliasPlace.js';
import { TYPE_NAMES, typeOnlyBlock } from './typeOnly.js';
import { typeOnlyFix } from '../../rule/cmk.js';
import { switchAlone, switchToken } from './switchOnly.js';
import { common, droppedLookups, identifiersNamed, mentions, overlaps, replacedLookups } from './unusedLookups.js';

const addresses = (tables: TsTable[]) => tables.map((t) => t.address);

/** The statement a table's key is declared before: the table's own, or the `const` that holds its props. */
const keyStatementOf = (t: TsTable): ts.Statement => t.keyStatement ?? t.statement!;

/** The @cdktf/provider-aws layout the table's file imports it in (the key and lookups come from the same one). */
const layoutOf = (t: TsTable): CdktfLayout => (t.generation === 'cdktf-namespaced' ? 'namespaced' : 'lib');

/**
 * An id in camelCase, an acronym as one word (`IDS-Simulations-Table` -> `idsSimulationsTable`,
 * `URLTable` -> `urlTable`, `user-ID` -> `userId`).
 */
function camelName(s: string): string {
  const words = s.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length === 0) return 'table';
  const acronym = (w: string) => w.length > 1 && /^[A-Z0-9]+$/.test(w) && /[A-Z]/.test(w);
  const first = (w: string) => (acronym(w) ? w.toLowerCase() : w.replace(/^[A-Z]+(?=[A-Z][a-z])|^[A-Z]/, (m) => m.toLowerCase()));
  const next = (w: string) => (acronym(w) ? w[0] + w.slice(1).toLowerCase() : w[0].toUpperCase() + w.slice(1));
  const joined = words.map((w, i) => (i === 0 ? first(w) : next(w))).join('');
  return /^[0-9]/.test(joined) ? 'table' + joined : joined;
}

/** The id / name of a new construct: the table's, with a suffix, as code. */
function derivedId(sf: ts.SourceFile, idNode: ts.Expression, suffix: string, q: "'" | '"', uniqueId: (s: string) => string): Code {
  const v = stringValue(idNode);
  if (v !== undefined) return raw(quote(uniqueId(v + suffix), q));
  if (ts.isTemplateExpression(idNode)) {
    const t = idNode.getText(sf);
    return raw(t.slice(0, -1) + suffix + '`');
  }
  return raw('`${' + idNode.getText(sf) + '}' + suffix + '`');
}

/**
 * The base of the variable names for a table's key and binding: its id in camelCase; a template id
 * by its text around the substitutions when it has some (`${name}-orders` -> `orders`).
 */
function varBase(sf: ts.SourceFile, t: TsTable): string {
  const id = t.idNode!;
  /** The variable that holds the table. */
  const holder = () => declaredName(t.node)?.replace(/^this\./, '');
  if (ts.isTemplateExpression(id)) {
    const fixed = id
      .getText(sf)
      .slice(1, -1)
      .replace(/\$\{[^}]*\}/g, ' ');
    if (/[A-Za-z]/.test(fixed)) return camelName(fixed);
    // All of it expressions (`${props.stage}${props.serviceName}${key}`): spelt out, the name read like a typo
    // (`propsStagePropsServiceNameKeyKey`); the holder, else `table`.
    return holder() ?? 'table';
  }
  // An id held in a constant (`new Table(this, ORDERS_TABLE, ...)`): the holder reads better.
  return (stringValue(id) === undefined && holder()) || camelName(tableLabel(sf, t));
}

/**
 * `west` for `provider: west` or `provider: this.west`, `envOpts` for the provider of options held in
 * a const (`envOpts.provider`): names the lookups made through it.
 */
function providerName(provider: string | undefined): string | undefined {
  const m = provider ? /(?:^|\.)([A-Za-z_$][\w$]*)(?:\.provider)?$/.exec(provider) : null;
  return m ? m[1] : undefined;
}

/** The table as the program names it: its id's value, or the id expression as written (never an address with `#2`). */
function tableLabel(sf: ts.SourceFile, t: TsTable): string {
  return stringValue(t.idNode) ?? t.idNode!.getText(sf);
}

/** The key's description (the key settings' template); a table whose id is computed is named by the same expression. */
function describe(sf: ts.SourceFile, tables: TsTable[], template: string | undefined): Code {
  const id = tables.length === 1 ? tables[0].idNode : undefined;
  if (!id || stringValue(id) !== undefined)
    return str(
      describeKey(
        tables.map((t) => tableLabel(sf, t)),
        template,
      ),
    );
  const inner = ts.isTemplateExpression(id) ? id.getText(sf).slice(1, -1) : '${' + id.getText(sf) + '}';
  return raw('`' + describeKey(['\0'], template).split('\0').map(templatePart).join(inner) + '`');
}

/**
 * The name an alias is made of: the table's name read at deploy time, except when the table is
 * given a literal name holding characters a KMS alias may not (`orders.v1`): then that name, each
 * such character written `-`. A name the file does not write as a literal (`${stage}.orders`, a
 * prop; a Pulumi table named after a resource name that is not a literal without `.`) may hold a `.`
 * at deploy time: its `.` is written `-` there (CDK `Fn.join('-', Fn.split('.', name))`, CDKTF
 * `Fn.replace(name, '.', '-')`, Pulumi `name.apply((n) => n.replace(/\./g, '-'))`). A name CloudFormation
 * generates (stack name, logical ID, suffix) never holds one.
 */
function aliasNameOf(t: TsTable, expr: string, sf: ts.SourceFile, ref: Ref): AliasName {
  const { l, v } = tableNameProp(t, sf);
  if (v !== undefined && aliasSafe(v) !== v) return { literal: aliasSafe(v) };
  const name = raw(tableNameOf(t, expr));
  const resourceName = t.framework === 'pulumi' && t.idNode ? stringValue(t.idNode) : undefined;
  const safe =
    l?.kind === 'absent' ? t.framework !== 'pulumi' || (resourceName !== undefined && !resourceName.includes('.')) : v !== undefined;
  if (safe) return { expr: name };
  if (t.framework === 'cdk') return { expr: call(ref(CDK, ['Fn', 'join']), str('-'), call(ref(CDK, ['Fn', 'split']), str('.'), name)) };
  if (t.framework === 'cdktf') return { expr: call(ref(CDKTF_CORE, ['Fn', 'replace']), name, str('.'), str('-')) };
  return { expr: call(`${tableNameOf(t, expr)}.apply`, seq(raw('(n) => n.replace(/\\./g, '), str('-'), raw(')'))) };
}

/**
 * The table's name prop (`tableName`, Pulumi's and CDKTF's `name`) as the props give it (`l`), and its value when the
 * file writes it as a string (`v`: `tableName: 'orders'`, or a const holding one).
 */
function tableNameProp(t: TsTable, sf: ts.SourceFile) {
  const l = t.props ? lookup(sf, t.props, t.framework === 'cdk' ? 'tableName' : 'name') : undefined;
  return { l, v: l?.kind === 'value' ? constString(l.value) : undefined };
}

/** A string literal, or a `const` of the file holding one (`tableName: tableName`, `const tableName = 'chat'`): its value. */
function constString(e: ts.Expression): string | undefined {
  const x = unwrap(e);
  const v = stringValue(x);
  if (v !== undefined || !ts.isIdentifier(x)) return v;
  const init = constInitializer(declarationOf(x));
  return init && stringValue(unwrap(init));
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

const isTrue = (e: ts.Expression | undefined) => e !== undefined && unwrap(e).kind === ts.SyntaxKind.TrueKeyword;

function keyRefForTable(t: TsTable, keyVar: string): string {
  if (t.framework === 'cdk') return t.kind === 'CfnTable' ? `${keyVar}.keyArn` : keyVar;
  return `${keyVar}.arn`;
}

function tableSettings(t: TsTable, ref: Ref, key: Code, sym: (e: ts.Expression) => string | undefined): Setting[] {
  switch (t.kind) {
    case 'Table':
      return [
        {
          key: 'encryption',
          value: raw(ref(CDK_DYNAMODB, ['TableEncryption', 'CUSTOMER_MANAGED'])),
          keep: (e) => sym(unwrap(e)) === `${CDK_DYNAMODB}#TableEncryption.CUSTOMER_MANAGED`,
        },
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
    case 'NativeTable':
    case 'NativeGlobalTable':
    case 'DynamodbTableReplica':
    case 'PulumiTableReplica':
    case 'TableV2MultiAccountReplica':
    case 'CfnResource':
      throw new Error(`${t.kind} is never fixed`);
  }
}

/**
 * `Orders` -> `OrdersKey`, `orders-table` -> `orders-table-key`; Pulumi's lower-case names get `-key`.
 * A template id is judged by its text around the substitutions (`${name}-orders` -> `-key`).
 */
function nameSuffix(idNode: ts.Expression, pulumi: boolean, word: 'key' | 'alias'): string {
  const id =
    stringValue(idNode) ??
    (ts.isTemplateExpression(idNode)
      ? idNode
          .getText()
          .slice(1, -1)
          .replace(/\$\{[^}]*\}/g, 'x')
      : undefined);
  const cap = word[0].toUpperCase() + word.slice(1);
  if (id !== undefined && /^[a-z0-9]+([-_][a-z0-9]+)+$/.test(id)) return (id.includes('_') && !id.includes('-') ? '_' : '-') + word;
  // Capitalized words joined by hyphens (`IDS-Simulations-Table`): one more (`-Key`).
  if (id !== undefined && /^[A-Z0-9][A-Za-z0-9]*(-[A-Z0-9][A-Za-z0-9]*)+$/.test(id)) return '-' + cap;
  if (pulumi && id !== undefined && !/[A-Z]/.test(id)) return '-' + word;
  return cap;
}

function isArnLike(s: string): boolean {
  return /^(arn:|alias\/|mrk-|[0-9a-f]{8}-[0-9a-f]{4}-)/.test(s);
}

/** What a table's deployed name is read from, on the table's expression. */
function tableNameOf(t: TsTable, expr: string): string {
  if (t.framework === 'cdk') return t.kind === 'CfnTable' ? `${expr}.ref` : `${expr}.tableName`;
  return `${expr}.name`;
}

type Anchor = ReturnType<typeof sharedAnchor>;

interface KeyGroup {
  tables: TsTable[];
  statement: ts.Statement;
}

/** Declarations shared by the tables of one scope: the lookups (CDKTF, Pulumi) or the imported key (CDK). */
interface SharedScope {
  groups: KeyGroup[];
  /** Lookup variable per placeholder, or the imported key's variable under `key`. */
  vars: Partial<Record<Placeholder | 'key', string>>;
}

class FilePlanner {
  private readonly sf: ts.SourceFile;
  private readonly text: string;
  private readonly style: ReturnType<typeof detectTsStyle>;
  /** The alias names the file gives (aliasNames.ts), once a fix writes an alias. */
  private aliasNames?: Set<string>;
  private readonly taken: Set<string>;
  private readonly imports: ImportPlanner;
  private readonly ctx: EditCtx;
  private readonly names: Names;
  private readonly mode: KeyPolicyMode;
  /** `key: deny_direct_grants` (src/rule/keyPolicy.ts DENY_DIRECT_GRANTS). */
  private readonly denyDirectGrants: boolean;
  /** Declarations to insert before a statement, in order, with the tables each serves; written out together at the end. */
  private readonly pending = new Map<ts.Statement, { line: string; tables: string[] }[]>();
  /**
   * CDKTF lookups this plan declares, by what selects them (placeholder, scope, provider, and the Region lookup's
   * `region`): a later scope of the same block reuses the account and partition lookups of an earlier one that
   * differs only by a table's own `region`, and serves its tables too.
   */
  private readonly lookupsDeclared: { key: string; container: ts.Node; at: number; name: string; entry: { tables: string[] } }[] = [];
  /** Edits after the table statements (aliases) and on them (bindings), applied after the declarations. */
  private readonly after: Edit[] = [];
  /** Module-level declarations (the policy helper, a shared ARN), written after the imports. */
  private readonly moduleDecls: string[] = [];
  private readonly helpers = new Map<string, string>();
  readonly ref: Ref = (m, member) => this.imports.ref(m, member);
  readonly refType: Ref = (m, member) => this.imports.refType(m, member);

  constructor(
    file: SourceFile,
    private readonly detection: TsDetection,
    private readonly chosen: TsTable[],
    private readonly options: FixOptions,
    private readonly project: Project,
  ) {
    this.sf = detection.sf;
    this.text = file.text;
    const style = detectTsStyle(this.sf);
    // Prettier's printWidth is the width new code fits in; its trailingComma, when set, says what a call's arguments take (es5: none there).
    const prettier = project.prettier;
    this.style = !prettier
      ? style
      : {
          ...style,
          width: prettier.printWidth,
          tabWidth: prettier.tabWidth,
          prettier: true,
          ...(prettier.trailingCommaArgs === undefined ? {} : { trailingCommaArgs: prettier.trailingCommaArgs }),
        };
    // Every name of the file, and every name added: imports never clash with a name, nor new names with an import.
    this.taken = new Set();
    this.names = new Names(this.sf, this.taken);
    this.imports = new ImportPlanner(
      this.sf,
      detection.imports,
      this.taken,
      this.style,
      importModeOf(constructOf(chosen[0]).expression, detection.imports, detection.binds),
      { ...writingOf(chosen[0], detection), ...(project.prettier ? { prettier: { trailingComma: project.prettier.trailingComma } } : {}) },
    );
    this.ctx = { sf: this.sf, text: this.text, style: this.style, edits: [] };
    this.mode = options.keyPolicy ?? DEFAULT_KEY_POLICY;
    this.denyDirectGrants = options.key?.denyDirectGrants === true;
  }

  private sym = (e: ts.Expression) => resolveSymbol(e, this.detection.binds);
  private q = (s: string) => quote(s, this.style.quote);

  private declare(st: ts.Statement, name: string | undefined, value: Code, tables: TsTable[]): { tables: string[] } {
    const indent = lineIndentOf(this.text, st.getStart(this.sf));
    const prefix = name ? `const ${name} = ` : '';
    const list = this.pending.get(st) ?? [];
    const entry = {
      line: `${prefix}${render(value, this.style, indent, prefix.length, this.style.semi ? 1 : 0)}${this.style.semi ? ';' : ''}`,
      tables: tables.map((t) => t.address),
    };
    list.push(entry);
    this.pending.set(st, list);
    return entry;
  }

  /**
   * The table's parent and provider as its key, alias and lookups write them, and a CDKTF table's own `region`
   * (its key, alias and Region lookup get it: cdktfRegion.ts) (src/formats/typescript/options.ts).
   */
  private placementText(t: TsTable): { parent?: string; provider?: string; region?: string } {
    const p = optionsOf(t, this.sf);
    return { parent: p.parent?.text, provider: p.provider?.text, ...(p.region ? { region: p.region.text } : {}) };
  }

  /** Key groups: one per table, or (--key-strategy shared) one per block, scope and placement. */
  private keyGroups(): KeyGroup[] {
    const groups: KeyGroup[] = [];
    const same = (a: TsTable, b: TsTable) =>
      keyStatementOf(a).parent === keyStatementOf(b).parent &&
      a.scopeText === b.scopeText &&
      a.framework === b.framework &&
      JSON.stringify(this.placementText(a)) === JSON.stringify(this.placementText(b));
    for (const t of this.chosen) {
      const g = this.options.keyStrategy === 'shared' ? groups.find((x) => same(x.tables[0], t)) : undefined;
      if (g) g.tables.push(t);
      else groups.push({ tables: [t], statement: keyStatementOf(t) });
    }
    return groups;
  }

  plan(): FilePlan {
    const arn = this.options.kmsKeyArn;
    const groups = this.keyGroups();
    // With --kms-key-arn, CDK's Table and TableV2 still need a key object: Key.fromKeyArn, once per scope.
    const needsKeyObject = (t: TsTable) => t.framework === 'cdk' && t.kind !== 'CfnTable';
    const keyed =
      arn !== undefined ? groups.filter((g) => g.tables.some(needsKeyObject)) : groups.filter((g) => g.tables[0].framework !== 'cdk');
    const scopeLists = this.scopeLists(keyed, arn !== undefined && !isArnLike(arn));

    let arnRef: Code | undefined;
    if (arn !== undefined && !isArnLike(arn)) arnRef = raw(arn);
    else if (arn !== undefined) {
      // The ARN written once per file when it would be written twice or more (or is already a constant).
      const uses = this.chosen.filter((t) => !needsKeyObject(t)).length + scopeLists.length;
      const existing = this.arnConstantOf(arn);
      arnRef = existing ? raw(existing) : uses > 1 ? raw(this.arnConstant(arn)) : str(arn);
    }
    const scopeOf = new Map<KeyGroup, SharedScope>();
    for (const { groups: list, anchor } of scopeLists) {
      const scope = this.declareScope(list, anchor, arnRef);
      for (const g of list) scopeOf.set(g, scope);
    }

    for (const g of groups) {
      const shared = g.tables.length > 1 || this.options.keyStrategy === 'shared';
      let keyVar: string | undefined;
      if (arnRef) {
        keyVar = scopeOf.get(g)?.vars.key;
      } else {
        keyVar = this.generatedKey(g, shared, scopeOf.get(g));
        this.alias(g, keyVar, shared);
      }
      for (const t of g.tables) {
        const key = arnRef && !needsKeyObject(t) ? arnRef : raw(keyRefForTable(t, keyVar!));
        const from = this.ctx.edits.length;
        const settings = tableSettings(t, this.ref, key, this.sym);
        if (t.spreadOf) spreadProps(this.ctx, t.spreadOf, t.props!, settings);
        else applySettings(this.ctx, t.props!, settings);
        serving(this.ctx.edits, from, [t.address]);
      }
    }
    this.flush();
    this.ctx.edits.push(...this.after);
    const dropped = this.dropUnusedLookups();
    this.ctx.edits.push(...this.imports.edits((m) => /^(aws-cdk-lib|@aws-cdk\/|@cdktf\/|@pulumi\/|cdktf$)/.test(m)));
    this.writeModuleDecls();
    // A removed import's choices: the first no other edit overlaps (none: the import stays).
    for (const choices of dropped.tables?.length === 0 ? [] : this.imports.dropEdits()) {
      const fits = choices.find((c) => !overlaps(this.ctx.edits, c.start, c.end));
      if (fits) this.ctx.edits.push(dropped.tables ? { ...fits, tables: dropped.tables } : fits);
    }
    return { edits: this.ctx.edits, fixed: this.chosen.map((t) => t.address) };
  }

  /**
   * The lookups of the AWS managed key that the table edits leave unused, removed (unusedLookups.ts), and the named
   * imports only they used handed to the import planner to remove. Returns the tables those removals serve.
   */
  private dropUnusedLookups(): { tables?: string[] } {
    const lookups = droppedLookups(this.sf, this.text, this.ctx.edits);
    const inPlace = replacedLookups(this.sf, this.ctx.edits);
    if (lookups.length === 0 && inPlace.by.length === 0) return { tables: [] };
    const removed = lookups.map((l) => l.edit);
    this.ctx.edits.push(...removed);
    const kept = (n: ts.Identifier) => {
      const at = n.getStart(this.sf);
      return !this.ctx.edits.some((e) => e.end > e.start && e.start <= at && n.end <= e.end);
    };
    const added = [...this.ctx.edits.map((e) => e.text), ...this.moduleDecls];
    for (const name of new Set([...lookups.flatMap((l) => l.names), ...inPlace.names])) {
      if (added.some((t) => mentions(t, name)) || identifiersNamed(this.sf, name).some(kept)) continue;
      this.imports.drop(name);
    }
    // An import is unused once every removal and replacement is applied: the tables all of them serve.
    return { tables: common([...removed, ...inPlace.by].map((e) => e.tables)) };
  }

  // ------------------------------------------------------------ shared scopes

  /**
   * The key groups that share declarations (same function, framework, scope argument and placement),
   * and where those declarations go: hoisted to a block around them all when every name they need is
   * seen there, else one set per group.
   */
  private scopeLists(groups: KeyGroup[], arnInBlock: boolean): { groups: KeyGroup[]; anchor: Anchor }[] {
    const byKey = new Map<string, KeyGroup[]>();
    const fnIds = new Map<ts.Node, number>();
    for (const g of groups) {
      const t = g.tables[0];
      const fn = functionOf(g.statement);
      if (!fnIds.has(fn)) fnIds.set(fn, fnIds.size);
      // An ARN given as an expression may name variables of the table's block: it stays in that block.
      const block = arnInBlock ? g.statement.parent.pos : '';
      const k = JSON.stringify([fnIds.get(fn), t.framework, t.scopeText, this.placementText(t), block]);
      byKey.set(k, [...(byKey.get(k) ?? []), g]);
    }
    const out: { groups: KeyGroup[]; anchor: Anchor }[] = [];
    for (const list of byKey.values()) {
      const t = list[0].tables[0];
      const p = optionsOf(t, this.sf);
      const scopeNode = t.framework === 'pulumi' ? undefined : constructOf(t).arguments?.[0];
      const names = [scopeNode, p.parent?.needs, p.provider?.needs, p.region?.needs].flatMap((n) => (n ? freeNames(n) : []));
      // (An ARN expression is not moved out of its block, nor out of a loop.)
      const anchor = arnInBlock
        ? { container: list[0].statement.parent as Anchor['container'], statement: list[0].statement }
        : sharedAnchor(list.map((g) => g.statement));
      if (names.every((n) => visibleAt(n, anchor.container, anchor.statement.getStart(this.sf)))) out.push({ groups: list, anchor });
      else
        for (const g of list)
          out.push({ groups: [g], anchor: { container: g.statement.parent as Anchor['container'], statement: g.statement } });
    }
    return out;
  }

  private declareScope(groups: KeyGroup[], anchor: Anchor, arnCode: Code | undefined): SharedScope {
    const t = groups[0].tables[0];
    const at = anchor.statement.getStart(this.sf);
    const visible = constsVisibleAt(anchor.container, at);
    const scope: SharedScope = { groups, vars: {} };
    /** The declarations of a scope serve its tables. */
    const served = groups.flatMap((g) => g.tables);
    const p = this.placementText(t);
    // Options compared as written, with `{ provider }` the same as `{ provider: provider }` (what earlier runs wrote).
    const norm = (x: string) => x.replace(/\s+/g, '').replace(/([{,])([A-Za-z_$][\w$]*)(?=[,}])/g, '$1$2:$2');
    const same = (a: ts.Expression | undefined, b: string | undefined) => (a ? norm(a.getText(this.sf)) : undefined) === (b && norm(b));
    if (arnCode) {
      // Key.fromKeyArn(<scope>, '<id>', <the same ARN>) already there?
      const found = visible.find(
        ({ init }) =>
          ts.isCallExpression(init) &&
          this.sym(init.expression) === 'aws-cdk-lib/aws-kms#Key.fromKeyArn' &&
          init.arguments[0]?.getText(this.sf) === t.scopeText &&
          init.arguments[2] !== undefined &&
          this.sameArn(init.arguments[2], arnCode),
      );
      if (found) scope.vars.key = found.name;
      else {
        scope.vars.key = this.names.variable(['dynamoDbKey'], anchor.statement);
        this.declare(
          anchor.statement,
          scope.vars.key,
          cdkImportedKey(this.ref, t.scopeText!, this.onceId('DynamoDBKey', anchor, t), arnCode),
          served,
        );
      }
      return scope;
    }
    for (const ph of helperParams(this.mode)) {
      const found = visible.find(({ init }) => {
        if (t.framework === 'pulumi') {
          if (!ts.isCallExpression(init) || this.sym(init.expression) !== `@pulumi/aws#${PULUMI_LOOKUP[ph].fn}`) return false;
          const [args, opts] = init.arguments;
          const noArgs =
            !args || (ts.isObjectLiteralExpression(unwrap(args)) && (unwrap(args) as ts.ObjectLiteralExpression).properties.length === 0);
          const wanted = this.pulumiOptsText(p, false);
          return noArgs && (opts ? same(opts, wanted) : wanted === undefined);
        }
        const cls = `${cdktfLookupModule(ph, layoutOf(t))}#${CDKTF_LOOKUP[ph].cls}`;
        if (!ts.isNewExpression(init) || this.sym(init.expression) !== cls) return false;
        const [s, , config] = init.arguments ?? [];
        if (s?.getText(this.sf) !== t.scopeText) return false;
        if (!config) return p.provider === undefined;
        const c = unwrap(config);
        if (!ts.isObjectLiteralExpression(c)) return false;
        // Only the provider may be set: `name` or `endpoint` would select another Region; and the Region lookup of a
        // table with a `region` of its own, that `region`.
        const own = ph === 'region' ? p.region : undefined;
        const props = c.properties.map((x) => (x.name && ts.isIdentifier(x.name) ? x.name.text : '?'));
        const provider = lookup(this.sf, c, 'provider');
        const region = lookup(this.sf, c, 'region');
        return (
          props.every((n) => n === 'provider' || (own !== undefined && n === 'region')) &&
          (provider.kind === 'value' ? same(provider.value, p.provider) : p.provider === undefined) &&
          (region.kind === 'value' ? same(region.value, own) : own === undefined)
        );
      });
      if (found) {
        scope.vars[ph] = found.name;
        continue;
      }
      // Declared by this plan for an earlier scope of the block (the account and partition of a table with a `region` of its own).
      const own = ph === 'region' && p.region !== undefined;
      const lookupKey = JSON.stringify([ph, t.scopeText, p.provider, own ? p.region : undefined]);
      const earlier =
        t.framework === 'cdktf'
          ? this.lookupsDeclared.find((d) => d.key === lookupKey && d.container === anchor.container && d.at <= at)
          : undefined;
      if (earlier) {
        scope.vars[ph] = earlier.name;
        earlier.entry.tables.push(...served.map((x) => x.address).filter((a) => !earlier.entry.tables.includes(a)));
        continue;
      }
      // `westRegion` for the lookups of a table with `provider: west`; `tableRegion` for the Region a table's own `region` selects.
      const base = ph === 'account' ? 'callerIdentity' : own ? 'tableRegion' : ph;
      const cap = (x: string) => x[0].toUpperCase() + x.slice(1);
      const via = providerName(p.provider);
      const name = this.names.variable(via ? [via + cap(base)] : own ? [base] : [base, 'current' + cap(base)], anchor.statement);
      scope.vars[ph] = name;
      if (t.framework === 'pulumi') {
        const opts = this.pulumiOptsText(p, false);
        this.declare(anchor.statement, name, pulumiLookup(this.ref, ph, opts ? raw(opts) : undefined), served);
      } else {
        const entry = this.declare(
          anchor.statement,
          name,
          cdktfLookup(this.ref, ph, {
            scope: t.scopeText!,
            id: this.onceId((own ? 'Table' : '') + CDKTF_LOOKUP[ph].id + (via ? cap(via) : ''), anchor, t),
            provider: p.provider,
            region: own ? p.region : undefined,
            layout: layoutOf(t),
          }),
          served,
        );
        this.lookupsDeclared.push({ key: lookupKey, container: anchor.container, at, name, entry });
      }
    }
    return scope;
  }

  /**
   * The id of what the fix declares once for some tables (CDKTF lookups, an imported or a shared key
   * and its alias): `base` where the code runs once, else derived from the first table's id, as its
   * own key's is (`${name}CallerIdentity`, `${name}-orders-dynamodb-tables-key`), or `base` would be
   * declared twice and the deploy tool stop. CDK and CDKTF: an id is unique in its scope, so a
   * constructor or a module's top level runs once per scope (a loop's body is left by sharedAnchor, but
   * for what goes through each iteration's own provider: not once);
   * any other function (a helper method, a `forEach` callback) may run twice with one scope ("There is
   * already a Construct with name ..."). Pulumi: a name is unique in the stack for its type and its
   * parents' types, so only a module's top level runs once: two instances of a component would
   * declare `base` twice ("Duplicate resource URN"). `base` too when the table's id names something
   * not visible where the declaration goes.
   */
  private onceId(base: string, anchor: Anchor, first: TsTable, pulumi = false): Code {
    const uniqueId = (x: string) => this.names.id(x, anchor.statement, pulumi);
    const fn = functionOf(anchor.statement);
    // A loop's body runs more than once, in a constructor too (a lookup through each iteration's provider stays in it).
    let looped = false;
    for (let cur: ts.Node | undefined = anchor.statement.parent; cur && cur !== fn && !looped; cur = cur.parent)
      looped = ts.isIterationStatement(cur, false);
    const once = !looped && (!ts.isFunctionLike(fn) || (!pulumi && ts.isConstructorDeclaration(fn)));
    const idNode = first.idNode;
    const at = anchor.statement.getStart(this.sf);
    if (once || !idNode || !freeNames(idNode).every((n) => visibleAt(n, anchor.container, at))) return raw(this.q(uniqueId(base)));
    return derivedId(this.sf, idNode, pulumi ? `-${base}` : base, this.style.quote, uniqueId);
  }

  /** Pulumi options for what the fix adds beside a table: its parent and provider (and retainOnDelete for a key). */
  private pulumiOptsText(p: { parent?: string; provider?: string }, retain: boolean): string | undefined {
    const entries: string[] = [];
    // `{ parent }` where the value is a variable of the option's name, as such code writes it (an SST component).
    const entry = (k: string, v: string) => (v === k ? k : `${k}: ${v}`);
    if (p.parent) entries.push(entry('parent', p.parent));
    if (p.provider) entries.push(entry('provider', p.provider));
    if (retain) entries.push('retainOnDelete: true');
    return entries.length ? `{ ${entries.join(', ')} }` : undefined;
  }

  // ------------------------------------------------------------ keys and aliases

  private generatedKey(g: KeyGroup, shared: boolean, scope: SharedScope | undefined): string {
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
  private alias(g: KeyGroup, keyVar: string, shared: boolean): void {
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

  // ------------------------------------------------------------ module-level declarations

  /** The file's key-policy helper for a framework: one already in the file (an earlier run), or a new one. */
  private policyHelper(first: TsTable): string {
    const framework = first.framework;
    const known = this.helpers.get(framework);
    if (known) return known;
    const marker = framework === 'cdk' ? 'PolicyDocument' : framework === 'cdktf' ? 'JSON.stringify' : 'jsonStringify';
    const arity = framework === 'cdk' ? 0 : helperParams(this.mode).length;
    for (const st of this.sf.statements) {
      if (!ts.isFunctionDeclaration(st) || !st.name?.text.startsWith(POLICY_HELPER) || st.parameters.length !== arity) continue;
      const body = st.getText(this.sf);
      if (body.includes(marker) && holdsKeyPolicy(body, this.mode, this.denyDirectGrants)) {
        this.helpers.set(framework, st.name.text);
        return st.name.text;
      }
    }
    const name = this.names.variable([POLICY_HELPER]);
    this.helpers.set(framework, name);
    const region: RegionAttribute = framework === 'pulumi' && (this.project.pulumiAwsMajor ?? 0) >= 7 ? 'region' : 'name';
    const built =
      framework === 'cdk'
        ? this.cdkPolicyHelper()
        : framework === 'cdktf'
          ? cdktfPolicyHelper(this.refType, this.mode, region, layoutOf(first), this.denyDirectGrants)
          : pulumiPolicyHelper(this.ref, this.refType, this.mode, region, this.denyDirectGrants);
    this.moduleDecls.push(renderFunction({ comment: policyComment(this.mode, this.denyDirectGrants), name, ...built }, this.style));
    return name;
  }

  /** The CDK helper's body and return type (its PolicyDocument referred to as a value first: a type-only import would not do). */
  private cdkPolicyHelper(): { params: string[]; returns: string; value: Code } {
    const value = cdkPolicyDocument(this.ref, this.mode, this.denyDirectGrants);
    return { params: [], returns: this.refType(CDK_IAM, ['PolicyDocument']), value };
  }

  /** A module-level constant of the file that holds this ARN. */
  private arnConstantOf(arn: string): string | undefined {
    for (const st of this.sf.statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && stringValue(unwrap(d.initializer)) === arn) return d.name.text;
      }
    }
    return undefined;
  }

  /** Does this argument give the ARN the fix uses (the same literal, expression or constant)? */
  private sameArn(e: ts.Expression, arnCode: Code): boolean {
    const arn = this.options.kmsKeyArn!;
    const u = unwrap(e);
    if (stringValue(u) === arn) return true;
    if (ts.isIdentifier(u) && this.arnConstantOf(arn) === u.text) return true;
    return arnCode.kind === 'raw' && u.getText(this.sf) === arnCode.text;
  }

  /** A new module-level constant holding the ARN (--kms-key-arn). */
  private arnConstant(arn: string): string {
    const name = this.names.variable(['dynamoDbKeyArn']);
    this.moduleDecls.push(`const ${name} = ${this.q(arn)}${this.style.semi ? ';' : ''}`);
    return name;
  }

  /** Module-level declarations go after the last import, each after a blank line. */
  private writeModuleDecls(): void {
    if (this.moduleDecls.length === 0) return;
    const eol = this.style.eol;
    const body = this.moduleDecls.join(eol + eol);
    const lastImport = [...this.sf.statements].reverse().find((st) => ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st));
    if (!lastImport) {
      this.ctx.edits.push({ start: 0, end: 0, text: body + eol + eol });
      return;
    }
    const at = lineEndOf(this.text, lastImport.end);
    const next = this.text.slice(at).replace(/^\r?\n/, '');
    const blankAfter = /^[ \t]*(\r?\n|$)/.test(next);
    this.ctx.edits.push({ start: at, end: at, text: eol + eol + body + (blankAfter ? '' : eol) });
  }

  /**
   * Write the declarations collected for each statement: one insertion per declaration, each serving
   * its tables (the insertions at one point apply in order, as one block).
   */
  private flush(): void {
    const { sf, text } = this;
    for (const [st, lines] of this.pending) {
      const at = statementStart(sf, st);
      const indent = lineIndentOf(text, st.getStart(sf));
      const ls = lineStartOf(text, at);
      if (/^[ \t]*$/.test(text.slice(ls, at))) {
        for (const l of lines) this.ctx.edits.push({ start: ls, end: ls, text: indent + l.line + this.style.eol, tables: l.tables });
        // A blank line before the table's statement: the new block gets one after it too.
        const prevLine = ls > 0 ? text.slice(lineStartOf(text, ls - 1), ls) : '';
        if (ls > 0 && prevLine.trim() === '')
          this.ctx.edits.push({ start: ls, end: ls, text: this.style.eol, tables: [...new Set(lines.flatMap((l) => l.tables))] });
      } else {
        for (const l of lines) this.ctx.edits.push({ start: at, end: at, text: l.line + ' ', tables: l.tables });
      }
    }
  }
}

/** An edit of a comment that binding a table statement leaves unused. */
type Unused = { start: number; end: number; text: string };

/**
 * The `// eslint-disable-next-line no-new` just above a table statement `new Table(...)` (as eslint-config-standard
 * and airbnb's `no-new` make CDK code write it), which binding the statement to a `const` leaves unused: ESLint 9
 * reports an unused directive (and `--max-warnings 0` fails). The edit removing it: the comment (and its line break),
 * or `no-new` alone from a list of rules; undefined when there is none. Only an indented comment: the key's
 * declarations are inserted at its line's start, which a removal from there would overlap.
 */
function noNewDirective(text: string, statementStart: number): Unused | undefined {
  const ls = lineStartOf(text, statementStart);
  if (ls === 0 || text.slice(ls, statementStart).trim() !== '') return undefined;
  const prev = lineStartOf(text, ls - 1);
  const line = text.slice(prev, ls).replace(/\r?\n$/, '');
  const m = /^([ \t]*)(\/\/|\/\*)\s*eslint-disable-next-line\s+(.*?)\s*(--[^*]*)?(\*\/)?\s*$/.exec(line);
  if (!m || (m[2] === '/*') !== (m[5] !== undefined) || !m[1]) return undefined;
  // The comment's line, up to the statement (its indent stays, as the line's own).
  return withoutNoNew(m[3], prev + line.indexOf(m[3], m[1].length + m[2].length), { start: prev + m[1].length, end: statementStart });
}

/** The same for `// eslint-disable-line no-new` ending the statement's first line: the comment and the blanks before it. */
function noNewOnLine(text: string, statementStart: number): Unused | undefined {
  const line = text.slice(statementStart, lineEndOf(text, statementStart)).replace(/\r$/, '');
  const m = /([ \t]*)\/\/\s*eslint-disable-line\s+(.*?)\s*(--.*)?$/.exec(line);
  if (!m) return undefined;
  const at = statementStart + m.index;
  return withoutNoNew(m[2], at + m[0].indexOf(m[2], m[1].length + 2), { start: at, end: at + m[0].length });
}

/** A directive's rule list `rules` (at `listStart`) without no-new: the whole `comment` gone when no-new is all it names. */
function withoutNoNew(rules: string, listStart: number, comment: { start: number; end: number }): Unused | undefined {
  const names = rules.split(/\s*,\s*/);
  if (!names.includes('no-new')) return undefined;
  if (names.length === 1) return { ...comment, text: '' };
  return { start: listStart, end: listStart + rules.length, text: names.filter((r) => r !== 'no-new').join(', ') };
}

/**
 * How new imports are written for the file of this table: AWS CDK v1 modules for a v1 table, CDK
 * Terrain's for a table imported from `@cdktn/provider-aws`, the provider's files (`/index.js`) where the
 * table's class is imported so, and
 * `import x = require('m')` when the table's class is imported so.
 */
function writingOf(t: TsTable, detection: TsDetection): ImportWriting {
  let root: ts.Expression = constructOf(t).expression;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  const name = ts.isIdentifier(root) ? root.text : undefined;
  const info = detection.imports.find((i) => i.namespace === name || i.named.some((n) => n.local === name));
  const spell =
    t.generation === 'cdk-v1' ? cdkV1Module : info && isCdktn(info.module) ? cdktnModule : info ? cdkSpelling(info.module) : undefined;
  // An ES module imports the provider's classes by file (`.../lib/dynamodb-table/index.js`: the package has no exports
  // map, and Node resolves no folder in an import): new ones the same way.
  const byFile = info && /^@cdk(?:tf|tn)\/provider-aws\/lib\/[^/]+\/index\.js$/.test(info.module);
  return {
    spell: byFile
      ? (m) => {
          const s = spell ? spell(m) : m;
          return /^@cdk(?:tf|tn)\/provider-aws\/lib\/[^/]+$/.test(s) ? `${s}/index.js` : s;
        }
      : spell,
    requireStyle: !!info && ts.isImportEqualsDeclaration(info.decl),
  };
}

/** What the project around a file declares that the fix follows (project.ts). */
interface Project {
  /** The major version of @pulumi/aws the nearest package.json that lists it allows (Pulumi 7 reads the Region as `.region`). */
  pulumiAwsMajor?: number;
  /** The project's Prettier print width, when it has a Prettier configuration: import lists longer than it are wrapped. */
  prettier?: PrettierWidth;
}

export async function fixTypeScript(
  group: GroupMember<TsDetection>[],
  options: FixOptions,
  context?: DiskContext,
): Promise<Map<string, FilePlan>> {
  const plans = new Map<string, FilePlan>();
  for (const { file, detection, targets } of group) {
    const targeted = detection.tables.filter((t) => targets.includes(t.address));
    // A key without its type gets the type alone, and no key (typeOnly.ts): written before anything else is planned.
    const typed = targeted.filter((t) => typeOnlyFix(t.encryption));
    if (typed.length > 0) {
      const ctx: EditCtx = { sf: detection.sf, text: file.text, style: detectTsStyle(detection.sf), edits: [] };
      plans.set(file.path, { edits: ctx.edits, fixed: planTypeOnly(ctx, LineIndex.of(file.text), typed) });
    }
    // A table switched off beside a key of its own gets its switch on alone, and no key (switchOnly.ts).
    const switched = targeted.filter((t) => !typed.includes(t) && switchAlone(t));
    if (switched.length > 0) {
      const plan = plans.get(file.path) ?? { edits: [], fixed: [] };
      plan.fixed.push(...planSwitchOnly(detection.sf, plan.edits, switched));
      plans.set(file.path, plan);
    }
    const rest = targeted.filter((t) => !typed.includes(t) && !switched.includes(t));
    // CloudFormation resources written as object literals (a serverless.ts): their own plan (fixResources.ts).
    let resources = rest.filter((t) => t.kind === 'CfnResource');
    // A description or tag holding `${`, which the Serverless Framework would resolve in serverless.ts and cannot escape.
    const variable = options.kmsKeyArn ? undefined : frameworkVariableIn(options.key);
    const unescaped = variable ? resources.map((t) => ({ address: t.address, reason: noFrameworkEscape(variable, file.path) })) : [];
    if (unescaped.length > 0) resources = [];
    if (resources.length > 0) {
      const ctx: EditCtx = { sf: detection.sf, text: file.text, style: detectTsStyle(detection.sf), edits: [] };
      const plan = { edits: ctx.edits, fixed: planResources(ctx, resources, options) };
      const planned = plans.get(file.path);
      if (planned) {
        plan.edits.push(...planned.edits);
        plan.fixed.push(...planned.fixed);
      }
      plans.set(file.path, plan);
    }
    let chosen = rest.filter((t) => t.props && t.statement && t.kind !== 'CfnGlobalTable');
    const arn = options.kmsKeyArn;
    const aliased = arn
      ? chosen.flatMap((t) =>
          providerAliasArn(arn, t.framework) ? [{ address: t.address, reason: providerAliasArn(arn, t.framework)! }] : [],
        )
      : [];
    const declined = [
      ...unescaped,
      ...aliased,
      ...(arn ? otherRegions(detection, chosen, arn) : []).filter((d) => !aliased.some((a) => a.address === d.address)),
    ];
    if (declined.length > 0) chosen = chosen.filter((t) => !declined.some((d) => d.address === t.address));
    if (chosen.length === 0) {
      if (declined.length > 0) plans.set(file.path, { ...(plans.get(file.path) ?? { edits: [], fixed: [] }), declined });
      continue;
    }
    // The package.json is read only for a Pulumi program's keys (their policy names the Region).
    const project: Project = chosen.some((t) => t.framework === 'pulumi' && !options.kmsKeyArn)
      ? { pulumiAwsMajor: majorOf(await declaredRange(file, '@pulumi/aws', context)) }
      : {};
    const prettier = await prettierWidth(file, context);
    if (prettier) project.prettier = prettier;
    const plan = new FilePlanner(file, detection, chosen, options, project).plan();
    if (declined.length > 0) plan.declined = [...(plan.declined ?? []), ...declined];
    const planned = plans.get(file.path);
    if (planned) {
      plan.edits.push(...planned.edits);
      plan.fixed.push(...planned.fixed);
    }
    plans.set(file.path, plan);
  }
  return plans;
}

/**
 * The tables whose own key lacks only its type (src/rule/cmk.ts untypedKey): `sseType: 'KMS'` (a resource's
 * `SSEType`) added to the settings they hold (detection found them so: typeOnly.ts), in the file's quotes; the
 * key stays. Returns the addresses fixed.
 */
function planTypeOnly(ctx: EditCtx, lines: LineIndex, tables: TsTable[]): string[] {
  for (const t of tables) {
    const where = typeOnlyBlock(ctx.sf, lines, t, t.spreadOf);
    if ('step' in where) throw new Error(`table ${t.address}: ${where.step}`);
    const from = ctx.edits.length;
    const type = t.kind === 'CfnResource' ? TYPE_NAMES.resource.type : TYPE_NAMES.props.type;
    applySettings(ctx, where.block, [{ key: type, value: str('KMS'), keep: (e) => stringValue(unwrap(e)) === 'KMS' }]);
    serving(ctx.edits, from, [t.address]);
  }
  return addresses(tables);
}

/**
 * The tables switched off beside a customer-managed key of their own (src/rule/cmk.ts switchedOff): the switch's
 * `false` token made `true`, every other byte kept; the key stays and none is written. Returns the addresses fixed.
 */
function planSwitchOnly(sf: ts.SourceFile, edits: Edit[], tables: TsTable[]): string[] {
  for (const t of tables) {
    const token = switchToken(t)!;
    const from = edits.length;
    edits.push({ start: token.getStart(sf), end: token.getEnd(), text: 'true' });
    serving(edits, from, [t.address]);
  }
  return addresses(tables);
}

/** Tables --kms-key-arn cannot serve: the file writes their Region, and the key is in another. */
function otherRegions(detection: TsDetection, chosen: TsTable[], arn: string): { address: string; reason: string }[] {
  const sym = (e: ts.Expression) => resolveSymbol(e, detection.binds);
  const out: { address: string; reason: string }[] = [];
  for (const t of chosen) {
    const options = t.framework === 'cdk' ? undefined : optionsOf(t, detection.sf);
    const provider = options?.provider;
    // A CDKTF table's own `region` (cdktfRegion.ts) is its Region, whatever its provider's.
    const own = options?.region;
    const where = t.framework === 'cdk' ? "its stack's env.region" : own ? `region: ${own.text}` : `provider ${provider?.text}`;
    const regions = own ? ownRegionOf(own.value) : tableRegionsOf(t, detection.sf, sym, provider?.value);
    // A `region` of its own that is not a literal may be any Region: the key's cannot be shown to be it (adversarial
    // pass of session 57, H2), where a provider's unknown Region is the one the key is taken to be for, as before.
    const reason =
      own && regions === undefined && keyArnRegion(arn)
        ? `--kms-key-arn names a key in ${keyArnRegion(arn)}, and this table's Region is ${where}, which kmsfix cannot read as a literal: a table's key must be in its Region (write the Region as a literal, or give the key by hand)`
        : keyRegionMismatch(arn, regions, where);
    if (reason) out.push({ address: t.address, reason });
  }
  return out;
}
