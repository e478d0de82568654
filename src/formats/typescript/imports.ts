/**
 * Imports: what each imported name stands for (so `dynamodb.Table`, `cdk.aws_dynamodb.Table` and a
 * named `Table` all resolve to one symbol), and how to refer to a symbol the fix needs, adding only
 * the import that is missing, in the file's own style.
 */
import { builtinModules } from 'node:module';
import { uniqueName } from '../../core/lists.js';
import { rootName, statementEnd, ts } from './parse.js';

/** A symbol as `<canonical module>#<member path>`, e.g. `aws-cdk-lib/aws-dynamodb#TableEncryption.DEFAULT`. */
export type SymbolId = string;

export interface ImportInfo {
  /** `import ... from 'm'`, or `import x = require('m')` (a namespace import). */
  decl: ts.ImportDeclaration | ts.ImportEqualsDeclaration;
  /** The module as written. */
  module: string;
  namespace?: string;
  default?: string;
  named: { imported: string; local: string; typeOnly: boolean }[];
  typeOnly: boolean;
}

const CDK = 'aws-cdk-lib';
/** AWS CDK v1: one package per module (`@aws-cdk/aws-dynamodb`), the core classes in `@aws-cdk/core`. */
const CDK_V1 = '@aws-cdk/';
/** monocdk: AWS CDK v1 as one package (`monocdk/aws-dynamodb`, `aws_dynamodb` at its root), as aws-cdk-lib is for v2. */
const MONOCDK = 'monocdk';
const CDKTF_AWS = '@cdktf/provider-aws';
/** CDK for Terraform's core (`Fn`, `Token`, `TerraformIterator`). */
const CDKTF = 'cdktf';
/**
 * CDK Terrain, the community's fork of CDK for Terraform after HashiCorp's end of it: the same API as
 * `cdktn` and `@cdktn/provider-aws`, read as CDKTF's and written in the file's own spelling (cdktnModule).
 */
const CDKTN = 'cdktn';
const CDKTN_AWS = '@cdktn/provider-aws';
const PULUMI_AWS = '@pulumi/aws';

function kebab(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

function camel(kebabName: string): string {
  return kebabName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Canonical form of a module and a member path below it. */
export function canonical(module: string, path: string[]): { module: string; path: string[] } {
  let m = module.replace(/\/index(\.js)?$/, '');
  if (m === CDKTN) m = CDKTF;
  else if (m === CDKTN_AWS || m.startsWith(CDKTN_AWS + '/')) m = CDKTF_AWS + m.slice(CDKTN_AWS.length);
  // AWS CDK v1 has the same API, one package per module: `@aws-cdk/aws-kms` is `aws-cdk-lib/aws-kms`
  // (src/formats/typescript/tableClasses.ts generationOf tells the generations apart; ImportPlanner spells new imports in the file's).
  if (m.startsWith(CDK_V1 + 'aws-')) m = CDK + '/' + m.slice(CDK_V1.length);
  // monocdk, CDK v1 in one package, is laid out as aws-cdk-lib is (`monocdk/aws-kms`, `aws_kms` at its root); the
  // deep paths `monocdk/lib/aws-kms` and aws-cdk-lib 2.0.0-rc's `aws-cdk-lib/lib/aws-kms` name the same modules.
  else if (m === MONOCDK || m.startsWith(MONOCDK + '/')) m = CDK + m.slice(MONOCDK.length);
  if (m.startsWith(`${CDK}/lib/aws-`)) m = CDK + m.slice(CDK.length + 4);
  // `aws-cdk-lib/core` (and v1's `@aws-cdk/core`) exports the root's core classes (Stack, Aws, RemovalPolicy...).
  if (m === `${CDK}/core` || m === `${CDK_V1}core`) m = CDK;
  let p = path;
  if (m === CDK && p[0]?.startsWith('aws_')) {
    m = `${CDK}/${p[0].replace(/_/g, '-')}`;
    p = p.slice(1);
  } else if (m === CDKTF_AWS && p.length > 1 && /^[a-z]/.test(p[0])) {
    m = `${CDKTF_AWS}/lib/${kebab(p[0])}`;
    p = p.slice(1);
  } else if (m.startsWith(PULUMI_AWS + '/')) {
    p = [
      ...m
        .slice(PULUMI_AWS.length + 1)
        .split('/')
        .slice(0, 1),
      ...p,
    ];
    m = PULUMI_AWS;
  }
  return { module: m, path: p };
}

export function symbolId(module: string, path: string[]): SymbolId {
  const c = canonical(module, path);
  return `${c.module}#${c.path.join('.')}`;
}

export function readImports(sf: ts.SourceFile): ImportInfo[] {
  const out: ImportInfo[] = [];
  for (const st of sf.statements) {
    // `import dynamodb = require('@aws-cdk/aws-dynamodb')`: a namespace import.
    if (
      ts.isImportEqualsDeclaration(st) &&
      ts.isExternalModuleReference(st.moduleReference) &&
      ts.isStringLiteral(st.moduleReference.expression)
    ) {
      out.push({ decl: st, module: st.moduleReference.expression.text, namespace: st.name.text, named: [], typeOnly: st.isTypeOnly });
      continue;
    }
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const clause = st.importClause;
    const info: ImportInfo = { decl: st, module: st.moduleSpecifier.text, named: [], typeOnly: clause?.isTypeOnly ?? false };
    if (clause?.name) info.default = clause.name.text;
    const nb = clause?.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) info.namespace = nb.name.text;
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        info.named.push({ imported: (el.propertyName ?? el.name).text, local: el.name.text, typeOnly: el.isTypeOnly });
      }
    }
    out.push(info);
  }
  return out;
}

