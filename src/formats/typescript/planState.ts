/**
 * What a TypeScript file's fix plans with (fix.ts): the file, its style, its names and imports, the tables chosen, the
 * declarations gathered before each statement, and what every part of the plan asks (a table's placement, an id declared
 * once, Pulumi options). The parts build on it: moduleDecls.ts, sharedScopes.ts, generatedKeys.ts, then fix.ts's FilePlanner.
 */
import { DEFAULT_KEY_POLICY, type KeyPolicyMode, type Placeholder } from '../../rule/keyPolicy.js';
import { lineIndentOf } from '../../core/text.js';
import type { Edit, FixOptions, SourceFile } from '../../core/types.js';
import { quote, raw, render, type Code } from './code.js';
import { constructOf, type TsDetection, type TsTable } from './tableTypes.js';
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
import type { PrettierWidth } from './prettier.js';
import type { CdktfLayout, Ref } from './keys.js';
import type { EditCtx } from './objects.js';
import { ts } from './parse.js';
import { Names } from './names.js';
import { freeNames, functionOf, type sharedAnchor, visibleAt } from './scopes.js';
import { detectTsStyle } from './style.js';
import { optionsOf } from './options.js';
import { derivedId } from './generatedNames.js';

export const addresses = (tables: TsTable[]) => tables.map((t) => t.address);

/** The statement a table's key is declared before: the table's own, or the `const` that holds its props. */
export const keyStatementOf = (t: TsTable): ts.Statement => t.keyStatement ?? t.statement!;

/** The @cdktf/provider-aws layout the table's file imports it in (the key and lookups come from the same one). */
export const layoutOf = (t: TsTable): CdktfLayout => (t.generation === 'cdktf-namespaced' ? 'namespaced' : 'lib');

export type Anchor = ReturnType<typeof sharedAnchor>;

export interface KeyGroup {
  tables: TsTable[];
  statement: ts.Statement;
}

/** Declarations shared by the tables of one scope: the lookups (CDKTF, Pulumi) or the imported key (CDK). */
export interface SharedScope {
  groups: KeyGroup[];
  /** Lookup variable per placeholder, or the imported key's variable under `key`. */
  vars: Partial<Record<Placeholder | 'key', string>>;
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
export interface Project {
  /** The major version of @pulumi/aws the nearest package.json that lists it allows (Pulumi 7 reads the Region as `.region`). */
  pulumiAwsMajor?: number;
  /** The project's Prettier print width, when it has a Prettier configuration: import lists longer than it are wrapped. */
  prettier?: PrettierWidth;
}

export abstract class PlanState {
  protected readonly sf: ts.SourceFile;
  protected readonly text: string;
  protected readonly style: ReturnType<typeof detectTsStyle>;
  /** The alias names the file gives (aliasNames.ts), once a fix writes an alias. */
  protected aliasNames?: Set<string>;
  private readonly taken: Set<string>;
  protected readonly imports: ImportPlanner;
  protected readonly ctx: EditCtx;
  protected readonly names: Names;
  protected readonly mode: KeyPolicyMode;
  /** `key: deny_direct_grants` (src/rule/keyPolicy.ts DENY_DIRECT_GRANTS). */
  protected readonly denyDirectGrants: boolean;
  /** Declarations to insert before a statement, in order, with the tables each serves; written out together at the end. */
  protected readonly pending = new Map<ts.Statement, { line: string; tables: string[] }[]>();
  /**
   * CDKTF lookups this plan declares, by what selects them (placeholder, scope, provider, and the Region lookup's
   * `region`): a later scope of the same block reuses the account and partition lookups of an earlier one that
   * differs only by a table's own `region`, and serves its tables too.
   */
  protected readonly lookupsDeclared: { key: string; container: ts.Node; at: number; name: string; entry: { tables: string[] } }[] = [];
  /** Edits after the table statements (aliases) and on them (bindings), applied after the declarations. */
  protected readonly after: Edit[] = [];
  /** Module-level declarations (the policy helper, a shared ARN), written after the imports. */
  protected readonly moduleDecls: string[] = [];
  protected readonly helpers = new Map<string, string>();
  readonly ref: Ref = (m, member) => this.imports.ref(m, member);
  readonly refType: Ref = (m, member) => this.imports.refType(m, member);

  constructor(
    file: SourceFile,
    private readonly detection: TsDetection,
    protected readonly chosen: TsTable[],
    protected readonly options: FixOptions,
    protected readonly project: Project,
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

  protected sym = (e: ts.Expression) => resolveSymbol(e, this.detection.binds);
  protected q = (s: string) => quote(s, this.style.quote);

  protected declare(st: ts.Statement, name: string | undefined, value: Code, tables: TsTable[]): { tables: string[] } {
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
  protected placementText(t: TsTable): { parent?: string; provider?: string; region?: string } {
    const p = optionsOf(t, this.sf);
    return { parent: p.parent?.text, provider: p.provider?.text, ...(p.region ? { region: p.region.text } : {}) };
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
  protected onceId(base: string, anchor: Anchor, first: TsTable, pulumi = false): Code {
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
  protected pulumiOptsText(p: { parent?: string; provider?: string }, retain: boolean): string | undefined {
    const entries: string[] = [];
    // `{ parent }` where the value is a variable of the option's name, as such code writes it (an SST component).
    const entry = (k: string, v: string) => (v === k ? k : `${k}: ${v}`);
    if (p.parent) entries.push(entry('parent', p.parent));
    if (p.provider) entries.push(entry('provider', p.provider));
    if (retain) entries.push('retainOnDelete: true');
    return entries.length ? `{ ${entries.join(', ')} }` : undefined;
  }
}
