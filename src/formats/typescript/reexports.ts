/**
 * Table classes reached through a module of the project that re-exports them: `lib/tables.ts` holding `export {
 * Table as MyTable } from 'aws-cdk-lib/aws-dynamodb'` or `export * from 'aws-cdk-lib/aws-dynamodb'`, used as `new
 * MyTable(...)` (`import { MyTable } from './tables'`) or `new t.Table(...)` (`import * as t from './tables'`). Such a
 * table was missed without a word (session 58, F5). A relative module a `new` (or a class's `extends`) reaches is read
 * from disk (appEnv.ts resolve, as the app's barrels are), and the module it re-exports in turn: two levels. Read are
 * `export { A as B } from 'pkg'`, `export * from 'pkg'`, `export * as ns from 'pkg'` and `export { A }` of a name the
 * module imports from a package. The names bound to such a module are then bound to what it re-exports
 * (throughReexports), marked `reexport`: read as the package's own, never fixed (detect.ts: kmsfix writes no
 * imports through a project's module). A path alias of tsconfig (`@lib/tables`) is not followed.
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import { resolve } from './appEnv.js';
import { bindings, readImports, symbolId, type Binds, type Bound, type SymbolId } from './imports.js';
import { parseTypeScript, ts } from './parse.js';

/** A module specifier of the project (`./tables`, `../lib/tables.js`). */
export const RELATIVE = /^\.\.?\//;

/** How many modules deep re-exports are followed: the module the file imports, and the modules it re-exports. */
const LEVELS = 2;

/** What a package symbol a module re-exports is: a package module and a member path below it. */
type Target = { module: string; path: string[] };

/** What a module of the project re-exports from packages. */
export interface ModuleExports {
  /** Exported name -> the package symbol it is (`MyTable` -> aws-cdk-lib/aws-dynamodb's `Table`). */
  named: Map<string, Target>;
  /** The packages of its `export * from 'pkg'` (and of a re-exported module's). */
  stars: string[];
  /** Names the module exports of its own (a class it declares): not a package's, whatever its `export *`s hold. */
  own: Set<string>;
}

/** Module as the file writes it -> what it re-exports. */
export type Reexports = Map<string, ModuleExports>;

/** What each of `modules` (relative, as `file` writes them) re-exports from packages; a module that cannot be read, or re-exports none, is left out. */
export async function reexportsOf(file: SourceFile, modules: readonly string[], context: DiskContext): Promise<Reexports> {
  const out: Reexports = new Map();
  for (const m of modules) {
    const e = await exportsOf(file, m, context, LEVELS);
    // A module that re-exports nothing of a package (its own classes alone) changes nothing: no second detection.
    if (e && (e.named.size > 0 || e.stars.length > 0)) out.set(m, e);
  }
  return out;
}

async function exportsOf(from: SourceFile, module: string, context: DiskContext, levels: number): Promise<ModuleExports | undefined> {
  const target = await resolve(from, module, context);
  // Cheap: only a module that writes `export *` or `export {` can re-export a package's name.
  if (!target || !/\bexport\s*[*{]/.test(target.text)) return undefined;
  let sf: ts.SourceFile;
  try {
    sf = parseTypeScript(target.path, target.text);
  } catch {
    return undefined;
  }
  const imported = bindings(readImports(sf));
  const out: ModuleExports = { named: new Map(), stars: [], own: new Set() };
  for (const st of sf.statements) {
    if (!ts.isExportDeclaration(st)) {
      // `export class Table ...`, `export const x = ...`: the module's own names.
      const modifiers = (st as { modifiers?: ts.NodeArray<ts.Node> }).modifiers;
      const exported = modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (exported) for (const name of declaredNames(st)) out.own.add(name);
      continue;
    }
    if (st.isTypeOnly) continue;
    const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
    const inner = spec !== undefined && RELATIVE.test(spec) && levels > 1 ? await exportsOf(target, spec, context, levels - 1) : undefined;
    const clause = st.exportClause;
    if (!clause) {
      if (spec === undefined) continue;
      if (!RELATIVE.test(spec)) out.stars.push(spec);
      else if (inner) {
        for (const [k, v] of inner.named) if (!out.named.has(k)) out.named.set(k, v);
        for (const k of inner.own) out.own.add(k);
        out.stars.push(...inner.stars);
      }
    } else if (clause.kind === ts.SyntaxKind.NamespaceExport) {
      if (spec !== undefined && !RELATIVE.test(spec)) out.named.set(clause.name.text, { module: spec, path: [] });
      else out.own.add(clause.name.text);
    } else {
      for (const el of (clause as { elements: ts.NodeArray<ts.ExportSpecifier> }).elements) {
        if (el.isTypeOnly) continue;
        const local = (el.propertyName ?? el.name).text;
        const b = spec === undefined ? imported.get(local) : undefined;
        const found =
          spec === undefined
            ? b && !RELATIVE.test(b.module)
              ? { module: b.module, path: b.path }
              : undefined
            : !RELATIVE.test(spec)
              ? { module: spec, path: [local] }
              : inner && memberOf(inner, local);
        if (found) out.named.set(el.name.text, found);
        else out.own.add(el.name.text);
      }
    }
  }
  return out;
}

/** The names a top-level statement declares. */
function declaredNames(st: ts.Statement): string[] {
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  const name = (st as unknown as ts.NamedDeclaration).name;
  return name && ts.isIdentifier(name) ? [name.text] : [];
}

/**
 * The package symbol a module's export `name` is: named, else (not its own) from its one `export *` package, or of
 * several the one `known` takes it from (a table class is in one package alone).
 */
function memberOf(e: ModuleExports, name: string, known?: (id: SymbolId) => boolean): Target | undefined {
  const named = e.named.get(name);
  if (named || e.own.has(name)) return named;
  const stars = [...new Set(e.stars)];
  const from = stars.length === 1 ? stars : known ? stars.filter((s) => known(symbolId(s, [name]))) : [];
  return from.length === 1 ? { module: from[0], path: [name] } : undefined;
}

/**
 * Binds the file's names imported from a module of the project to what that module re-exports: a named import
 * (`MyTable`) to its package symbol, a namespace import (`t`) to a namespace whose members are looked up in it
 * (Bound.member). `known`: the symbols worth choosing among several `export *` packages.
 */
export function throughReexports(binds: Binds, reexports: Reexports, known: (id: SymbolId) => boolean): void {
  for (const [name, b] of binds) {
    const e = RELATIVE.test(b.module) ? reexports.get(b.module) : undefined;
    if (!e) continue;
    const marked = { how: 'reexport', from: b.module } as const;
    if (b.path.length === 0) {
      binds.set(name, {
        ...b,
        member: (m: string): Bound | undefined => {
          const t = memberOf(e, m, known);
          return t && { ...t, ...marked };
        },
      });
      continue;
    }
    const t = memberOf(e, b.path[0], known);
    if (t) binds.set(name, { module: t.module, path: [...t.path, ...b.path.slice(1)], ...marked });
  }
}