/**
 * A JavaScript file's top-level `require` calls, as the imports they stand for: `const dynamodb =
 * require('m')` (a namespace), `const { Table, aws_dynamodb: ddb } = require('m')` and `const Table =
 * require('m').Table` (named). Only for the names they bind (`bindings`): a JavaScript file is never fixed, nor
 * a TypeScript table whose class a `require` binds (kmsfix writes imports beside `import` declarations).
 */
export function readRequires(sf: ts.SourceFile): Binding[] {
  const out: Binding[] = [];
  const moduleOf = (e: ts.Expression | undefined) =>
    e &&
    ts.isCallExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === 'require' &&
    e.arguments.length === 1 &&
    ts.isStringLiteral(e.arguments[0])
      ? e.arguments[0].text
      : undefined;
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      const member = init && ts.isPropertyAccessExpression(init) && ts.isIdentifier(init.name) ? init.name.text : undefined;
      const module = moduleOf(member !== undefined ? (init as ts.PropertyAccessExpression).expression : init);
      if (module === undefined) continue;
      const info: Binding = { module, named: [], typeOnly: false };
      if (ts.isIdentifier(d.name)) {
        if (member === undefined) info.namespace = d.name.text;
        else info.named.push({ imported: member, local: d.name.text, typeOnly: false });
      } else if (ts.isObjectBindingPattern(d.name) && member === undefined) {
        for (const el of d.name.elements) {
          const imported = el.propertyName ? (ts.isIdentifier(el.propertyName) ? el.propertyName.text : undefined) : undefined;
          if (el.dotDotDotToken || !ts.isIdentifier(el.name) || (el.propertyName && imported === undefined)) continue;
          info.named.push({ imported: imported ?? el.name.text, local: el.name.text, typeOnly: false });
        }
      }
      out.push(info);
    }
  }
  return out;
}

/**
 * Aliases of a bound module or class: a `const` initialised by a name already bound or a property chain from
 * it (`const dynamodb = cdk.aws_dynamodb`, `const Table = aws_dynamodb.Table`, Pulumi's `const ddb =
 * aws.dynamodb`), and names destructured from one (`const { aws_dynamodb: dynamodb, App } = cdk`, go-to-k/cdkd's
 * scripts; `const { Table } = cdk.aws_dynamodb`). A table reached through one was missed without a word (round 36:
 * an AWS sample's `const ddb = cdk.aws_dynamodb`, a factory method's own `const dynamodb = cdk.aws_dynamodb`).
 * Read in source order, so an alias of an alias is one too; one a function or block declares is seen inside it
 * alone (Binds.at: `const` is block-scoped, and two methods may each alias `dynamodb` their own way). A plain alias
 * only of a namespace or a class (`cdk.aws_dynamodb`, `aws.dynamodb`, `dynamodb.Table`): `const region =
 * cdk.Aws.REGION` stays a value, as the rest of the reading takes it. A destructured name, and an alias read
 * through one or through a name of `required` (a `require`'s), is marked `how`: a table reached through it is read
 * and not fixed (detect.ts: kmsfix writes imports beside import declarations); an alias of an import is fixed,
 * its names written from that import (importModeOf).
 */
export function bindAliases(sf: ts.SourceFile, binds: Binds, required: ReadonlySet<string>): void {
  const names = [...binds.keys()].map((n) => n.replace(/\$/g, '\\$'));
  // Cheap: only a file that assigns one of its bound names (`= cdk.`, `= aws;`) holds an alias.
  if (names.length === 0 || !new RegExp(`=\\s*(?:${names.join('|')})(?![\\w$])`).test(sf.text)) return;
  const chainOf = (e: ts.Expression): { root: ts.Identifier; members: string[] } | undefined => {
    const members: string[] = [];
    let cur = e;
    while (ts.isPropertyAccessExpression(cur) && ts.isIdentifier(cur.name)) {
      members.unshift(cur.name.text);
      cur = cur.expression;
    }
    return ts.isIdentifier(cur) ? { root: cur, members } : undefined;
  };
  const bind = (st: ts.VariableStatement, name: string, bound: Bound) => {
    if (ts.isSourceFile(st.parent)) binds.set(name, bound);
    else binds.bindIn(name, st.parent, bound);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isVariableStatement(node) && node.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of node.declarationList.declarations) {
        const chain = d.initializer && chainOf(d.initializer);
        const from = chain && binds.at(chain.root.text, chain.root);
        if (!chain || !from) continue;
        // The import's local name the chain starts from (importModeOf spells the fix's names through it).
        const via = from.via ?? chain.root.text;
        const inherited = from.how !== undefined || required.has(chain.root.text);
        if (ts.isIdentifier(d.name)) {
          const bound: Bound = { module: from.module, path: [...from.path, ...chain.members], via, ...(inherited ? { how: 'alias' } : {}) };
          const path = canonical(bound.module, bound.path).path;
          if (!path.every((p, i) => /^[a-z_$]/.test(p) || i === path.length - 1)) continue;
          bind(node, d.name.text, bound);
        } else if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            const member = el.propertyName ?? el.name;
            if (el.dotDotDotToken || !ts.isIdentifier(el.name) || !ts.isIdentifier(member)) continue;
            bind(node, el.name.text, { module: from.module, path: [...from.path, ...chain.members, member.text], how: 'destructured' });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/** What `bindings` reads of an import: an `import` declaration's, or a `require` call's (readRequires). */
export type Binding = Omit<ImportInfo, 'decl'>;

/** What a local name stands for: a module and a member path below it. */
export interface Bound {
  module: string;
  path: string[];
  /** An alias's (bindAliases): the import's local name its chain starts from (`cdk` of `const ddb = cdk.aws_dynamodb`). */
  via?: string;
  /**
   * Destructured from a bound module, an alias of a name so bound or of a `require`'s, or imported from a module of
   * the project that re-exports it (reexports.ts): tables through it are not fixed.
   */
  how?: 'destructured' | 'alias' | 'reexport';
  /** A re-export's: the project's module as the file imports it (`./tables`). */
  from?: string;
  /** A namespace import of a project's module (reexports.ts): what each of its members stands for, if known. */
  member?: (name: string) => Bound | undefined;
}

/**
 * Local name -> what it stands for: the file's imports and the aliases of its module scope (the map), and the
 * aliases a function or block declares, seen only inside it (`at`).
 */
export class Binds extends Map<string, Bound> {
  private readonly scoped = new Map<string, { scope: ts.Node; bound: Bound }[]>();

  /** `name` is `bound` inside `scope` (a block, a function's body, a case clause). */
  bindIn(name: string, scope: ts.Node, bound: Bound): void {
    const list = this.scoped.get(name) ?? [];
    list.push({ scope, bound });
    this.scoped.set(name, list);
  }

  /** What `name` stands for where `node` is: the innermost block's alias holding it, else the module scope's. */
  at(name: string, node: ts.Node): Bound | undefined {
    let best: { scope: ts.Node; bound: Bound } | undefined;
    for (const s of this.scoped.get(name) ?? [])
      if (s.scope.pos <= node.pos && node.end <= s.scope.end && (!best || s.scope.pos >= best.scope.pos)) best = s;
    return best?.bound ?? this.get(name);
  }
}

/** Local name -> (module, member path) for every value binding of the file's imports. */
export function bindings(imports: readonly Binding[]): Binds {
  const map = new Binds();
  for (const i of imports) {
    if (i.typeOnly) continue;
    if (i.namespace) map.set(i.namespace, { module: i.module, path: [] });
    // `import aws from '@pulumi/aws'` (esModuleInterop) is the module itself.
    if (i.default) map.set(i.default, { module: i.module, path: [] });
    for (const n of i.named) if (!n.typeOnly) map.set(n.local, { module: i.module, path: [n.imported] });
  }
  return map;
}

/** The module, as the file writes it, that the name an expression such as `dynamodb.Table` starts with is imported from. */
export function importedModuleOf(node: ts.Expression, binds: Binds): string | undefined {
  return boundOf(node, binds)?.module;
}

/**
 * What the name an expression starts with stands for: its binding, or for a namespace of a project's module that
 * re-exports (`t` of `t.Table`: reexports.ts) the binding of its member, when known.
 */
export function boundOf(node: ts.Expression, binds: Binds): Bound | undefined {
  const root = rootName(node);
  const b = root ? binds.at(root, node) : undefined;
  if (!b?.member) return b;
  let first = node;
  while (ts.isPropertyAccessExpression(first) && ts.isPropertyAccessExpression(first.expression)) first = first.expression;
  return (ts.isPropertyAccessExpression(first) ? b.member(first.name.text) : undefined) ?? b;
}

/** The symbol an expression such as `dynamodb.TableEncryption.DEFAULT` names, if it goes back to an import. */
export function resolveSymbol(node: ts.Expression, binds: Binds): SymbolId | undefined {
  const names: string[] = [];
  let cur: ts.Expression = node;
  while (ts.isPropertyAccessExpression(cur)) {
    if (!ts.isIdentifier(cur.name)) return undefined;
    names.unshift(cur.name.text);
    cur = cur.expression;
  }
  if (!ts.isIdentifier(cur)) return undefined;
  const b = binds.at(cur.text, cur);
  // A namespace of a project's module: its member's symbol (reexports.ts).
  const m = b?.member && names.length > 0 ? b.member(names[0]) : undefined;
  if (m) return symbolId(m.module, [...m.path, ...names.slice(1)]);
  if (!b) return undefined;
  return symbolId(b.module, [...b.path, ...names]);
}

// ---------------------------------------------------------------- referring to symbols

export interface ImportStyle {
  importQuote: "'" | '"';
  importSemi: boolean;
  importBraceSpace: boolean;
  eol: string;
  /** The line width an import list fits in (the project's Prettier printWidth, else 80): past it, a wrapped list. */
  width: number;
  /** The file's indent unit, for a list wrapped one name a line. */
  indent: string;
}

/** How the file imports the module family the table comes from. */
export type ImportMode = 'namespace' | 'root-namespace' | 'root-named' | 'named';

/** A name to import; `typeOnly` ones are written `type X` (they name types only). */
interface Spec {
  imported: string;
  local: string;
  typeOnly?: boolean;
}

interface PendingDecl {
  module: string;
  namespace?: string;
  named: Spec[];
}

const specText = (s: Spec) => (s.typeOnly ? 'type ' : '') + (s.imported === s.local ? s.imported : `${s.imported} as ${s.local}`);

/** Code-unit (ASCII) order, as sort-imports and eslint import/order compare by default. */
const ascii = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Orders a named-import list may follow: by imported or local name, ignoring case or not (ASCII, as sort-imports does). */
const ORDERS: { key: (s: { imported: string; local: string }) => string; cmp: (a: string, b: string) => number }[] = [
  { key: (s) => s.imported, cmp: (a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }) },
  { key: (s) => s.imported, cmp: ascii },
  { key: (s) => s.local, cmp: (a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }) },
  { key: (s) => s.local, cmp: ascii },
];

/** The order a list of names follows, if any (a one-name list follows the first). */
function orderOf(list: { imported: string; local: string }[]): (typeof ORDERS)[number] | undefined {
  return ORDERS.find((o) => list.every((x, i) => i === 0 || o.cmp(o.key(list[i - 1]), o.key(x)) <= 0));
}

/** An import with named bindings (`import { a, b } from 'm'`), the only kind names are added to. */
function isNamedDecl(i: ImportInfo): i is ImportInfo & { decl: ts.ImportDeclaration } {
  return ts.isImportDeclaration(i.decl) && !!i.decl.importClause?.namedBindings;
}

/** How new import declarations are written: the module as the file's generation spells it, `import x = require(...)` or not. */
export interface ImportWriting {
  /** Canonical module -> the module to import (AWS CDK v1: `aws-cdk-lib/aws-kms` -> `@aws-cdk/aws-kms`). */
  spell?: (module: string) => string;
  /** The file imports the table's module as `import x = require('m')`: namespaces are imported so too. */
  requireStyle?: boolean;
  /** The project uses Prettier (prettier.ts): an import list past the style's width is written one name a line, as Prettier would. */
  prettier?: { trailingComma: boolean };
}

/** AWS CDK v1 spelling of a canonical module: `aws-cdk-lib` -> `@aws-cdk/core`, `aws-cdk-lib/aws-kms` -> `@aws-cdk/aws-kms`. */
export function cdkV1Module(module: string): string {
  if (module === CDK) return CDK_V1 + 'core';
  if (module.startsWith(CDK + '/aws-')) return CDK_V1 + module.slice(CDK.length + 1);
  return module;
}

/**
 * How new CDK imports are spelled in a file whose table module is written `written`: monocdk's modules
 * (`monocdk/aws-kms`, `monocdk/lib/aws-kms`; the root `monocdk`), or aws-cdk-lib 2.0.0-rc's deep path
 * (`aws-cdk-lib/lib/aws-kms`, the only one that release exports); undefined for any other spelling.
 */
export function cdkSpelling(written: string): ((module: string) => string) | undefined {
  const deep = /^(monocdk|aws-cdk-lib)\/lib\//.test(written);
  const pkg = written === MONOCDK || written.startsWith(MONOCDK + '/') ? MONOCDK : deep ? CDK : undefined;
  if (!pkg) return undefined;
  return (module) => {
    if (module === CDK) return pkg;
    if (module.startsWith(CDK + '/aws-')) return `${pkg}/${deep ? 'lib/' : ''}${module.slice(CDK.length + 1)}`;
    return module;
  };
}

/** Whether a module as written is CDK Terrain's (`cdktn`, `@cdktn/provider-aws/...`). */
export function isCdktn(module: string): boolean {
  return module === CDKTN || module === CDKTN_AWS || module.startsWith(CDKTN_AWS + '/');
}

/** CDK Terrain's spelling of a canonical module: `cdktf` -> `cdktn`, `@cdktf/provider-aws/lib/kms-key` -> `@cdktn/provider-aws/lib/kms-key`. */
export function cdktnModule(module: string): string {
  if (module === CDKTF) return CDKTN;
  if (module === CDKTF_AWS || module.startsWith(CDKTF_AWS + '/')) return CDKTN_AWS + module.slice(CDKTF_AWS.length);
  return module;
}

/** Short local names for namespaces the fix may import. */
function namespaceAlias(module: string): string {
  if (module === CDK) return 'cdk';
  if (module.startsWith(CDK + '/aws-')) return module.slice(CDK.length + 5).replace(/-/g, '_');
  if (module === PULUMI_AWS) return 'aws';
  if (module === '@pulumi/pulumi') return 'pulumi';
  if (module.startsWith(CDKTF_AWS + '/lib/')) return camel(module.slice(CDKTF_AWS.length + 5));
  if (module === CDKTF) return 'cdktf';
  return 'm';
}

/**
 * Refers to the symbols the fix needs. `ref` returns an expression text valid in the file once the
 * edits from `edits()` are applied.
 */
export class ImportPlanner {
  private readonly pendingNamed = new Map<ts.ImportDeclaration, Spec[]>();
  /** Named imports a fix leaves unused (unusedLookups.ts), by declaration: removed by edits() or dropEdits(). */
  private readonly dropped = new Map<ts.ImportDeclaration, ts.ImportSpecifier[]>();
  private readonly pendingDecls: PendingDecl[] = [];

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly imports: ImportInfo[],
    private readonly taken: Set<string>,
    private readonly style: ImportStyle,
    private readonly mode: ImportMode,
    private readonly writing: ImportWriting = {},
  ) {}

  private unique(base: string): string {
    return uniqueName(base, this.taken);
  }

  private valueImports(): ImportInfo[] {
    return this.imports.filter((i) => !i.typeOnly);
  }

  /** A type name for `member` of the canonical `module` (imported `type X` when a named import is added). */
  refType(module: string, member: string[]): string {
    this.typeOnlyRef = true;
    try {
      return this.ref(module, member);
    } finally {
      this.typeOnlyRef = false;
    }
  }

  private typeOnlyRef = false;

  /** An expression for `member` (first element: the exported name) of the canonical `module`. */
  ref(module: string, member: string[]): string {
    const rest = member
      .slice(1)
      .map((m) => '.' + m)
      .join('');
    const imps = this.typeOnlyRef ? this.imports : this.valueImports();
    const sameModule = imps.filter((i) => canonical(i.module, []).module === module && canonical(i.module, []).path.length === 0);
    // 1. A namespace import of the module.
    for (const i of sameModule) if (i.namespace) return `${i.namespace}.${member.join('.')}`;
    // 2. A named import of the member.
    for (const i of sameModule) {
      const n = i.named.find((x) => x.imported === member[0] && (!x.typeOnly || this.typeOnlyRef));
      if (n) return n.local + rest;
    }
    // 3. Through the package root: `cdk.aws_kms.Key`, `aws_kms as kms`, `aws.kms.Key`, `kmsKey.KmsKey`.
    const root = rootOf(module);
    if (root && (this.mode === 'root-namespace' || this.mode === 'root-named')) {
      // The submodule's own name first (`import { aws_dynamodb } from 'aws-cdk-lib'` beside `import * as cdk`:
      // `aws_dynamodb.TableEncryption`, as the table's own code writes it), then the root's namespace.
      for (const i of imps) {
        if (!isRoot(i.module, root.module)) continue;
        const n = i.named.find((x) => x.imported === root.path[0] && !x.typeOnly);
        if (n) return [n.local, ...root.path.slice(1), ...member].join('.');
      }
      for (const i of imps) {
        if (!isRoot(i.module, root.module)) continue;
        const base = i.namespace ?? i.default;
        if (base) return `${base}.${[...root.path, ...member].join('.')}`;
      }
    }
    // 4. Already planned.
    for (const [decl, named] of this.pendingNamed) {
      const declModule = (decl.moduleSpecifier as ts.StringLiteral).text;
      if (canonical(declModule, []).module === module) {
        const n = named.find((x) => x.imported === member[0]);
        if (n) return n.local + rest;
      }
      if (root && isRoot(declModule, root.module)) {
        const n = named.find((x) => x.imported === root.path[0]);
        if (n) return [n.local, ...root.path.slice(1), ...member].join('.');
      }
    }
    for (const d of this.pendingDecls) {
      if (d.module === module && d.namespace) return `${d.namespace}.${member.join('.')}`;
      if (d.module === module) {
        const n = d.named.find((x) => x.imported === member[0]);
        if (n) return n.local + rest;
      }
    }
    if (root && this.mode === 'root-named') {
      for (const d of this.pendingDecls) {
        if (d.module !== root.module) continue;
        const n = d.named.find((x) => x.imported === root.path[0]);
        if (n) return [n.local, ...root.path.slice(1), ...member].join('.');
      }
    }
    // 5. Add an import, in the file's style.
    const namedDecl = sameModule.filter(isNamedDecl).find((i) => !i.namespace && !i.default);
    if (namedDecl && this.mode !== 'namespace') return this.addNamed(namedDecl.decl, member[0]) + rest;
    if (root && this.mode === 'root-named') {
      const rootDecls = imps.filter(isNamedDecl).filter((i) => isRoot(i.module, root.module) && !i.namespace);
      // Beside the other submodule aliases (`aws_dynamodb as dynamodb`) when the file has them.
      const rootDecl =
        rootDecls.find((i) => i.named.some((n) => n.imported.startsWith(root.path[0].replace(/[A-Z].*$|_.*$/, '')))) ?? rootDecls[0];
      // The file's alias style: `aws_dynamodb as dynamodb` gets `aws_kms as kms`; a bare `aws_dynamodb` gets `aws_kms`.
      const submodules = rootDecls.flatMap((i) => i.named.filter((n) => rootOfSubmodule(root.module, n.imported)));
      const bare = submodules.length > 0 && submodules.every((n) => n.imported === n.local) && !this.taken.has(root.path[0]);
      const local = bare ? root.path[0] : this.unique(namespaceAlias(module));
      if (bare) this.taken.add(local);
      const spec = { imported: root.path[0], local };
      if (rootDecl) this.queueNamed(rootDecl.decl, spec);
      else this.pendingDecls.push({ module: root.module, named: [spec] });
      return [local, ...root.path.slice(1), ...member].join('.');
    }
    if (this.mode !== 'named') {
      if (namedDecl) return this.addNamed(namedDecl.decl, member[0]) + rest;
      const ns = this.unique(namespaceAlias(module));
      this.pendingDecls.push({ module, namespace: ns, named: [] });
      return `${ns}.${member.join('.')}`;
    }
    if (namedDecl) return this.addNamed(namedDecl.decl, member[0]) + rest;
    const local = this.localFor(module, member[0]);
    let d = this.pendingDecls.find((x) => x.module === module && !x.namespace);
    if (!d) this.pendingDecls.push((d = { module, named: [] }));
    d.named.push({ imported: member[0], local, typeOnly: this.typeOnlyRef || undefined });
    return local + rest;
  }

  private localFor(module: string, name: string): string {
    if (!this.taken.has(name)) {
      this.taken.add(name);
      return name;
    }
    const prefix = namespaceAlias(module)
      .replace(/^./, (c) => c.toUpperCase())
      .replace(/_(.)/g, (_, c: string) => c.toUpperCase());
    return this.unique(prefix + name);
  }

  private addNamed(decl: ts.ImportDeclaration, name: string): string {
    const local = this.localFor('', name);
    // In `import type { ... }` every name is a type already.
    this.queueNamed(decl, { imported: name, local, typeOnly: (this.typeOnlyRef && !decl.importClause?.isTypeOnly) || undefined });
    return local;
  }

  private queueNamed(decl: ts.ImportDeclaration, spec: Spec): void {
    const list = this.pendingNamed.get(decl) ?? [];
    list.push(spec);
    this.pendingNamed.set(decl, list);
  }

  /**
   * New import lines after a declaration (and after a comment that ends its line); before a `;` that
   * semicolon-less code puts on the next line, in front of the statement after (parse.ts statementEnd).
   */
  private after(decl: ts.Node, lines: string[]): { start: number; end: number; text: string } {
    const text = this.sf.text;
    let at = statementEnd(decl, text);
    const nl = text.indexOf('\n', at);
    const lineRest = text.slice(at, nl === -1 ? text.length : nl);
    if (/^[ \t]*(\/\/.*|\/\*.*\*\/[ \t]*)?\r?$/.test(lineRest)) at = nl === -1 ? text.length : nl - (text[nl - 1] === '\r' ? 1 : 0);
    return { start: at, end: at, text: lines.map((l) => this.style.eol + l).join('') };
  }

  /**
   * A one-line named import the edits above (those inside its braces) take past the project's Prettier
   * print width: those edits replaced by the whole list, one name a line, in the order they give.
   */
  private wrapPastWidth(decl: ts.ImportDeclaration, out: { start: number; end: number; text: string }[]): void {
    if (!this.writing.prettier) return;
    const text = this.sf.text;
    const nb = decl.importClause!.namedBindings as ts.NamedImports;
    const open = nb.getStart(this.sf);
    const mine = out.filter((e) => e.start > open && e.end < nb.end);
    const lineStart = text.lastIndexOf('\n', decl.getStart(this.sf)) + 1;
    const lineEnd = text.indexOf('\n', decl.end);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
    if (line.length + mine.reduce((n, e) => n + e.text.length - (e.end - e.start), 0) <= this.style.width) return;
    // The braces' content as the edits leave it, then split at its commas (names hold none; a list with a comment is left as it is).
    let inner = text.slice(open + 1, nb.end - 1);
    if (inner.includes('/*') || inner.includes('//')) return;
    // From the end; of two insertions at one place, the later first (so that the earlier ends up before it, as applied).
    const order = mine.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
    for (const { e } of order) inner = inner.slice(0, e.start - open - 1) + e.text + inner.slice(e.end - open - 1);
    const names = inner
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const indent = /^[ \t]*/.exec(line)![0] + this.style.indent;
    for (const e of mine) out.splice(out.indexOf(e), 1);
    out.push({ start: open, end: nb.end, text: this.listOnLines(names, indent, this.writing.prettier.trailingComma) });
  }

  /**
   * A named list that both gains names and loses some (`{ Alias }` -> `{ Key }`): its names written anew, from the
   * first to the last, the new ones in the list's order when it has one (else at its end), on one line or one a line.
   */
  private relisted(nb: ts.NamedImports, gone: ts.ImportSpecifier[], specs: Spec[]): { start: number; end: number; text: string } {
    const text = this.sf.text;
    const els = nb.elements;
    const kept = els.filter((e) => !gone.includes(e));
    const order = orderOf(els.map((e) => ({ imported: (e.propertyName ?? e.name).text, local: e.name.text })));
    const names = kept.map((e) => ({ key: { imported: (e.propertyName ?? e.name).text, local: e.name.text }, text: e.getText(this.sf) }));
    for (const s of specs) {
      const at = order ? names.findIndex((n) => order.cmp(order.key(n.key), order.key(s)) > 0) : -1;
      names.splice(at === -1 ? names.length : at, 0, { key: s, text: specText(s) });
    }
    const first = els[0].getStart(this.sf);
    const last = els[els.length - 1];
    const multiline = text.slice(nb.getStart(this.sf), nb.end).includes('\n');
    const indent = multiline ? /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', first) + 1))![0] : '';
    const sep = multiline ? `,${this.style.eol}${indent}` : ', ';
    return { start: first, end: last.end, text: names.map((n) => n.text).join(sep) };
  }

  /** A one-line named-import list, with spaces inside its braces or none, as the file's imports have them. */
  private braced(names: string): string {
    return this.style.importBraceSpace ? `{ ${names} }` : `{${names}}`;
  }

  /** A named-import list written one name a line (`{`, each name indented, `}`), as a formatter wraps a long one. */
  private listOnLines(names: string[], indent: string, trailingComma: boolean): string {
    const eol = this.style.eol;
    return `{${names.map((n) => eol + indent + n).join(',')}${trailingComma ? ',' : ''}${eol}}`;
  }

  /**
   * A value import named `local` that the fix leaves unused: a named import's specifier (never a namespace or default
   * import), removed with the edits. False when the file has no such specifier or its list holds a comment.
   */
  drop(local: string): boolean {
    for (const i of this.imports) {
      if (!ts.isImportDeclaration(i.decl) || !i.named.some((n) => n.local === local)) continue;
      const nb = i.decl.importClause?.namedBindings;
      if (!nb || !ts.isNamedImports(nb) || /\/[/*]/.test(nb.getText(this.sf))) return false;
      const spec = nb.elements.find((e) => e.name.text === local);
      if (!spec) return false;
      this.dropped.set(i.decl, [...(this.dropped.get(i.decl) ?? []), spec]);
      return true;
    }
    return false;
  }

  /**
   * The edits removing dropped imports from declarations that gain no name: a specifier with its comma; a whole
   * declaration (without a default import) whose every name goes, its line with the line break before it, or the
   * one after it (the second choice, when an edit inserts at the line's start: new imports sorted before it).
   * Each entry lists its choices; the caller takes the first no other edit overlaps.
   */
  dropEdits(): { start: number; end: number; text: string }[][] {
    const text = this.sf.text;
    const out: { start: number; end: number; text: string }[][] = [];
    for (const [decl, specs] of this.dropped) {
      if (this.pendingNamed.has(decl)) continue;
      const els = (decl.importClause!.namedBindings as ts.NamedImports).elements;
      if (specs.length === els.length) {
        if (decl.importClause!.name) continue;
        const start = decl.getStart(this.sf);
        const ls = text.lastIndexOf('\n', start - 1) + 1;
        if (text.slice(ls, start).trim() !== '') continue;
        const end = statementEnd(decl, text);
        const nl = text.indexOf('\n', end);
        const le = nl === -1 ? text.length : nl - (text[nl - 1] === '\r' ? 1 : 0);
        if (!/^[ \t]*(\/\/.*)?$/.test(text.slice(end, le))) continue;
        const choices: { start: number; end: number; text: string }[] = [];
        if (ls > 0) choices.push({ start: ls - (text[ls - 2] === '\r' ? 2 : 1), end: le, text: '' });
        if (nl !== -1) choices.push({ start: ls, end: nl + 1, text: '' });
        out.push(choices);
        continue;
      }
      for (const spec of specs) {
        const i = els.indexOf(spec);
        // Not the last name: up to the next; the last: from the end of the one before (a trailing comma stays).
        out.push([
          i < els.length - 1
            ? { start: spec.getStart(this.sf), end: els[i + 1].getStart(this.sf), text: '' }
            : { start: els[i - 1].end, end: spec.end, text: '' },
        ]);
      }
    }
    return out;
  }

  /** The edits that add the planned imports. */
  edits(anchorModules: (m: string) => boolean): { start: number; end: number; text: string }[] {
    const text = this.sf.text;
    const out: { start: number; end: number; text: string }[] = [];
    const q = this.style.importQuote;
    const semi = this.style.importSemi ? ';' : '';
    for (const [decl, specs] of this.pendingNamed) {
      const nb = decl.importClause!.namedBindings as ts.NamedImports;
      const els = nb.elements;
      const gone = this.dropped.get(decl);
      if (gone && els.length > 0) {
        out.push(this.relisted(nb, gone, specs));
        if (!text.slice(nb.getStart(this.sf), nb.end).includes('\n')) this.wrapPastWidth(decl, out);
        continue;
      }
      if (els.length === 0) {
        out.push({ start: nb.getStart(this.sf), end: nb.end, text: this.braced(specs.map(specText).join(', ')) });
        continue;
      }
      const last = els[els.length - 1];
      const multiline = text.slice(nb.getStart(this.sf), nb.end).includes('\n');
      // A sorted list keeps its order (whichever it is); any other list gets the new names at its end.
      const order = orderOf(els.map((e) => ({ imported: (e.propertyName ?? e.name).text, local: e.name.text })));
      const tail: Spec[] = [];
      const indent = multiline ? /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', last.getStart(this.sf)) + 1))![0] : '';
      const sortedSpecs = order ? [...specs].sort((a, b) => order.cmp(order.key(a), order.key(b))) : specs;
      for (const s of sortedSpecs) {
        const before = order
          ? els.find((e) => order.cmp(order.key({ imported: (e.propertyName ?? e.name).text, local: e.name.text }), order.key(s)) > 0)
          : undefined;
        if (!before) {
          tail.push(s);
          continue;
        }
        const at = before.getStart(this.sf);
        out.push({ start: at, end: at, text: multiline ? `${specText(s)},${this.style.eol}${indent}` : `${specText(s)}, ` });
      }
      if (tail.length === 0) {
        if (!multiline) this.wrapPastWidth(decl, out);
        continue;
      }
      if (multiline) {
        const body = tail.map((s) => this.style.eol + indent + specText(s)).join(',');
        if (els.hasTrailingComma) {
          const comma = text.indexOf(',', last.end) + 1;
          out.push({ start: comma, end: comma, text: body + ',' });
        } else out.push({ start: last.end, end: last.end, text: ',' + body });
      } else if (els.hasTrailingComma) {
        const comma = text.indexOf(',', last.end) + 1;
        out.push({ start: comma, end: comma, text: ' ' + tail.map(specText).join(', ') + ',' });
      } else {
        out.push({ start: last.end, end: last.end, text: ', ' + tail.map(specText).join(', ') });
      }
      if (!multiline) this.wrapPastWidth(decl, out);
    }
    if (this.pendingDecls.length > 0) {
      const decls = this.imports.map((i) => i.decl);
      const anchor = [...this.imports].reverse().find((i) => anchorModules(i.module))?.decl ?? decls[decls.length - 1];
      const spell = this.writing.spell ?? ((m: string) => m);
      const pending = [...this.pendingDecls].map((d) => ({ ...d, module: spell(d.module) })).sort((a, b) => ascii(a.module, b.module));
      const wrapped = wrappedImport(this.sf, this.imports);
      const line = (d: PendingDecl) => {
        if (d.namespace && this.writing.requireStyle) return `import ${d.namespace} = require(${q}${d.module}${q})${semi}`;
        const names = [...d.named].sort((a, b) => a.local.localeCompare(b.local, 'en', { sensitivity: 'base' })).map(specText);
        const one = `import ${d.namespace ? `* as ${d.namespace}` : this.braced(names.join(', '))} from ${q}${d.module}${q}${semi}`;
        // A file whose formatter wraps long import lists (Prettier's 80 columns) gets a long one wrapped the same way.
        const wrap =
          wrapped ?? (this.writing.prettier && { indent: this.style.indent, trailingComma: this.writing.prettier.trailingComma });
        // Prettier never breaks a list of one name (`import { X } from '...'` stays one line, however long).
        if (d.namespace || !wrap || names.length < 2 || one.length <= this.style.width) return one;
        return `import ${this.listOnLines(names, wrap.indent, wrap.trailingComma)} from ${q}${d.module}${q}${semi}`;
      };
      const run = anchor ? sortedRun(this.sf, this.imports, anchor) : undefined;
      if (run) {
        // The file's package imports are in module order (eslint import/order `alphabetize`): each new one goes before
        // the first that sorts after it, or after the last.
        const before = new Map<ts.Node | undefined, string[]>();
        for (const d of pending) {
          const next = run.imports.find((i) => run.compare(i.module, d.module) > 0)?.decl;
          before.set(next, [...(before.get(next) ?? []), line(d)]);
        }
        for (const [next, ls] of before) {
          if (!next) out.push(this.after(run.imports[run.imports.length - 1].decl, ls));
          else out.push({ start: next.getStart(this.sf), end: next.getStart(this.sf), text: ls.map((l) => l + this.style.eol).join('') });
        }
      } else if (anchor) {
        out.push(this.after(anchor, pending.map(line)));
      } else {
        out.push({ start: 0, end: 0, text: pending.map((d) => line(d) + this.style.eol).join('') });
      }
    }
    return out;
  }
}

/** How the file writes a named import list over several lines (one name per line): the names' indent and a trailing comma. */
function wrappedImport(sf: ts.SourceFile, imports: ImportInfo[]): { indent: string; trailingComma: boolean } | undefined {
  for (const i of imports) {
    const nb = ts.isImportDeclaration(i.decl) ? i.decl.importClause?.namedBindings : undefined;
    if (!nb || !ts.isNamedImports(nb) || nb.elements.length < 2) continue;
    const first = nb.elements[0].getStart(sf);
    const lineStart = sf.text.lastIndexOf('\n', first - 1) + 1;
    const indent = sf.text.slice(lineStart, first);
    if (lineStart <= nb.getStart(sf) || !/^[ \t]+$/.test(indent)) continue;
    return { indent, trailingComma: nb.elements.hasTrailingComma };
  }
  return undefined;
}

/** Node's own modules (`path`, `fs/promises`, `node:fs`): eslint import/order's `builtin` group, sorted apart from packages. */
const BUILTIN = new Set(builtinModules);
export const isBuiltin = (module: string) => module.startsWith('node:') || BUILTIN.has(module) || BUILTIN.has(module.split('/')[0]);

/**
 * The package imports around `anchor` (consecutive, none relative or of Node's own modules, none but
 * the first with a comment of its own) when there are at least two and they are in module order, with
 * that order (by code unit, or ignoring case): new imports keep it. Undefined otherwise. Node's modules
 * are a group of their own (eslint import/order `groups: ['builtin', 'external']`), sorted apart.
 */
function sortedRun(
  sf: ts.SourceFile,
  imports: ImportInfo[],
  anchor: ts.Node,
): { imports: ImportInfo[]; compare: (a: string, b: string) => number } | undefined {
  const at = imports.findIndex((i) => i.decl === anchor);
  if (at === -1) return undefined;
  const inRun = (i: ImportInfo) => !i.module.startsWith('.') && !isBuiltin(i.module);
  // A blank line ends a group (eslint import/order's `newlines-between`): each group is sorted on its own.
  const together = (a: ImportInfo, b: ImportInfo) => !/\n[ \t]*\r?\n/.test(sf.text.slice(a.decl.end, b.decl.getStart(sf)));
  let from = at;
  while (from > 0 && inRun(imports[from - 1]) && together(imports[from - 1], imports[from])) from--;
  let to = at;
  while (to + 1 < imports.length && inRun(imports[to + 1]) && together(imports[to], imports[to + 1])) to++;
  const run = imports.slice(from, to + 1);
  if (run.length < 2 || !inRun(imports[at])) return undefined;
  if (run.slice(1).some((i) => (ts.getLeadingCommentRanges(sf.text, i.decl.pos) ?? []).length > 0)) return undefined;
  const orders = [ascii, (a: string, b: string) => ascii(a.toLowerCase(), b.toLowerCase())];
  const compare = orders.find((c) => run.every((i, k) => k === 0 || c(run[k - 1].module, i.module) <= 0));
  return compare ? { imports: run, compare } : undefined;
}

/** Does `name`, imported from the package root `rootModule`, name a submodule (`aws_dynamodb`, `dynamodbTable`)? */
function rootOfSubmodule(rootModule: string, name: string): boolean {
  if (rootModule === CDK) return name.startsWith('aws_');
  if (rootModule === CDKTF_AWS) return /^[a-z]/.test(name);
  return false;
}

/** Whether a module as written is the package root `root` (canonical): monocdk's root is laid out as aws-cdk-lib's. */
function isRoot(written: string, root: string): boolean {
  return written === root || (root === CDK && written === MONOCDK);
}

/** The package root path for a canonical submodule: `aws-cdk-lib/aws-kms` -> (`aws-cdk-lib`, [`aws_kms`]). */
function rootOf(module: string): { module: string; path: string[] } | undefined {
  if (module.startsWith(CDK + '/aws-')) return { module: CDK, path: [module.slice(CDK.length + 1).replace(/-/g, '_')] };
  if (module.startsWith(CDKTF_AWS + '/lib/')) return { module: CDKTF_AWS, path: [camel(module.slice(CDKTF_AWS.length + 5))] };
  return undefined;
}

/** How the module a table's class comes from is imported. */
export function importModeOf(callee: ts.Expression, imports: ImportInfo[], binds?: Binds): ImportMode {
  let cur: ts.Expression = callee;
  let first: string | undefined;
  while (ts.isPropertyAccessExpression(cur)) {
    first = cur.name.text;
    cur = cur.expression;
  }
  if (!ts.isIdentifier(cur)) return 'named';
  let name = cur.text;
  let member = callee !== cur;
  // Through an alias (bindAliases): as the chain it stands for is written, from the import it starts at
  // (`const dynamodb = cdk.aws_dynamodb; new dynamodb.Table` is `cdk.aws_dynamodb.Table`: the fix writes `cdk.aws_kms.Key`).
  const alias = binds?.at(name, cur);
  const from = alias?.via !== undefined ? binds?.get(alias.via) : undefined;
  if (alias?.via !== undefined && from) {
    const chain = alias.path.slice(from.path.length);
    name = alias.via;
    first = chain[0] ?? first;
    member ||= chain.length > 0;
  }
  for (const i of imports) {
    if (i.namespace === name || i.default === name) {
      return first && canonical(i.module, [first, 'X']).module !== canonical(i.module, []).module ? 'root-namespace' : 'namespace';
    }
    const n = i.named.find((x) => x.local === name);
    if (n) {
      const c = canonical(i.module, [n.imported]);
      // `import { aws_dynamodb as dynamodb } from 'aws-cdk-lib'`, `import { dynamodbTable } from '@cdktf/provider-aws'`
      // `import { dynamodb } from '@cdktf/provider-aws'` (a service namespace, v9 and earlier) with `dynamodb.DynamodbTable`.
      const cdktfNamespace = i.module === CDKTF_AWS && member && rootOfSubmodule(CDKTF_AWS, n.imported);
      if (c.module !== canonical(i.module, []).module || (i.module === PULUMI_AWS && member) || cdktfNamespace) return 'root-named';
      return 'named';
    }
  }
  return 'named';
}
